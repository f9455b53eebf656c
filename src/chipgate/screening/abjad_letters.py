"""Foreign names written letter by letter in Arabic script (``abjad_letters``).

Arabic script leaves short vowels unwritten, so an Arabic name is compared with
Latin spellings on its consonants alone, a possible match and never a hit
(``features.ABJAD``). A foreign name written in Arabic script is different: it
writes nearly every vowel with a vowel letter (alef for a, waw for o and u, ya
for i and e), "فرناندو بيريز" Fernando Pérez, "باراك أوباما" Barack Obama,
"فلاديمير بوتين" Vladimir Putin. When the letters of such a name spell a Latin
name letter by letter, its vowels where the vowel letters are, that is as good
as a spelling variant.

An Arabic name writes few of its vowels ("محمد" Mohammed none, "حسن روحاني"
Hassan Rouhani three of five): a name is read so only when its vowel letters
stand for at least ``WRITTEN_VOWELS`` of the Latin name's vowels.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from chipgate.screening.scripts import fold_arabic

# A name is read letter by letter when its vowel letters write this share of
# the vowels of the Latin words they pair with (Fernando Pérez: 4 of 5).
WRITTEN_VOWELS = 0.75

# Latin spellings of each Arabic letter (after ``fold_arabic``), consonants.
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ب": ("b", "p"), "پ": ("p",), "ت": ("t", "th"), "ث": ("th", "s", "t"),
    "ج": ("j", "g", "dj", "dzh", "zh"), "چ": ("ch", "tch", "tsch"), "ح": ("h",),
    "خ": ("kh", "h", "ch", "x"), "د": ("d",), "ذ": ("dh", "d", "z"), "ر": ("r",),
    "ز": ("z", "s"), "ژ": ("zh", "j", "g", "s"), "س": ("s", "c"),
    "ش": ("sh", "ch", "sch", "s"), "ص": ("s", "c"), "ض": ("d", "dh"),
    "ط": ("t",), "ظ": ("z", "dh"), "غ": ("gh", "g", "r"), "ف": ("f", "v", "ph"),
    "ڤ": ("v",), "ق": ("q", "k", "g", "c"), "ك": ("k", "c", "q", "ch"),
    "ک": ("k", "c", "q", "ch"), "گ": ("g",), "ل": ("l",), "م": ("m",),
    "ن": ("n",), "ه": ("h",), "ع": ("",),
}  # fmt: skip
# Vowel letters: their vowel spellings (counted as written) and, for waw and ya,
# the consonant each also writes.
_VOWEL_LETTERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ا": (("a", "e", "o", "u", "i"), ()),
    "و": (("o", "u", "ou", "oo", "au"), ("w", "v")),
    "ي": (("i", "e", "ee", "ie", "ei", "ai", "ey", "ay"), ("y", "j")),
    "ی": (("i", "e", "ee", "ie", "ei", "ai", "ey", "ay"), ("y", "j")),
}
# A final ha writes a final vowel too (ta marbuta is folded to it).
_FINAL_HA = ("a", "e", "ah", "eh")
_LATIN_VOWELS = frozenset("aeiou")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u200c]+")
_REPEATS = re.compile(r"(.)\1+")


def arabic_words(text: str) -> tuple[str, ...]:
    """The Arabic-script words of ``text``, letters folded (``fold_arabic``),
    vowel marks and tatweel dropped, a zero-width non-joiner closed up.

    >>> arabic_words("فرناندو  بيريز")
    ('فرناندو', 'بيريز')
    """
    text = _MARKS.sub("", fold_arabic(unicodedata.normalize("NFKC", text)))
    return tuple(
        word
        for found in _WORD.findall(text)
        if len(word := found.replace("\u200c", "")) >= 2
    )


def _latin(word: str) -> str:
    """A Latin word as Arabic script would write its sounds: x as ks, ck as k,
    doubled letters once (Arabic writes a doubled consonant once)."""
    return _REPEATS.sub(r"\1", word.replace("x", "ks").replace("ck", "k"))


@lru_cache(maxsize=65536)
def spelled_vowels(arabic: str, latin: str) -> tuple[int, int] | None:
    """Whether the Arabic-script word ``arabic`` spells the Latin word ``latin``
    letter by letter, a short vowel unwritten between letters: the Latin vowels
    its vowel letters write (the most any reading gives) and the Latin word's
    vowels, or None.

    >>> spelled_vowels("فرناندو", "fernando"), spelled_vowels("محمد", "mohammed")
    ((2, 3), (0, 3))
    >>> spelled_vowels("باراك", "barack"), spelled_vowels("بيريز", "maria")
    ((2, 2), None)
    """
    target = _latin(latin)
    if len(target) < 3:
        return None
    last = len(arabic) - 1

    @cache
    def best(i: int, j: int, gap: bool) -> int | None:
        # ``gap``: an unwritten short vowel may still be read before letter i
        if i > last:
            if j == len(target):
                return 0
            if gap and j == len(target) - 1 and target[j] in _LATIN_VOWELS:
                return 0  # a final vowel unwritten (Marie, Angele)
            return None
        found: int | None = None
        if gap and j < len(target) and target[j] in _LATIN_VOWELS:
            found = best(i, j + 1, False)
        letter = arabic[i]
        vowels, consonants = _VOWEL_LETTERS.get(letter, ((), _CONSONANTS.get(letter)))
        if consonants is None:
            return found
        if letter == "ه" and i == last:
            vowels = _FINAL_HA
        elif letter == "ا" and i == 0:
            consonants = ("",)  # a carrier of the vowel after it (أوباما Obama)
        for spelling in (*vowels, *consonants):
            if not target.startswith(spelling, j):
                continue
            rest = best(i + 1, j + len(spelling), True)
            if rest is None:
                continue
            if spelling in vowels:
                rest += sum(1 for ch in spelling if ch in _LATIN_VOWELS)
            if found is None or rest > found:
                found = rest
        return found

    written = best(0, 0, True)
    if written is None:
        return None
    return written, sum(1 for ch in target if ch in _LATIN_VOWELS)
