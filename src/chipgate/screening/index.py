"""The name index: every listed name and alias, normalized, behind an inverted index.

A query never scans the lists. Its words are looked up in a token -> names posting
table; words that are not in the vocabulary are mapped to near vocabulary words
through three small lookup tables (transliteration skeletons, one-deletion variants
for typos, sorted prefixes for abbreviations). Names sharing the rarest words get the
highest retrieval score, and only the best few are scored in full.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from chipgate.screening.abjad_letters import abjad_keys, short_key_words, short_keys
from chipgate.screening.arabic_compounds import LETTER_READINGS
from chipgate.screening.features import (
    ABJAD,
    REARRANGED,
    REARRANGED_MIN,
    SHORT_TYPO,
    article_left_out,
    fold_person,
    shuffle_key,
    transliteration,
)
from chipgate.screening.generations import Generations
from chipgate.screening.korean import korean_spelling, syllable_of
from chipgate.screening.model import ListEntry, ListInfo
from chipgate.screening.name_groups import (
    MIN_LETTERS,
    alias_spellings,
    listed_spellings,
    vocabulary_groups,
)
from chipgate.screening.normalize import (
    NormalizedName,
    name_variants,
    normalize,
    normalize_person,
)
from chipgate.screening.scripts import consonant_key
from chipgate.screening.tokens import (
    MIN_ABBREVIATION,
    SAME_SKELETON,
    allowed_edits,
    skeleton,
    token_similarity,
)

# Name kinds, in order of preference when one entry matches through several names.
PRIMARY, ALIAS = 0, 1
MAX_PREFIX_EXPANSION = 200
EXPANSION_CACHE = 200_000
# What an index memo keeps for a word (``ScreeningIndex._word_kept``).
_Kept = TypeVar("_Kept")

# Letters of a short key (``abjad_letters.short_keys``) whose persons' names an
# Arabic-script word reaches (``ScreeningIndex.short_abjad``). A key of one
# letter ("l": al, ali, el, li, la; "b"; "n") is held by thousands of listed
# names: over the UN list's Arabic-script persons of the tuning half, reading
# them too offered 141 of 158 Latin names against 133 of 158 without them,
# while over yente's unlisted persons in Arabic script (every fourth name)
# the names at review rose to 57 of 1,418, against 38 without them and 23
# before either.
SHORT_POSTING_LETTERS = 2
# Letters of each of the two listed words a query word may write together
# (``ScreeningIndex.split_words``): "jong" + "un" for "jongun", "hua" + "wei".
SPLIT_MIN = 2
# Letters of a query word that may be two listed words of a person's name
# written together in another transliteration ("abubakar" / "Abu Bakr",
# "abdelmalek" / "Abd al-Malik": ``ScreeningIndex.joined_transliterations``),
# as ``features.transliterated_vowels`` reads no shorter word.
JOINED_TRANSLITERATION_MIN = 8
# Numbers whose expansions are remembered apart from the words' (two generations):
# a chunk's name asks for its number's expansion when it is ranked and again
# when it is scored, with the chunk's other names ranked in between.
NUMBER_CACHE = 8_192
# Letters of the longest one-syllable Korean word looked up in the other
# Korea's spellings ("young", "kyung"; ``korean.syllable_of`` reads up to 7).
KOREAN_SYLLABLE = 6

# The names holding a word, the word's weight for the query, and the word.
Posting = tuple[npt.NDArray[np.int32], float, str]
# A remembered expansion: the words, their postings, and each posting's size.
Expansion = tuple[list[tuple[str, float]], tuple[Posting, ...], tuple[int, ...]]


# The lookup tables cut down to numbers (``ScreeningIndex._number_tables``).
NumberTables = tuple[
    dict[str, npt.NDArray[np.int32]],
    dict[str, tuple[str, ...]],
    dict[str, tuple[str, ...]],
    list[str],
]


def _number(word: str) -> bool:
    """Whether ``word`` is written in the digits 0-9 only."""
    return word.isdecimal() and word.isascii()


def deletions(token: str) -> Iterator[str]:
    """Every form of ``token`` with one letter left out."""
    for i in range(len(token)):
        yield token[:i] + token[i + 1 :]


@dataclass
class ScreeningIndex:
    """Entries, their indexed names and the lookup tables over the names' words.

    Attributes:
        infos: which list files (by hash) the index was built from.
        entries: every list entry, as parsed.
        name_entry: for each indexed name, the position of its entry.
        name_text: for each indexed name, the name as listed.
        name_kind: PRIMARY or ALIAS.
        name_person: whether the name is compared as a person's (see ``is_person``).
        name_norm: for each indexed name, its normalized form.
        name_weight: for each indexed name, the summed weight of its words.
        postings: word -> ids of the names that contain it.
        idf: word -> inverse document frequency (rarer words weigh more).
        unknown_weight: weight of a word found nowhere in the lists.
    """

    infos: list[ListInfo]
    entries: list[ListEntry]
    name_entry: npt.NDArray[np.int32]
    name_text: list[str]
    name_kind: npt.NDArray[np.int8]
    name_norm: list[NormalizedName]
    postings: dict[str, npt.NDArray[np.int32]]
    idf: dict[str, float]
    name_weight: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros(0, dtype=np.float32)
    )
    name_person: npt.NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros(0, dtype=np.bool_)
    )
    skeletons: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deletes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    consonants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    unknown_weight: float = 0.0

    def weight(self, token: str) -> float:
        """Inverse document frequency of a word (the unknown weight if unseen)."""
        return self.idf.get(token, self.unknown_weight)

    def expand(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary words that ``token`` may stand for, with their similarity.

        Query words recur across a batch, so expansions are remembered (bounded).
        """
        return self._expansion(token)[0]

    def expand_postings(self, token: str) -> tuple[Posting, ...]:
        """``expand(token)`` as postings: each word's names, its weight times the
        similarity, and the word (remembered with the expansion)."""
        return self._expansion(token)[1]

    def expand_sized(self, token: str) -> tuple[tuple[Posting, ...], tuple[int, ...]]:
        """``expand_postings(token)`` and the number of names of each posting
        (remembered with the expansion: retrieval sorts and filters by it)."""
        _, postings, sizes = self._expansion(token)
        return postings, sizes

    def _expansion(
        self, token: str
    ) -> tuple[list[tuple[str, float]], tuple[Posting, ...], tuple[int, ...]]:
        """The remembered expansion of ``token``, made if new.

        Kept in two generations of at most ``EXPANSION_CACHE`` words together
        (``Generations``): the words a batch repeats stay while words seen once
        (a rare name) age out. Numbers have a small memo of their own
        (``NUMBER_CACHE``): most are met once (in a file of a million names,
        some 900,000 of them), so each one kept among the words would push a
        repeated word out sooner, but one name's number is looked up when the
        name is ranked and again when it is scored.
        """
        number = _number(token)
        key = "_numbers_expanded" if number else "_expansions"
        bound = NUMBER_CACHE if number else EXPANSION_CACHE
        memo: Generations[str, Expansion] | None = self.__dict__.get(key)
        if memo is None:
            memo = self.__dict__[key] = Generations()
        found = memo.find(token, bound)
        if found is None:
            words = self._expand(token, number)
            postings, idf = self.postings, self.idf
            made = tuple((postings[w], idf[w] * s, w) for w, s in words)
            found = (words, made, tuple(len(ids) for ids, _, _ in made))
            memo.keep(token, found, bound)
        return found

    def expand_abjad(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary words with the consonants of an Arabic-script word, with
        its letters as Persian, Pashto, Urdu, Turkish or Russian spelling reads them
        (ض ظ ذ as z, ث as s, و as v), or as a European name's Latin spelling
        writes them (تش ch, غ g): ``abjad_letters.abjad_keys``. Each word has
        one key, so none is found twice."""
        return [
            (w, ABJAD)
            for key in abjad_keys(token)
            for w in self.consonants.get(key, ())
        ]

    def abjad_postings(self, token: str) -> list[Posting]:
        """``expand_abjad(token)`` as postings (see ``expand_postings``)."""
        return [
            (self.postings[w], self.idf[w] * s, w) for w, s in self.expand_abjad(token)
        ]

    def abjad_sized(self, token: str) -> tuple[tuple[Posting, ...], tuple[int, ...]]:
        """``abjad_postings(token)`` and the number of names of each posting.

        Remembered like the expansions (two generations of at most
        ``EXPANSION_CACHE`` words): a name in Arabic script reads each of its
        words' consonant postings for retrieval, and a batch's Arabic-script
        names repeat their words (some 800 distinct words in 10,000 a batch).
        """
        return self._word_kept("_abjad_sized", token, self._sized_abjad)

    def _sized_abjad(self, token: str) -> tuple[tuple[Posting, ...], tuple[int, ...]]:
        """``abjad_sized`` made."""
        made = tuple(self.abjad_postings(token))
        return made, tuple(len(ids) for ids, _, _ in made)

    def _word_kept(self, memo: str, token: str, make: Callable[[str], _Kept]) -> _Kept:
        """What ``make`` gives for ``token``, remembered in the index's memo
        named ``memo`` (two generations of at most ``EXPANSION_CACHE`` words,
        as the expansions are: a batch's names repeat their words); made when
        first asked. A value that is empty (no posting) is kept too, so that
        a word met again is not looked up again."""
        kept: Generations[str, _Kept] | None = self.__dict__.get(memo)
        if kept is None:
            kept = self.__dict__[memo] = Generations()
        found = kept.find(token, EXPANSION_CACHE)
        if found is None:
            found = make(token)
            kept.keep(token, found, EXPANSION_CACHE)
        return found

    def short_abjad(self, token: str) -> tuple[Posting, int] | None:
        """The persons' names holding a short listed word that a short word of
        an Arabic-script query may be (``abjad_letters.short_keys``: "جان", jn,
        as Jan; "آغا", gh, as Agha), less those its expansion and consonant
        postings reach already, as one posting weighing the lightest listed
        word of its keys, with its number of names; None when there are none.

        A key of fewer than three consonants is shared by too many words for
        its word to be looked up as a longer one is (``abjad_keys``), so such a
        word weighed in the query's weight (``NameMatcher._abjad_weight``) and
        reached no name: a listed name whose every word agrees was pruned
        below the ranking's cutoff, or never ranked ("جانان آغا" and JANAN
        AGHA, "احمد جان آخوندزاده وزیر" and AHMED JAN AKHUNDZADA WAZIR, which the
        person rules score 0.95). Read as one posting, the word is shared with
        the names that hold such a word, at the least it may weigh.
        Remembered like ``abjad_sized``.
        """
        return self._word_kept("_short_abjad_memo", token, self._short_abjad) or None

    def _short_abjad(self, token: str) -> tuple[Posting, int] | tuple[()]:
        """``short_abjad`` made (``()`` for none)."""
        names, lightest = self.short_tables
        keys = [key for key in short_keys(token) if key in names]
        weight = min([lightest[key] for key in keys], default=0.0)
        return self._keyed_posting(token, keys, names, weight)

    def _keyed_posting(
        self,
        token: str,
        keys: list[str],
        names: dict[str, npt.NDArray[np.int32]],
        weight: float,
        reached: tuple[npt.NDArray[np.int32], ...] = (),
    ) -> tuple[Posting, int] | tuple[()]:
        """The names of ``keys`` in ``names`` as one posting of ``token`` at
        ``weight``, with its number of names, less those the word's expansion
        and consonant postings (and ``reached``) reach already, so that no
        name is counted twice for one word; ``()`` when none is left."""
        if not keys:
            return ()
        ids = np.unique(np.concatenate([names[key] for key in keys]))
        known = [
            *(ids_ for ids_, _, _ in self.expand_sized(token)[0]),
            *(ids_ for ids_, _, _ in self.abjad_sized(token)[0]),
            *reached,
        ]
        if known:
            ids = np.setdiff1d(ids, np.concatenate(known))
        if not len(ids):
            return ()
        return (ids.astype(np.int32), weight, token), len(ids)

    @property
    def short_tables(
        self,
    ) -> tuple[dict[str, npt.NDArray[np.int32]], dict[str, float]]:
        """The persons' names (sorted ids) holding a short listed word of each
        short key of ``SHORT_POSTING_LETTERS`` letters or more
        (``abjad_letters.short_key_words``, read by ``short_abjad``), and the
        weight of the lightest listed word of every short key
        (``NameMatcher._abjad_weight``): made when an Arabic-script name is
        first ranked (most batches never need them), then kept.

        Persons' names only: the short words are given names and the words of
        persons' names, and an organisation holding one is reached by its
        other words. Over yente's unlisted persons written in Arabic script,
        the organisations reached through them were a quarter more, each
        scored at some 0.5 ms, and none matched.
        """
        made = self.__dict__.get("_short_tables")
        if made is None:
            words = short_key_words(self.postings)
            idf, postings, persons = self.idf, self.postings, self.name_person
            names: dict[str, npt.NDArray[np.int32]] = {}
            for key, found in words.items():
                if len(key) < SHORT_POSTING_LETTERS:
                    continue
                ids = np.unique(np.concatenate([postings[w] for w in found]))
                if len(ids := ids[persons[ids]]):
                    names[key] = ids
            made = self.__dict__["_short_tables"] = (
                names,
                {key: min(idf[w] for w in found) for key, found in words.items()},
            )
        return made

    def abjad_split(self, token: str) -> tuple[Posting, int] | None:
        """The persons' names two adjacent words of which, written together,
        have a consonant key of an Arabic-script word (``abjad_keys``):
        "عبدالرحمان" (bdlrhmn) as "Abdul Rahman", "عبدالخالق" (bdlkhlq) as "Abd
        al-Khaliq". Less the names its expansion, consonant and short-word
        postings reach, as one posting weighing the lightest such pair, never
        more than the word weighs; with its number of names; None when there
        are none. ``split_words`` for a word read on its consonants: Arabic
        script writes "عبد" joined to the name after it, the Latin spellings
        mostly apart ("ABDUL RAHMAN ZAHED", whom "عبدالرحمان زاهد" was not
        offered). Remembered like ``abjad_sized``.
        """
        return self._word_kept("_abjad_split_memo", token, self._abjad_split) or None

    def _abjad_split(self, token: str) -> tuple[Posting, int] | tuple[()]:
        """``abjad_split`` made (``()`` for none)."""
        names, lightest = self.joined_consonants
        keys = [key for key in abjad_keys(token) if key in names]
        weight = min([lightest[key] for key in keys], default=0.0)
        short = self.short_abjad(token)
        return self._keyed_posting(
            token,
            keys,
            names,
            min(weight, self.weight(token)),
            () if short is None else (short[0][0],),
        )

    @property
    def joined_consonants(
        self,
    ) -> tuple[dict[str, npt.NDArray[np.int32]], dict[str, float]]:
        """The persons' names in Latin letters (sorted ids) by the consonant
        key of each two adjacent words of theirs written together
        (``scripts.consonant_key``, read by ``abjad_split``), and the weight
        of the lightest such pair of each key: made when an Arabic-script
        name is first ranked, then kept (some 23,000 keys of 41,000 names'
        pairs)."""
        made = self.__dict__.get("_joined_consonants")
        if made is None:
            found: dict[str, list[int]] = {}
            lightest: dict[str, float] = {}
            idf = self.idf
            for name_id, name in enumerate(self.name_norm):
                if not self.name_person[name_id] or name.script:
                    continue
                for a, b in pairwise(name.tokens):
                    if not (a.isalpha() and b.isalpha()):
                        continue
                    # each pair once: past the key's memo, which the
                    # queries' words fill
                    key = consonant_key.__wrapped__(a + b)
                    if len(key) < 3:  # as ``abjad_keys`` never asks
                        continue
                    found.setdefault(key, []).append(name_id)
                    weight = idf[a] + idf[b]
                    if weight < lightest.get(key, math.inf):
                        lightest[key] = weight
            made = self.__dict__["_joined_consonants"] = (
                {
                    key: np.unique(np.asarray(ids, dtype=np.int32))
                    for key, ids in found.items()
                },
                lightest,
            )
        return made

    def split_words(self, token: str) -> tuple[tuple[Posting, int], ...]:
        """The names holding two listed words that ``token`` writes together
        ("abdulghani": abdul + ghani; "speedjet": speed + jet), one posting for
        each way of cutting it into two listed words of ``SPLIT_MIN`` letters
        or more, and for each two adjacent words of persons' names it writes
        together in another transliteration at that reading's score
        ("abdelmalek": abd + almalik, ``joined_transliterations``), less the
        names its own expansion reaches as heavily; each with its number of
        names.

        The lists write one name both ways ("ABDUL GHANI BARADAR" and
        "Abdulghani", "Speed Jet" and "SPEEDJET"), and so do the names
        screened. Two query words written together as one listed word are
        looked up joined (``NameMatcher._ranking``'s joins); one query word
        that a listed name writes as two reached neither, and "Abdulghani
        Baradar", which the person rules score 1.00 against the listed name,
        was "No match". A posting weighs the two words' weights together, but
        never more than the query word weighs (``weight``): the listed name
        is shared one word of the query. A name the word's expansion reaches
        only more lightly stays ("aliakbar" read with the article, the
        transliteration "akbar", reaches every "Ali Akbar" at akbar's
        weight; the cut ali + akbar weighs more). Remembered like
        ``abjad_sized``; a word too short to cut or not all letters is
        answered before the memo, so that a batch's numbers, most met once,
        do not crowd it.
        """
        if len(token) < 2 * SPLIT_MIN or not token.isalpha():
            return ()
        return self._word_kept("_split_memo", token, self._split_words)

    def _split_words(self, token: str) -> tuple[tuple[Posting, int], ...]:
        """``split_words`` made, for a word of letters long enough to cut."""
        postings, idf = self.postings, self.idf
        cuts = [
            (token[:at], token[at:], 1.0)
            for at in range(SPLIT_MIN, len(token) - SPLIT_MIN + 1)
            if token[:at] in postings and token[at:] in postings
        ]
        cuts += self.joined_transliterations(token)
        if not cuts:
            return ()
        found: list[tuple[Posting, int]] = []
        names = self.name_norm
        ceiling = self.weight(token)
        own: tuple[Posting, ...] | None = None  # the expansion's, when needed
        for left, right, similarity in cuts:
            both = np.intersect1d(postings[left], postings[right], assume_unique=True)
            # the two words one after the other, as the query word writes them
            # (most cuts find none: "robertson" has robert and son, in no name
            # one after the other)
            adjacent = [
                i for i in both.tolist() if _adjacent(names[i].tokens, left, right)
            ]
            if not adjacent:
                continue
            if own is None:
                own = self.expand_sized(token)[0]
            weight = min(idf[left] + idf[right], ceiling) * similarity
            ids = np.setdiff1d(
                np.asarray(adjacent, dtype=np.int32), _reached_at(own, weight)
            )
            if len(ids):
                found.append(((ids, weight, token), len(ids)))
        return tuple(found)

    def _number_tables(self) -> NumberTables:
        """The lookup tables as a number reads them: the postings, one-deletion
        and skeleton tables keyed by numbers only, and the vocabulary words that
        start with a digit (sorted).

        Every key ``_expand`` looks up for a number is a number (its deletions,
        its swapped digits and its skeleton are digits too), and the words that
        start with one are a run of the sorted vocabulary; so these small tables
        give the same words as the whole ones, and stay in the processor's caches
        where the whole ones do not. Made when the first number is expanded.
        """
        tables: NumberTables | None = self.__dict__.get("_numbers")
        if tables is None:
            tables = self.__dict__["_numbers"] = (
                {k: v for k, v in self.postings.items() if _number(k)},
                {k: v for k, v in self.deletes.items() if _number(k)},
                {k: v for k, v in self.skeletons.items() if _number(k)},
                [w for w in self.vocabulary if w[:1].isdigit()],
            )
        return tables

    def reaches_no_word(self, token: str) -> bool:
        """Whether ``expand(token)`` is empty for a number, told without
        expanding it; False when it may not be (then ask ``expand``).

        A row number appended to a name ("Acme Trading 123456") is met once
        in a large file, and ranking its name asks only whether the number
        reaches a listed word (``NameMatcher._retrieval_shape``): expanding
        it, a lookup of each of its deletions and swaps, took a tenth of such
        a row's time. Every word ``_expand`` finds for a number is the
        number itself, a word of its skeleton, of its deletion table, of one
        of its deletions, one with two of its digits swapped or one it
        begins (``_number_tables``); the numbers that reach any such word are
        few, and known from the tables (``_number_reach``).
        """
        if not _number(token):
            return False
        listed, skeletons, inserted, swapped, begun = self._number_reach()
        return not (
            token in listed
            or skeleton.__wrapped__(token) in skeletons
            or (allowed_edits(len(token)) > 0 and token in inserted)
            or token in swapped
            or (len(token) >= MIN_ABBREVIATION and token in begun)
        )

    def _number_reach(
        self,
    ) -> tuple[
        frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]
    ]:
        """What ``reaches_no_word`` reads, made from ``_number_tables`` when
        first asked: the listed numbers and the deletion table's keys, the
        skeleton table's keys, every number one of whose deletions is one of
        the first two (a digit written into one of them), every listed
        number with two adjacent digits swapped, and every beginning of a
        word starting with a digit."""
        reach = self.__dict__.get("_number_reach_made")
        if reach is None:
            postings, deletes, skeletons, vocabulary = self._number_tables()
            keys = postings.keys() | deletes.keys()
            inserted = {
                key[:at] + digit + key[at:]
                for key in keys
                for at in range(len(key) + 1)
                for digit in "0123456789"
            }
            swapped = {
                word[:at] + word[at + 1] + word[at] + word[at + 2 :]
                for word in postings
                for at in range(len(word) - 1)
            }
            begun = {
                word[:end] for word in vocabulary for end in range(1, len(word) + 1)
            }
            reach = self.__dict__["_number_reach_made"] = (
                frozenset(keys),
                frozenset(skeletons),
                frozenset(inserted),
                frozenset(swapped),
                frozenset(begun),
            )
        return reach

    def _expand(self, token: str, number: bool) -> list[tuple[str, float]]:
        # Run once for every word a batch has not met before (in a file of a
        # million names, most of its numbers), so the tables are read through
        # locals and no list or generator is made that a lookup can spare.
        # ``number``: ``_number(token)``, which the caller has told already.
        if number:
            # a number (most of a file's new words): looked up in the tables cut
            # down to the keys a number can reach, the same answers from far
            # smaller tables (``_number_tables``); its skeleton is not remembered
            # (met once, it would push a word's out)
            postings, deletes, skeletons, vocabulary = self._number_tables()
            key = skeleton.__wrapped__(token)
        else:
            postings, deletes = self.postings, self.deletes
            skeletons, vocabulary = self.skeletons, self.vocabulary
            key = skeleton(token)
        found: dict[str, float] = {}
        if token in postings:
            found[token] = 1.0
        near: set[str] = set(skeletons.get(key, ()))
        size = len(token)
        if allowed_edits(size):
            near.update(deletes.get(token, ()))
            for i in range(size):  # ``deletions(token)``
                variant = token[:i] + token[i + 1 :]
                if variant in postings:
                    near.add(variant)
                if variant in deletes:
                    near.update(deletes[variant])
        for i in range(size - 1):
            # two letters swapped ("sko" for "sok"), also in words too short
            # for the typo tables
            swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
            if swapped != token and swapped in postings:
                found.setdefault(swapped, SHORT_TYPO)
        if size >= MIN_ABBREVIATION:
            start = bisect.bisect_left(vocabulary, token)
            for at in range(start, min(start + MAX_PREFIX_EXPANSION, len(vocabulary))):
                word = vocabulary[at]
                if not word.startswith(token):
                    break
                near.add(word)
        for word in near:
            if word not in found:
                score, _ = token_similarity(token, word)
                if score > 0:
                    found[word] = score
        if number:
            # no name of the name table holds a digit, and the table of
            # shuffles holds words of letters only, whose keys are letters:
            # neither has anything for a number
            return list(found.items())
        if size >= MIN_LETTERS:
            # the listed spellings of the same person name (``name_groups``)
            for word in self._spellings(token):
                found.setdefault(word, SAME_SKELETON)
            # and those the lists write for one listed person
            # (``alias_spellings``: "ghathafi" finds "qaddafi")
            for word in alias_spellings(token):
                if word in postings:
                    found.setdefault(word, SAME_SKELETON)
            # and the words of persons' names that the person rules read as
            # this word in another transliteration, or with the article
            # ("haniya" finds "hanieh", "kassem" "qasim", "shishani"
            # "alshishani": ``transliterations``)
            for word, score in self.transliterations(token):
                found.setdefault(word, score)
        if size <= KOREAN_SYLLABLE and token.isalpha():
            # the listed spellings of the same Korean syllable in the other
            # Korea's romanization ("moon" finds "mun", ``korean_spelling``)
            for word in self._korean(token):
                found.setdefault(word, SAME_SKELETON)
        if size >= REARRANGED_MIN and token not in postings:
            # the listed words of its letters, its ends kept ("vidlamir" finds
            # "vladimir", ``features.rearranged``); a listed word is found as
            # itself, and a query of listed words never builds the table
            for word in self._shuffles().get(shuffle_key(token), ()):
                found.setdefault(word, REARRANGED)
        return list(found.items())

    def joined_transliterations(self, token: str) -> list[tuple[str, str, float]]:
        """The two adjacent words of listed persons' names that ``token``
        writes together in another transliteration ("abubakar" / "Abu Bakr",
        "abdelmalek" / "Abd al-Malik", "mohammedreza" / "Mohammad Reza"),
        each pair with the score by which the person rules read the word as
        the two written together (``features.transliteration``); a word
        written as two listed words exactly is ``split_words``' own cut.

        Over the tuning half's pairs of one listed person's names that the
        rules score at review and screening the first never offered, 88 of
        631 were such a word: the lists write these names joined and apart,
        each way in several spellings. The pairs are keyed as the
        transliterations' words are (``_transliteration_key`` of the two
        written together), made when first asked.
        """
        if len(token) < JOINED_TRANSLITERATION_MIN or not token.isalpha():
            return []
        table = self._joined_transliteration_keys()
        found = []
        for left, right in table.get(_transliteration_key(token), ()):
            if left + right != token:
                score, rule = transliteration(token, left + right)
                if rule:
                    found.append((left, right, score))
        return found

    def _joined_transliteration_keys(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The adjacent words of persons' names in Latin letters, two written
        together of ``JOINED_TRANSLITERATION_MIN`` letters or more, by the
        transliteration key of the two written together: made when first
        asked (0.45 s), as ``_transliteration_keys`` is."""
        table: dict[str, tuple[tuple[str, str], ...]] | None = self.__dict__.get(
            "_joined_transliterated"
        )
        if table is None:
            # each pair keyed once, though it recurs in many names
            pairs: dict[tuple[str, str], None] = {}
            for name, person in zip(self.name_norm, self.name_person, strict=True):
                if person and not name.script:
                    pairs.update(dict.fromkeys(pairwise(name.tokens)))
            made: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for left, right in pairs:
                joined = left + right
                if len(joined) >= JOINED_TRANSLITERATION_MIN and joined.isalpha():
                    made[_transliteration_key(joined)].append((left, right))
            table = self.__dict__["_joined_transliterated"] = {
                key: tuple(found) for key, found in made.items()
            }
        return table

    def transliterations(self, token: str) -> list[tuple[str, float]]:
        """The words of listed persons' names that the person rules read as
        ``token`` written by another transliteration ("Haniya" / "Hanieh",
        "Kassem" / "Qasim", "Mohamed" / "Muhammad", "Bushusha" /
        "Bouchoucha"), or with the Arabic article ("Zawahiri" /
        "al-Zawahiri", "Alagha" / "Agha"), each with the rule's score
        (``features.transliteration``).

        The lists write one Arabic or Persian name in many spellings, and the
        other tables reach only those one typo, one skeleton or one name group
        away: screening "Ayman Zawahiri" never offered "AL ZAWAHIRI, Dr.
        Ayman", nor "Ismail Haniya" "Ismail Hanieh", though the rules score
        both 0.97. Such spellings share their consonants once ``fold_person``
        has folded them (``_transliteration_keys``), or once a letter one
        transliteration writes is read as the other writes it
        (``LETTER_READINGS``: the French ch of "Bouchoucha" as sh, the dh of
        "Kadhim" as z, the Persian gh of "Naghdi" as q). The candidates are
        the words of the query word's key; the words that key as it does
        with such a letter of theirs read, where the query word writes the
        reading; the words keyed as the query word is with such a letter of
        its own read, where they write the reading; those opening with the
        article whose key is the article's l and the word's key; and, for a
        word opening with the article, the words of the rest's key.

        Words of persons' names only: the rules are the person rules, and an
        organisation's word reached so is a company's name compared with a
        person's ("Michelle Cox" with "Mechel Koks").
        """
        if not token.isalpha():
            return []
        table = self._transliteration_keys()
        key = _transliteration_key(token)
        candidates = dict.fromkeys(table.written.get(key, ()))
        for reading, (written, read) in enumerate(LETTER_READINGS):
            if read in token:
                candidates.update(dict.fromkeys(table.read.get((reading, key), ())))
            if written in token:
                read_key = _transliteration_key(token.replace(written, read))
                candidates.update(
                    dict.fromkeys(
                        w for w in table.written.get(read_key, ()) if read in w
                    )
                )
        found = []
        for word in candidates:
            if word != token:
                score, rule = transliteration(token, word)
                if rule:
                    found.append((word, score))
        # the article: its l opens the key of the word that has it
        article = [
            w for w in table.written.get("l" + key, ()) if w.startswith(_ARTICLE)
        ]
        if token.startswith(_ARTICLE) and len(token) - 2 >= MIN_LETTERS:
            article += table.written.get(_transliteration_key(token[2:]), ())
        for word in article:
            score, rule = article_left_out(token, word, True, False)
            if rule:
                found.append((word, score))
        return found

    def _transliteration_keys(self) -> TransliterationKeys:
        """The words of ``MIN_LETTERS`` letters or more that listed persons'
        names hold, by their consonants once ``fold_person`` has folded
        their spelling (``scripts.consonant_key``), and by the same once each
        letter of ``LETTER_READINGS`` they write is read: made when first asked, as
        the name groups are."""
        table: TransliterationKeys | None = self.__dict__.get("_transliterated")
        if table is None:
            written: dict[str, list[str]] = defaultdict(list)
            read: dict[tuple[int, str], list[str]] = defaultdict(list)
            persons = self.name_person
            for word in self.vocabulary:
                if (
                    len(word) >= MIN_LETTERS
                    and word.isalpha()
                    and persons[self.postings[word]].any()
                ):
                    written[_transliteration_key(word)].append(word)
                    for reading, (letters, reading_letters) in enumerate(
                        LETTER_READINGS
                    ):
                        if letters in word:
                            read_key = _transliteration_key(
                                word.replace(letters, reading_letters)
                            )
                            read[reading, read_key].append(word)
            table = self.__dict__["_transliterated"] = TransliterationKeys(
                {key: tuple(words) for key, words in written.items()},
                {key: tuple(words) for key, words in read.items()},
            )
        return table

    def _korean(self, token: str) -> list[str]:
        """The vocabulary's words that spell a Korean syllable ``token`` spells
        in the other Korea's romanization (the table of the vocabulary's
        syllables made when first asked)."""
        table: dict[int, tuple[str, ...]] | None = self.__dict__.get("_syllables")
        if table is None:
            made: dict[int, list[str]] = defaultdict(list)
            for word in self.vocabulary:
                if len(word) <= KOREAN_SYLLABLE and word.isalpha():
                    for syllable in syllable_of(word):
                        made[syllable].append(word)
            table = self.__dict__["_syllables"] = {
                key: tuple(words) for key, words in made.items()
            }
        found = {
            word for syllable in syllable_of(token) for word in table.get(syllable, ())
        }
        return sorted(word for word in found if korean_spelling(token, word))

    def _shuffles(self) -> dict[str, tuple[str, ...]]:
        """The vocabulary's words of ``REARRANGED_MIN`` letters or more by their
        ``shuffle_key`` (made when first asked, as the name groups are)."""
        table: dict[str, tuple[str, ...]] | None = self.__dict__.get("_shuffled")
        if table is None:
            made: dict[str, list[str]] = defaultdict(list)
            for word in self.vocabulary:
                if len(word) >= REARRANGED_MIN and word.isalpha():
                    made[shuffle_key(word)].append(word)
            table = self.__dict__["_shuffled"] = {
                key: tuple(words) for key, words in made.items()
            }
        return table

    def _spellings(self, token: str) -> list[str]:
        """The vocabulary's other spellings of the name ``token`` is (the table
        of the vocabulary's names made when first asked)."""
        groups: dict[str, tuple[str, ...]] | None = self.__dict__.get("_name_groups")
        if groups is None:
            groups = self.__dict__["_name_groups"] = vocabulary_groups(self.vocabulary)
        return listed_spellings(token, groups)


# Words that make a name of unknown kind an organisation's, not a person's.
# The second group: words of the Entity List's airlines, labs, shipyards and
# committees that were read as persons' names ("Iran Air", "Huawei Cloud
# Beijing", "Chinese Flight Test Establishment"), and so missed the company
# rules. The company rules read them too (``companies.place_extras``).
ORGANISATION_WORDS = frozenset(
    [
        "administration",
        "aerospace",
        "air",
        "airlines",
        "airways",
        "associates",
        "association",
        "cloud",
        "college",
        "committee",
        "communications",
        "computer",
        "computers",
        "concern",
        "electronic",
        "engineers",
        "equipment",
        "establishment",
        "global",
        "government",
        "kombinat",
        "lab",
        "labs",
        "microelectronics",
        "motors",
        "networks",
        "openlab",
        "petroleum",
        "semiconductor",
        "service",
        "shipyard",
        "system",
        "tech",
        "telecom",
        "trade",
        "world",
        "zavod",
        "academy",
        "agency",
        "aviation",
        "bank",
        "bureau",
        "center",
        "centre",
        "chemical",
        "circuit",
        "circuits",
        "commission",
        "company",
        "corporation",
        "council",
        "department",
        "electronics",
        "engineering",
        "enterprise",
        "enterprises",
        "export",
        "factory",
        "foundation",
        "fund",
        "group",
        "holding",
        "holdings",
        "import",
        "industrial",
        "industries",
        "industry",
        "institute",
        "instruments",
        "international",
        "laboratory",
        "limited",
        "logistics",
        "machinery",
        "ministry",
        "office",
        "organization",
        "party",
        "plant",
        "research",
        "scientific",
        "services",
        "shipping",
        "solutions",
        "systems",
        "technical",
        "technologies",
        "technology",
        "trading",
        "university",
        "works",
    ]
)


def is_person(entry: ListEntry) -> bool:
    """Whether an entry's names are compared as a person's.

    Lists that say so are believed (``individual``). The Entity List, Denied
    Persons List, Unverified List and others of the CSL give no type: there a
    name of two to five words without company forms, digits or organisation
    words ("Charles Carper", "KIM, Song Il") is taken for a person's; since
    2026-12-06 "industry" and "circuit" are organisation words too ("Chengdu
    Haiguang Integrated Circuit", "China Volant Industry" were persons).
    """
    if entry.kind:
        return entry.kind == "individual"
    return 2 <= len(normalize(entry.name).full) <= 5 and not _names_organisation(
        entry.name
    )


def _names_organisation(name: str) -> bool:
    """Whether ``name`` holds a company form, a digit or an organisation word."""
    norm = normalize(name)
    return (
        bool(norm.org_forms)
        or not ORGANISATION_WORDS.isdisjoint(norm.full)
        or any(ch.isdigit() for ch in name)
    )


def _names_of(entry: ListEntry) -> Iterator[tuple[str, int]]:
    for variant in name_variants(entry.name):
        yield variant, PRIMARY
    for alias in entry.aliases:
        for variant in name_variants(alias):
            yield variant, ALIAS


def _reached_at(postings: Iterable[Posting], weight: float) -> npt.NDArray[np.int32]:
    """The names of those of ``postings`` that weigh ``weight`` or more."""
    heavy = [ids for ids, each, _ in postings if each >= weight]
    return np.concatenate(heavy) if heavy else np.empty(0, np.int32)


# The Arabic article as the normalizer writes it, joined to the name ("AL
# ZAWAHIRI", "El-Sisi": "alzawahiri", "alsisi"; ``features.article_left_out``
# reads no other).
_ARTICLE = "al"


class TransliterationKeys(NamedTuple):
    """The words of listed persons' names by their transliteration key
    (``written``), and by the key each takes once a letter of
    ``LETTER_READINGS`` it writes is read, under that reading's place
    (``read``)."""

    written: dict[str, tuple[str, ...]]
    read: dict[tuple[int, str], tuple[str, ...]]


def _transliteration_key(word: str) -> str:
    """The consonants of ``word`` once ``fold_person`` has folded its
    spelling (``ScreeningIndex.transliterations``), through neither's memo:
    a word is expanded once (``_expansion`` remembers it), and most words a
    batch expands are met once."""
    return consonant_key.__wrapped__(fold_person.__wrapped__(word))


def _adjacent(tokens: tuple[str, ...], left: str, right: str) -> bool:
    """Whether ``left`` stands right before ``right`` among ``tokens``."""
    return any(a == left and b == right for a, b in pairwise(tokens))


def build_index(infos: list[ListInfo], entries: Iterable[ListEntry]) -> ScreeningIndex:
    """Normalize every name and alias of ``entries`` and build the lookup tables."""
    entry_list = list(entries)
    name_entry: list[int] = []
    name_text: list[str] = []
    name_kind: list[int] = []
    name_norm: list[NormalizedName] = []
    name_person: list[bool] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for position, entry in enumerate(entry_list):
        seen: set[tuple[str, ...]] = set()
        person = is_person(entry)
        for text, kind in _names_of(entry):
            norm = normalize_person(text) if person else normalize(text)
            if not norm.tokens or norm.tokens in seen:
                continue
            seen.add(norm.tokens)
            name_id = len(name_text)
            name_entry.append(position)
            name_text.append(text)
            name_kind.append(kind)
            name_norm.append(norm)
            name_person.append(person)
            for token in set(norm.tokens):
                postings[token].append(name_id)
    total = len(name_text)
    idf = {
        t: math.log((total + 1) / (len(ids) + 1)) + 1.0 for t, ids in postings.items()
    }
    skeletons: dict[str, list[str]] = defaultdict(list)
    deletes: dict[str, list[str]] = defaultdict(list)
    consonants: dict[str, list[str]] = defaultdict(list)
    for token in postings:
        if len(token) >= 2:
            consonants[consonant_key(token)].append(token)
        skeletons[skeleton(token)].append(token)
        if allowed_edits(len(token)):
            for variant in set(deletions(token)):
                deletes[variant].append(token)
    return ScreeningIndex(
        infos=infos,
        entries=entry_list,
        name_entry=np.asarray(name_entry, dtype=np.int32),
        name_text=name_text,
        name_kind=np.asarray(name_kind, dtype=np.int8),
        name_norm=name_norm,
        name_person=np.asarray(name_person, dtype=np.bool_),
        postings={t: np.asarray(ids, dtype=np.int32) for t, ids in postings.items()},
        idf=idf,
        unknown_weight=math.log(total + 1) + 1.0,
        name_weight=np.asarray(
            [sum(idf[t] for t in set(n.tokens)) for n in name_norm], dtype=np.float32
        ),
        skeletons={k: tuple(v) for k, v in skeletons.items()},
        deletes={k: tuple(v) for k, v in deletes.items()},
        vocabulary=sorted(postings),
        consonants={k: tuple(v) for k, v in consonants.items() if len(v) <= 200},
    )
