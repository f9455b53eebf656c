"""Token-level similarity: how well one written word stands for another.

Kept separate from the index and the scorer because both use it: the index to find
vocabulary words near a query word, the scorer to align the words of two names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

# Spelling rules that differ between transliteration systems (Rosoboronexport /
# Rosoboroneksport, Kharkov / Harkov, Yury / Iurii, Tsentr / Centr ...). Applied to
# both sides, they only need to map variants onto one form, not to be phonetics.
# German writes the Russian ч "tsch" (Setschin / Sechin, Abramowitsch / Abramovich),
# and j (Arabic and Persian ج, Russian дж) "dsch" (Ahmadinedschad / Ahmadinejad,
# Dschafar / Jafar). Polish writes ч "cz", ш "sz" and щ "szcz" (Sieczin / Sechin,
# Janukowycz / Yanukovych, Łukaszenka / Lukashenka, Chruszczow / Khrushchev:
# ``polish_cz_sz``).
_SKELETON_RULES = (
    ("szcz", "shch"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("dsch", "j"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("ch", "C"),  # kept apart from c -> k below
    ("ck", "k"),
    ("ks", "x"),
    ("kh", "h"),
    ("ph", "f"),
    ("ts", "Z"),
    ("tz", "Z"),
    ("c", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("q", "k"),
    ("ou", "u"),
    ("ee", "i"),
)
# English inflections stripped before comparing (technology / technologies).
_SUFFIXES = ("ies", "es", "s", "y")
_DOUBLE = re.compile(r"(.)\1+")

# Similarities given to each kind of token agreement (tuned on the development half
# of the evaluation set, see docs/screening.md).
SAME_SKELETON = 0.95
ABBREVIATION = 0.85
INITIAL = 0.8
MIN_ABBREVIATION = 3


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """Collapse transliteration and inflection variants of a word onto one spelling.

    >>> skeleton("rosoboroneksport") == skeleton("rosoboronexport")
    True
    >>> skeleton("centre") == skeleton("center")
    True
    """
    if token.isdecimal() and token.isascii():
        # a number: no spelling rule or ending applies to digits
        return _single(token)
    text = token
    if len(text) > 4 and text.endswith("tre"):
        text = text[:-2] + "er"  # British spelling: centre, metre, theatre
    if len(text) > 5:
        for suffix in _SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
    return fold_spelling(text)


@lru_cache(maxsize=262144)
def fold_spelling(token: str) -> str:
    """Transliteration variants of a word written one way, inflections kept.

    The part of ``skeleton`` that applies to person names, whose endings are
    not English inflections ("Sergey" is not "Serge" + y):

    >>> fold_spelling("sergey") == fold_spelling("sergej")
    True

    Remembered: the words of the lists and of a batch recur. A rule that
    folds words of its own making (a reading of each word it tries) calls
    ``fold_unremembered``, so that they do not crowd the memo.
    """
    return fold_unremembered(token)


def fold_unremembered(token: str) -> str:
    """``fold_spelling`` without its memo."""
    if token.isdecimal() and token.isascii():
        return _single(token)  # no rule touches a digit
    text = token
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    return _single(text)


def named_rule(a: str, b: str, rule: str) -> str:
    """``rule`` as an explanation writes it for the words ``a`` and ``b``: a
    spelling variant that only the Polish letters read it as (one word writes
    cz or sz, the other not) is named so (``polish_cz_sz``).

    >>> named_rule("sieczin", "sechin", "spelling variant")
    'spelling variant, Polish cz sz (polish_cz_sz)'
    >>> named_rule("sergei", "sergey", "spelling variant")
    'spelling variant'
    """
    if rule == "spelling variant" and _polish(a) != _polish(b):
        return "spelling variant, Polish cz sz (polish_cz_sz)"
    return rule


def _polish(word: str) -> bool:
    return "cz" in word or "sz" in word


def _single(text: str) -> str:
    """``text`` with each run of one letter written once ("mm" -> "m")."""
    if _DOUBLE.search(text) is None:
        return text  # most words: nothing to substitute
    return _DOUBLE.sub(_first, text)


def _first(found: re.Match[str]) -> str:
    return found.group(1)


def apart(a: str, b: str) -> bool:
    """Whether one word is all digits and the other all letters: no character in
    common, so no rule of ``token_similarity`` (or of the person rules) can find
    them alike. Most such pairs are a batch's numbers against listed words, each
    met once: answered before any rule is tried."""
    return (a.isdigit() and b.isalpha()) or (a.isalpha() and b.isdigit())


def allowed_edits(length: int) -> int:
    """Typos tolerated in a word of ``length`` letters (none in short words)."""
    if length < 4:
        return 0
    if length < 8:
        return 1
    return 2


@lru_cache(maxsize=262144)
def token_similarity(a: str, b: str) -> tuple[float, str]:
    """Similarity of two normalized words in [0, 1] and the rule that gave it.

    >>> token_similarity("huawie", "huawei")
    (0.9166666666666666, 'typo')
    >>> token_similarity("tech", "technologies")
    (0.85, 'abbreviation')
    """
    if a == b:
        return 1.0, "exact"
    if apart(a, b):
        return 0.0, ""
    if skeleton(a) == skeleton(b):
        return SAME_SKELETON, "spelling variant"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 1:
        return (INITIAL, "initial") if long_[0] == short else (0.0, "")
    if (
        len(short) >= MIN_ABBREVIATION
        and len(long_) >= 2 * len(short)
        and long_.startswith(short)
    ):
        return ABBREVIATION, "abbreviation"
    longest = len(long_)
    limit = allowed_edits(min(len(short), longest))
    if limit:
        distance = OSA.distance(a, b, score_cutoff=limit)
        if distance <= limit:
            return 1.0 - distance / (2 * longest), "typo"
    return 0.0, ""
