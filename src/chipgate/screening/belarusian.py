"""Belarusian names in their Belarusian Latin spelling, read as the Russian
spelling of the same name (``belarusian_spelling``).

Belarus's officials and companies are listed under their Belarusian names,
written in the Belarusian Latin transliteration, while documents and queries
often write the Russian form of the same name: "SHPAKAU, Siarhei" is Sergei
Shpakov, "HALAVANAU" is Golovanov, "LAURENTSYEU" is Lavrentyev. The two
languages spell one name apart in a few regular ways:

- ў (written u after a vowel) stands where Russian has в: the surname endings
  -аў, -оў, -еў (-au, -ou, -eu for -ov, -ev) and "Pauliuchenka" for
  "Pavlyuchenko";
- akanye: an unstressed o is written a ("Halavanau" / "Golovanov");
- a soft vowel after a consonant is written i + vowel (ia, ie, io, iu), where
  Russian writes я, е, ё, ю (ya, e, yo, yu) or, for an unstressed е, a
  Belarusian я ("Siarhei" / "Sergei", "Piatrouna" / "Petrovna");
- dzekanye and tsekanye: д and т before a soft vowel are дз and ц (dz, ts:
  "Henadzi" / "Gennady", "Kanstantsin" / "Konstantin");
- г is h ("Siarhei", "Henadzi", "Halavanau");
- the Ukrainian and Russian -enko ending is -enka.

Only a word that shows the Belarusian spelling is read so: a final -au or
-eu after a consonant against a written -v, a dz or ts before a soft vowel,
a patronymic in -avich or -avna ("Leanidavich" / "Leonidovich"), a soft
vowel in a word the 1990 US Census knows no one by ("Aliaksei",
"Piatrovich"), or two of the other signs; a final -ou, which ends Greek and
West African names too, only beside a ў inside the word, an h or -enka.
"Marian" (a US name) is not read as "Maren", "Mamadou" not as "Mamadov",
"Christou" not as "Hristov", "Kyriakou" not as "Kiriakov"; pinyin syllables
are never read so ("Jiao" is not "Jao"). So "Tkachou" and "Kuzniatsou" are
not read either: the lists' aliases pair them with "Tkachev" and
"Kuznetsov". The reading must change the word and then agree with the other
word letter for letter once spellings are folded (``tokens.fold_spelling``)
and o and a are one vowel.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from chipgate.screening.guards import pinyin_syllables
from chipgate.screening.normalize import name_share
from chipgate.screening.tokens import fold_unremembered

BELARUSIAN_SPELLING = "Belarusian spelling read as Russian (belarusian_spelling)"
MIN_LETTERS = 4  # letters of the Belarusian word

_CONSONANT = r"(?<=[^aeiouy])"
# -аў and -еў after a consonant (or y: "Arkadzyeu"); -оў is written -ou,
# the ending of Greek surnames too ("Kyriakou", "Christou": a sign only
# beside another)
_FINAL = re.compile(r"(?<=[^aeiou])[ae]u$")
_FINAL_OU = re.compile(r"(?<=[^aeiou])ou$")
# ў before a consonant inside the word ("Laurentsyeu", "Pauliuchenka")
_INNER_U = re.compile(r"(?<=[aeo])u(?=[^aeiouy])")
# a ў: u after a vowel and not before one (or two vowels: "Naumau" is
# Наумаў, Naumov)
_U = re.compile(r"(?<=[aeo])u(?![aeiouy])")
# a soft vowel after a consonant: ia, ie, io, iu
_SOFT = re.compile(_CONSONANT + r"i(?=[aeou])")
# дз and ц for д and т before a soft vowel
_DZ = re.compile(r"dz(?=[iey])")
_TS = re.compile(r"ts(?=[iey])")
# г written h, not in the digraphs kh, sh, zh, ch, gh, dh, th, ph
_H = re.compile(r"(?<![kszcgdtp])h")
_ENKA = re.compile(r"enka$")
# a patronymic as akanye writes its unstressed o: -avich, -avna (Russian
# -ovich, -ovna): "Leanidavich" / "Leonidovich"
_PATRONYMIC = re.compile(r"av(?:ich|ych|itj|na)$")
# each letter of the Belarusian spelling as Russian writes it: ў as в or a
# u after a vowel; дз, ц before a soft vowel as д, т; a soft vowel as я, or
# е for an unstressed е (akanye); г as г (h stays where Russian writes х)
_READINGS = (
    (_U, ("v", "u")),
    (_DZ, ("d",)),
    (_TS, ("t",)),
    (re.compile(_CONSONANT + "ia"), ("ya", "e")),
    (re.compile(_CONSONANT + "ie"), ("e", "ye")),
    (re.compile(_CONSONANT + "io"), ("yo", "e")),
    (re.compile(_CONSONANT + "iu"), ("yu", "u")),
    (_H, ("g", "h")),
)


@lru_cache(maxsize=65536)
def signs(word: str) -> frozenset[str]:
    """The signs of the Belarusian spelling ``word`` shows.

    Kept per word: ``_read_keys`` and ``belarusian_spelling`` both ask.

    >>> sorted(signs("halavanau")), sorted(signs("siarhei"))
    (['final', 'h'], ['h', 'soft'])
    >>> sorted(signs("marian"))
    ['soft']
    """
    found = set()
    for name, pattern in (
        ("final", _FINAL),
        ("ou", _FINAL_OU),
        ("inner", _INNER_U),
        ("soft", _SOFT),
        ("dz", _DZ),
        ("dz", _TS),
        ("h", _H),
        ("enka", _ENKA),
        ("patronymic", _PATRONYMIC),
    ):
        if pattern.search(word):
            found.add(name)
    return frozenset(found)


def _belarusian(word: str) -> bool:
    """Whether ``word`` is written in the Belarusian spelling: a final -au
    or -eu, a dz or ts before a soft vowel, a patronymic in -avich or -avna,
    a soft vowel in a word no US name is, or two other signs; a final -ou
    only beside a ў, an h or -enka ("Kyriakou", a soft vowel and -ou, is a
    Greek name).

    >>> _belarusian("tkachou"), _belarusian("kyriakou"), _belarusian("halavanau")
    (False, False, True)
    >>> _belarusian("aliaksei"), _belarusian("marian")
    (True, False)
    """
    found = signs(word)
    if found & {"final", "dz", "patronymic"}:
        return True
    if "ou" in found:
        return bool(found & {"inner", "h", "enka"})
    if found == {"soft"}:
        # a soft vowel alone, in a word no US name is ("Aliaksei",
        # "Piatrovich"; "Marian", "Natalia", "Julien" are names there)
        return name_share(word) == 0
    return len(found) >= 2


def readings(word: str) -> frozenset[str]:
    """``word`` as Russian would spell it, each way its letters may be read
    (``_READINGS``, the word itself among them).

    >>> "sergei" in readings("siarhei"), "shpakav" in readings("shpakau")
    (True, True)
    >>> "naumav" in readings("naumau")
    True
    """
    found = {word}
    for pattern, spelled in _READINGS:
        found = {
            "".join(
                part + (choice[k] if k < len(choice) else "")
                for k, part in enumerate(parts)
            )
            for text in found
            for parts in [pattern.split(text)]
            for choice in product(spelled, repeat=len(parts) - 1)
        }
    return frozenset(found)


@lru_cache(maxsize=65536)
def _read_keys(word: str) -> frozenset[str]:
    """The folded readings of ``word`` as Russian would spell it, when it is
    written in the Belarusian spelling (none otherwise): a reading the
    folding does not undo ("syavash" folds back to "siavash": Persian
    "Siavash" / "Siavosh" are not read so), or the word as written where
    akanye alone tells it apart (a patronymic).

    Remembered by word, not by pair: a listed word meets many query words,
    and its signs and readings are the same for each. Most words show no
    Belarusian sign, and their entry is the one empty set.

    >>> sorted(_read_keys("siarhei")), _read_keys("marian")
    (['sergei', 'serhei', 'siargei'], frozenset())
    """
    if len(word) < MIN_LETTERS or word in pinyin_syllables() or not _belarusian(word):
        return frozenset()
    own = _key(word)
    akanye = "patronymic" in signs(word)
    return frozenset(
        key for text in readings(word) if (key := _key(text)) != own or akanye
    )


def _key(word: str) -> str:
    """A word as the comparison reads it: spellings folded, o as a (akanye)."""
    return fold_unremembered(word).replace("o", "a")


def belarusian_spelling(a: str, b: str) -> bool:
    """Whether one of two words is the other's name in the Belarusian Latin
    spelling (``belarusian_spelling``).

    Not remembered by pair: the person rules that ask are remembered by pair
    already (``features.person_token_similarity``), so a pair reaching here
    is nearly always new; each word's readings are kept (``_read_keys``).

    >>> belarusian_spelling("shpakau", "shpakov"), belarusian_spelling("siarhei", "sergei")
    (True, True)
    >>> belarusian_spelling("marian", "maren"), belarusian_spelling("mamadou", "mamadov")
    (False, False)
    >>> belarusian_spelling("christou", "hristov"), belarusian_spelling("halavanau", "golovanov")
    (False, True)
    """
    syllables = pinyin_syllables()
    for x, y in ((a, b), (b, a)):
        wanted = _read_keys(x)
        if not wanted or y in syllables:
            continue
        if signs(x) == {"final"} and not y.endswith("v"):
            continue  # "Allou" is no -ou for -ov against "Allaw"
        if _key(y) in wanted:
            return True
    return False
