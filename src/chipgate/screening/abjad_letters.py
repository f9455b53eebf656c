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
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import product

from chipgate.screening.scripts import consonant_key, fold_arabic

# A name is read letter by letter when its vowel letters write this share of
# the vowels of the Latin words they pair with (Fernando Pérez: 4 of 5).
WRITTEN_VOWELS = 0.75

# Latin spellings of each Arabic letter (after ``fold_arabic``), consonants.
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ب": ("b", "p"), "پ": ("p",), "ت": ("t", "th"), "ث": ("th", "s", "t"),
    "ج": ("j", "g", "dj", "dzh", "zh"), "چ": ("ch", "tch", "tsch"), "ح": ("h",),
    "خ": ("kh", "h", "ch", "x"), "د": ("d",), "ذ": ("dh", "d", "z"), "ر": ("r",),
    "ز": ("z", "s"), "ژ": ("zh", "j", "g", "s"), "س": ("s", "c"),
    "ش": ("sh", "ch", "sch", "s"), "ص": ("s", "c"), "ض": ("d", "dh", "z"),
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
# Two letters that together write one sound of a European name, as Arabic
# spells foreign names (``foreign_sounds``): Arabic has no letter for ch
# (Russian ч, Czech č, English ch), written تش (أبراموفيتش Abramovich,
# غورباتشوف Gorbachev, تشارلز Charles); German z and Slavic ц are ts, written
# تس or تز (شولتس Scholz, شولتز Schulz); alef and ya write the long i of
# English and the ei of German (بايدن Biden, مايك Mike, هاينز Heinz).
_DIGRAPH_CONSONANTS: dict[str, tuple[str, ...]] = {
    "تش": ("ch", "tch", "tsch", "cz", "c"),
    "تس": ("z", "tz", "c"),
    "تز": ("tz", "z"),
}
_DIGRAPH_VOWELS: dict[str, tuple[str, ...]] = {
    "اي": ("i", "ei", "y"),
    "اى": ("i", "ei", "y"),
}
# A final ha writes a final vowel too (ta marbuta is folded to it).
_FINAL_HA = ("a", "e", "ah", "eh")
_LATIN_VOWELS = frozenset("aeiou")
_WRITES_VOWEL = frozenset("اويیه")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u200c]+")
_REPEATS = re.compile(r"(.)\1+")


def foreign_keys(key: str) -> tuple[str, ...]:
    """The consonant key of an Arabic-script word (``scripts.consonant_key``
    of its romanization) and, when it holds تش or غ, the key with them as a
    European name's Latin spelling writes them (``foreign_sounds``): ch for
    tsh (سيتشين "sytshyn", key stshn, is Sechin, key schn), g for gh
    (إيغور Igor). So the index reaches the listed name that a foreign name
    read letter by letter spells. Each also with ج as the French spellings
    of North Africa write it, dj: the person rules read "Djamel" as "جمال"
    (``_arabic_spellings``), and the index keys it djml.

    >>> foreign_keys("stshn"), foreign_keys("ghr"), foreign_keys("mhmd")
    (('stshn', 'schn'), ('ghr', 'gr'), ('mhmd',))
    >>> foreign_keys("jml")
    ('jml', 'djml')
    """
    other = key.replace("tsh", "ch").replace("gh", "g")
    keys = (key, other) if other != key else (key,)
    if "j" not in key:
        return keys
    return keys + tuple(k.replace("j", "dj") for k in keys)


