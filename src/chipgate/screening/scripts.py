"""Romanization of the scripts names are written in, without ICU.

Everything becomes lower-case ASCII through ``anyascii`` (a pure-Python table, no
compiler or system library needed), with three corrections that matter for names:

- Chinese characters are written as separate pinyin syllables ("金正恩" -> "jin
  zheng en"), so that syllables align with the words of a romanized listed name.
- Hangul is written syllable by syllable in the Revised Romanization, and
  ``korean_name_forms`` gives the spelling the lists use for Korean persons
  (surname table, McCune-Reischauer-style vowels: "김정은" -> "kim jong un").
- Arabic script is written without vowels (the script has none); ``abjad``
  says so, and the matcher then compares consonant skeletons. The letters the
  script writes in several ways (alef with or without hamza, alef maqsura, ta
  marbuta) are folded to one first (``fold_arabic``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Sequence
from functools import lru_cache

from anyascii import anyascii

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_SPACES = re.compile(" {2,}")
_SYLLABIC = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]")

# The usual spelling of common Korean surnames on the lists and in passports
# (Revised Romanization would give Gim, I, Bak, Jeong, Choe ...).
KOREAN_SURNAMES = {
    "김": "kim", "이": "lee", "리": "ri", "박": "park", "최": "choe", "정": "jong",
    "강": "kang", "조": "jo", "윤": "yun", "장": "jang", "임": "rim", "한": "han",
    "오": "o", "서": "so", "신": "sin", "권": "kwon", "황": "hwang", "안": "an",
    "송": "song", "류": "ryu", "홍": "hong", "전": "jon", "고": "ko", "문": "mun",
    "손": "son", "양": "yang", "배": "pae", "백": "paek", "허": "ho", "남": "nam",
    "심": "sim", "노": "no", "로": "ro", "하": "ha", "곽": "kwak", "성": "song",
    "차": "cha", "주": "ju", "우": "u", "구": "ku", "민": "min", "유": "yu",
    "나": "na", "진": "jin", "지": "ji", "방": "pang", "현": "hyon", "태": "thae",
}  # fmt: skip


# Surnames the two Koreas write differently (the South drops or softens an
# initial r/l: 이 for the North's 리). Each is also read the other way, so that
# 이영길 reaches "RI Yong Gil" as the same name, not as a spelling variant.
KOREAN_SURNAME_PAIRS = {
    "이": "ri", "리": "lee", "임": "im", "림": "im", "유": "ryu", "류": "yu",
    "노": "ro", "로": "no", "양": "ryang", "량": "yang", "나": "ra", "라": "na",
}  # fmt: skip


# Letters Arabic script writes in several ways for one sound: the alef with or
# without hamza or madda, alef maqsura for ya, hamza on waw or ya, ta marbuta for
# ha; a lone hamza is dropped. Folded before transliteration, so that أحمد and
# احمد, مصطفى and مصطفي, علي and على are one spelling.
_ARABIC_FOLD = str.maketrans(
    {
        "\u0622": "\u0627",  # alef with madda
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0671": "\u0627",  # alef wasla
        "\u0649": "\u064a",  # alef maqsura
        "\u0624": "\u0648",  # waw with hamza
        "\u0626": "\u064a",  # ya with hamza
        "\u0629": "\u0647",  # ta marbuta
        "\u0621": None,  # hamza
    }
)


def fold_arabic(text: str) -> str:
    """Arabic-script spelling variants of one letter written as one letter.

    >>> fold_arabic("أحمد") == fold_arabic("احمد"), fold_arabic("على") == fold_arabic("علي")
    (True, True)
    """
    return text.translate(_ARABIC_FOLD) if _ARABIC.search(text) else text


def has_syllabic(text: str) -> bool:
    """Whether ``text`` holds Chinese characters or Hangul (one syllable each)."""
    return bool(_SYLLABIC.search(text))


def has_han(text: str) -> bool:
    """Whether ``text`` holds Chinese characters."""
    return bool(_HAN.search(text))


def abjad(text: str) -> bool:
    """Whether ``text`` is written in Arabic script (vowels not written)."""
    return bool(_ARABIC.search(text))


def is_hangul(text: str) -> bool:
    """Whether ``text`` holds Hangul syllables."""
    return bool(_HANGUL.search(text))


# Modern Greek writes b, d and g as the digraphs μπ, ντ and γκ; at the start or
# the end of a word (foreign names: "Μπασάρ αλ-Άσαντ", Bashar al-Assad) they are
# nothing else, and inside a word they sound mb, nd, ng ("Ομπάμα" Obama,
# "Αντώνης" Antonis); anyascii writes them mp, nt, gk. It also writes the vowel
# pairs ου, αυ, ευ "oy", "ay", "ey": they are u, av, ev ("Πούτιν" Putin).
_GREEK_DIGRAPH = re.compile(
    r"(?<![^\W\d_])([Μμ][Ππ]|[Νν][Ττ]|[Γγ][Κκ])|([Νν][Ττ])(?![^\W\d_])"
    r"|[Μμ][Ππ]|[Νν][Ττ]|[Γγ][Κκ]|[ΟοΑαΕε][υύ]"
)
_GREEK_STOPS = {"μ": "b", "ν": "d", "γ": "g", "Μ": "B", "Ν": "D", "Γ": "G"}
_GREEK_INSIDE = {"μ": "mb", "ν": "nd", "γ": "ng", "ο": "u", "α": "av", "ε": "ev"}
# Armenian writes u with two letters, ու, which anyascii gives as "ow" ("Պուտին").
_ARMENIAN_U = re.compile("[Ոո]ւ")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_GEORGIAN = re.compile(r"[\u10d0-\u10ff]")
_DEVANAGARI_WORD = re.compile(r"[\u0900-\u097f]+")
_SCHWA = "@"  # the vowel a Devanagari consonant carries unwritten
_NUKTA = {"ph": "f", "j": "z", "k": "q", "g": "gh", "kh": "kh"}


def _greek_stop(found: re.Match[str]) -> str:
    first = found.group(0)[0]
    if found.group(1) or found.group(2):
        return _GREEK_STOPS[first]  # at a word's edge: b, d, g
    written = _GREEK_INSIDE[first.lower()]
    return written.capitalize() if first.isupper() else written


def _devanagari_consonant(char: str) -> bool:
    code = ord(char)
    return 0x915 <= code <= 0x939 or 0x958 <= code <= 0x95F


def _devanagari_sign(char: str) -> bool:
    """A dependent vowel sign (matra)."""
    code = ord(char)
    return 0x93E <= code <= 0x94C or 0x962 <= code <= 0x963


def devanagari_word(word: str) -> str:
    """A word in Devanagari in Latin letters, with the vowel its consonants
    carry unwritten (``devanagari_schwa``).

    A consonant with no vowel sign and no virama is read with "a"; Hindi leaves
    that vowel out at the end of a word (unless it closes a cluster: Narendra)
    and between a vowel and a consonant that carries a vowel of its own (राजनाथ
    is Rajnath, कमला Kamla). Letter by letter (``anyascii``) "नरेंद्र मोदी" was
    "nremdr modi", so no listed Indian name could be found.

    >>> devanagari_word("नरेंद्र"), devanagari_word("मोदी"), devanagari_word("राजनाथ")
    ('narendra', 'modi', 'rajnath')
    >>> devanagari_word("शर्मा"), devanagari_word("गांधी"), devanagari_word("कमला")
    ('sharma', 'gandhi', 'kamla')
    """
    units: list[list[str]] = []  # [consonant, vowel, nasal]; _SCHWA unwritten
    for i, char in enumerate(word):
        if _devanagari_consonant(char):
            letters = "sh" if char in "शष" else anyascii(char)
            units.append([letters, _SCHWA, ""])
        elif _devanagari_sign(char) and units:
            units[-1][1] = anyascii(char)
        elif char == "\u094d" and units:  # virama: no vowel
            units[-1][1] = ""
        elif char in "\u0902\u0901":  # anusvara, candrabindu: a nasal
            following = word[i + 1 : i + 2]
            sound = anyascii(following)[:1] if following else ""
            # m before a labial; Singh (सिंह) before h
            nasal = "m" if sound and sound in "pbm" else "ng" if sound == "h" else "n"
            if units:
                units[-1][2] += nasal
            else:
                units.append(["", "", nasal])
        elif char == "\u093c" and units:  # nukta: फ़ f, ज़ z, क़ q
            units[-1][0] = _NUKTA.get(units[-1][0], units[-1][0])
        else:
            units.append(["", anyascii(char), ""])  # an independent vowel
    for k, unit in enumerate(units):
        if unit[1] == _SCHWA and unit[0] and _schwa_silent(units, k):
            unit[1] = ""
    return "".join("".join(unit) for unit in units).replace(_SCHWA, "a")


def _schwa_silent(units: list[list[str]], k: int) -> bool:
    """Whether Hindi leaves out the unwritten vowel of consonant ``k``: at the
    end of a word after a vowel, or between a vowel and a consonant that carries
    a vowel sign (no nasal on either side of it)."""
    if k == 0:
        return False
    before = units[k - 1]
    if k == len(units) - 1:
        return not (before[1] == "" and before[0])  # not closing a cluster
    after = units[k + 1]
    return bool(
        not units[k][2]
        and before[1]
        and not before[2]
        and after[0]
        and after[1] not in ("", _SCHWA)
    )


def romanize(text: str) -> str:
    """ASCII form of ``text``, one syllable per word for Chinese and Hangul.

    >>> romanize("金正恩")
    'Jin Zheng En'
    >>> romanize("Müller")
    'Muller'
    >>> romanize("Μπασάρ αλ-Άσαντ"), romanize("Ομπάμα Πούτιν"), romanize("Պուտին")
    ('Basar al-Asad', 'Ombama Putin', 'Putin')
    >>> romanize("नरेंद्र मोदी"), romanize("رمضان"), romanize("يعقوب")
    ('narendra modi', 'rmdhn', 'yqwb')
    """
    text = fold_arabic(unicodedata.normalize("NFKC", text))
    if "\u0636" in text:
        # ض as anyascii writes ظ and ذ (dh), not as د (d): the three are read
        # d, dh or z by Arabic and by Persian, Urdu, Turkish and Russian
        # spellings (رضا Reza, رمضان Ramadan and Ramzan), د only d
        # (``abjad_letters.abjad_keys``)
        text = text.replace("\u0636", "\u0630")
    if "\u0639" in text:
        # ع, which anyascii writes as a backquote: inside a word that split
        # it in two ("سعد" s`d read as "s" and "d", "يعقوب" as "y" and
        # "qwb"); Latin spellings write it as nothing, an apostrophe or a
        # vowel (Saad, Sa'd, Yaqub), none of which the consonants count
        text = text.replace("\u0639", "")
    if _GREEK.search(text):
        text = _GREEK_DIGRAPH.sub(_greek_stop, text)
    if _ARMENIAN_U.search(text):
        text = _ARMENIAN_U.sub(lambda m: "U" if m.group(0)[0] == "Ո" else "u", text)
    if _DEVANAGARI_WORD.search(text):
        text = _DEVANAGARI_WORD.sub(lambda m: devanagari_word(m.group(0)), text)
    if _KANA.search(text):
        text = kana_text(text)
    if not has_syllabic(text):
        return anyascii(text)
    parts = []
    for char in text:
        if _SYLLABIC.match(char):
            parts.append(f" {anyascii(char)} ")
        else:
            parts.append(anyascii(char))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _mr_style(syllable: str) -> str:
    """A Revised Romanization syllable in the vowels of the lists' spelling."""
    if syllable.startswith("l"):
        syllable = "r" + syllable[1:]  # initial rieul: Ryong, Ri
    return syllable.replace("eo", "o").replace("eu", "u")


