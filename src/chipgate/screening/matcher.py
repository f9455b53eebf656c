"""Retrieve candidate names from the index and score them with named features.

``NameMatcher`` is the algorithm: its ``CONFIG`` knobs and feature weights are
documented here and reported with every result, so an auditor can see how a score
was made. The score is a weighted mean of ``token_alignment`` (rarity-weighted word
agreement) and ``sequence`` (rapidfuzz sorted-word ratio); ``org_forms`` and
``country`` are reported but do not move the score.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import pairwise
from math import fsum
from operator import itemgetter
from types import MappingProxyType
from typing import ClassVar, TypeVar

from chipgate.screening import companies
from chipgate.screening.abjad_letters import (
    ABD_JOINED,
    abd_joined,
    arabic_words,
    short_keys,
)
from chipgate.screening.bounds import (
    SCORE_DIGITS,
    ExactWords,
    alignment_bound,
    below_floor,
    exact_bound,
)
from chipgate.screening.branches import branch_readings
from chipgate.screening.features import (
    ABJAD,
    COMMON_CAP,
    SINGLE_WORD_CAP,
    FeatureResult,
    ListedForms,
    abjad_organisation,
    country,
    letters_alignment,
    org_forms,
    person_alignment,
    sequence,
    token_alignment,
    written_alignment,
)
from chipgate.screening.generations import Generations
from chipgate.screening.guards import (
    LISTED_COMMON,
    PERSON_SYLLABLES_CAP,
    common_in_lists,
    compound_alone,
    letter_for_letter,
    written_as_person,
)
from chipgate.screening.index import EXPANSION_CACHE, Posting, ScreeningIndex
from chipgate.screening.model import ListEntry
from chipgate.screening.name_groups import script_readings
from chipgate.screening.normalize import (
    NormalizedName,
    chinese_in_pinyin,
    chinese_other_reading,
    name_variant_key,
    normalize,
    normalize_person,
    person_form,
    surname_last,
    to_ascii,
)
from chipgate.screening.retrieval import Ranker, RankRequest
from chipgate.screening.scripts import (
    abjad,
    camel_words,
    dotted_initials,
    georgian_readings,
    is_hangul,
    katakana_readings,
    korean_name_forms,
    spaced_letters,
    turned_words,
    written_backwards,
    written_words,
)
from chipgate.screening.vessels import (
    VESSEL_KIND,
    VESSEL_PREFIX,
    is_vessel_reading,
    vessel_name,
)
from chipgate.screening.wadegiles import pinyin_readings

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
        CANDIDATES: how many names, best by retrieval score, are scored in full
            (more when the last of them still match: ``DEEPEN_TAIL``).
        DEEPEN_TAIL: when a match stands among this many last names of a full
            ranking, the ranking is made twice as deep and the names past it
            are scored too, and so on, up to ``DEEPEN_LIMIT`` names: a group
            listed entry by entry ("Huawei Technologies (Australia)", "(Bolivia)"
            ... beside "Huawei Technologies Co., Ltd.") shows every entry.
        PRUNE_MARGIN: names whose retrieval score is this far below the floor
            are not scored.
        COMMON_POSTINGS: a word in more names than this is skipped for retrieval
            when the query has a rarer word (it would only add noise and time).
        WEIGHTS: weight of each scoring feature in the combined score.
        RARE_NAMES: a word in at most this many listed names is rare (a
            company's name of one word, ``companies.place_extras``).
        BRAND_NAMES: a word in at most this many listed names may be a trade
            name screened alone (``companies.brand_alone``). Chosen on the
            lists' own names (``bench/screening_aliases.py``): at 20 the rule
            raises 212 of the 253 pairs of one organisation's names it raises
            unbounded, with 236 of its 470 meetings of another entry, most of
            one group ("Inspur", in 17, meets Inspur Group's companies);
            beyond, three to eight meetings come for each further pair (words
            of many companies: "energy", "management", "national").
        RANKED_CACHE: how many rankings ``_retrieve`` remembers (two
            generations of half as many), by their words and by the shape of
            a query with an inert number, each; as many numbered names' forms
            (``forms``) and what ranking them reads besides the number
            (``_numbered_query``): a register repeats its names far apart,
            each worker meeting some 50,000 others between two repeats of
            one in a file of 100,000 names.
        NUMBERED_CACHE: how many listed names scored against a query with a
            number ``_numbered_score`` and ``_numbered_person_score`` remember
            (two generations).
        FORM_CACHE: how many query forms without a digit ``_form_steps``
            remembers the matches of (two generations).
    """

    NAME = "chipgate-name-v1"
    CANDIDATES: ClassVar[int] = 40
    DEEPEN_TAIL: ClassVar[int] = 10
    DEEPEN_LIMIT: ClassVar[int] = 640
    COMMON_POSTINGS: ClassVar[int] = 4000
    PRUNE_MARGIN: ClassVar[float] = 0.2
    RARE_NAMES: ClassVar[int] = 3
    BRAND_NAMES: ClassVar[int] = 20
    RANKED_CACHE: ClassVar[int] = 100_000
    NUMBERED_CACHE: ClassVar[int] = 100_000
    FORM_CACHE: ClassVar[int] = 50_000
    WEIGHTS: ClassVar[Mapping[str, float]] = MappingProxyType(
        {"token_alignment": 0.8, "sequence": 0.2}
    )

    def __init__(self, index: ScreeningIndex, candidates: int | None = None) -> None:
        self.index = index
        self.candidates = candidates or self.CANDIDATES
        self.weights = dict(self.WEIGHTS)
        self.common = self.COMMON_POSTINGS
        self.subset = False  # prune by query coverage too (Ranker.ranked)
        self.ranker = Ranker(index)
        self._listed: dict[int, ListedForms] = {}
        # listed person names as ``bounds.exact_bound`` reads them (``_below``)
        self._exact: dict[int, ExactWords] = {}
        # remembered rankings (``_retrieve``)
        self._ranked: Generations[tuple[object, ...], list[int]] = Generations()
        # rankings of queries with an inert number, by their shape (``_retrieve``)
        self._shaped: Generations[tuple[object, ...], list[int]] = Generations()
        # organisation and person scores of queries with a number
        # (``_numbered_score``, ``_numbered_person_score``), and whether each
        # listed name holds a digit
        self._numbered: Generations[tuple[object, ...], _Kept] = Generations()
        self._digits: dict[int, bool] = {}
        # matches of the query forms without a digit (``_form_steps``)
        self._forms: Generations[tuple[object, ...], tuple[_Found, ...]] = Generations()
        # the query forms of numbered names, by the name before the number
        # and its length (``forms``)
        self._numbered_forms: Generations[
            tuple[str, int], tuple[str, tuple[tuple[NormalizedName, str], ...]]
        ] = Generations()
        # what ranking a query with an inert number reads besides it
        # (``_numbered_query``)
        self._numbered_queries: Generations[tuple[object, ...], _Numbered] = (
            Generations()
        )
        # the weights of Arabic-script query words (``_abjad_weight``)
        self._abjad_weights: Generations[str, float] = Generations()

    def retrieve(self, query: NormalizedName, floor: float = 0.0) -> list[int]:
        """Ids of the indexed names most worth scoring for ``query``.

        The retrieval score (shared word weight over both names' weight) tracks
        ``token_alignment`` closely, so names far below ``floor`` on it are not
        scored at all (a margin of ``PRUNE_MARGIN`` is left for fuzzy words).
        Only the postings of the rarest words are read (see ``_rarest_needed``);
        the common words are then credited from each candidate's own words.
        """
        return self._retrieve(query, person_form(query), floor)

    def _retrieve(
        self,
        query: NormalizedName,
        person: NormalizedName,
        floor: float,
        number: str | None = None,
    ) -> list[int]:
        """``retrieve`` with the query's person form (``person_form``) made once
        for its retrieval and its scoring; ``number`` is the query's inert number
        (``_inert_number``) when it has one.

        A query whose inert number reaches no listed word (no expansion, no
        word joined with it) is ranked as every query of its shape with another
        such number (``_retrieval_shape``): the ranking is remembered by the
        shape, and the words' expansions and joins are not gathered again.
        """
        return self._answered(self._plan(query, person, floor, number))

    def _plan(
        self,
        query: NormalizedName,
        person: NormalizedName,
        floor: float,
        number: str | None,
        limit: int | None = None,
        known: _Numbered | None = None,
    ) -> _Plan:
        """The ranking ``_retrieve`` gives, found among those remembered, or
        the request that makes it (``_settle``), with the keys it is then
        remembered by; ``limit`` names at most (``candidates`` unless told);
        ``known`` what ``_numbered_query`` knows of a query with ``number``."""
        limit = limit or self.candidates
        # read once for the shape and the ranking (``_pruned_by``); a query
        # holding a number has none (``_initials``: its digits name an
        # organisation)
        initials = frozenset() if known is not None else self._initials(query, person)
        if number is None or query.script == "abjad":
            return self._ranking(query, person, floor, limit, initials)
        shape = self._retrieval_shape(
            query, person, floor, number, limit, initials, known
        )
        if shape is None:
            return self._ranking(query, person, floor, limit, initials)
        found = self._shaped.find(shape, self.RANKED_CACHE)
        if found is not None:
            return _Plan(found)
        plan = self._ranking(query, person, floor, limit, initials)
        if plan.found is None:
            plan.keys.append((self._shaped, shape))
        else:
            self._shaped.keep(shape, plan.found, self.RANKED_CACHE)
        return plan

    def _answered(self, plan: _Plan) -> list[int]:
        """The ranking of ``plan``, made now if it is still asked for."""
        if plan.found is None:
            self._settle([plan])
        assert plan.found is not None  # settled
        return plan.found

    def _settle(self, plans: Sequence[_Plan]) -> None:
        """Make the rankings ``plans`` ask for, together (``Ranker.ranked_many``:
        the same rankings as made one by one), and remember each. A plan with
        no request (one waiting for another query's form, ``_form_steps``) is
        left as it is; two plans of one ranking (remembered by the same first
        key) share it, made once."""
        first: dict[tuple[object, ...], int] = {}  # a ranking's first key: its place
        requests: list[RankRequest] = []
        asking: list[tuple[_Plan, int]] = []
        for plan in plans:
            if plan.request is not None:
                key = plan.keys[0][1]
                if key not in first:
                    first[key] = len(requests)
                    requests.append(plan.request)
                asking.append((plan, first[key]))
        rankings = [
            [name_id for _, name_id in ranked]
            for ranked in self.ranker.ranked_many(requests)
        ]
        for plan, place in asking:
            plan.found = rankings[place]
            for memo, key in plan.keys:
                memo.keep(key, rankings[place], self.RANKED_CACHE)

    def _retrieval_shape(
        self,
        query: NormalizedName,
        person: NormalizedName,
        floor: float,
        number: str,
        limit: int,
        initials: frozenset[str],
        known: _Numbered | None = None,
    ) -> tuple[object, ...] | None:
        """All that ``_ranking`` reads of a query holding ``number``, when the
        number adds nothing to it, else None; with ``known``
        (``_numbered_query``), its parts that do not depend on the number
        are taken from there.

        The number adds nothing when it has no expansion (no posting) and joins
        no word next to it into a listed word (``joined``, ``_resplit``). Then
        the ranking's postings are those of the other words, in their places,
        and of the joins of the other words; its query weight counts the number
        at the unknown weight (the same sum for every such number:
        ``_query_weight``), and is part of the shape, as are the floor and the
        settings (as in ``_ranking``'s key).
        """
        index = self.index
        if not index.reaches_no_word(number) and index.expand_sized(number)[0]:
            return None
        vocabulary, tokens = self.index.postings, query.tokens
        for a, b in pairwise(tokens):
            if number in (a, b) and (a + b in vocabulary or self._resplit(a, b)):
                return None
        if known is not None:
            return (
                *known.left_out,
                known.weight,
                self.subset,
                floor,
                self.common,
                limit,
                self.PRUNE_MARGIN,
            )
        return (
            _number_left_out(tokens, number),
            _number_left_out(person.tokens, number),
            *self._pruned_by(query, person, initials),
            floor,
            self.common,
            limit,
            self.PRUNE_MARGIN,
        )

    def _ranking(
        self,
        query: NormalizedName,
        person: NormalizedName,
        floor: float,
        limit: int,
        initials: frozenset[str],
    ) -> _Plan:
        """The ranking of ``_retrieve``, from the query's words' postings: the
        one remembered, or the request that makes it (``_plan``); ``initials``
        the query's initials as ``_initials`` reads them."""
        index = self.index
        expand, abjad = index.expand_sized, query.script == "abjad"
        # the words that reach a listed name, each with its postings: a word
        # that reaches none (a number no listed word is near) adds no posting,
        # nor does an initial, which pairs with given names no posting of the
        # letter holds (``_pruned_by``)
        reaching: list[tuple[str, tuple[Posting, ...], tuple[int, ...]]] = []
        # postings read whatever their size, each a word's own (``_request``):
        # an Arabic-script word's short listed words
        # (``ScreeningIndex.short_abjad``) and the two listed words it writes
        # together on consonants (``abjad_split``); the two listed words any
        # other word writes together (``split_words``)
        always: list[tuple[Posting, int]] = []
        for token in dict.fromkeys((*query.tokens, *person.tokens)):
            if token in initials:
                continue
            postings, counts = expand(token)  # remembered with the expansion
            if abjad:  # the consonant postings, remembered too
                more, sized = index.abjad_sized(token)
                postings += more
                counts += sized
                if (by_short := index.short_abjad(token)) is not None:
                    always.append(by_short)
                if (by_pair := index.abjad_split(token)) is not None:
                    always.append(by_pair)
            else:
                always += index.split_words(token)
            if postings:
                reaching.append((token, postings, counts))
        vocabulary, idf = index.postings, index.idf
        joins: list[tuple[str, float]] = []
        for a, b in zip(query.tokens, query.tokens[1:], strict=False):
            joined = a + b  # "hua wei" written "huawei" in the list: exact only
            if joined in vocabulary:
                joins.append((joined, 1.0))
            # "myongc hin" for "myong chin": a space moved
            joins += ((word, 1.0) for word in self._resplit(a, b))
            if abjad:
                joins += index.expand_abjad(joined)
        if not reaching and not joins and not always:
            return _Plan([])
        query_weight, subset = self._pruned_by(query, person, initials)
        # All the ranking reads: the postings (those of each reaching word, in
        # order, then those of the joined words), the query's weight and the
        # floor. A word's postings follow from the word, and the Arabic-script
        # ones from the script, so the words, the script and the joined words
        # name the postings. A batch's names often differ only in a word no
        # listed word is near (a number appended: "Acme Trading 123456", "Acme
        # Trading 234567"), which adds no posting and weighs the same unknown
        # weight: the same ranking, remembered (two generations, like the word
        # expansions; the settings a caller may change are part of the key).
        # Keyed by the few words, not by every posting's word and weight, and
        # the postings gathered only when the ranking is made.
        key = (
            tuple(token for token, _, _ in reaching),
            tuple(joins),
            tuple((word, weight) for (_, weight, word), _ in always),
            abjad,
            query_weight,
            subset,
            floor,
            self.common,
            limit,
            self.PRUNE_MARGIN,
        )
        found = self._ranked.find(key, self.RANKED_CACHE)
        if found is not None:
            return _Plan(found)
        hits: list[Posting] = []
        sizes: list[int] = []  # the number of names of each posting
        for _, postings, counts in reaching:
            hits += postings
            sizes += counts
        for word, similarity in joins:
            ids = vocabulary[word]
            hits.append((ids, idf[word] * similarity, word))
            sizes.append(len(ids))
        return _Plan(
            None,
            self._request(hits, sizes, query_weight, floor, limit, subset, always),
            [(self._ranked, key)],
        )

    def _numbered_query(
        self, query: NormalizedName, number: str, shape: tuple[object, ...]
    ) -> tuple[_Numbered, NormalizedName] | None:
        """What the ranking of ``query``, holding the inert ``number``, reads
        besides the number, and its person form; None when it cannot be
        taken from another number's (then it is made in full).

        Remembered by the query's ``_numbered_shape`` (two generations, like
        the rankings): the person form and the query weight
        (``_pruned_by``) of a query with an inert number are the same for
        every other such number of that length, that number in its place,
        as long as no word beside it joined to it is a listed word (which
        weighs as one, ``_form_weight``), which is asked each time. Made
        again for each of a register's numbered repeats of a name, they were
        a fifth of its time. The person rules' tables (titles, suffixes,
        particles) hold no word of digits; a particle joined to the number
        ("al 123456" as "al123456") is no form kept here.
        """
        kept = self._numbered_queries.find(shape, self.RANKED_CACHE)
        if kept is None:
            asked = person_form(query)
            if not _only_number(asked.tokens, number) or self._initials(query, asked):
                return None
            beside = _beside(query.tokens, number) + _beside(asked.tokens, number)
            if self._joins_listed(beside, number):
                return None  # this number's weight is its own: not kept
            left_out = (
                _number_left_out(query.tokens, number),
                _number_left_out(asked.tokens, number),
            )
            weight = self._query_weight(query, asked)
            kept = _Numbered(number, asked, left_out, weight, beside)
            self._numbered_queries.keep(shape, kept, self.RANKED_CACHE)
            return kept, asked
        if self._joins_listed(kept.beside, number):
            return None
        seen, asked = kept.number, kept.asked
        if seen != number:
            asked = NormalizedName(
                tuple(number if w == seen else w for w in asked.tokens),
                script=asked.script,
            )
        return kept, asked

    def _joins_listed(self, beside: tuple[tuple[str, str], ...], number: str) -> bool:
        """Whether ``number`` written together with a word beside it
        (``_beside``) is a listed word."""
        postings, idf = self.index.postings, self.index.idf
        for before, after in beside:
            joined = before + number + after
            if joined in postings or joined in idf:
                return True
        return False

    def _initials(
        self, query: NormalizedName, person: NormalizedName
    ) -> frozenset[str]:
        """The single letters of a person's name written with initials
        beside words of its own ("V. V. Putin", "Sechin I I"), each of which
        the lists write mostly in persons' names (in half their names or
        more: ``_pruned_by``); none otherwise.

        Not in a company's name: one that says so ("A & B Trading",
        ``companies.names_organisation``), nor one whose words the lists
        write mostly in names of organisations or vessels ("A Invest", "ARGO
        I", "Capital T C"), where a letter is an initialism or a numeral and
        the company rules read it; nor a name of letters alone, nor one in
        Chinese or Hangul script.
        """
        letters = frozenset(w for w in person.tokens if len(w) == 1 and w.isalpha())
        if not letters or query.script or companies.names_organisation(query):
            return frozenset()
        postings, persons = self.index.postings, self.index.name_person
        known = [
            postings[word]
            for word in person.tokens
            if word not in letters and word in postings
        ]
        if not known or not all(persons[ids].mean() >= 0.5 for ids in known):
            return frozenset()
        return letters

    def _pruned_by(
        self, query: NormalizedName, person: NormalizedName, initials: frozenset[str]
    ) -> tuple[float, bool]:
        """The query weight a ranking prunes by, and whether it also keeps a
        name holding enough of the query's weight alone (``Ranker.ranked``'s
        ``subset``).

        A person's name written with initials ("V. V. Putin", "Putin V V",
        ``_initials``) pairs each initial with a given name or patronymic
        the listed name writes out, which no posting of the letter reaches:
        by shared weight, "PUTIN, Vladimir Vladimirovich" held 0.51 of "v v
        putin" and was never a candidate, while the person rules score it
        0.94. Such a query is ranked by its other words alone (the initials
        reach no name, ``_ranking``), and a name that holds them is kept
        (``subset``), however many given names it writes out besides.
        """
        if not initials:
            return self._query_weight(query, person), self.subset
        rest = replace(
            person, tokens=tuple(w for w in person.tokens if w not in initials)
        )
        return self._query_weight(rest, rest), True

    def _query_weight(self, query: NormalizedName, person: NormalizedName) -> float:
        """The weight a ranking prunes by: the lighter of the query's two forms
        (company forms set aside, or titles), so that pruning never drops a name
        the other form could reach. Each form's distinct words are summed
        exactly rounded (``math.fsum``), so the sum does not turn on the order
        a set gives them: the same double in every run whatever the hash seed,
        and for every number a batch appends to one name (``_retrieval_shape``;
        summed in a set's order, one shape in ten took another last bit).
        The words of a name in Arabic script weigh as the listed words they
        may be (``_abjad_weight``)."""
        weigh = self._abjad_weight if query.script == "abjad" else self.index.weight
        own = self._form_weight(query.tokens, weigh)
        if person.tokens == query.tokens:
            return own
        return min(own, self._form_weight(person.tokens, weigh))

    def _form_weight(
        self, tokens: tuple[str, ...], weigh: Callable[[str], float]
    ) -> float:
        """The weight of one form of a query: its distinct words' weights, or,
        where two adjacent words written together are a listed word, the
        lighter reading that counts them as that word once (``joined_weight``).

        A name in Chinese script is read a syllable a word ("zhi pu" for 智谱),
        and the lists write the syllables of a name together ("Zhipu AI"); the
        ranking reaches such a name through the joined word (``_ranking``'s
        joins). Counted as two words each of its own weight, the syllables
        outweighed the one listed word they make, and the ranking pruned the
        names they name: "智谱" never offered "Zhipu AI", nor "大连政华贸易有限
        公司" "Dalian Zhenghua Maoyi Youxian Gongsi", which the company rules
        score 0.85 and 0.99."""
        own = fsum(map(weigh, set(tokens)))
        vocabulary = self.index.postings
        if not any(a + b in vocabulary for a, b in pairwise(tokens)):
            return own  # most names: no two words make a listed word
        return min(own, joined_weight(tokens, weigh, self.index.idf))

    def _abjad_weight(self, token: str) -> float:
        """The weight a ranking counts for a word of an Arabic-script query:
        the lightest of the listed words it may be, those it reaches by its
        expansion or its consonants (``ScreeningIndex.abjad_sized``), or for a
        short word (``abjad_letters``' short keys: "علي", ly) the lightest
        listed word of its short key (``ScreeningIndex.short_tables``); a
        word that reaches none weighs as an unknown word.

        An Arabic-script name whose every word agrees with a listed name on
        consonants scores 0.85 by the person rules, whatever its words weigh
        as written. Counted at the unknown weight (a romanized Arabic word is
        seldom a listed one), such a query outweighed the listed names it
        agrees with, and the ranking pruned them: "علی اکبر احمدیان" (ly + kbr
        + hmdyn, three unknown words) never offered "AHMADIAN, Ali Akbar",
        which it scores 0.85. Counted as the lightest listed word it may be,
        a word weighs no more than the word it is paired with, so the ranking
        keeps the names that agree with it."""
        found = self._abjad_weights.find(token, EXPANSION_CACHE)
        if found is None:
            index = self.index
            idf, short = index.idf, self._short_key_weights
            found = min(
                (
                    index.weight(token),
                    *(idf[word] for _, _, word in index.expand_sized(token)[0]),
                    *(idf[word] for _, _, word in index.abjad_sized(token)[0]),
                    *(short[key] for key in short_keys(token) if key in short),
                )
            )
            self._abjad_weights.keep(token, found, EXPANSION_CACHE)
        return found

    @property
    def _short_key_weights(self) -> dict[str, float]:
        """The lightest listed word of each short key (``_abjad_weight``),
        made when an Arabic-script name is first ranked."""
        return self.index.short_tables[1]

    def _request(
        self,
        hits: list[Posting],
        sizes: list[int],
        query_weight: float,
        floor: float,
        limit: int,
        subset: bool,
        always: Sequence[tuple[Posting, int]] = (),
    ) -> RankRequest:
        """What ranks the candidates of ``_retrieve`` from its postings
        (``hits``, of ``sizes`` names) and the query's weight
        (``Ranker.ranked``).

        The postings are sorted by size once (stable): the common words' long
        postings left out (past ``common`` names, when a rarer word is there)
        are then the last ones, and ``_rarest_needed`` reads the rest in that
        order. The postings of ``always`` (an Arabic-script name's short
        words, a word written as two listed words) are read after them, each:
        the names they reach do not hold their word as it is written, so it
        cannot be credited from a name's own words as the common ones are,
        and a name that holds it and the common words only is reached by it.
        """
        common = self.common
        order = sorted(range(len(sizes)), key=sizes.__getitem__)
        ordered = [sizes[i] for i in order]
        if ordered and ordered[-1] > common >= ordered[0]:
            del order[bisect_right(ordered, common) :]
        cutoff = floor - self.PRUNE_MARGIN
        used, rest = _rarest_needed([hits[i] for i in order], query_weight, cutoff)
        return RankRequest(
            used + [posting for posting, _ in always],
            rest,
            query_weight,
            cutoff,
            limit,
            subset,
            # the used postings are the first
            sum(ordered[: len(used)]) + sum(size for _, size in always),
        )

    @cached_property
    def _letters_digits(self) -> tuple[frozenset[str], frozenset[str]]:
        """The letters and the digits of the listed words written letters then
        digits ("a320", "su35"), each apart (``_resplit``)."""
        heads, tails = set(), set()
        for word in self.index.postings:
            at = next((i for i, ch in enumerate(word) if ch.isdigit()), 0)
            if at and word[:at].isalpha() and word[at:].isdigit():
                heads.add(word[:at])
                tails.add(word[at:])
        return frozenset(heads), frozenset(tails)

    def _resplit(self, a: str, b: str) -> tuple[str, ...]:
        """``_resplit`` over the index's words, answered at once for a word and a
        number after it (most of a large batch's names end so): each way of
        cutting them again makes a word of letters then digits, whose letters are
        the word or whose digits are the number, and when no listed word is
        written so, nothing is found."""
        if b.isdigit() and a.isalpha():
            heads, tails = self._letters_digits
            if a not in heads and b not in tails:
                return ()
        return _resplit(a, b, self.index.postings)

    def score(
        self,
        query: NormalizedName,
        name_id: int,
        asked: NormalizedName | None = None,
        floor: float = 0.0,
        person: bool = False,
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """Combined score and feature results of ``query`` against one indexed name.

        A listed name other than a person's is scored with its query-independent
        parts made once (``listed_forms``); the score is that of
        ``compare_normalized``. ``asked`` is the query's person form when the
        caller has it (``person_form(query)``). With a ``floor``, a listed
        organisation known to score below it is not scored: 0.0 and no
        features (``_compare_organisation``). ``person``: the query is written
        as a person's name (``guards.written_as_person``), which is no trade
        name alone.
        """
        if self.index.name_person[name_id]:
            return self.compare_normalized(
                query, self.index.name_norm[name_id], True, asked
            )
        return self._compare_organisation(
            query, self.index.name_norm[name_id], name_id, floor, person
        )

    def listed_forms(self, name_id: int) -> ListedForms:
        """The parts of indexed name ``name_id`` the company rules read whatever the
        query: made when the name is first scored, then kept for the index's life
        (most batches score a small share of the names, many of them often)."""
        kept = self._listed
        forms = kept.get(name_id)
        if forms is None:
            forms = kept[name_id] = ListedForms.of(self.index.name_norm[name_id])
        return forms

    def _is_vessel(self, name_id: int) -> bool:
        """Whether the listed name is a ship's (its entry typed vessel)."""
        position = int(self.index.name_entry[name_id])
        return self.index.entries[position].kind == VESSEL_KIND

    def _below(
        self,
        asked: NormalizedName,
        exact: list[ExactWords],
        name_id: int,
        floor: float,
    ) -> bool:
        """Whether listed person ``name_id`` scores below ``floor`` against the
        query's person form ``asked`` by the person rules, known from a bound
        (``bounds.exact_bound``) without scoring it.

        Only for two names compared letter for letter (a query in Chinese or
        Hangul script against the lists' Latin letters, most of them no
        match): there a word pairs only with a word of its key, so words of
        the two names that share no key bound the score. ``exact`` holds
        ``asked``'s words as the bound reads them once made (one query, many
        listed names); the listed names' are kept for the index's life.
        """
        listed = self.index.name_norm[name_id]
        if not letter_for_letter(asked.script, listed.script):
            return False
        if not exact:
            exact.append(ExactWords.of(asked.tokens, self.index.weight))
        words = self._exact.get(name_id)
        if words is None:
            words = self._exact[name_id] = ExactWords.of(
                listed.tokens, self.index.weight
            )
        return below_floor(exact_bound(exact[0], words), floor)

    def _inert_number(self, query: NormalizedName) -> str | None:
        """The number of ``query`` that no listed organisation's word can be
        like, when it is the query's only word that is not letters; else None.

        A number of three digits or more, not starting with 0 (so its value is
        100 or more, no series number: ``companies.series_numbers``), that no
        listed name holds (so it weighs the unknown weight), written once. Against
        a listed name whose words are all letters, every company rule and feature
        reads such a number only by being digits and by its length: no rule finds
        it like a word of letters, nor joined to one beyond the typos allowed
        (``tokens.apart``, ``features._merged``), its characters agree with none
        of the listed name's in the character ratio, and words sorted put it
        first. So two such numbers of one length score alike, the one named
        where the other is in the explanations (``_numbered_score``).
        """
        number = ""
        for word in query.tokens:
            if not word.isalpha():
                if number or not word.isdigit() or not word.isascii():
                    return None
                number = word
        if (
            len(number) < 3
            or number[0] == "0"
            or number in self.index.idf
            or number in self.index.postings
            or not all(form.isalpha() for form in query.org_forms)
            or sum(1 for word in query.written if not word.isalpha())
            > (number in query.written)
        ):
            return None
        return number

    def _numbered_score(
        self,
        query: NormalizedName,
        name_id: int,
        number: str,
        shape: tuple[object, ...] | None = None,
    ) -> _Scored:
        """``score(query, name_id)`` for a listed organisation, where ``query``
        holds an inert ``number`` (``_inert_number``): remembered by the query
        with the number left out and its length, so the same name with another
        number of that length ("Acme Trading 123456", "Acme Trading 234567", as
        a large batch's names often differ) takes the score made for the first,
        the number in the explanations written as this query's. A listed name
        holding a digit, or explanations where the number's digits stand
        elsewhere than in its own note, are scored in full each time.
        ``shape`` is ``_numbered_shape(query, number)`` when the caller has
        made it once for all the names the query is scored against."""
        if self._holds_digit(name_id):
            return self.score(query, name_id)
        if shape is None:
            shape = _numbered_shape(query, number)
        return self._remembered(
            (shape, name_id), number, lambda: self.score(query, name_id)
        )

    def _numbered_person_score(
        self, asked: NormalizedName, name_id: int, number: str
    ) -> _Scored:
        """``score`` of listed person ``name_id`` against a query holding an
        inert ``number`` (``_inert_number``), ``asked`` its person form:
        remembered as ``_numbered_score`` remembers an organisation's, by the
        person form with the number left out and its length.

        The person rules read such a number only by being digits and by its
        length. It weighs the unknown weight wherever it stands; it pairs with
        no word of a listed name whose words are all letters (``_one_to_one``
        compares a number with the words not all letters, ``tokens.apart``);
        written together with a word it stands for no word of letters
        (``features._joins``); in the whole name written as one word it is
        compared letter by letter (``tokens.token_similarity``, the compact
        similarity), where no digit equals a letter, so only its length counts;
        and no name table (variants, nicknames, devotional names, patronymics,
        articles, the census shares) holds a word with a digit
        (``tests/screening/test_numbers.py`` holds the remembered scores to
        scores made in full, numbers of repeated digits among them).

        A listed name holding a digit, or a query in Arabic script (whose
        listed matches are read through the lists' common words,
        ``_listed_common``), is scored in full.
        """
        if asked.script == "abjad" or self._holds_digit(name_id):
            return self.score(asked, name_id, asked)
        key = (_person_shape(asked, number), name_id)
        return self._remembered(key, number, lambda: self.score(asked, name_id, asked))

    def _holds_digit(self, name_id: int) -> bool:
        """Whether a word of listed name ``name_id`` is not letters alone:
        a number of the query may then be like it by its value."""
        digits = self._digits.get(name_id)
        if digits is None:
            listed = self.index.name_norm[name_id]
            digits = self._digits[name_id] = not all(
                word.isalpha() for word in (*listed.tokens, *listed.org_forms)
            )
        return digits

    def _remembered(
        self, key: tuple[object, ...], number: str, scored: Callable[[], _Scored]
    ) -> _Scored:
        """The score remembered by ``key`` for a query with another number of
        this one's length, its explanations written with ``number``; else
        ``scored()``, remembered when ``number`` stands in its explanations
        only as its own note (so that another number can be written there)."""
        found = self._numbered.find(key, self.NUMBERED_CACHE)
        if found is not None:
            total, features, seen = found
            return total, _renumbered(features, seen, number)
        total, features = scored()
        if all(_only_in_notes(f.detail, number) for f in features):
            self._numbered.keep(key, (total, features, number), self.NUMBERED_CACHE)
        return total, features

    def compare_normalized(
        self,
        query: NormalizedName,
        candidate: NormalizedName,
        person: bool,
        asked: NormalizedName | None = None,
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """Score two normalized names: by the person rules or the company rules.

        A listed person is compared word for word, titles dropped and no word
        taken for a company form (``person_alignment``); anything else by
        ``token_alignment`` and ``sequence`` with company forms set aside.
        ``asked``, when given, is ``person_form(query)`` made by the caller once
        for all the names a query is compared with.
        """
        if person:
            if asked is None:
                asked = person_form(query)
            found = _person_guards(
                asked, candidate, person_alignment(asked, candidate, self.index.weight)
            )
            if asked.script == candidate.script == "abjad":
                found = self._listed_common(asked, candidate, found)
            return found.score, (found,)
        return self._compare_organisation(query, candidate)

    def _compare_organisation(
        self,
        query: NormalizedName,
        candidate: NormalizedName,
        name_id: int | None = None,
        floor: float = 0.0,
        person: bool = False,
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """A listed organisation: ``token_alignment`` and ``sequence`` once the
        company rules (``companies.py``) have set aside what names no company.
        ``person``: the query is written as a person's name in Chinese or
        Hangul (``guards.written_as_person``: "想 贺"), not read as a trade name
        alone (``_brand_alone``).

        When the rules leave the listed name as it is (most pairs) and it is an
        indexed name (``name_id``), its query-independent parts are the ones made
        once (``listed_forms``); the score is the same. Two names compared
        letter for letter (one in Chinese or Hangul script) whose words bound
        the score below ``floor`` (``_organisation_bound``) are not compared:
        0.0 and no features.
        """
        q, c, light, rules = companies.prepared(query, candidate, self.rare)
        # the trade name as the query writes it, before any vowel is read
        # another way (``companies.brand_alone`` reads words as written)
        brand = q
        q, vowels = companies.vowel_variants(q, c)
        if vowels:
            rules.append(
                f"vowels written another way: {', '.join(vowels)} "
                f"(x{companies.VOWEL_VARIANT})"
            )
        listed: NormalizedName | ListedForms = c
        if name_id is not None and c == candidate:
            listed = self.listed_forms(name_id)
        weigh = companies.weigher(self.index.weight, light)
        fuzzy = not letter_for_letter(query.script, candidate.script)
        # a trade name alone may be read as such (``companies.brand_alone``):
        # written in Latin letters, or in Chinese or Hangul script against a
        # name in Latin letters, its syllables joined as the lists write them
        syllabic = query.script == "syllabic" and not candidate.script and not person
        trade_name = (fuzzy and not query.script) or syllabic
        alone: str | None = None  # asked once, when first needed
        if (
            not fuzzy
            and floor > 0.0
            and below_floor(self._organisation_bound(q, listed, weigh), floor)
        ):
            if not (syllabic and floor <= companies.BRAND_ALONE):
                return _UNSCORED
            alone = self._brand_alone(brand, c, syllabic)
            if not alone:
                return _UNSCORED
        words = token_alignment(
            q, listed, weigh, fuzzy, companies.names_organisation(query)
        )
        scored = (
            words,
            companies.with_forms(
                q,
                c,
                words,
                sequence(
                    companies.without(q, light),
                    # the kept sorted text when no word is set apart
                    companies.without(c, light) if light or listed is c else listed,
                ),
            ),
        )
        total = sum(self.weights[f.name] * f.score for f in scored)
        total /= sum(self.weights.values())
        if total < scored[0].score and companies.one_word_apart(q.tokens, c.tokens):
            # the letters the word pair already paid for are not counted again
            total = scored[0].score
            rules.append("one word apart: its letters not counted again")
        if vowels:
            total *= companies.VOWEL_VARIANT
        if trade_name and total < companies.BRAND_ALONE:
            if alone is None:
                alone = self._brand_alone(brand, c, syllabic)
            if alone:
                total = companies.BRAND_ALONE
                rules.append(alone)
        if total > companies.FORM_KINDS_CAP:
            kinds = companies.form_kinds(query.org_forms, candidate.org_forms)
            if kinds:
                total = companies.FORM_KINDS_CAP
                rules.append(kinds)
        if total > companies.SHORT_NAME_CAP:
            short = companies.short_name_typo(q.tokens, c.tokens)
            if short:
                total = companies.SHORT_NAME_CAP
                rules.append(short)
        notes = (
            (FeatureResult("company_rules", 1.0, "; ".join(rules)),) if rules else ()
        )
        if query.script == "abjad" and not candidate.script and total < ABJAD:
            found = abjad_organisation(
                person_form(query).tokens, person_form(candidate).tokens, weigh
            )
            if found.score > total:
                return found.score, (found, *notes)
        return total, (
            *scored,
            org_forms(query, candidate),
            *notes,
        )

    def _brand_alone(
        self, query: NormalizedName, candidate: NormalizedName, syllabic: bool
    ) -> str:
        """``companies.brand_alone``'s note for a trade name screened alone,
        a name in Chinese or Hangul script (``syllabic``) read with its
        syllables joined as ``candidate`` writes them ("智谱", zhi pu, as
        "zhipu": ``companies.syllables_joined``)."""
        if syllabic:
            query = companies.syllables_joined(query, candidate)
        return companies.brand_alone(query, candidate, self.few_names)

    def _organisation_bound(
        self,
        query: NormalizedName,
        listed: NormalizedName | ListedForms,
        weigh: Callable[[str], float],
    ) -> float:
        """At least the total ``_compare_organisation`` gives two names
        compared letter for letter, ``query`` and ``listed`` as the company
        rules left them, from the words alone (``bounds.alignment_bound``).

        The total is the weighted mean of the word alignment and the character
        ratio (with or without forms, at most 1), or the word alignment itself
        (one word apart), then lowered for vowels; so with the ratio taken at 1
        and no weight below 0, the alignment's bound bounds it (1.0 when a
        weight is below 0). A trade name alone (``_brand_alone``), which may
        raise the total to 0.85 whatever its words, is asked apart.
        """
        weights = self.weights
        if any(weight < 0 for weight in weights.values()):
            return 1.0
        if not isinstance(listed, ListedForms):
            listed = ListedForms.of(listed)
        words = alignment_bound(query, listed, weigh)
        total, own = sum(weights.values()), weights.get("token_alignment", 0.0)
        mean = (own * words + total - own) / total if total else words
        return max(mean, words)

    def rare(self, word: str) -> bool:
        """Whether ``word`` is in at most ``RARE_NAMES`` listed names (a word
        of a name that stands alone for a company: ``companies.place_extras``)."""
        return self._in_at_most(word, self.RARE_NAMES)

    def few_names(self, word: str) -> bool:
        """Whether ``word`` is in at most ``BRAND_NAMES`` listed names (a trade
        name, not a word of many companies' names: ``companies.brand_alone``)."""
        return self._in_at_most(word, self.BRAND_NAMES)

    def _in_at_most(self, word: str, names: int) -> bool:
        """Whether ``word`` is in at most ``names`` listed names (none: not
        listed)."""
        postings = self.index.postings.get(word)
        return postings is None or len(postings) <= names

    @cached_property
    def abjad_counts(self) -> Counter[str]:
        """Word counts of the listed Arabic-script person names, counted when the
        first two Arabic-script names meet (most batches never need them)."""
        return _abjad_counts(self.index)

    def _listed_common(
        self, query: NormalizedName, candidate: NormalizedName, found: FeatureResult
    ) -> FeatureResult:
        """Two names in Arabic script, the shorter found whole in the longer: capped
        when the shorter is common among the listed Arabic-script names (the
        population table knows no Arabic names; ``guards.common_in_lists``)."""
        counts = self.abjad_counts
        short, long_ = sorted((query.tokens, candidate.tokens), key=len)
        if len(short) == len(long_) or not set(short) <= set(long_):
            return found
        expected = common_in_lists(short, counts)
        if expected < LISTED_COMMON:
            return found
        return _capped(
            found,
            COMMON_CAP,
            f"'{' '.join(short)}' is common among the listed Arabic-script names "
            f"(about {expected:.1f} would bear it by chance)",
        )

    def compare(self, query: str, listed: str, person: bool) -> float:
        """Score of ``query`` against one name, as if ``listed`` were on a list.

        Used to measure the rules on labelled name pairs; the index supplies only
        the word weights. Rounded to four places, as ``Match.score`` is.
        """
        candidates = [normalize_person(listed) if person else normalize(listed)]
        if not person:  # indexed as the index indexes it
            candidates += [form for form, _ in companies.written_variants(listed)]
        best = max(
            self.compare_normalized(form, candidate, person)[0]
            for form, _ in self.forms(query)
            for candidate in candidates
        )
        if person:
            best = self._as_written(query, listed, best, ())[0]
            best = self._by_letters(arabic_words(query), candidates[0], best, ())[0]
            if candidates[0].script == "abjad" and not abjad(query):
                best = self._by_letters(
                    arabic_words(listed), normalize_person(query), best, (), True
                )[0]
        # as a match reports it (``Match.score``): 0.9 computed as 0.8999999...
        # is 0.9 on the screen and here
        return round(best, SCORE_DIGITS)

    def _as_written(
        self,
        query: str,
        listed: str,
        total: float,
        features: tuple[FeatureResult, ...],
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """The better of a person score and the comparison of both names as
        written, when they share an alphabet other than Latin
        (``features.written_alignment``)."""
        found = written_alignment(query, listed, self.index.weight)
        if found is None or found.score <= total:
            return total, features
        return found.score, (found,)

    def _letters(
        self,
        letters: tuple[str, ...],
        asked: NormalizedName,
        name_id: int,
        total: float,
        features: tuple[FeatureResult, ...],
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """A listed person against a query, one of them in Arabic script and the
        other in Latin letters, read letter by letter (``_by_letters``)."""
        listed = self.index.name_norm[name_id]
        if letters:  # read from the query as written (a reading has none)
            return self._by_letters(letters, listed, total, features)
        if listed.script == "abjad" and not asked.script:
            words = arabic_words(self.index.name_text[name_id])
            return self._by_letters(words, asked, total, features, True)
        return total, features

    def _by_letters(
        self,
        words: tuple[str, ...],
        listed: NormalizedName,
        total: float,
        features: tuple[FeatureResult, ...],
        listed_side: bool = False,
    ) -> tuple[float, tuple[FeatureResult, ...]]:
        """The better of a person score and an Arabic-script name read letter
        by letter as a foreign name (``features.letters_alignment``): the
        query's against ``listed``, or with ``listed_side`` the listed name's
        ``words`` against the query ``listed``."""
        found = letters_alignment(words, listed, self.index.weight, listed_side)
        if found is None or found.score <= total:
            return total, features
        return found.score, (found,)

    def match(self, name: str, query_country: str | None, floor: float) -> list[Match]:
        """Every entry matching ``name`` at ``floor`` or above, best first.

        One entry matched through several of its names counts once, with its best.
        """
        steps = self._match_steps(name, query_country, floor)
        try:
            plan = next(steps)
            while True:
                self._answered(plan)
                plan = steps.send(None)
        except StopIteration as done:
            matches: list[Match] = done.value
            return matches

    def match_many(
        self, names: Sequence[tuple[str, str | None]], floor: float
    ) -> list[list[Match]]:
        """``match(name, country, floor)`` of each of ``names``, the same
        matches, with the rankings of their query forms made together.

        Each name is matched up to the ranking of its first query form; the
        rankings all names ask for are made at once (``_settle``), each name's
        candidates are scored in the names' order, and so on for their further
        forms. A name whose form another name before it is matching (the short
        name "Acme Co." of "Acme Co., Ltd. 123456" and "Acme Co., Ltd. 234567")
        waits for it and finds its matches remembered (``_form_steps``), as it
        would one by one.
        """
        done: list[list[Match]] = [[] for _ in names]
        flight: set[tuple[object, ...]] = set()
        waiting: list[tuple[int, _Steps[list[Match]], _Plan]] = []

        def advance(at: int, steps: _Steps[list[Match]], started: bool) -> None:
            try:
                plan = steps.send(None) if started else next(steps)
            except StopIteration as finished:
                done[at] = finished.value
            else:
                waiting.append((at, steps, plan))

        for at, (name, where) in enumerate(names):
            advance(at, self._match_steps(name, where, floor, flight), False)
        while waiting:
            current, waiting = waiting, []
            self._settle([plan for _, _, plan in current])
            for at, steps, _ in current:
                advance(at, steps, True)
        return done

    def _match_steps(
        self,
        name: str,
        query_country: str | None,
        floor: float,
        flight: set[tuple[object, ...]] | None = None,
    ) -> _Steps[list[Match]]:
        """``match``, yielding each ranking it needs (``_Plan``) to its caller,
        which makes it before the name's matching goes on (``match``,
        ``match_many``); ``flight`` holds the query forms being matched by the
        names of a ``match_many`` (``_form_steps``)."""
        best: dict[int, Match] = {}
        person = written_as_person(name)
        # a name in an alphabet other than Latin is also compared as written,
        # one in Arabic script also read letter by letter
        written = name if written_words(name)[0] else ""
        letters = arabic_words(name) if abjad(name) else ()
        for query, reading in self.forms(name):
            found = yield from self._form_steps(
                query, reading, query_country, floor, person, written, letters, flight
            )
            for position, total, match in found:
                if position not in best or best[position].score < total:
                    best[position] = match
        return sorted(best.values(), key=_rank)

    def forms(self, name: str) -> list[tuple[NormalizedName, str]]:
        """``query_forms``, and the name read backwards when only its words
        turned round are listed words (``turned_words``).

        A name that is letters and signs in ASCII, then a number after one
        space ("Acme Trading Co., Ltd. 123456", as a register numbers its
        rows), takes the forms made for the same name with another number of
        that length, that number written where it stood
        (``_numbered_forms``): reading and normalizing the name again for
        each of its repeats was two fifths of such a row's time.
        """
        numbered = _NUMBERED_NAME.fullmatch(name)
        if numbered is None:
            return self._forms_of(name)
        head, number = numbered.groups()
        key = (head, len(number))
        kept = self._numbered_forms.find(key, self.RANKED_CACHE)
        if kept is None:
            forms = self._forms_of(name)
            seen = number if _renumberable(forms, number) else ""
            self._numbered_forms.keep(key, (seen, tuple(forms)), self.RANKED_CACHE)
            return forms
        seen, made = kept
        if not seen:  # a number stands elsewhere in a form: made each time
            return self._forms_of(name)
        return [_form_renumbered(form, seen, number) for form in made]

    def _forms_of(self, name: str) -> list[tuple[NormalizedName, str]]:
        """``forms``, made."""
        forms = query_forms(name)
        turned = turned_words(forms[0][0].tokens, self.index.postings)
        if turned:
            forms.append(
                (
                    normalize(turned),
                    f"written backwards, read as '{turned}' (turned_words)",
                )
            )
        return forms

    def _form_steps(
        self,
        query: NormalizedName,
        reading: str,
        query_country: str | None,
        floor: float,
        person: bool,
        written: str,
        letters: tuple[str, ...],
        flight: set[tuple[object, ...]] | None = None,
    ) -> _Steps[tuple[_Found, ...]]:
        """``_matched_steps`` for one query form, remembered for a form read
        off the name (``reading``) that holds no digit.

        Such a form (the short name of "Acme Co., Ltd. 123456" read as "Acme
        Co.", a name's parts) is the same for every number a batch appends to
        the name, and for the name without one; its matches follow from the
        form, the reading, the country, the floor and the settings alone (the
        name as written, ``written``, is read only for the form without a
        reading). Remembered like the rankings (two generations), it is matched
        once, not once for each of the name's repeats. Forms holding a digit
        (or anything but letters) are met once in a numbered batch and are not
        remembered.

        In a ``match_many``, a form that a name before this one is matching (in
        ``flight``) waits a round (a plan that asks nothing), or as many as
        that name's rankings take: it has then remembered its matches, found
        here as one by one.
        """
        if not reading or not _letters_only(query):
            return (
                yield from self._matched_steps(
                    query, reading, query_country, floor, person, written, letters
                )
            )
        key = (
            query,
            reading,
            query_country,
            floor,
            person,
            letters,
            self.common,
            self.subset,
            self.candidates,
            self.PRUNE_MARGIN,
            tuple(self.weights.items()),
        )
        found = self._forms.find(key, self.FORM_CACHE)
        while found is None and flight is not None and key in flight:
            # the name matching it may need more than one ranking (a deeper
            # one: ``DEEPEN_TAIL``), a round each
            yield _Plan(None)
            found = self._forms.find(key, self.FORM_CACHE)
        if found is None:
            if flight is not None:
                flight.add(key)
            found = yield from self._matched_steps(
                query, reading, query_country, floor, person, written, letters
            )
            self._forms.keep(key, found, self.FORM_CACHE)
            if flight is not None:
                flight.discard(key)
        return found

    def _matched_steps(
        self,
        query: NormalizedName,
        reading: str,
        query_country: str | None,
        floor: float,
        person: bool = False,
        written: str = "",
        letters: tuple[str, ...] = (),
    ) -> _Steps[tuple[_Found, ...]]:
        """Each match of one query form at ``floor`` or above, in the order its
        names were retrieved, with its entry's position and unrounded score
        (``match`` keeps each entry's best). The form's ranking, when it is
        not remembered, is yielded to be made (``_match_steps``)."""
        if not query.tokens:
            return ()
        found: list[_Found] = []
        number = self._inert_number(query)
        shape = None if number is None else _numbered_shape(query, number)
        read = None
        if number is not None and shape is not None and query.script != "abjad":
            read = self._numbered_query(query, number, shape)
        form = _Form(
            query,
            reading,
            query_country,
            floor,
            person,
            written,
            letters,
            person_form(query) if read is None else read[1],
            number,
            shape,
            is_vessel_reading(reading),
        )
        asked = form.asked
        known = None if read is None else read[0]
        limit = self.candidates
        plan = self._plan(query, asked, floor, number, limit, known)
        if plan.found is None:
            yield plan
        ranking = self._answered(plan)
        start = 0
        while True:
            last = -1  # the place in the ranking of this round's last match
            for at, name_id in enumerate(ranking[start:], start):
                match = self._scored_match(form, name_id)
                if match is not None:
                    found.append(match)
                    last = at
            # a match among the last names of a full ranking: the names past
            # it may match too (``DEEPEN_TAIL``)
            tail = len(ranking) - self.DEEPEN_TAIL
            if len(ranking) < limit or limit >= self.DEEPEN_LIMIT or last < tail:
                break
            start, limit = len(ranking), limit * 2
            plan = self._plan(query, asked, floor, number, limit, known)
            if plan.found is None:
                yield plan
            ranking = self._answered(plan)
        return tuple(found)

    def _scored_match(self, form: _Form, name_id: int) -> _Found | None:
        """One retrieved name of ``_matched_steps`` scored against ``form``:
        its entry's position, the unrounded score and the match, or None below
        the form's floor."""
        query, reading, floor, asked = form.query, form.reading, form.floor, form.asked
        number, shape, written = form.number, form.shape, form.written
        if form.vessel and not self._is_vessel(name_id):
            return None  # a ship's name after its prefix names no other party
        if self.index.name_person[name_id] and self._below(
            asked, form.exact, name_id, floor
        ):
            # below the floor whatever the person rules say: only a
            # comparison below (as written, letter by letter) can still
            # reach it, and it replaces any score under the floor
            total, features = _UNSCORED
        elif number is None:
            total, features = self.score(query, name_id, asked, floor, form.person)
        elif self.index.name_person[name_id]:
            total, features = self._numbered_person_score(asked, name_id, number)
        else:
            assert shape is not None  # made with the number
            total, features = self._numbered_score(query, name_id, number, shape)
        if written and not reading and self.index.name_person[name_id]:
            total, features = self._as_written(
                written, self.index.name_text[name_id], total, features
            )
        if (
            form.letters or self.index.name_norm[name_id].script == "abjad"
        ) and self.index.name_person[name_id]:
            # one of the two in Arabic script, the other in Latin letters
            total, features = self._letters(
                form.letters, asked, name_id, total, features
            )
        if form.person and not self.index.name_person[name_id]:
            total, features = _not_a_person(total, features)
        if reading:
            features = (FeatureResult("reading", 1.0, reading), *features)
        if round(total, SCORE_DIGITS) < floor:
            # the floor as the match reports its score (``rounded_floor``):
            # a score of 0.8 in exact arithmetic is computed 0.79999... or
            # 0.80000... as the words' weights fall, and is 0.80 either way
            return None
        position = int(self.index.name_entry[name_id])
        entry = self.index.entries[position]
        match = Match(
            entry=entry,
            matched_name=self.index.name_text[name_id],
            alias=bool(self.index.name_kind[name_id]),
            score=round(total, SCORE_DIGITS),
            features=(*features, country(form.country, entry.countries)),
        )
        return position, total, match


# A posting's word and its weight (``Posting``).
_WORD, _WEIGHT = itemgetter(2), itemgetter(1)


@dataclass(slots=True)
class _Form:
    """One query form as ``NameMatcher._matched_steps`` scores each name
    retrieved for it (``_scored_match``): the form, how it was read off the
    name, the query's country, the floor, whether the name is written as a
    person's, the name as written and letter by letter (see ``_match_steps``),
    the form's person form (``person_form``), its inert number and the shape
    the number's organisation scores are remembered by (``_numbered_shape``),
    whether it is a ship's name read after its prefix (matched against listed
    vessels only, ``vessels``), and the person form as ``_below`` reads it,
    made when first needed."""

    query: NormalizedName
    reading: str
    country: str | None
    floor: float
    person: bool
    written: str
    letters: tuple[str, ...]
    asked: NormalizedName
    number: str | None
    shape: tuple[object, ...] | None
    vessel: bool = False
    exact: list[ExactWords] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Numbered:
    """What ``NameMatcher._numbered_query`` keeps of a query with an inert
    number: the number it was made with, the query's person form, the two
    forms' words with the number left out, the query weight and the words
    beside the number the weight reads (``_beside``)."""

    number: str
    asked: NormalizedName
    left_out: tuple[tuple[str, ...], tuple[str, ...]]
    weight: float
    beside: tuple[tuple[str, str], ...]


def _only_number(words: tuple[str, ...], number: str) -> bool:
    """Whether every word of ``words`` holding a digit is ``number``."""
    return all(word == number or not _DIGIT_RUN.search(word) for word in words)


def _beside(words: tuple[str, ...], number: str) -> tuple[tuple[str, str], ...]:
    """Each word next to ``number`` in ``words``, as the text before and
    after the number when the two are written together."""
    return tuple(
        (a, "") if b == number else ("", b)
        for a, b in pairwise(words)
        if number in (a, b)
    )


@dataclass(slots=True)
class _Plan:
    """A ranking of ``NameMatcher._retrieve``: ``found``, or made from
    ``request`` (``NameMatcher._settle``) and then remembered by each of
    ``keys`` (a memo and the key it is kept by there). A plan with neither
    asks nothing: its query form waits a round (``_form_steps``)."""

    found: list[int] | None
    request: RankRequest | None = None
    keys: list[
        tuple[Generations[tuple[object, ...], list[int]], tuple[object, ...]]
    ] = field(default_factory=list)


# A matching that yields each ranking it needs to be made (``_Plan``), then
# gives what it found.
R = TypeVar("R")
_Steps = Generator[_Plan, None, R]
# A match of one query form: its entry's position, its unrounded score, itself.
_Found = tuple[int, float, Match]
# A score: the total and the features; remembered with the number it names.
_Scored = tuple[float, tuple[FeatureResult, ...]]
_Kept = tuple[float, tuple[FeatureResult, ...], str]
# The score of a name known below a floor above 0 without scoring it (``_below``).
_UNSCORED: _Scored = (0.0, ())


# A name ``NameMatcher.forms`` reads once for all the numbers it is written
# with: ASCII letters, spaces and signs, no digit, not ending in a space; then
# one space and a number of three digits or more, not starting with 0.
#
# Why the forms of such a name follow from those of the name with another
# number of the same length (``_form_renumbered``): every rule that makes the
# forms reads such a number as a word of digits and by its length, never by
# its value. Normalizing keeps it as a word of its own (``to_ascii`` only
# drops signs; no abbreviation, company form, residual word or pinyin form is
# a word of three digits; ``_numbers`` reads a number of one or two digits
# and ordinals with a suffix only; a word of ten characters or more is
# respelt as the long company form it is a typo of, and a word of digits is
# as many edits from any form as it has digits); the readings of a name
# (``companies.written_variants``, ``named_parts``, ``read_words``,
# ``branch_readings``, Wade-Giles, ``surname_last``, the letters spaced or
# written together, ``turned_words``) look for letters, signs and listed
# words, find a digit only as a digit (an address's number, a word not
# letters) and copy the number as written; the readings of other scripts
# read no ASCII name. The name before the number holds no digit, so in the
# forms made every run of digits is the number: checked when they are kept
# (``_renumberable``), and writing another number in its place gives the
# forms that name makes (tests/screening/test_numbered_forms.py holds the
# two equal).
_NUMBERED_NAME = re.compile(
    r"([\x20-\x2f\x3a-\x7e]*[\x21-\x2f\x3a-\x7e]) ([1-9][0-9]{2,})"
)
_DIGIT_RUN = re.compile(r"\d+")


def _renumberable(forms: Sequence[tuple[NormalizedName, str]], number: str) -> bool:
    """Whether every digit in ``forms`` stands in ``number`` written whole:
    as a word of its own in a form's words, inside the text of its reading."""
    for query, reading in forms:
        for words in (query.tokens, query.org_forms, query.written, query.places):
            for word in words:
                if word != number and _DIGIT_RUN.search(word):
                    return False
        if any(run != number for run in _DIGIT_RUN.findall(reading)):
            return False
    return True


def _form_renumbered(
    form: tuple[NormalizedName, str], seen: str, number: str
) -> tuple[NormalizedName, str]:
    """A query form made for a name ending in ``seen`` as made for the name
    ending in ``number`` instead (``NameMatcher.forms``)."""
    query, reading = form
    if seen == number:
        return form

    def swapped(words: tuple[str, ...]) -> tuple[str, ...]:
        if seen not in words:
            return words
        return tuple(number if word == seen else word for word in words)

    return (
        NormalizedName(
            swapped(query.tokens),
            swapped(query.org_forms),
            swapped(query.written),
            query.script,
            swapped(query.places),
        ),
        reading.replace(seen, number),
    )


def _number_left_out(words: Sequence[str], number: str) -> tuple[str, ...]:
    """``words`` with each that is ``number`` left empty, in its place: what a
    shape keeps of a query whose inert number no rule reads by its value."""
    return tuple(word if word != number else "" for word in words)


def _numbered_shape(query: NormalizedName, number: str) -> tuple[object, ...]:
    """Everything of ``query`` a listed organisation's score reads, once its
    inert ``number`` (``NameMatcher._inert_number``) is known: the query with
    the number left out and the number's length (``_numbered_score``)."""
    return (
        _number_left_out(query.tokens, number),
        query.org_forms,
        _number_left_out(query.written, number),
        query.script,
        query.places,
        len(number),
    )


def _person_shape(asked: NormalizedName, number: str) -> tuple[object, ...]:
    """Everything of a query's person form ``asked`` the person rules read,
    once its inert ``number`` is known: its words with the number left out,
    its script and the number's length (``_numbered_person_score``)."""
    return (
        "person",
        _number_left_out(asked.tokens, number),
        asked.script,
        len(number),
    )


def _letters_only(query: NormalizedName) -> bool:
    """Whether the words of ``query`` as written are letters alone (no digit:
    its tokens are those words, or some of them)."""
    return "".join(query.full).isalpha()


def _unmatched(number: str) -> str:
    """The note ``token_alignment`` writes for a word no listed word is like."""
    return f"{number} unmatched"


def _only_in_notes(detail: str, number: str) -> bool:
    """Whether ``number`` stands in ``detail`` only as its own note ("123456
    unmatched"), so that writing another number there gives that number's."""
    return detail.count(number) == detail.count(_unmatched(number))


def _renumbered(
    features: tuple[FeatureResult, ...], seen: str, number: str
) -> tuple[FeatureResult, ...]:
    """``features`` made for a query holding ``seen``, as made for ``number``."""
    if seen == number:
        return features
    old, new = _unmatched(seen), _unmatched(number)
    return tuple(
        FeatureResult(f.name, f.score, f.detail.replace(old, new))
        if old in f.detail
        else f
        for f in features
    )


def _resplit(a: str, b: str, vocabulary: Mapping[str, object]) -> tuple[str, ...]:
    """Two adjacent words split again elsewhere into two listed words ("myongc
    hin" is "myong chin" with the space moved), or nothing. Only tried when one
    of the two is no listed word (else the words as written are likelier)."""
    if a in vocabulary and b in vocabulary:
        return ()
    joined = a + b
    for cut in range(2, len(joined) - 1):
        left = joined[:cut]
        if left != a and left in vocabulary:
            right = joined[cut:]
            if right in vocabulary:
                return left, right
    return ()


def joined_weight(
    tokens: Sequence[str], weigh: Callable[[str], float], idf: Mapping[str, float]
) -> float:
    """The lightest weight of ``tokens`` read word by word, where each two
    adjacent words written together as a listed word (``idf``) may count as
    that word, once, instead of as the two.

    Summed in the words' order (the same double in every run), each word
    counted where it stands, so a word written twice counts twice; the caller
    takes the lighter of this and the distinct words' sum.

    >>> weights = {"zhi": 5.0, "pu": 6.0, "da": 2.0, "lian": 3.0}
    >>> joined_weight(["zhi", "pu"], weights.__getitem__, {"zhipu": 8.0})
    8.0
    >>> joined_weight(["da", "lian"], weights.__getitem__, {"dalian": 9.0})
    5.0
    """
    best = [0.0] * (len(tokens) + 1)
    for i, token in enumerate(tokens, 1):
        best[i] = best[i - 1] + weigh(token)
        if i > 1 and (joined := tokens[i - 2] + token) in idf:
            best[i] = min(best[i], best[i - 2] + idf[joined])
    return best[-1]


def _abjad_counts(index: ScreeningIndex) -> Counter[str]:
    """How many listed persons' names in Arabic script hold each word (the total
    under the empty key)."""
    counts: Counter[str] = Counter()
    for norm, person in zip(index.name_norm, index.name_person, strict=True):
        if person and norm.script == "abjad":
            counts.update(set(norm.tokens))
            counts[""] += 1
    return counts


def _capped(found: FeatureResult, cap: float, why: str) -> FeatureResult:
    """``found`` with its score lowered to ``cap`` and the reason added."""
    if found.score <= cap:
        return found
    return FeatureResult(found.name, cap, f"{found.detail}; {why}, capped at {cap}")


def _person_guards(
    query: NormalizedName, candidate: NormalizedName, found: FeatureResult
) -> FeatureResult:
    """The person score once the acceptance guards (``guards.py``) have spoken."""
    if compound_alone(query.tokens, candidate.tokens):
        found = _capped(found, SINGLE_WORD_CAP, "one compound given name alone")
    return found


def _not_a_person(
    total: float, features: tuple[FeatureResult, ...]
) -> tuple[float, tuple[FeatureResult, ...]]:
    """A person's name written in Chinese or Hangul against a company, vessel or
    aircraft: at most a possible match (``guards.written_as_person``)."""
    if total <= PERSON_SYLLABLES_CAP:
        return total, features
    note = FeatureResult(
        "written_as_person",
        PERSON_SYLLABLES_CAP,
        "a person's name in Chinese or Hangul against a listed name that is not "
        f"a person's, capped at {PERSON_SYLLABLES_CAP}",
    )
    return PERSON_SYLLABLES_CAP, (*features, note)


def _rarest_needed(
    ordered: list[Posting],
    query_weight: float,
    cutoff: float,
) -> tuple[list[Posting], dict[str, float]]:
    """The rarest words a name must share to reach ``cutoff``, and the others.

    A name sharing only words of weight ``R`` with the query scores at most
    ``2R / (query_weight + R)`` on retrieval; words whose combined weight cannot
    reach the cutoff alone need not be looked up in the postings. This keeps the
    long posting lists of common words ("trading", "technology") out of most
    queries without losing any name that could pass the cutoff.

    ``ordered`` are the postings sorted by their numbers of names (stable, as
    ``NameMatcher._request`` sorts them); the needed ones are its first.
    """
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
    """The query as written, its short name in parentheses apart and without an
    address tail (``companies.written_variants``), each organisation it names
    when it joins two (``companies.named_parts``), with its company words read
    as the lists write them (``companies.read_words``), as the company a branch
    or office belongs to (``branches.branch_readings``), a Chinese name with
    the company words the lists also write another way in that English
    (``normalize.chinese_other_reading``), for Hangul also as the
    lists spell Korean names, a Chinese name in Wade-Giles also in pinyin
    (``wadegiles.pinyin_readings``), a name written "SURNAME, Given" also as
    "Given SURNAME" (``surname_last``), a foreign name in katakana without the
    vowels Japanese adds (``scripts.katakana_readings``), a name in a script
    with no reading of its own through the name table
    (``name_groups.script_readings``), a name written
    backwards the right way round (``scripts.written_backwards``), single
    letters spaced apart as one word (``scripts.spaced_letters``), words
    written together in capitals apart (``scripts.camel_words``:
    "HuaweiTechnologies"), dotted initials apart (``scripts.dotted_initials``:
    "Путин В.В."), an Arabic-script "عبد" written together with the name
    after it (``abjad_letters.abd_joined``), and a ship's
    name without its prefix ("MT TIFON" as "TIFON", ``vessels.vessel_name``).

    Each comes with the reading that produced it, for the explanation.
    """
    forms = [
        (normalize(name), ""),
        *companies.written_variants(name),
        *companies.named_parts(name),
        *companies.read_words(name),
        *branch_readings(name),
    ]
    if is_hangul(name):
        seen: set[tuple[str, ...]] = set()
        for spelled in korean_name_forms(name):
            # a spelling the name variants already reach (Lee for Ri) is not
            # looked up again
            key = tuple(name_variant_key(w) or w for w in spelled.split())
            if key in seen:
                continue
            seen.add(key)
            forms.append(
                (
                    replace(normalize(spelled), script="syllabic"),
                    f"Hangul read as '{spelled}' (Korean name spelling)",
                )
            )
    other = chinese_other_reading(name)
    if other is not None:
        forms.append(
            (
                normalize(other),
                f"company words read as the lists also write them: '{other}'",
            )
        )
    pinyin = chinese_in_pinyin(name)
    if pinyin is not None:
        read = to_ascii(pinyin)
        forms.append(
            (
                replace(normalize(pinyin), script="syllabic"),
                f"company words read in pinyin as '{read}' (as some lists write them)",
            )
        )
    forms += [
        (normalize(spelled), f"Wade-Giles read as '{spelled}' (pinyin)")
        for spelled in pinyin_readings(name)
    ]
    forms += [
        (normalize(spelled), f"katakana read as '{spelled}' (a foreign name)")
        for spelled in katakana_readings(name)
    ]
    forms += [
        (normalize(spelled), f"Georgian read as '{spelled}' (nominative -i left out)")
        for spelled in georgian_readings(name)
    ]
    forms += [
        (
            normalize(spelled),
            f"read through the name table as '{spelled}' (name_readings)",
        )
        for spelled in script_readings(name)
    ]
    # "SURNAME, Given" also as "Given SURNAME", as the index reads a listed name
    # so written (``normalize.surname_last``): the person rules read a word's
    # place (``listed_first``, name-part order), and read only as written
    # "SALIM, Ahmad" missed the listed "SALIM, Ahmad Fuad", and the listed
    # "ABDALLAH, Hajji" (the index's "abdallah", its title dropped once turned)
    # met itself at 0.75. Not a name holding a company form ("Acme Trading, Ltd.").
    given_first = surname_last(name)
    if given_first != name and not forms[0][0].org_forms:
        forms.append(
            (normalize(given_first), f"read as '{given_first}' (surname_last)")
        )
    turned = written_backwards(name)
    if turned:
        forms.append((normalize(turned), f"written backwards, read as '{turned}'"))
    joined = spaced_letters(name)
    if joined:
        forms.append(
            (normalize(joined), f"letters spaced apart, read as '{joined}' (spaced)")
        )
    camel = camel_words(name)
    if camel:
        forms.append(
            (
                normalize(camel),
                f"words written together set apart, read as '{camel}' (camel_words)",
            )
        )
    initials = dotted_initials(name)
    if initials and not forms[0][0].org_forms:
        forms.append(
            (
                normalize(initials),
                f"initials set apart, read as '{initials}' (initials)",
            )
        )
    abd = abd_joined(name)
    if abd is not None:
        forms.append((normalize(abd), f"read as '{abd}' ({ABD_JOINED})"))
    ship = vessel_name(name)
    if ship is not None:
        prefix, vessel = ship
        forms.append(
            (
                normalize(vessel),
                f"ship prefix '{prefix}' set apart, read as '{vessel}' "
                f"({VESSEL_PREFIX})",
            )
        )
    return forms
