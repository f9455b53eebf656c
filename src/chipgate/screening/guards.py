"""Acceptance guards: where an agreement of words is too weak to be a hit.

The scorers (``features.py``) say how well two names agree word by word. The
guards here say when such an agreement, however complete it looks, does not name
the same party, because of what the words are rather than how they are spelt:

- two pinyin syllables one letter apart are two characters, not a typo
  ("Chen"/"Chan"), and a query word that is a common surname is taken as
  written ("Carter" is not the listed "Carper");
- a short word and a longer one are not spelling variants of each other ("Jan"
  is not the syllable "Jian");
- two words of Arabic script joined on their consonants ("mhy yrwny" and
  "Mehran") count what a consonant agreement counts, never a whole word;
- a theophoric compound ("Abd al-Rahman", "Abdul Karim") is one given name:
  alone, it is a given name inside a longer name, and no more than that;
- a name written in Chinese characters or Hangul of two to four syllables is a
  person's name; a vessel or aircraft whose romanized name has those syllables is
  not that person.

Each guard is a small pure function, tuned on the tuning half of the public
benchmarks (docs/screening.md) and tested with real names.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from anyascii import anyascii

from chipgate.screening.normalize import (
    NormalizedName,
    chinese_english_words,
    surname_share,
)

# A query word borne as a surname by at least this share of persons (0.1 %:
# Carter) is taken as written: it is no typo of a rarer listed surname.
COMMON_WORD = 1e-3
_I_PAIRS = ("ji", "yi", "ij", "iy")
# Kinds of listed entries that are never a person (vessels, aircraft).
CRAFT = frozenset({"vessel", "aircraft"})
# The score a syllable reading of a person's name keeps against a vessel or an
# aircraft: a possible match for review, never a hit.
CRAFT_CAP = 0.85
# First words of the Arabic theophoric given names (Abd al-Rahman, Abdul Karim),
# as written in Latin and as Arabic script reads on consonants (عبد "bd"). A
# kunya (Abu Bakr) is left alone: it is used as a name by itself.
_COMPOUND_HEADS = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdil", "abdol", "abdur", "bd"}
)


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every pinyin syllable (the romanization of each Chinese character)."""
    found = {anyascii(chr(code)).lower() for code in range(0x4E00, 0xA000)}
    return frozenset(s for s in found if s.isalpha())


def known_name(word: str) -> bool:
    """Whether ``word`` is a pinyin syllable of two letters or more (one letter
    more or less is another character).

    Surnames of the population table are not counted: one letter apart, they
    are as often a typo of one name ("Jansen" for "Jensen") as two names."""
    return len(word) >= 2 and word in pinyin_syllables()


def different_names(a: str, b: str, rule: str) -> bool:
    """Whether a typo or spelling-variant agreement of two person-name words (``a``
    the query's, ``b`` the listed one) is in fact two different names.

    >>> different_names("chen", "chan", "typo"), different_names("jamli", "jamil", "typo")
    (True, False)
    >>> different_names("jan", "jian", "spelling variant")
    True
    >>> different_names("carter", "carper", "typo"), different_names("anglea", "angela", "typo")
    (True, False)
    """
    if rule == "spelling variant":
        # the skeleton rules read j and y as i, so "jan" is "jian" and "yan" is
        # "yian": in a word of three letters that is a syllable added, not a
        # spelling ("yu" and "you", "un" and "uun" stay variants)
        short, long_ = sorted((a, b), key=len)
        return (
            len(short) <= 3
            and len(long_) > len(short)
            and any(pair in long_ for pair in _I_PAIRS)
        )
    if rule != "typo":
        return False
    if known_name(a) and known_name(b):
        return True  # two pinyin syllables: two characters
    # a query word that is a common surname is that name, not a misspelt other
    # name: "Charles Carter" is not the listed "Charles Carper"
    return surname_share(a) >= COMMON_WORD and surname_share(b) > 0.0


def letter_for_letter(query_script: str, candidate_script: str) -> bool:
    """Whether two names are compared without the typo rule: either is written in
    Chinese or Hangul (a letter more is another character)."""
    return "syllabic" in (query_script, candidate_script)


def name_parts(tokens: Sequence[str]) -> int:
    """The number of name parts, an Arabic compound given name counting as one.

    >>> name_parts(("abd", "alrahman")), name_parts(("abdul", "rahman", "yasin"))
    (1, 2)
    """
    parts = 0
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        parts += 1
        skip = token in _COMPOUND_HEADS and i + 1 < len(tokens)
    return parts


def compound_alone(query: Sequence[str], listed: Sequence[str]) -> bool:
    """Whether the shorter of two names is one compound given name ("Abd
    al-Rahman") and the longer has more parts: a given name alone is nobody."""
    short, long_ = (query, listed) if len(query) <= len(listed) else (listed, query)
    return name_parts(short) == 1 < name_parts(long_) and len(short) > 1


def syllabic_person(query: NormalizedName) -> bool:
    """Whether a query written in Chinese characters or Hangul reads as a person's
    name: two to four syllables, no company form and no company word."""
    return (
        query.script == "syllabic"
        and not query.org_forms
        and 2 <= len(query.full) <= 4
        and not set(query.full) & chinese_english_words()
    )


def craft_for_person(query: NormalizedName, kind: str) -> bool:
    """Whether a person's name written in syllables met a vessel or an aircraft
    ("文 姚" is not the vessel "WEN YAO")."""
    return kind in CRAFT and syllabic_person(query)