def korean_name_forms(text: str) -> list[str]:
    """The spellings of a Hangul person name as the lists write them.

    >>> korean_name_forms("김정은")
    ['kim jong un']
    >>> korean_name_forms("최룡해")
    ['choe ryong hae']
    >>> korean_name_forms("영길 이")
    ['yong gil lee', 'yong gil ri']
    """
    forms: list[list[str]] = [[]]
    for word in text.split():
        syllables = [c for c in word if _HANGUL.match(c)]
        if not syllables:
            continue
        head = KOREAN_SURNAMES.get(syllables[0])
        tail = [_mr_style(anyascii(c).lower()) for c in syllables[1:]]
        if head is None or len(syllables) > 4:
            spelled = [" ".join(_mr_style(anyascii(c).lower()) for c in syllables)]
        else:
            spelled = [" ".join([head, *tail])]
            other = KOREAN_SURNAME_PAIRS.get(syllables[0])
            if other is not None:
                spelled.append(" ".join([other, *tail]))
        forms = [[*form, word_form] for form in forms for word_form in spelled]
    return [" ".join(form) for form in forms if form]


_VOWELS = re.compile(r"[aeiouyw]")
_CONSONANT_MAP = str.maketrans({"q": "k", "p": "b", "v": "f"})
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=262144)
def consonant_key(word: str) -> str:
    """A romanized word without its vowels, as Arabic script writes it.

    Arabic script leaves short vowels unwritten and has no p or v, so the
    romanization of an Arabic name ("mhmd", "slmn") agrees with the Latin
    spellings of that name ("Mohammed", "Salman") on this key alone.

    >>> consonant_key("mohammed"), consonant_key("mhmd"), consonant_key("lsysy")
    ('mhmd', 'mhmd', 'ls')

    Remembered (bounded), as ``tokens.skeleton`` is: the person rules key
    both words of every pair of an Arabic-script name with the lists' words,
    and the words recur.
    """
    letters = "".join(ch for ch in word.lower() if ch.isalpha())
    return _REPEATS.sub(r"\1", _VOWELS.sub("", letters).translate(_CONSONANT_MAP))