# Letters Arabic script writes one way and other languages' spellings read
# another (``persian_letters``): ض ظ ذ, romanized dh (``scripts.romanize``), are
# z in Persian, Urdu and Turkish and in Russian spellings (رضا Reza, ظريف
# Zarif, رمضان Ramzan) and d in Arabic (Ramadan); ث, romanized th, is s there
# (عثمان Osman, Usman); ق, romanized q, is said and spelt gh in Persian as
# غ is (قاسمی Ghasemi, باقر Bagher, دهقان Dehghan); و, romanized w and read
# as a vowel by the key, is the consonant v in Persian (جواد Javad, پرویز
# Parviz, وحید Vahid). Pashto ځ, romanized dz, is z in the Latin spellings of
# Afghan names (ځدران Zadran).
_LETTER_READINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dh", ("z", "d")),
    ("th", ("s", "t")),
    ("q", ("gh",)),
    ("dz", ("z",)),
)
_W_AS_V = 3  # at most this many w of one word are read each way (8 spellings)
# A و that may be the consonant v: the word's first letter (Vahid وحید), one
# before another vowel letter (Parviz پرویز, Mousavi موسوی), or a word's only
# و (Javad جواد, romanized "jwd": the alef is not written in the
# romanization). Of two or more, one between consonants is the vowel o or u
# (Wadud ودود, "wdwd", is no David).
_CONSONANT_W = re.compile(r"^w|w(?=[yw])")
_ANY_W = re.compile("w")
PERSIAN_LETTERS = (
    "Arabic letters as Persian, Pashto, Urdu, Turkish or Russian spelling reads them "
    "(persian_letters)"
)


def _letter_spellings(word: str) -> set[str]:
    """``word`` and each spelling of it with its letters read as
    ``_LETTER_READINGS`` read them."""
    spellings = {word}
    for written, readings in _LETTER_READINGS:
        if written in word:
            spellings |= {
                spelled.replace(written, reading)
                for spelled in spellings
                for reading in readings
            }
    return spellings


def _spellings(word: str) -> set[str]:
    """``word`` and each spelling of it with its letters read as
    ``_LETTER_READINGS`` read them, and each w also as v."""
    spellings = _letter_spellings(word)
    consonant_w = _ANY_W if word.count("w") == 1 else _CONSONANT_W
    if 0 < len(consonant_w.findall(word)) <= _W_AS_V:
        spellings |= {
            "".join(part + v for part, v in zip(parts, (*choice, ""), strict=True))
            for spelled in spellings
            for parts in [consonant_w.split(spelled)]
            for choice in product(("w", "v"), repeat=len(parts) - 1)
        }
    return spellings


def _long_keys(spellings: Iterable[str]) -> frozenset[str]:
    """The consonant keys of ``spellings`` of three consonants or more (fewer
    agree by chance)."""
    return frozenset(
        key for spelled in spellings if len(key := consonant_key(spelled)) >= 3
    )


# The article of a compound's second name, written joined inside a word
# ("سعد الدين" written together, sdldyn), before a sun letter: Latin spellings
# write it as that letter ("Saduddin", "Abdurrahman", "Shamsuddin")
_ASSIMILATED = re.compile(r"(?<=[a-z]{2})l(?=t|d|r|z|s|n)")
# A word's last letter ه or ة (ta marbuta), romanized h, writes a final vowel
# that Latin spellings write a or e ("جمعه" Juma, "سميرة" Samira); not after
# a letter that h makes one sound with (sh, kh, dh, gh, th, ch: so not in
# "زاده" Zada, zdh, whose dh is read d already), nor in a word of two letters.
# After z it is read a vowel too ("حمزة" Hamza, hmzh): Persian ژ, romanized
# zh, ends hardly any name.
_FINAL_VOWEL_H = re.compile(r"(?<=[a-z][abefjlmnoqrvwyiz])h$")
# The article al- before a sun letter that begins a word ("الصبار", lsbr;
# "الشاهبندر", lshhbndr): Latin spellings write it as the sun letter doubled
# ("Essabar", "As-Sabar") or not at all ("Shahbandar"); either way its l is
# not written. Not before a moon letter: "المهدي" Mehdi would be read so too,
# but a name that begins with ل is then read without it (لقمان, لطيف), and
# that brings more unlisted names to review than it finds listed ones.
_SUN_ARTICLE = re.compile(r"^l(?=t|d|r|z|s|n)(?=[a-z]{3})")


@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """The consonant keys of a romanized word as Arabic reads its letters
    (``_arabic_spellings``; and a compound's article as the sun letter after
    it, ``_ASSIMILATED``) and those of its other readings (``_spellings``)."""
    own = _long_keys(_arabic_spellings(word) | {_ASSIMILATED.sub("", word)})
    return own, _long_keys(_spellings(word)) - own


