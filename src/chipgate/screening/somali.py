"""Somali names in the Somali Latin orthography, read as the other
transliterations write the same Arabic names (``somali_spelling``).

Somalia's sanctioned persons (al-Shabaab, the UN's 751 regime) are listed
under names written both ways: the official Somali orthography of 1972 and
the English or Arabic-based spellings of the same names. The orthography
writes two Arabic letters with Latin letters the others use otherwise:

- x for ħ (ح), which the others write h: "Xasan" / "Hassan", "Axmed" /
  "Ahmed", "Maxamed" / "Mohamed";
- c for ʿ (ع), which the others leave out: "Cali" / "Ali", "Cabdi" /
  "Abdi", "Cumar" / "Omar";
- a long vowel doubled: "Xassaan", "Ciise", "Maxamuud".

Only the x is read (a c before a vowel begins and ends Latin names too:
the lists' own one-word aliases "COTTO" and "OTTO", "CHECO" and "CHEO", of
other persons, met at 0.95 when it was; "Cumar" / "Omar" are one name in the
lists' alias spellings already). A word that shows the orthography (an x
beside a vowel) is read with h for x and its long vowels single, and is one
name with the other word when
the reading is that word, its spelling once folded (``tokens.fold_spelling``),
the same name as the name table knows it (``name_variant_key``), or the same
name with the vowels another transliteration writes
(``arabic_compounds.transliterated_vowels``).

Not an x ending a word after e or i ("Alex", "Felix": "Aleh" is a Belarusian
name), never in a pinyin syllable or a name of two ("Xu" is not "Hu",
"Xiaoming" not "Hiaoming"), nor a name the 1990 US Census gives to many
("Max", "Maxine", "Roxanne" are read as written: ``CENSUS_COMMON``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from chipgate.screening.arabic_compounds import transliterated_vowels
from chipgate.screening.guards import pinyin_word
from chipgate.screening.normalize import name_share, name_variant_key
from chipgate.screening.tokens import fold_unremembered

SOMALI_SPELLING = "Somali spelling (somali_spelling)"
MIN_LETTERS = 3  # letters of the Somali word ("Cali")
# A word the 1990 US Census gives to this share of persons or more is read
# as written: "Max" (0.03 %), "Maxine", "Roxanne", "Dixie" are English names.
CENSUS_COMMON = 5e-5

# x for ħ: beside a vowel, not ending the word after e or i
_X = re.compile(r"x(?=[aeiou])|(?<=[aeiou])x(?!(?<=[ei]x)$)")
_LONG = re.compile(r"([aeiou])\1")


def shows_somali(word: str) -> bool:
    """Whether ``word`` shows the Somali orthography (an x as it writes it).

    >>> shows_somali("maxamed"), shows_somali("axmed"), shows_somali("alex")
    (True, True, False)
    """
    return _X.search(word) is not None


def somali_reading(word: str) -> str:
    """``word`` as the other transliterations write it: h for x, long
    vowels single.

    >>> somali_reading("maxamuud"), somali_reading("xassaan")
    ('mahamud', 'hassan')
    """
    return _LONG.sub(r"\1", _X.sub("h", word))


def _agree(read: str, other: str) -> bool:
    """Whether a Somali word's reading and another word are one name."""
    if read == other or fold_unremembered(read) == fold_unremembered(other):
        return True
    key = name_variant_key(read)
    return (key is not None and key == name_variant_key(other)) or (
        transliterated_vowels(read, other)
    )


@lru_cache(maxsize=16384)
def somali_spelling(a: str, b: str) -> bool:
    """Whether one of two words is the other's name in the Somali
    orthography (``somali_spelling``).

    >>> somali_spelling("axmed", "ahmed"), somali_spelling("xirsi", "hersi")
    (True, True)
    >>> somali_spelling("alex", "aleh"), somali_spelling("xu", "hu")
    (False, False)
    >>> somali_spelling("cali", "ali"), somali_spelling("cotto", "otto")
    (False, False)
    """
    for x, y in ((a, b), (b, a)):
        if (
            len(x) < MIN_LETTERS
            or not shows_somali(x)
            or shows_somali(y)
            or pinyin_word(x)
            or name_share(x) >= CENSUS_COMMON
        ):
            continue
        read = somali_reading(x)
        if read != x and _agree(read, y):
            return True
    return False