# Scripts with rules of their own (Latin; Chinese, Hangul and kana by syllable;
# Arabic on consonants): never compared as written by ``written_words``.
_OWN_RULES = frozenset({"LATIN", "CJK", "HANGUL", "HIRAGANA", "KATAKANA", "ARABIC"})


@lru_cache(maxsize=65536)
def written_words(name: str) -> tuple[str, tuple[str, ...]]:
    """The script and the words of ``name`` as written (lower case, punctuation
    apart), when the whole name is in one alphabet other than those with rules of
    their own (Cyrillic, Greek, Devanagari, Thai, Khmer, Ethiopic ...); else
    ``("", ())``.

    Transliteration writes one letter as several ("Вучић" -> "vuchic"): a typo of
    one letter as written is two in the Latin spelling. Compared in the script
    written, the letter counts once.

    >>> written_words("Александар Вучић")
    ('CYRILLIC', ('александар', 'вучић'))
    >>> written_words("Aleksandar Vučić"), written_words("Вучић Vucic")
    (('', ()), ('', ()))
    """
    if name.isascii():
        return "", ()  # ASCII letters are Latin: most names, decided at once
    scripts: set[str] = set()
    chars = []
    for char in unicodedata.normalize("NFKC", name).casefold():
        kind = unicodedata.category(char)
        if kind[0] in "PSZC":
            chars.append(" ")
            continue
        if kind[0] == "L":
            script = unicodedata.name(char, "OTHER").split()[0]
            if script in _OWN_RULES or (scripts and script not in scripts):
                # a script with rules of its own, or a second script: no
                # letter after this one can make the name one alphabet's
                return "", ()
            scripts.add(script)
        chars.append(char)
    if len(scripts) != 1:
        return "", ()
    return scripts.pop(), tuple("".join(chars).split())


