"""Screening quality on the peers' public benchmarks (shared/data/screening-bench).

Nothing here was written by this project: nomenklatura's 826 labelled name pairs
(with the peer matcher logic-v2's own scores on 762 of them), yente's 683 UN-listed
persons as listed and "treated" (typos, swaps, reordering), and 100,000 synthetic
unlisted persons in many scripts.

Every item falls in the ``tune`` or the ``held-out`` half by the first byte of the
SHA-256 of a fixed key (the pair's two names; the listed person's name; the negative's
name and date of birth): even bytes tune, odd bytes are held out. Rules and thresholds
are changed looking at the tuning half only (``--errors`` lists its failures); the
held-out half is the reported figure.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from bench import SHARED_DATA
from chipgate.screening.features import TRANSLITERATION_RULES, person_token_similarity
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.model import ListEntry
from chipgate.screening.name_groups import MIN_LETTERS
from chipgate.screening.normalize import normalize, normalize_person
from chipgate.screening.screener import Screener
from chipgate.screening.scripts import korean_name_forms

BENCH = SHARED_DATA / "screening-bench"
PEER_THRESHOLD = 0.70  # logic-v2's own threshold (SOURCES.md)
HALVES = ("tune", "held-out")
PERSON_SCHEMAS = {"Person"}


def half(key: str) -> str:
    """``tune`` or ``held-out`` for an item, fixed by its key."""
    return HALVES[hashlib.sha256(key.encode()).digest()[0] % 2]


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (BENCH / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@dataclass(frozen=True)
class Pair:
    """One labelled pair and both matchers' scores."""

    group: str
    schema: str
    query: str
    listed: str
    same: bool
    half: str
    peer: float | None
    ours: float


def score_pairs(matcher: NameMatcher) -> list[Pair]:
    """Every labelled pair scored by ``matcher`` (name1 as query, name2 as listed)."""
    peer = {
        (r["case_group"], r["name1"], r["name2"]): float(r["score"])
        for r in _rows("logicv2-frozen.csv")
        if r["score"]
    }
    out = []
    for r in _rows("name_bench_cases.csv"):
        person = r["schema"] in PERSON_SCHEMAS
        out.append(
            Pair(
                group=r["case_group"],
                schema=r["schema"],
                query=r["name1"],
                listed=r["name2"],
                same=r["is_match"] == "true",
                half=half(f"{r['name1']}|{r['name2']}"),
                peer=peer.get((r["case_group"], r["name1"], r["name2"])),
                ours=matcher.compare(r["name1"], r["name2"], person),
            )
        )
    return out


class Rates(NamedTuple):
    """Precision and recall at a threshold, with the counts they come from: a
    target such as recall 0.85 reads as so many pairs more to find."""

    precision: float
    recall: float
    pairs: int
    found: int  # same-party pairs at the threshold or above
    same: int  # same-party pairs

    def line(self, label: str, matcher: str, note: str = "") -> str:
        """One line of the report: ``label``, the matcher, the rates, the counts."""
        return (
            f"  {label:<15} {matcher:<9} precision {self.precision:.3f} recall "
            f"{self.recall:.3f} = {self.found}/{self.same} ({self.pairs} pairs{note})"
        )