def _arabic_spellings(word: str) -> set[str]:
    """``word`` with its letters as Arabic reads them, in a word of any
    length: dh also as d (ض was romanized d) and as th (ظ and ض as Iraqi
    and Gulf names are spelt in English: "كاظم" Kathim, "البذالي"
    Al-Bathali), a final vowel h left out (``_FINAL_VOWEL_H``), an article
    before a sun letter left out (``_SUN_ARTICLE``), and ج as the French
    spellings of North Africa write it, dj ("جمال" Djamel, "جوادي"
    Djouadi)."""
    return {
        word,
        word.replace("dh", "d"),
        word.replace("dh", "th"),
        _FINAL_VOWEL_H.sub("", word),
        _SUN_ARTICLE.sub("", word),
        word.replace("dj", "j"),
    }


@lru_cache(maxsize=65536)
def abjad_keys(word: str) -> tuple[str, ...]:
    """Every consonant key by which a romanized Arabic-script word may reach a
    Latin spelling, as the index looks them up: its own
    (``scripts.consonant_key``) first, then those with a compound's article
    read as the sun letter after it and those of its letters read as other
    languages spell them (``_keys``), each with the foreign sounds of
    ``foreign_keys``; never a key of fewer than three consonants.

    >>> abjad_keys("rmdhn"), abjad_keys("jwad"), abjad_keys("ghr")
    (('rmdhn', 'rmdn', 'rmthn', 'rmzn'), ('jfd', 'djfd'), ('ghr', 'gr'))
    """
    own = consonant_key(word)
    found: dict[str, None] = {}
    for key in [own, *sorted(set().union(*_keys(word)) - {own})]:
        if len(key) >= 3:
            found.update(dict.fromkeys(foreign_keys(key)))
    return tuple(found)


CONSONANTS = "consonants (Arabic script)"
SHORT_CONSONANTS = "consonants of a short word (Arabic script, short_abjad)"
# letters of the longer word of a pair agreeing on fewer consonants, a doubled
# letter and a run of vowels counted once (``_written_length``)
SHORT_WORD = 5


def consonants_agree(a: str, b: str) -> str:
    """How two romanized words agree on their consonants, one of them written
    in Arabic script: ``CONSONANTS`` on a key as Arabic reads the letters,
    ``SHORT_CONSONANTS`` for two short words of one key of fewer than three
    consonants (``_short_words_agree``), ``persian_letters`` where a letter is
    read as Persian, Pashto, Urdu, Turkish or Russian spelling reads it; else "".
    Each word's letters are read each way (``_keys``), so the pair need not
    tell which is Arabic script: "Kadhim" and كاظم agree either way.

    >>> consonants_agree("mhmd", "mohammed"), consonants_agree("rmdhn", "ramadan")
    ('consonants (Arabic script)', 'consonants (Arabic script)')
    >>> consonants_agree("rmdhn", "ramzan")[-17:], consonants_agree("hmd", "hamza")
    ('(persian_letters)', '')
    """
    own_a, read_a = _keys(a)
    own_b, read_b = _keys(b)
    if not own_a.isdisjoint(own_b):
        return CONSONANTS
    if _short_words_agree(a, b):
        return SHORT_CONSONANTS
    if not (own_a | read_a).isdisjoint(own_b | read_b):
        return f"{CONSONANTS}, {PERSIAN_LETTERS}"
    if _short_readings_agree(a, b):
        return f"{SHORT_CONSONANTS}, {PERSIAN_LETTERS}"
    return ""