_BACKWARDS_WORD = re.compile(r"[a-z]{2,}[A-Z]")


def written_backwards(name: str) -> str | None:
    """The name read the right way round when each of its words is written
    backwards, letter for letter, as its capitals show: a capital at the end of
    every word and nowhere else ("nituP rimidalV" is "Vladimir Putin"), a way
    to slip a name past a screen that a reader sees through at once. Names
    written as people write them never end a word on its only capital
    (``eBay``, ``McDonald``, ``iOS`` do not either).

    >>> written_backwards("nituP rimidalV"), written_backwards("Vladimir Putin")
    ('Vladimir Putin', None)
    """
    if not name or not name[-1].isupper() or name[0].isupper():
        return None  # the cheap test: the last letter is a capital, the first not
    words = name.split()
    if not all(_BACKWARDS_WORD.fullmatch(word) for word in words):
        return None
    return " ".join(word[::-1] for word in reversed(words))


TURNED_MIN = 3  # letters of each word of a name read backwards unmarked


def turned_words(words: Sequence[str], listed: Container[str]) -> str | None:
    """The name read the right way round when it is written backwards without
    the capitals that ``written_backwards`` reads ("nitup rimidalv",
    "NITUP RIMIDALV" for "Vladimir Putin"): two words or more, each of
    ``TURNED_MIN`` letters or more, none a listed word, and every one a listed
    word when turned round. A name as people write it is made of words of the
    lists or of none; one whose words all turn into listed words is the
    evasion. A single word is left as written: "Lager" would be "Regal".

    >>> turned_words(["nitup", "rimidalv"], {"vladimir", "putin"})
    'vladimir putin'
    >>> turned_words(["putin", "rimidalv"], {"vladimir", "putin"}) is None
    True
    """
    if len(words) < 2:
        return None
    if any(len(w) < TURNED_MIN or not w.isalpha() or w in listed for w in words):
        return None
    turned = [w[::-1] for w in reversed(words)]
    if not all(w in listed for w in turned):
        return None
    return " ".join(turned)