def precision_recall(scored: list[tuple[bool, float]], threshold: float) -> Rates:
    """Precision, recall and counts at ``threshold`` of (same party, score) pairs.

    >>> precision_recall([(True, 0.95), (True, 0.5), (False, 0.91), (False, 0.1)], 0.9)
    Rates(precision=0.5, recall=0.5, pairs=4, found=1, same=2)
    >>> precision_recall([], 0.9).recall
    1.0
    """
    tp = sum(1 for same, s in scored if same and s >= threshold)
    fp = sum(1 for same, s in scored if not same and s >= threshold)
    same = sum(1 for same, _ in scored if same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / same if same else 1.0
    return Rates(precision, recall, len(scored), tp, same)


def pair_report(pairs: list[Pair], threshold: float, part: str) -> list[str]:
    """Lines: ours and the peer's precision/recall on the pairs the peer scored."""
    lines = []
    chosen = [p for p in pairs if p.half == part]
    both = [p for p in chosen if p.peer is not None]
    for label, group in (
        ("all pairs", chosen),
        ("persons", [p for p in chosen if p.schema in PERSON_SCHEMAS]),
        ("companies etc.", [p for p in chosen if p.schema not in PERSON_SCHEMAS]),
    ):
        rates = precision_recall([(x.same, x.ours) for x in group], threshold)
        lines.append(rates.line(label, "chipgate"))
    rates = precision_recall([(x.same, x.ours) for x in both], threshold)
    lines.append(rates.line("peer-scored", "chipgate"))
    rates = precision_recall([(x.same, x.peer or 0.0) for x in both], PEER_THRESHOLD)
    lines.append(rates.line("peer-scored", "logic-v2", f", at {PEER_THRESHOLD}"))
    for label, group in (
        ("persons", [x for x in both if x.schema in PERSON_SCHEMAS]),
        ("companies etc.", [x for x in both if x.schema not in PERSON_SCHEMAS]),
    ):
        rates = precision_recall(
            [(x.same, x.peer or 0.0) for x in group], PEER_THRESHOLD
        )
        lines.append(rates.line(label, "logic-v2"))
    return lines


def _key(name: str) -> tuple[str, ...]:
    return tuple(sorted(normalize_person(name).tokens))


def un_treated(screener: Screener, threshold: float) -> dict[str, tuple[int, int]]:
    """Per half: treated UN names whose listed entry is a hit, of those still listed.

    The untreated name (as listed) identifies the UN entry: the entry with that
    name among its names. Rows whose person is no longer on the list are skipped.
    """
    by_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for entry in screener.index.entries:
        if entry.list_code == "UN":
            for name in (entry.name, *entry.aliases):
                by_name[_key(name)].add(entry.entry_id)
    counts: dict[str, list[int]] = {h: [0, 0] for h in HALVES}
    for listed, treated in zip(
        _rows("positives_un_untreated.csv"),
        _rows("positives_un_treated.csv"),
        strict=True,
    ):
        wanted = by_name.get(_key(listed["full_name"]))
        if not wanted:
            continue
        part = half(listed["full_name"])
        counts[part][1] += 1
        found = _hits(screener, treated["full_name"], threshold)
        if any(m.entry.list_code == "UN" and m.entry.entry_id in wanted for m in found):
            counts[part][0] += 1
    return {h: (c[0], c[1]) for h, c in counts.items()}


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


def _arabic_script_persons(
    entries: Iterable[ListEntry],
) -> Iterator[tuple[int, ListEntry, str]]:
    """The UN list's persons whose name the list also gives in Arabic script
    (``NAME_ORIGINAL_SCRIPT``): each with its place among ``entries`` and
    that name."""
    for position, entry in enumerate(entries):
        if entry.source != "un" or entry.kind != "individual":
            continue
        written = entry.raw.get("NAME_ORIGINAL_SCRIPT", "")
        if _ARABIC_SCRIPT.search(written):
            yield position, entry, written


def un_original_script(
    matcher: NameMatcher, entries: Iterable[ListEntry], review: float, threshold: float
) -> dict[str, tuple[int, int, int]]:
    """By half: of the UN list's persons whose name the list also gives in
    Arabic script (``NAME_ORIGINAL_SCRIPT``, written by the UN, not here, as
    the UN loader keeps it), how many of those names reach the person's Latin
    name at ``review`` or above, how many at ``threshold``, and how many there
    are. The half is fixed by the entry's id (its reference number).

    The Arabic-script name is compared with the Latin one alone
    (``NameMatcher.compare``): screened, it would meet itself, which the
    index holds as an alias.
    """
    counts = {part: [0, 0, 0] for part in HALVES}
    for _, entry, written in _arabic_script_persons(entries):
        score = matcher.compare(written, entry.name, True)
        count = counts[half(entry.entry_id)]
        count[0] += score >= review
        count[1] += score >= threshold
        count[2] += 1
    return {part: (a, b, c) for part, (a, b, c) in counts.items()}


def _offered(matcher: NameMatcher, query: str, floor: float) -> set[int]:
    """The ids of the listed names screening ``query`` scores: those its
    ranking offers for each of its readings at ``floor``
    (``NameMatcher.retrieve``)."""
    return {
        name_id
        for form, _ in matcher.forms(query)
        for name_id in matcher.retrieve(form, floor)
    }


def _entries_names(
    matcher: NameMatcher, chosen: Callable[[int], bool]
) -> dict[int, list[int]]:
    """The ids of each listed entry's names that ``chosen`` keeps, by the
    entry's place."""
    names: dict[int, list[int]] = {}
    for name_id, position in enumerate(matcher.index.name_entry.tolist()):
        if chosen(name_id):
            names.setdefault(position, []).append(name_id)
    return names


def un_original_script_offered(
    matcher: NameMatcher, review: float
) -> dict[str, tuple[int, int]]:
    """By half: of the UN list's persons whose Arabic-script name reaches
    their Latin name at ``review`` or above (``un_original_script``), how
    many of those Latin names screening offers, and how many there are.

    Screening scores only the names its ranking offers (``NameMatcher.retrieve``
    of each reading of the query), so a name the person rules would score at
    review is still never shown unless ranked. The index holds the UN's
    Arabic-script name too, which offers its entry by itself; a Latin name of
    the entry among the offered names is what screening the name would find
    on a list that gives the person in Latin letters only (the lists but the
    UN's)."""
    index = matcher.index
    names = _entries_names(
        matcher, lambda name_id: script_of(index.name_text[name_id]) == "LATIN"
    )
    counts = {part: [0, 0] for part in HALVES}
    for position, entry, written in _arabic_script_persons(index.entries):
        if matcher.compare(written, entry.name, True) < review:
            continue
        offered = _offered(matcher, written, review)
        count = counts[half(entry.entry_id)]
        count[0] += not offered.isdisjoint(names.get(position, ()))
        count[1] += 1
    return {part: (a, b) for part, (a, b) in counts.items()}


def _pairs_offered(
    matcher: NameMatcher,
    review: float,
    names: dict[int, list[int]],
    paired: Callable[[tuple[str, ...], tuple[str, ...]], bool],
) -> dict[str, tuple[int, int]]:
    """By half of the first name's text: of the pairs of one entry's names
    (``names``) whose words ``paired`` selects and which the rules score at
    ``review`` or above, how many of the second names screening the first
    offers, and how many there are. Screened, the first name meets itself;
    the second is what a list writing the name only so would be found by."""
    index = matcher.index
    counts = {part: [0, 0] for part in HALVES}
    for ids in names.values():
        for first, second in itertools.permutations(ids, 2):
            if not paired(
                index.name_norm[first].tokens, index.name_norm[second].tokens
            ):
                continue
            query, listed = index.name_text[first], index.name_text[second]
            person = bool(index.name_person[second])
            if matcher.compare(query, listed, person) < review:
                continue
            count = counts[half(query)]
            count[0] += second in _offered(matcher, query, review)
            count[1] += 1
    return {part: (a, b) for part, (a, b) in counts.items()}


def _joined_pair(words: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether a word of ``words`` is two adjacent words of ``other`` written
    together."""
    joined = {a + b for a, b in itertools.pairwise(other)}
    return any(w in joined and w not in other for w in words)


def joined_words_offered(
    matcher: NameMatcher, review: float
) -> dict[str, tuple[int, int]]:
    """By half: of the pairs of one listed entry's names in which a word of
    the first is two adjacent words of the second written together (the
    lists' own spellings: "Abdulghani" / "ABDUL GHANI BARADAR", "SPEEDJET" /
    "Speed Jet", "Yunxia Yuan" / "Yun Xia Yuan"), and which the rules score
    at ``review`` or above, how many of the second names screening the first
    offers, and how many there are (``_pairs_offered``)."""
    names = _entries_names(matcher, lambda _: True)
    return _pairs_offered(matcher, review, names, _joined_pair)


def _transliterated_pair(words: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether a word of ``other`` that ``words`` lacks is one of ``words`` in
    another transliteration, or with the Arabic article, as the person rules
    read it (``features.TRANSLITERATION_RULES``)."""
    return any(
        person_token_similarity(word, listed)[1] in TRANSLITERATION_RULES
        for listed in other
        if listed not in words and len(listed) >= MIN_LETTERS and listed.isalpha()
        for word in words
        if word not in other and len(word) >= MIN_LETTERS and word.isalpha()
    )


def transliterations_offered(
    matcher: NameMatcher, review: float
) -> dict[str, tuple[int, int]]:
    """By half: of the pairs of one listed person's names in Latin letters
    in which a word of the second is a word of the first in another
    transliteration or with the article (the lists' own spellings: "Ismail
    Haniya" / "Ismail Hanieh", "SHISHANI, Omar" / "AL-SHISHANI, Omar",
    "BAZZI, Kassem" / "BAZZI, Qasim"), and which the rules score at
    ``review`` or above, how many of the second names screening the first
    offers, and how many there are (``_pairs_offered``). An entry with many
    names that share the first's words fills the ranking's places with them,
    and so misses some pairs that a list of one of them would not: the
    figure counts those as not offered."""
    index = matcher.index
    names = _entries_names(
        matcher,
        lambda name_id: (
            bool(index.name_person[name_id]) and not index.name_norm[name_id].script
        ),
    )
    return _pairs_offered(matcher, review, names, _transliterated_pair)


def un_original_script_organisations(
    matcher: NameMatcher, entries: Iterable[ListEntry], review: float
) -> dict[str, tuple[int, int]]:
    """By half: of the UN list's entities whose name the list also gives in
    Arabic script, how many of those names reach the best of the entity's
    names in Latin letters (its name and aliases) at ``review`` or above,
    and how many there are. Many are translations ("الجهاد الاسلامي المصري",
    Egyptian Islamic Jihad) that no spelling rule reaches; the count is of
    those whose Latin names include a transliteration that may."""
    counts = {part: [0, 0] for part in HALVES}
    for entry in entries:
        if entry.source != "un" or entry.kind == "individual":
            continue
        written = entry.raw.get("NAME_ORIGINAL_SCRIPT", "")
        latin = [n for n in (entry.name, *entry.aliases) if script_of(n) == "LATIN"]
        if not _ARABIC_SCRIPT.search(written) or not latin:
            continue
        best = max(matcher.compare(written, name, False) for name in latin)
        count = counts[half(entry.entry_id)]
        count[0] += best >= review
        count[1] += 1
    return {part: (a, b) for part, (a, b) in counts.items()}


def _hits(screener: Screener, name: str, threshold: float) -> list[Match]:
    """The hits of ``name`` as ``chipgate screen`` finds them: matches from the
    review threshold (the screener's own floor), kept from ``threshold`` up."""
    return [m for m in screener.matches(name) if m.score >= threshold]


def script_of(name: str) -> str:
    """The script of the first letter of ``name`` (LATIN, CJK, ARABIC ...)."""
    for char in name:
        if char.isalpha():
            word = unicodedata.name(char, "OTHER").split()[0]
            return {"HIRAGANA": "KANA", "KATAKANA": "KANA"}.get(word, word)
    return "OTHER"


def _spellings(words: tuple[str, ...]) -> set[str]:
    """A name's words joined without spaces, in every order (up to four words):
    "yu lan huang" and "Huang Yulan" are the same name."""
    if len(words) > 4:
        return {"".join(sorted(words))}
    return {"".join(p) for p in itertools.permutations(words)}


def listed_person_names(screener: Screener) -> set[str]:
    """Every name the lists give a person, as ``_spellings``. Persons are those the
    matcher compares as persons: typed ``individual``, or untyped (Entity List,
    DPL ...) names taken for a person's (``index.is_person``)."""
    index = screener.index
    listed: set[str] = set()
    for norm, person in zip(index.name_norm, index.name_person, strict=True):
        if person:
            listed |= _spellings(norm.tokens)
    return listed


def same_name_listed(name: str, listed: set[str]) -> bool:
    """Whether ``name`` itself is a listed person's name (its words as written, or
    for a Hangul name its usual Latin spelling: 김영수 is "Kim Yong Su")."""
    forms = [normalize(name).full, normalize_person(name).tokens]
    forms += [tuple(s.split()) for s in korean_name_forms(name)]
    return any(_spellings(tuple(f)) & listed for f in forms)


def negatives(
    screener: Screener, threshold: float, part: str, limit: int | None = None
) -> dict[str, tuple[int, int]]:
    """Per script: unlisted names with a hit, of names screened (one half).

    A hit on a name that is itself a listed person's (the same name is listed, as
    the benchmark allows; ``same_name_listed``) is not counted as false, but under
    ``same name listed``.
    """
    listed = listed_person_names(screener)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seen = 0
    for file in ("negatives_global.csv", "negatives_us.csv"):
        for row in _rows(file):
            name = row["full_name"]
            if half(f"{name}|{row['date_of_birth']}") != part:
                continue
            seen += 1
            if limit is not None and seen > limit:
                break
            script = script_of(name)
            counts[script][1] += 1
            if not _hits(screener, name, threshold):
                continue
            if same_name_listed(name, listed):
                counts["same name listed"][0] += 1
            else:
                counts[script][0] += 1
    return {s: (c[0], c[1]) for s, c in counts.items()}


def negative_examples(
    screener: Screener, threshold: float, part: str, limit: int
) -> Iterator[str]:
    """False hits of one half, for reading (tuning half only)."""
    shown = 0
    for file in ("negatives_global.csv", "negatives_us.csv"):
        for row in _rows(file):
            name = row["full_name"]
            if half(f"{name}|{row['date_of_birth']}") != part:
                continue
            found = _hits(screener, name, threshold)
            if found:
                best = found[0]
                yield f"FALSE HIT {name!r} -> {best.matched_name!r} {best.score:.2f} {best.features[0].detail}"
                shown += 1
                if shown >= limit:
                    return


def summary(counts: dict[str, tuple[int, int]]) -> Counter[str]:
    """Totals over scripts."""
    total: Counter[str] = Counter()
    for script, (hits, names) in counts.items():
        if script == "same name listed":
            continue
        total["hits"] += hits
        total["names"] += names
    return total
