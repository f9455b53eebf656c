"""Upper bounds on a listed name's score, cheap enough to skip the scoring.

Most names screened match nothing: most of their candidates are scored in full
only to fall far below the review floor. A bound here is made from less than the
score reads, and a candidate whose bound is below the floor is not scored; the
bound must never be below the score (each says why from the code it bounds, and
``tests/screening/test_bounds.py`` holds every bound above its score on the lists'
own names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from chipgate.screening.features import (
    ListedForms,
    Words,
    devotional_name,
    optional_word,
    query_words,
)
from chipgate.screening.normalize import NormalizedName, name_variant_key

Weigher = Callable[[str], float]

# Left between a bound and the floor: the bound sums the same weights as the
# score in another order, and the last bit of a sum may differ.
BOUND_MARGIN = 1e-9
# Digits a score is reported with, and compared with a floor at
# (``rounded_floor`` in the matcher).
SCORE_DIGITS = 4


def below_floor(bound: float, floor: float) -> bool:
    """Whether every score at most ``bound`` misses ``floor``, as the matcher
    compares them: a score is kept when its reported (rounded) value meets the
    floor, so a bound a hair below the floor (0.89996 against 0.9) may still
    hold a score that is kept, and only a bound that rounds below it does not.
    Rounding is monotone, so the rounded bound bounds the rounded score."""
    return round(bound + BOUND_MARGIN, SCORE_DIGITS) < floor


def exact_key(word: str) -> str:
    """The key two words share whenever the person rules pair them letter for
    letter: the word's name variant group (``name_variant_key``), else the word.

    Compared letter for letter (a name in Chinese or Hangul script), two words
    agree only as the same word or as two spellings of one name variant group
    (``features.person_word_rules`` returns before any other rule), so two
    words whose keys differ never pair.
    """
    return name_variant_key(word) or word


@dataclass(frozen=True, slots=True)
class ExactWords:
    """One name's words as ``exact_bound`` reads them, made once per name.

    Attributes:
        keys: each word's ``exact_key``.
        key_set: the same, as a set.
        pairs: each two adjacent words written together, by ``exact_key``.
        pair_set: the same, as a set.
        weights: each word's weight.
        loose: whether a word may be left out of the coverage unpaired (a
            patronymic or "bin ...", ``features.optional_word``, or a word of
            the Muhammad group, ``features.devotional_name``).
    """

    keys: tuple[str, ...]
    key_set: frozenset[str]
    pairs: tuple[str, ...]
    pair_set: frozenset[str]
    weights: tuple[float, ...]
    loose: tuple[bool, ...]

    @classmethod
    def of(cls, tokens: Sequence[str], weigh: Weigher) -> ExactWords:
        """The words of ``tokens``, weighed by ``weigh``."""
        keys = tuple(exact_key(word) for word in tokens)
        pairs = tuple(exact_key(a + b) for a, b in pairwise(tokens))
        return cls(
            keys,
            frozenset(keys),
            pairs,
            frozenset(pairs),
            tuple(weigh(word) for word in tokens),
            tuple(optional_word(word) or devotional_name(word) for word in tokens),
        )


def _coverage_bound(own: ExactWords, other: ExactWords) -> float:
    """At least the coverage ``person_alignment`` gives ``own`` against
    ``other`` compared letter for letter.

    The coverage is ``got / total``: each paired word adds at most its own
    weight (the lighter of the pair) times a pair score of at most 1 to both,
    and each unpaired word its weight to ``total`` alone, unless it is left out
    (``loose``). A word can be paired only with a word of the same key, two
    adjacent words of the other name written together with that key, or
    written together with a neighbour as a word of the other name (``_joins``,
    which agrees on the same rules); the initials, nickname and cut-short rules
    are not tried letter for letter. So with the words that can be paired
    counted at their full weight, those that cannot as unpaired (the loose ones
    left out), ``paired / (paired + unpaired)`` is at least the coverage, as
    ``x / (x + y)`` grows with ``x`` and falls with ``y``.
    """
    paired = unpaired = 0.0
    keys, pairs, last = own.keys, own.pairs, len(own.keys) - 1
    for i, key in enumerate(keys):
        if (
            key in other.key_set
            or key in other.pair_set
            or (i > 0 and pairs[i - 1] in other.key_set)
            or (i < last and pairs[i] in other.key_set)
        ):
            paired += own.weights[i]
        elif not own.loose[i]:
            unpaired += own.weights[i]
    return paired / (paired + unpaired) if paired else 0.0


def exact_bound(query: ExactWords, listed: ExactWords) -> float:
    """At least ``person_alignment``'s score of two person names compared
    letter for letter (either written in Chinese or Hangul,
    ``guards.letter_for_letter``), after the guards (which only lower it).

    Letter for letter, the score is the lower of the two coverages, only ever
    capped further (syllables out of order, one word alone); the rules that
    raise a score (letters with spaces moved, a name written as one word) are
    tried only on names compared with the typo rules.
    """
    return min(_coverage_bound(query, listed), _coverage_bound(listed, query))


def _words_bound(own: Words, other: Words, weigh: Weigher) -> tuple[float, float]:
    """The weight of the words of ``own`` that ``features._align`` may find in
    ``other`` compared letter for letter, and of those it cannot.

    Letter for letter (``fuzzy`` False) a word agrees only with itself, written
    in the other name, written there as two of its words together, or written
    together with a neighbour as a word there (``features._merged``); any
    other word is unmatched and adds its full weight to the total alone.
    """
    found = lost = 0.0
    tokens, joined, last = own.tokens, own.joined, len(own.tokens) - 1
    present, joined_other = other.present, other.joined_set
    for i, token in enumerate(tokens):
        if (
            token in present
            or token in joined_other
            or (i > 0 and joined[i - 1] in present)
            or (i < last and joined[i] in present)
        ):
            found += weigh(token)
        else:
            lost += weigh(token)
    return found, lost


def _align_bound(query: Words, listed: Words, weigh: Weigher) -> float:
    """At least ``features._align``'s score letter for letter: it is
    ``got / total`` over both names' words, each matched word adding at most
    the lighter weight of its pair (times a similarity of at most 1) to both
    and each unmatched word its weight to ``total``; so the matchable words at
    their full weight over all words bound it (``x / (x + y)`` grows with
    ``x`` and falls with ``y``)."""
    q_found, q_lost = _words_bound(query, listed, weigh)
    c_found, c_lost = _words_bound(listed, query, weigh)
    found = q_found + c_found
    return found / (found + q_lost + c_lost) if found else 0.0


def alignment_bound(
    query: NormalizedName, listed: ListedForms, weigh: Weigher
) -> float:
    """At least ``features.token_alignment(query, listed, weigh, False)``:
    the better of the words alone and, when the company forms differ, the
    words with the forms, each bounded by ``_align_bound``."""
    found = _align_bound(query_words(query.tokens), listed.words, weigh)
    if query.org_forms != listed.name.org_forms:
        full = query_words(query.tokens + query.org_forms)
        found = max(found, _align_bound(full, listed.full, weigh))
    return min(1.0, found)