# Four or more single letters in a row, the same space, hyphen, dot or
# underscore between each two ("V l a d i m i r", "P-u-t-i-n").
_SPACED = re.compile(
    r"(?<!\w)[^\W\d_](?P<gap>[ ._\-])[^\W\d_](?:(?P=gap)[^\W\d_]){2,}(?!\w)"
)


def _joined(run: re.Match[str]) -> str:
    """A run of spaced letters as words: joined, and apart again before a
    capital that follows a small letter ("VladimirPutin" is two words)."""
    letters = run.group(0).replace(run.group("gap"), "")
    if letters.isupper() or letters.islower():
        return letters
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", letters)


def spaced_letters(name: str) -> str | None:
    """The name with each run of four or more single letters written as one
    word, when it has one ("V l a d i m i r P u t i n" is "Vladimir Putin",
    apart where a capital follows a small letter; "P U T I N" is "PUTIN"): a
    way to slip a name past a screen that compares words, and one a reader
    sees through at once. Initials come in ones, twos and threes ("J. R. R.
    Tolkien"), not four in a row.

    >>> spaced_letters("V l a d i m i r P u t i n"), spaced_letters("P-u-t-i-n V.")
    ('Vladimir Putin', 'Putin V.')
    >>> spaced_letters("J R R Tolkien"), spaced_letters("Vladimir Putin")
    (None, None)
    """
    joined = _SPACED.sub(_joined, name)
    return joined if joined != name else None


