"""Retrieve candidate names from the index and score them with named features.

``NameMatcher`` is the algorithm: its ``CONFIG`` knobs and feature weights are
documented here and reported with every result, so an auditor can see how a score
was made. The score is a weighted mean of ``token_alignment`` (rarity-weighted word
agreement) and ``sequence`` (rapidfuzz sorted-word ratio); ``org_forms`` and
``country`` are reported but do not move the score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import ClassVar

from chipgate.screening.features import (
    FeatureResult,
    country,
    org_forms,
    person_alignment,
    sequence,
    token_alignment,
)
from chipgate.screening.index import Posting, ScreeningIndex
from chipgate.screening.model import ListEntry
from chipgate.screening.normalize import (
    NormalizedName,
    normalize,
    normalize_person,
    person_form,
)
from chipgate.screening.retrieval import Ranker
from chipgate.screening.scripts import is_hangul, korean_name_forms

PERSON = "individual"


@dataclass(frozen=True, slots=True)
class Match:
    """One scored match of a query against one list entry.

    Attributes:
        entry: the listed party.
        matched_name: the listed name or alias that matched best.
        alias: whether ``matched_name`` is an alias rather than the primary name.
        score: the combined score in [0, 1].
        features: every feature's result, by name.
    """

    entry: ListEntry
    matched_name: str
    alias: bool
    score: float
    features: tuple[FeatureResult, ...]

    def explanation(self) -> str:
        """One line that names each feature, its score and its detail."""
        kind = "alias" if self.alias else "name"
        parts = [f"{kind} '{self.matched_name}'"]
        parts += [f"{f.name}={f.score:.2f} ({f.detail})" for f in self.features]
        return "; ".join(parts)


class NameMatcher:
    """Name screening algorithm ``chipgate-name-v1``.

    CONFIG (class attributes):
        CANDIDATES: how many names, best by retrieval score, are scored in full.
        PRUNE_MARGIN: names whose retrieval score is this far below the floor
            are not scored.
        COMMON_POSTINGS: a word in more names than this is skipped for retrieval
            when the query has a rarer word (it would only add noise and time).
        WEIGHTS: weight of each scoring feature in the combined score.
    """

    NAME = "chipgate-name-v1"
    CANDIDATES: ClassVar[int] = 40
    COMMON_POSTINGS: ClassVar[int] = 4000
    PRUNE_MARGIN: ClassVar[float] = 0.2
    WEIGHTS: ClassVar[Mapping[str, float]] = MappingProxyType(
        {"token_alignment": 0.8, "sequence": 0.2}
    )

    def __init__(self, index: ScreeningIndex, candidates: int | None = None) -> None:
        self.index = index
        self.candidates = candidates or self.CANDIDATES
        self.weights = dict(self.WEIGHTS)
        self.common = self.COMMON_POSTINGS
        self.ranker = Ranker(index)

    def retrieve(self, query: NormalizedName, floor: float = 0.0) -> list[int]:
        """Ids of the indexed names most worth scoring for ``query``.

        The retrieval score (shared word weight over both names' weight) tracks
        ``token_alignment`` closely, so names far below ``floor`` on it are not
        scored at all (a margin of ``PRUNE_MARGIN`` is left for fuzzy words).
        Only the postings of the rarest words are read (see ``_rarest_needed``);
        the common words are then credited from each candidate's own words.
        """
        index = self.index
        hits: list[Posting] = []
        person = person_form(query)
        words = dict.fromkeys((*query.tokens, *person.tokens))
        for token in words:
            hits += index.expand_postings(token)  # remembered with the expansion
            if query.script == "abjad":
                hits += index.abjad_postings(token)
        for a, b in zip(query.tokens, query.tokens[1:], strict=False):
            joined = a + b  # "hua wei" written "huawei" in the list: exact only
            if joined in index.postings:
                hits.append((index.postings[joined], index.idf[joined], joined))
            if query.script == "abjad":
                for word, similarity in index.expand_abjad(joined):
                    hits.append(
                        (index.postings[word], index.idf[word] * similarity, word)
                    )
        if not hits:
            return []
        common = self.common
        if any(len(ids) > common for ids, _, _ in hits) and any(
            len(ids) <= common for ids, _, _ in hits
        ):
            hits = [h for h in hits if len(h[0]) <= common]
        # The lighter of the two forms (company forms set aside, or titles), so
        # that pruning never drops a name the other form could reach.
        idf, unknown = index.idf, index.unknown_weight
        query_weight = min(
            sum(idf.get(t, unknown) for t in set(query.tokens)),
            sum(idf.get(t, unknown) for t in set(person.tokens)),
        )
        cutoff = floor - self.PRUNE_MARGIN
        used, rest = _rarest_needed(hits, query_weight, cutoff)
        ranked = self.ranker.ranked(used, rest, query_weight, cutoff, self.candidates)
        return [name_id for _, name_id in ranked]

    def score(
        self, query: NormalizedName, name_id: int
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """Combined score and feature results of ``query`` against one indexed name."""
        return self.compare_normalized(
            query, self.index.name_norm[name_id], bool(self.index.name_person[name_id])
        )

    def compare_normalized(
        self, query: NormalizedName, candidate: NormalizedName, person: bool
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """Score two normalized names: by the person rules or the company rules.

        A listed person is compared word for word, titles dropped and no word
        taken for a company form (``person_alignment``); anything else by
        ``token_alignment`` and ``sequence`` with company forms set aside.
        """
        if person:
            found = person_alignment(person_form(query), candidate, self.index.weight)
            return found.score, (found,)
        scored = (
            token_alignment(
                query,
                candidate,
                self.index.weight,
                "syllabic" not in (query.script, candidate.script),
            ),
            sequence(query, candidate),
        )
        total = sum(self.weights[f.name] * f.score for f in scored)
        return total / sum(self.weights.values()), (
            *scored,
            org_forms(query, candidate),
        )

    def compare(self, query: str, listed: str, person: bool) -> float:
        """Score of ``query`` against one name, as if ``listed`` were on a list.

        Used to measure the rules on labelled name pairs; the index supplies only
        the word weights.
        """
        candidate = normalize_person(listed) if person else normalize(listed)
        return max(
            self.compare_normalized(form, candidate, person)[0]
            for form, _ in query_forms(query)
        )

    def match(self, name: str, query_country: str | None, floor: float) -> list[Match]:
        """Every entry matching ``name`` at ``floor`` or above, best first.

        One entry matched through several of its names counts once, with its best.
        """
        best: dict[int, Match] = {}
        for query, reading in query_forms(name):
            self._match_form(query, reading, query_country, floor, best)
        return sorted(best.values(), key=_rank)

    def _match_form(
        self,
        query: NormalizedName,
        reading: str,
        query_country: str | None,
        floor: float,
        best: dict[int, Match],
    ) -> None:
        if not query.tokens:
            return
        for name_id in self.retrieve(query, floor):
            total, features = self.score(query, name_id)
            if reading:
                features = (FeatureResult("reading", 1.0, reading), *features)
            if total < floor:
                continue
            position = int(self.index.name_entry[name_id])
            if position in best and best[position].score >= total:
                continue
            entry = self.index.entries[position]
            best[position] = Match(
                entry=entry,
                matched_name=self.index.name_text[name_id],
                alias=bool(self.index.name_kind[name_id]),
                score=round(total, 4),
                features=(*features, country(query_country, entry.countries)),
            )


def _rarest_needed(
    hits: list[Posting], query_weight: float, cutoff: float
) -> tuple[list[Posting], dict[str, float]]:
    """The rarest words a name must share to reach ``cutoff``, and the others.

    A name sharing only words of weight ``R`` with the query scores at most
    ``2R / (query_weight + R)`` on retrieval; words whose combined weight cannot
    reach the cutoff alone need not be looked up in the postings. This keeps the
    long posting lists of common words ("trading", "technology") out of most
    queries without losing any name that could pass the cutoff.
    """
    ordered = sorted(hits, key=lambda h: len(h[0]))
    if cutoff <= 0:
        return ordered, {}
    rest: dict[str, float] = {}
    weight_left = 0.0
    split = len(ordered)
    while split > 1:
        _, weight, word = ordered[split - 1]
        if (
            2.0 * (weight_left + weight) / (query_weight + weight_left + weight)
            >= cutoff
        ):
            break
        weight_left += weight
        rest[word] = max(rest.get(word, 0.0), weight)
        split -= 1
    return ordered[:split], rest


# Among equal scores, the lists whose hits weigh most for export controls first.
LIST_ORDER = ("EL", "SDN", "MEU", "UVL", "DPL", "NONSDN", "UN", "ISN", "DTC")


def _rank(match: Match) -> tuple[float, float, int, int]:
    """Best score first; among equals, the entry in the query's country, then the
    list order above, then the primary name over an alias."""
    located = next((f.score for f in match.features if f.name == "country"), 0.5)
    code = match.entry.list_code
    order = LIST_ORDER.index(code) if code in LIST_ORDER else len(LIST_ORDER)
    return (-match.score, -located, order, int(match.alias))


def query_forms(name: str) -> list[tuple[NormalizedName, str]]:
    """The query as written, and for Hangul also as the lists spell Korean names.

    Each comes with the reading that produced it, for the explanation.
    """
    forms = [(normalize(name), "")]
    if is_hangul(name):
        for spelled in korean_name_forms(name):
            forms.append(
                (
                    replace(normalize(spelled), script="syllabic"),
                    f"Hangul read as '{spelled}' (Korean name spelling)",
                )
            )
    return forms
