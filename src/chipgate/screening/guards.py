"""Acceptance guards: where an agreement of words is too weak to be a hit.

The scorers (``features.py``) say how well two names agree word by word. The
guards here say when such an agreement, however complete it looks, does not name
the same party, because of what the words are rather than how they are spelt:

- two pinyin syllables one letter apart are two characters, not a typo
  ("Chen"/"Chan"), and a query word that is a common surname is taken as
  written ("Carter" is not the listed "Carper"), in a company name too ("Angela"
  is not "Angola");
- a name read from Chinese characters is read in pinyin: a name variant that is
  another pinyin syllable ("Chang" for 张 "Zhang", "Ri" for 李 "Li") is another
  character, while a spelling that is no pinyin ("Lee", "Hsi") may stand for it;
- a short word and a longer one are not spelling variants of each other ("Jan"
  is not the syllable "Jian");
- two words of Arabic script joined on their consonants ("mhy yrwny" and
  "Mehran") count what a consonant agreement counts, never a whole word;
- two names in Arabic script, the shorter found whole in the longer, are a
  possible match, not a hit, when the shorter is common among the listed
  Arabic-script names (the population table knows no Arabic names);
- a theophoric compound ("Abd al-Rahman", "Abdul Karim") is one given name:
  alone, it is a given name inside a longer name, and no more than that;
- a name written in Chinese characters or Hangul as a person's name is entered
  (given name and surname apart, "秀珍 朱") is a person's; a company, vessel or
  aircraft whose romanized name has those syllables is not that person.

Each guard is a small pure function, tuned on the tuning half of the public
benchmarks (docs/screening.md) and tested with real names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from anyascii import anyascii

from chipgate.screening.normalize import (
    holds_chinese_term,
    name_share,
    surname_share,
)
from chipgate.screening.scripts import is_hangul

# A query word borne as a surname by at least this share of persons (0.1 %:
# Carter) is taken as written: it is no typo of a rarer listed surname.
COMMON_WORD = 1e-3
_I_PAIRS = ("ji", "yi", "ij", "iy")
# A shorter name found whole in a longer one is common when this many listed
# names would bear it by chance (see ``common_in_lists``): "محمد علي" (Muhammad
# Ali) is, in a fourth of the listed Arabic-script names and a tenth.
LISTED_COMMON = 1.0
# The score a person's name written in Chinese or Hangul keeps against a listed
# company, vessel or aircraft: a possible match for review, never a hit.
PERSON_SYLLABLES_CAP = 0.85
_SYLLABLES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]+")
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


def pinyin_word(word: str) -> bool:
    """Whether ``word`` is a pinyin syllable, or two of two letters or more
    written together ("xiaoming"): a letter rule made for other spellings
    never reads it ("Xu" is not "Hu", "Chen" not "Shen").

    >>> pinyin_word("xiaoming"), pinyin_word("chen"), pinyin_word("cherif")
    (True, True, False)
    """
    syllables = pinyin_syllables()
    return word in syllables or any(
        word[:cut] in syllables and word[cut:] in syllables
        for cut in range(2, len(word) - 1)
    )


def known_name(word: str) -> bool:
    """Whether ``word`` is a pinyin syllable of two letters or more (one letter
    more or less is another character).

    Surnames of the population table are not counted: one letter apart, they
    are as often a typo of one name ("Jansen" for "Jensen") as two names."""
    return len(word) >= 2 and word in pinyin_syllables()


def two_syllables(a: str, b: str) -> bool:
    """Whether two different words are both pinyin syllables: read from Chinese
    characters, "zhang" (张) is not "chang" (常), though "Chang" is also the
    Wade-Giles spelling of 张; the pinyin reading of the characters decides.

    >>> two_syllables("zhang", "chang"), two_syllables("li", "lee")
    (True, False)
    """
    return a != b and known_name(a) and known_name(b)


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


def common_person_word(a: str, b: str) -> bool:
    """Whether either of two words compared in a company name is a common given
    name or surname (``COMMON_WORD``): such a word is written as meant, and a
    word one letter from it is another word ("Angela Cochran" is not "COCHAN
    ANGOLA", "María Gómez" not "GOMEZ MARIN LTDA.").

    >>> common_person_word("angela", "angola"), common_person_word("huawie", "huawei")
    (True, False)
    """
    return common_person_name(a) or common_person_name(b)


def common_person_name(word: str) -> bool:
    """Whether ``word`` is a given name or surname of at least ``COMMON_WORD``
    of persons (1990 US Census): written as meant, never a typo of another.

    >>> common_person_name("phillips"), common_person_name("phillis")
    (True, False)
    """
    return name_share(word) >= COMMON_WORD


def letter_for_letter(query_script: str, candidate_script: str) -> bool:
    """Whether two names are compared without the typo rule: either is written in
    Chinese or Hangul (a letter more is another character)."""
    return "syllabic" in (query_script, candidate_script)


def common_in_lists(words: Sequence[str], counts: Mapping[str, int]) -> float:
    """How many listed names would bear all of ``words`` by chance: the number of
    names (``counts[""]``) times each word's share of them. A patronymic chain
    ("bin ...") is left out, as the person rules leave it out.

    >>> round(common_in_lists(("mhmd", "ly"), {"": 400, "mhmd": 96, "ly": 40}), 2)
    9.6
    """
    total = counts.get("", 0)
    if not total:
        return 0.0
    expected = float(total)
    for word in words:
        if not word.startswith("bin"):
            expected *= counts.get(word, 0) / total
    return expected


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


def written_as_person(name: str) -> bool:
    """Whether a name in Chinese characters or Hangul is written as a person's
    name is entered in a form: two or three groups of one to three syllables
    apart (given name, middle name, surname), no company word; in Hangul one
    group is the one-syllable surname.

    Chinese and Korean companies are written without spaces ("华为技术有限公司");
    a person's name entered as given name and surname is not ("秀珍 朱", "和也
    斎藤", "수빈 이").

    >>> written_as_person("文 姚"), written_as_person("华为"), written_as_person("삼성 전자")
    (True, False, False)
    """
    groups = name.split()
    if not 2 <= len(groups) <= 3 or not all(_SYLLABLES.fullmatch(g) for g in groups):
        return False
    sizes = [len(g) for g in groups]
    surname = 1 in sizes or not is_hangul(name)
    return surname and max(sizes) <= 3 and not holds_chinese_term(name)