# A word of small letters then a capital and small letters again, each part of
# three letters or more ("HuaweiTechnologies"; not "McDonald", "DeVito").
_CAMEL = re.compile(r"(?<=[^\W\d_]{3})(?<=[a-z])(?=[A-Z][a-z]{2})")
_SMALL_THEN_CAPITAL = re.compile(r"[a-z][A-Z]")


def camel_words(name: str) -> str | None:
    """The name with its words written together in capitals and small letters
    set apart ("HuaweiTechnologies" is "Huawei Technologies"), when it has
    such a word; else None. The words of a listed name written as one are
    one unknown word to the index: "HuaweiTechnologies" met nothing.

    >>> camel_words("HuaweiTechnologies Co"), camel_words("PetroChina")
    ('Huawei Technologies Co', 'Petro China')
    >>> camel_words("McDonald"), camel_words("DeVito"), camel_words("iPhone")
    (None, None, None)
    """
    if _SMALL_THEN_CAPITAL.search(name) is None:
        return None  # most names, at a fraction of the full pattern's cost
    split = _CAMEL.sub(" ", name)
    return split if split != name else None


# Two or three initials written with dots and no space ("V.V.", "И.И.",
# "J.R.R."), alone between spaces.
_DOTTED_INITIALS = re.compile(r"(?<!\S)(?:[^\W\d_]\.){2,3}(?!\S)")


def dotted_initials(name: str) -> str | None:
    """The name with its initials written with dots and no space set apart
    ("V.V. Putin" is "V. V. Putin"), when it has some beside a word of two
    letters or more; else None.

    Russian and Ukrainian papers write a person as a surname and initials
    ("Путин В.В.", "Сечин И.И."). Read as written, the dotted letters are one
    word ("vv"), as "S.A." and "L.L.C." are meant to be; "I.I." is then the
    numeral "ii" left out as a suffix, "O.V." and "A.B." words no listed name
    holds, and "Путин В.В." met nothing. Set apart, each is an initial the
    person rules pair with a given name or patronymic.

    >>> dotted_initials("Путин В.В."), dotted_initials("I.I. Sechin")
    ('Путин В. В.', 'I. I. Sechin')
    >>> dotted_initials("U.S.A."), dotted_initials("V. V. Putin")
    (None, None)

    A company's form written so ("Acme S.A.") is set apart too; the caller
    reads only a name without company forms (``matcher.query_forms``).
    """
    if "." not in name or not any(
        len(word) > 1 and "." not in word for word in name.split()
    ):
        return None  # most names hold no dot
    spaced = _DOTTED_INITIALS.sub(
        lambda run: run.group(0).replace(".", ". ").rstrip(), name
    )
    return spaced if spaced != name else None


_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")
_SMALL_Y = frozenset("ゃゅょャュョ")
_SMALL_VOWEL = frozenset("ぁぃぅぇぉァィゥェォ")
_GEMINATE = frozenset("っッ")
_LONG = "\u30fc"
_NOT_LETTERS = re.compile(r"[^A-Za-z]+")


def _kana_units(word: str) -> list[tuple[str, bool]]:
    """Each kana of ``word`` with the small kana written after it, in Hepburn
    letters, and whether a long mark (ー) follows it.

    anyascii writes each kana alone, so シャ is "shiya" and ティ "tei"; a small kana
    changes the one before it (sha, ti), and a small tsu doubles the next
    consonant (ッ).
    """
    units: list[tuple[str, bool]] = []
    double = False
    for char in word:
        if char in _GEMINATE:
            double = True
            continue
        if char == _LONG:
            if units:
                units[-1] = (units[-1][0], True)
            continue
        small = anyascii(char).lower()
        if units and char in _SMALL_Y and units[-1][0].endswith("i"):
            stem = units[-1][0][:-1]
            units[-1] = (stem + (small[1:] if stem[-2:] in ("sh", "ch") or stem[-1:] == "j" else small), False)
            continue
        if units and char in _SMALL_VOWEL:
            base = units[-1][0]
            stem = "w" if base == "u" else base[:-1] if len(base) > 1 else base
            units[-1] = (stem + small, False)
            continue
        if double and small[:1].isalpha() and small[:1] not in "aiueon":
            small = ("t" if small.startswith("ch") else small[0]) + small
        double = False
        units.append((small, False))
    return units