def _short_words_agree(a: str, b: str) -> bool:
    """Whether two short words (``SHORT_WORD`` letters at most, counted by
    ``_written_length``) agree on a key of one or two consonants as Arabic
    reads their letters (``_short_keys``): "علي" (ly) and Ali, "عدي" (dy) and
    Uday, "عزيز" (zyz) and Aziz, "جان" (jn) and Jan, "جمعه" (jmh) and Juma,
    "راضي" (rdhy) and Radi, "سيد" (syd) and Sayyed. Not looked up as a
    longer word's key is (``abjad_keys``): such a key is shared by too many
    words to reach a name by alone, but within a name that agrees elsewhere
    it is the word's spelling (the ranking reads the persons' names holding
    such a word as one posting: ``ScreeningIndex.short_abjad``)."""
    if _too_long(a) or _too_long(b):
        return False
    return not _short_keys(a)[0].isdisjoint(_short_keys(b)[0])


def _short_readings_agree(a: str, b: str) -> bool:
    """Whether two short words agree as ``_short_words_agree`` reads them
    once a letter is also read as Persian and Urdu read it: "ضیا" (dhy) and
    Zia, "اعظم" (dhm) and Azam."""
    if _too_long(a) or _too_long(b):
        return False
    own_a, read_a = _short_keys(a)
    own_b, read_b = _short_keys(b)
    return not (own_a | read_a).isdisjoint(own_b | read_b)


_VOWEL_RUN = re.compile(r"([aeiou])[aeiou]+")


def _too_long(word: str, kept: bool = True) -> bool:
    """Whether ``word`` is longer than a short word (``SHORT_WORD``) as
    ``_written_length`` measures it (remembered unless not ``kept``); a word
    of so many letters or fewer is not, unmeasured (most pairs the person
    rules ask about)."""
    if len(word) <= SHORT_WORD:
        return False
    measure = _written_length if kept else _written_length.__wrapped__
    return measure(word) > SHORT_WORD


@lru_cache(maxsize=65536)
def _written_length(word: str) -> int:
    """The letters of a romanized word as a short word is measured by
    (``SHORT_WORD``): a doubled letter once, as Arabic script writes a doubled
    consonant (shadda), and a run of vowels once: "Sayyed", six letters, is
    measured as "sayed", a short word as "سيد" (syd) is.

    >>> _written_length("sayyed"), _written_length("syd"), _written_length("zeinab")
    (5, 3, 5)
    """
    return len(_VOWEL_RUN.sub(r"\1", _REPEATS.sub(r"\1", word)))


def short_keys(word: str) -> frozenset[str]:
    """The keys of one or two consonants by which a short word (``SHORT_WORD``)
    may agree with another (``_short_words_agree``, ``_short_readings_agree``),
    each reading's; none for a longer word."""
    if _too_long(word):
        return frozenset()
    own, read = _short_keys(word)
    return own | read


def short_key_words(words: Iterable[str]) -> dict[str, list[str]]:
    """The short words of ``words`` (the lists' vocabulary) under each of
    their short keys (``short_keys``), in the order given: the listed words a
    short Arabic-script word may be paired with ("جان", jn, with "jan",
    "jaan" or "jon")."""
    found: dict[str, list[str]] = {}
    for word in words:
        if not word.isalpha() or _too_long(word, kept=False):  # each met once
            continue
        own, read = _short_keys.__wrapped__(word)  # not kept: each is met once
        for key in own | read:
            found.setdefault(key, []).append(word)
    return found