def _added_vowel(letters: str, following: str) -> bool:
    """Whether the vowel of a kana is the one Japanese adds to a consonant of a
    foreign name: u before another consonant or at the end ("su" of スミス,
    Smith), but not before a doubled one, which closes the syllable (ブッシュ,
    Bush); o after t or d at the end or before r (ド of ドナルド, ト of トランプ)."""
    if len(letters) < 2 or letters == "n":
        return False
    if (len(following) > 1 and following[0] == following[1]) or following[:3] == "tch":
        return False  # a doubled consonant follows: the vowel is the name's own
    if letters.endswith("u"):
        return not following or following[0] not in "aiueo"
    return letters in ("to", "do") and (not following or following[0] == "r")


def kana_word(word: str, foreign: bool = False) -> str:
    """A word in kana in Latin letters (Hepburn, small kana joined).

    ``foreign``: read as a foreign name written in katakana (``kana_foreign``),
    the vowels Japanese adds after a consonant left out (``_added_vowel``)
    unless a long mark shows the vowel is the name's own ("メルケル" merker for
    Merkel, "ドナルド" donard for Donald, but "プーチン" puchin).

    >>> kana_word("シャ"), kana_word("ティ"), kana_word("バッハ")
    ('sha', 'ti', 'bahha')
    >>> kana_word("メルケル", True), kana_word("ドナルド", True), kana_word("プーチン", True)
    ('merker', 'donard', 'puchin')
    """
    units = _kana_units(word)
    out = []
    for k, (letters, long_) in enumerate(units):
        following = units[k + 1][0] if k + 1 < len(units) else ""
        if foreign and not long_ and _added_vowel(letters, following):
            letters = letters[:-1]
        out.append(letters)
    return "".join(out)


def kana_text(text: str, foreign: bool = False) -> str:
    """``text`` with each run of kana written by ``kana_word``."""
    return re.sub(
        r"[\u3041-\u3096\u30a1-\u30fa\u30fc]+",
        lambda m: f" {kana_word(m.group(0), foreign)} ",
        text,
    )


def katakana_readings(name: str) -> list[str]:
    """The name read as a foreign name written in katakana (``kana_foreign``),
    when that differs from reading it as Japanese; else nothing.

    >>> katakana_readings("アンゲラ・メルケル"), katakana_readings("Merkel")
    (['angera merker'], [])
    """
    if not _KANA.search(name):
        return []  # the cheap test: no kana at all
    foreign, plain = (
        " ".join(_NOT_LETTERS.sub(" ", anyascii(kana_text(name, way))).split())
        for way in (True, False)
    )
    return [foreign] if foreign != plain else []


# Georgian gives a name ending in a consonant the nominative ending -i
# ("პუტინი" Putin-i, "ტრამპი" Trump-i); the name itself has none.
_GEORGIAN_NOMINATIVE = re.compile(r"(?<=[\u10d0-\u10f0])(?<![აეიოუ])ი(?![\u10d0-\u10f0])")


def georgian_readings(name: str) -> list[str]:
    """The name read without the Georgian nominative ending -i after a final
    consonant (``georgian_nominative``), when a word has it; else nothing.

    >>> georgian_readings("ვლადიმერ პუტინი"), georgian_readings("ბარაკ ობამა")
    (['vladimer putin'], [])
    """
    if not _GEORGIAN.search(name):
        return []  # the cheap test: no Georgian letter at all
    bare = _GEORGIAN_NOMINATIVE.sub("", name)
    # anyascii marks the ejectives with an apostrophe (p'ut'in): not a letter
    return [romanize(bare).replace("'", "")] if bare != name else []