@lru_cache(maxsize=65536)
def _short_keys(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of one or two consonants of ``word`` as Arabic reads its
    letters (dh as dh or d, a final vowel h left out) and those of its other
    readings (``_letter_spellings``: dh as z, th as s or t, q as gh); not w
    as v, as a short word's one w is mostly a vowel ("نور" Nur)."""

    def short(spellings: set[str]) -> frozenset[str]:
        return frozenset(
            key for spelled in spellings if 0 < len(key := consonant_key(spelled)) < 3
        )

    own = short(_arabic_spellings(word))
    return own, short(_letter_spellings(word)) - own


# "عبد" (servant of) written apart from the name it is joined to: "عبد الستار",
# "عبد الرحمن". The Latin spellings split the compound elsewhere or not at all
# ("Abdul Satar", "Abd al-Rahman", "Abdulsatar"), so on consonants "bd" +
# "lstr" meets neither "abdul" + "satar" nor "abdulsatar"; written together
# ("عبدالستار", bdlstr) it meets both, one Latin word or two written together
# (``features._joins``).
_ABD_APART = re.compile(
    r"(?<![\u0600-\u06ff])(\u0639\u0628\u062f)\s+(?=[\u0600-\u06ff])"
)
ABD_JOINED = "عبد written together with the name after it (abd_joined)"


def abd_joined(name: str) -> str | None:
    """``name`` with each "عبد" written together with the word after it, when
    it writes one apart; else None.

    >>> abd_joined("عبد الستار عبد المنان"), abd_joined("محمد عبدالله")
    ('عبدالستار عبدالمنان', None)
    """
    if "\u0639\u0628\u062f" not in name:
        return None  # the cheap test: no عبد at all
    joined = _ABD_APART.sub(r"\1", name)
    return joined if joined != name else None


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


def _silent_e(target: str) -> bool:
    """Whether the Latin word ends in an e after a consonant, silent in
    English, French and German names (George, Claude, Lagarde, Hollande), a
    vowel that Arabic script, writing sounds, has no reason to write."""
    return (
        len(target) > 3
        and target[-1] == "e"
        and target[-2] not in _LATIN_VOWELS
        and any(ch in _LATIN_VOWELS for ch in target[:-1])
    )


def _silent_h(target: str, j: int) -> bool:
    """Whether the Latin letter at ``j`` is an h after a vowel and before a
    consonant or the end, which English and German write but do not sound
    (Johnson جونسون, John جون), so Arabic script writes nothing for it; a
    written ح or ه still pairs with it as before."""
    return (
        0 < j < len(target)
        and target[j] == "h"
        and target[j - 1] in _LATIN_VOWELS
        and (j + 1 == len(target) or target[j + 1] not in _LATIN_VOWELS)
    )


@lru_cache(maxsize=65536)
def spelled_vowels(
    arabic: str, latin: str, foreign: bool = True
) -> tuple[int, int] | None:
    """Whether the Arabic-script word ``arabic`` spells the Latin word ``latin``
    letter by letter, a short vowel unwritten between letters: the Latin vowels
    its vowel letters write (the most any reading gives) and the Latin word's
    vowels, or None.

    With ``foreign`` (``foreign_sounds``), also as Arabic script writes the
    sounds of European names: the two-letter spellings of ch, z and the long
    i (``_DIGRAPH_CONSONANTS``, ``_DIGRAPH_VOWELS``), an h silent after a
    vowel, and a final e after a consonant not counted among the vowels to
    write when the Arabic word ends in a consonant letter.

    >>> spelled_vowels("فرناندو", "fernando"), spelled_vowels("محمد", "mohammed")
    ((2, 3), (0, 3))
    >>> spelled_vowels("باراك", "barack"), spelled_vowels("بيريز", "maria")
    ((2, 2), None)
    >>> spelled_vowels("شولتس", "scholz"), spelled_vowels("شولتس", "scholz", False)
    ((1, 1), None)
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
        if foreign and _silent_h(target, j):  # Johnson جونسون, John جون
            silent = best(i, j + 1, False)
            if silent is not None and (found is None or silent > found):
                found = silent
        pair = arabic[i : i + 2] if foreign else ""
        for spelling in _DIGRAPH_CONSONANTS.get(pair, ()):
            if target.startswith(spelling, j):
                rest = best(i + 2, j + len(spelling), True)
                if rest is not None and (found is None or rest > found):
                    found = rest
        for spelling in _DIGRAPH_VOWELS.get(pair, ()):
            if target.startswith(spelling, j):
                rest = best(i + 2, j + len(spelling), True)
                if rest is not None:
                    rest += sum(1 for ch in spelling if ch in _LATIN_VOWELS)
                    if found is None or rest > found:
                        found = rest
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
    vowels = sum(1 for ch in target if ch in _LATIN_VOWELS)
    if foreign and _silent_e(target) and arabic[-1] not in _WRITES_VOWEL:
        vowels -= 1  # George جورج, Claude كلود: nothing to write
    return written, vowels
