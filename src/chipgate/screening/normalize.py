"""Name normalization: one comparable form for every way a name gets written.

Both the list names and the query go through the same steps, so that what differs
between two spellings of the same party is only what no rule can explain:

1. Unicode NFKC; common Chinese company words replaced by the English the lists
   use (``data/chinese_terms.yaml``); then transliteration to ASCII
   (``screening.scripts``: Cyrillic, Chinese and Hangul as syllables, Arabic,
   Greek, kana, accents).
2. Case folding, punctuation to spaces.
3. A few abbreviations that are not prefixes expanded (Intl, Mfg, Natl ...).
4. Company-type forms removed (``data/org_forms.yaml``: Co., Ltd., Company
   Limited, LLC, OOO, GmbH, PJSC, S.A. de C.V. ...), plus the pinyin forms of the
   Chinese company suffixes (you xian gong si ...) and generic company words
   (Company, Corporation, Pvt) wherever they stand. The words as written stay in
   ``NormalizedName.full``: person names are compared on those, never stripped.

Word order is not fixed here: matching compares tokens as sets, weighted by rarity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz.distance import OSA

from chipgate.screening.places import is_place, parenthetical_places
from chipgate.screening.scripts import abjad, has_syllabic, romanize

# Pinyin of Chinese company-type suffixes; longest first so that the longest wins.
_PINYIN_FORMS = (
    "gu fen you xian gong si",
    "you xian ze ren gong si",
    "you xian gong si",
    "ji tuan gong si",
    "gong si",
)
# Each written by syllable (as Chinese characters are romanized) or as pinyin
# words join them: "Youxian Gongsi", "Gufen Youxian Gongsi", "Youxiangongsi".
_PINYIN = re.compile(
    r"\b(?:" + "|".join(" ?".join(f.split()) for f in _PINYIN_FORMS) + r")\b"
)
# Words that name a company form wherever they stand ("Company Limited" loses
# "Limited" to the table and keeps "Company"; "Tactical Missile Corporation, KB
# Mashinostroeniya" has its form in the middle).
_RESIDUAL = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "limited",
        "ltd",
        "pvt",
    }
)
# Abbreviations that are not prefixes of the word they stand for (prefixes such
# as "Tech" are matched by the token similarity instead).
_ABBREVIATIONS = {
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "intl": "international",
    "mfg": "manufacturing",
    "natl": "national",
    "assn": "association",
    "govt": "government",
    "dept": "department",
    "bros": "brothers",
    "svcs": "services",
    "hldgs": "holdings",
}
_HAN = re.compile(r"[\u3400-\u9fff]")
_BRACKETS = re.compile(r"[\(\[\{][^\)\]\}]*[\)\]\}]")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")
# Punctuation and symbols separate words; apostrophes join (O'Brien, Mu'ammar).
# Dotted abbreviations are one word: "L.L.C." is "LLC", "S.A." is "SA".
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_PUNCTUATION = re.compile(r"[^\w']+|_")


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name in comparable form.

    Attributes:
        tokens: the words that identify the party, in written order.
        org_forms: company-type words that were removed (for explanations).
        written: every word as written when forms were removed (else empty).
        script: ``syllabic`` (Chinese, Hangul: one written syllable per word, so
            a one-letter difference is another character, not a typo),
            ``abjad`` (Arabic: vowels not written), or empty.
        places: words of a country or region written in parentheses ("Deutsche
            Bank (Schweiz) AG"); they stay in ``tokens`` too
            (``places.parenthetical_places``).
    """

    tokens: tuple[str, ...]
    org_forms: tuple[str, ...] = ()
    written: tuple[str, ...] = ()
    script: str = ""
    places: tuple[str, ...] = ()

    @property
    def full(self) -> tuple[str, ...]:
        """Every word as written, company forms kept (how persons are compared)."""
        return self.written or self.tokens

    @property
    def text(self) -> str:
        """Tokens joined by single spaces."""
        return " ".join(self.tokens)

    @property
    def compact(self) -> str:
        """Tokens joined without spaces ("hua wei" and "huawei" agree)."""
        return "".join(self.tokens)


def _package_yaml(name: str) -> dict[str, Any]:
    """A YAML table of ``data/`` (package data), as read."""
    path = resources.files("chipgate.screening").joinpath(f"data/{name}")
    table: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return table


def _longest_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Written forms and what they are read as, the longest written first: a
    longer term holds shorter ones (股份有限公司 holds 有限公司)."""
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _written_as(text: str, table: Iterable[tuple[str, str]]) -> str:
    """``text`` with each written form of ``table`` replaced by its reading,
    spaced apart as a word of its own."""
    for written, reading in table:
        if written in text:
            text = text.replace(written, f" {reading} ")
    return text


@cache
def _chinese_table() -> dict[str, Any]:
    """``data/chinese_terms.yaml`` as read."""
    return _package_yaml("chinese_terms.yaml")


@cache
def _chinese_terms() -> tuple[tuple[str, str], ...]:
    """Chinese company words -> English, longest first (package data)."""
    terms = _chinese_table()["terms"]
    return _longest_first((str(k), str(v)) for k, v in terms.items())


@cache
def _chinese_places() -> tuple[tuple[str, str], ...]:
    """Chinese place names the romanizer reads another way -> their names,
    longest first (``data/chinese_places.yaml``)."""
    places = _package_yaml("chinese_places.yaml")["places"]
    return _longest_first((str(k), str(v["name"])) for k, v in places.items())


def _simplified_places(text: str) -> str:
    """``text`` in simplified characters for the tables' words
    (``_simplified``), each place of ``data/chinese_places.yaml`` written as
    its name: "成都" is Chengdu, which the romanizer reads "cheng dou"."""
    return _written_as(text.translate(_simplified()), _chinese_places())


@cache
def _simplified() -> dict[int, int]:
    """The traditional characters of the Chinese company words, each to its
    simplified form (``str.translate``'s table): "國際貿易" is read as the
    words "国际贸易" are."""
    table = _chinese_table()
    traditional, simplified = str(table["traditional"]), str(table["simplified"])
    if len(traditional) != len(simplified):
        raise ValueError(
            "data/chinese_terms.yaml: 'traditional' and 'simplified' must pair "
            f"character for character ({len(traditional)} and {len(simplified)})"
        )
    return str.maketrans(traditional, simplified)


@cache
def _chinese_other_terms() -> tuple[tuple[str, str], ...]:
    """The company words with their other renderings in place of the first
    (``other_renderings`` of ``data/chinese_terms.yaml``), longest first."""
    table = _chinese_table()
    terms = {str(k): str(v) for k, v in table["terms"].items()}
    terms.update((str(k), str(v)) for k, v in table["other_renderings"].items())
    return _longest_first(terms.items())


def _chinese_text(name: str) -> str | None:
    """``name`` as the Chinese readings start from it (NFKC, the tables'
    words in simplified characters, places named), or None when it writes
    no Chinese character."""
    if not _HAN.search(name):
        return None
    return _simplified_places(unicodedata.normalize("NFKC", name))


def chinese_other_reading(name: str) -> str | None:
    """``name``, written in Chinese characters, in ASCII with the company words
    the lists also write another way in that other English, when it holds
    any; else None.

    ``to_ascii`` writes each company word one way, but the lists write some
    two ways ("研究院" is "Research Institute" in one listed name and
    "Academy" in another) and name a state group's subsidiaries by the group's
    initials ("中国电科", CETC).

    >>> chinese_other_reading("中国工程物理研究院")
    'china engineering physics academy'
    >>> chinese_other_reading("华为技术有限公司") is None
    True
    """
    text = _chinese_text(name)
    if text is None or not any(
        term in text for term in _chinese_table()["other_renderings"]
    ):
        return None
    read = " ".join(romanize(_in_english(text, _chinese_other_terms())).split())
    return read or None  # "中国人民解放军" alone: nothing left to read


def chinese_terms() -> tuple[tuple[str, str], ...]:
    """Chinese company words and the English the lists use, longest first."""
    return _chinese_terms()


def holds_chinese_term(name: str) -> bool:
    """Whether ``name`` writes a Chinese company word (``data/chinese_terms.yaml``,
    in simplified or traditional characters): "华为技术" does, "洪帆" does not.
    Asked of the characters, not of their English: "Hong" is a surname as
    well as half of "Hong Kong" (香港)."""
    if not _HAN.search(name):
        return False
    text = name.translate(_simplified())
    return any(term in text for term, _ in _chinese_terms())


# "第" and a number in Chinese numerals or digits: an ordinal ("第十四研究所",
# the 14th Research Institute), as the lists write the institutes of China's
# defence groups.
_CHINESE_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百\d]+)")
_CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip


def chinese_number(written: str) -> int | None:
    """A number under 1,000 written in Chinese numerals or digits, or None.

    >>> chinese_number("十四"), chinese_number("二十"), chinese_number("七七一")
    (14, 20, 771)
    >>> chinese_number("一百零八"), chinese_number("771"), chinese_number("百百")
    (108, 771, None)
    """
    if written.isdigit():
        return int(written)
    if "十" not in written and "百" not in written:
        digits = [_CHINESE_DIGITS.get(ch) for ch in written]
        if None in digits:
            return None
        return int("".join(str(d) for d in digits))  # 七七一: digit by digit
    total, digit = 0, None
    for ch in written:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch in "十百":
            unit = 10 if ch == "十" else 100
            if total % (unit * 10) >= unit:
                return None  # a unit written twice
            total += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + (digit or 0)


def _ordinal(match: re.Match[str]) -> str:
    """An ordinal in Chinese: "第十四" as "14th"; "第771", in digits, as the
    number the lists write ("771 Research Institute")."""
    if match.group(1).isdigit():
        return f" {match.group(1)} "
    number = chinese_number(match.group(1))
    if number is None:
        return match.group(0)
    ending = (
        "th"
        if 10 <= number % 100 <= 20
        else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f" {number}{ending} "


def _translate_chinese(text: str) -> str:
    """``text`` with its Chinese company words in English, read in simplified
    characters (``_simplified``)."""
    if not _HAN.search(text):
        return text
    return _in_english(_simplified_places(text), _chinese_terms())


def _in_english(text: str, terms: tuple[tuple[str, str], ...]) -> str:
    """``text``, in simplified characters with its places named, with an
    institute's number as the lists write it and the company words of
    ``terms`` in their English."""
    if "第" in text:
        text = _CHINESE_ORDINAL.sub(_ordinal, text)
    return _written_as(text, terms)


# The English of the Chinese company words that are company forms (有限公司,
# 公司): read in English in every reading of a name (``chinese_in_pinyin``).
_CHINESE_FORM_WORDS = frozenset({"company", "limited"})


def chinese_in_pinyin(name: str) -> str | None:
    """``name``, written in Chinese characters, in pinyin with its company
    words left in pinyin too (its company forms in English), when it holds
    any; else None.

    ``to_ascii`` writes a Chinese company word in the English the lists use
    ("科技" as "technology"), but some listed names write those words in
    pinyin ("Ditai Keji Xianggang Youxian Gongsi", "Haiguang Xinxi Jishu"),
    and the English left the query no word by which the index finds them.

    >>> chinese_in_pinyin("帝泰科技(香港)有限公司")
    'Di Tai Ke Ji ( Xiang Gang ) company limited'
    >>> chinese_in_pinyin("华为") is None
    True
    """
    text = _chinese_text(name)
    if text is None:
        return None
    kept = False
    for term, english in _chinese_terms():
        if term not in text:
            continue
        if _CHINESE_FORM_WORDS.issuperset(english.split()):
            text = text.replace(term, f" {english} ")
        else:
            kept = True
    return romanize(text) if kept else None


@lru_cache(maxsize=4096)
def to_ascii(name: str) -> str:
    """Lower-case ASCII words of ``name``, punctuation removed.

    >>> to_ascii("ООО «Рособоронэкспорт»")
    'ooo rosoboroneksport'

    The last few thousand kept: one name is read by several rules on its way
    (``guards.written_as_person``, ``normalize``), each transliterating it.
    """
    # ASCII is its own NFKC form and holds no letter of another script: the
    # same text, without a pass over it for each script
    text = (
        name
        if name.isascii()
        else romanize(_translate_chinese(unicodedata.normalize("NFKC", name)))
    )
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text).replace(
        "&", " and "
    )
    if "%" in text:
        # the sign read as its word, joined to the letters after it: "3%ers"
        # is "3 percenters" ("Three Percenters"), "10%" is "10 percent"
        text = text.replace("%", " percent")
    folded = _PUNCTUATION.sub(" ", text.casefold())
    return " ".join(_NON_WORD.sub("", folded).split())


# Our own table of forms, the legal forms of many languages taken from the
# package fingerprints (see the file's header and bench/legal_forms_data.py),
# and forms of the ISO 20275 ELF code list the lists write (Mexican S.A. de C.V.
# written out: see that file's header).
_FORM_FILES = (
    "data/org_forms.yaml",
    "data/legal_forms.yaml",
    "data/elf_forms.yaml",
)


@cache
def _form_table() -> dict[str, tuple[str, ...]]:
    """Company forms by where they are a form (``anywhere``, ``edges``)."""
    table: dict[str, tuple[str, ...]] = {"anywhere": (), "edges": ()}
    for name in _FORM_FILES:
        path = resources.files("chipgate.screening").joinpath(name)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in table:
            table[key] += tuple(str(f) for f in data.get(key) or ())
    return table


FormWords = dict[str, tuple[tuple[str, ...], ...]]


@cache
def _form_words() -> tuple[FormWords, FormWords]:
    r"""The company forms as words, by their first word, in the order the
    patterns below tried them (longest first, then alphabetical): for anywhere in
    a name, and for its edges.

    The forms were first removed by two regular expressions, ``\b(?:forms)\b``
    and ``^(?:forms)\b|\b(?:forms)$``, the forms in that order. A name reaching
    ``_strip_forms`` is words of ``[a-zA-Z0-9]`` apart by one space, and every
    form starts and ends with such a letter, so those patterns only match whole
    words: at a word, the first form in that order that is the words from there.
    Looking the forms up by the word finds the same and spares trying hundreds
    of alternatives at every letter of every name
    (tests/screening/test_form_words.py holds the two equal).
    """
    data = _form_table()
    tables: list[FormWords] = []
    for kind in ("anywhere", "edges"):
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for form in sorted(set(data[kind]), key=lambda f: (-len(f), f)):
            words = tuple(form.split(" "))
            by_first.setdefault(words[0], []).append(words)
        tables.append({k: tuple(v) for k, v in by_first.items()})
    return tables[0], tables[1]


def _form_at(words: list[str], at: int, forms: FormWords) -> tuple[str, ...] | None:
    """The first form (in ``_form_words`` order) that is ``words`` from ``at``."""
    for form in forms.get(words[at], ()):
        if tuple(words[at : at + len(form)]) == form:
            return form
    return None


def _without_forms_anywhere(words: list[str], forms: FormWords) -> list[str]:
    r"""``words`` without each run that is a form, leftmost first, as
    ``\b(?:forms)\b`` removes them."""
    kept: list[str] = []
    at = 0
    while at < len(words):
        form = _form_at(words, at, forms)
        if form is None:
            kept.append(words[at])
            at += 1
        else:
            at += len(form)
    return kept


def _without_forms_at_edges(words: list[str], forms: FormWords) -> list[str]:
    r"""``words`` without a form at their start and a form that ends them, as
    ``^(?:forms)\b|\b(?:forms)$`` removes them: the longest form at the start, then,
    after it, the form that starts leftmost and runs to the end."""
    start = 0
    if words:
        first = _form_at(words, 0, forms)
        if first is not None:
            start = len(first)
    end = len(words)
    for at in range(start, len(words)):
        for form in forms.get(words[at], ()):
            if len(form) == len(words) - at and tuple(words[at:]) == form:
                end = at
                break
        if end < len(words):
            break
    return words[start:end]


@cache
def _form_starts() -> frozenset[str]:
    """The first words of the forms that are a form anywhere in a name."""
    return frozenset(f.split()[0] for f in _form_table()["anywhere"])


@cache
def _long_forms() -> dict[int, tuple[str, ...]]:
    """Company forms of one word, and the words of this project's forms of
    several (``data/org_forms.yaml``: "otvetstvennostyu", "aktsionernoe"), long
    enough to be recognised with a typo, by their length. Not the words of the
    many languages' phrases of ``data/legal_forms.yaml``, among which are
    ordinary words a letter from others ("commerciale" / "commercial")."""
    words = {form for form in _form_table()["anywhere"] if " " not in form}
    path = resources.files("chipgate.screening").joinpath(_FORM_FILES[0])
    own = yaml.safe_load(path.read_text(encoding="utf-8"))["anywhere"]
    words |= {word for form in own for word in str(form).split()}
    words = {word for word in words if len(word) >= _LONG_FORM}
    by_length: dict[int, list[str]] = {}
    for word in sorted(words):
        by_length.setdefault(len(word), []).append(word)
    return {size: tuple(found) for size, found in by_length.items()}


_LONG_FORM = 10  # letters of a form word recognised with a typo


@lru_cache(maxsize=65536)
def _form_spelling(word: str) -> str:
    """``word`` spelt as the form word it is a typo of, or as it is: one edit,
    two in words of 14 letters or more ("aktiengeselschaft",
    "otvtestvennostyu"; "cooperation" is two edits from "corporation" and
    stays a word). Kept per word: the words of a batch's names repeat."""
    forms = _long_forms()
    if word in forms.get(len(word), ()):
        return word
    for size in range(len(word) - 2, len(word) + 3):
        for form in forms.get(size, ()):
            limit = 2 if len(form) >= 14 else 1
            # lengths further apart than the limit are further apart than it
            # in edits too: not worth the comparison
            if (
                abs(len(word) - size) <= limit
                and OSA.distance(word, form, score_cutoff=limit) <= limit
            ):
                return form
    return word


def _misspelt_forms(text: str) -> str:
    """Long company forms and words of forms written with a typo, spelt right
    ("Aktiengeselschaft", "Ogranichennoi Otvtestvennostyu")."""
    words = text.split()
    if all(len(word) < _LONG_FORM for word in words):
        return text  # most names: no word long enough
    return " ".join(
        _form_spelling(word) if len(word) >= _LONG_FORM else word for word in words
    )


def _anywhere_forms_removed(
    text: str, kept: frozenset[str], anywhere: FormWords
) -> list[str]:
    """The words of ``text`` without the forms that are one wherever they
    stand; ``kept`` words, never a form here, are hidden from the forms (upper
    case) and stay so."""
    words = [w.upper() if w in kept else w for w in text.split()]
    if _form_starts().isdisjoint(words):
        return words  # most names hold no form's first word: nothing to look up
    return _without_forms_anywhere(words, anywhere)


def _strip_forms(text: str, kept: frozenset[str] = frozenset()) -> str:
    anywhere, edges = _form_words()
    respelt = _misspelt_forms(text)
    if respelt != text:
        # a form as the tables write it goes first (``forms_as_written``):
        # read as typos, the words of the Ukrainian "aktsionerne tovaristvo",
        # the Bulgarian "aktsionerno druzhestvo" or the French "entreprise
        # unipersonnelle ..." become other forms' words ("aktsionernoe",
        # "tovarystvo", "enterprise") and no form at all
        written = _anywhere_forms_removed(text, kept, anywhere)
        respelt = _misspelt_forms(" ".join(w.lower() for w in written))
    text = _PINYIN.sub(" ", respelt)
    words = _anywhere_forms_removed(text, kept, anywhere)
    for _ in range(3):
        stripped = _without_forms_at_edges(words, edges)
        if stripped == words:
            break
        words = stripped
    return " ".join(w.lower() for w in words if w not in _RESIDUAL)


_SHORT_FORM = 3  # company forms this short are abbreviations (SA, AG, Co)
_WORD_CHUNK = re.compile(r"[^\W\d_]+")


def not_forms(name: str) -> frozenset[str]:
    """Short words of ``name`` that cannot be a company-form abbreviation: those
    written with a diacritic ("Sá" is a Portuguese surname, S.A. is never written
    so) or in Chinese characters or Hangul (a syllable such as 娜 "na").

    Cyrillic and Greek forms (ООО, АО) are abbreviations like the Latin ones.

    A single letter written with a diacritic is no abbreviation either way: no
    form is one letter, and the phrases that hold one are forms as written
    (French "à" in "Société à responsabilité limitée", SARL), so it is left to
    them (``diacritic_in_form``). A syllable of Chinese or Hangul stays kept.

    >>> sorted(not_forms("Lia Sá")), sorted(not_forms("Renta S.A."))
    (['sa'], [])
    >>> sorted(not_forms("Danone Société à responsabilité limitée"))
    []
    """
    if name.isascii():
        return frozenset()
    found: set[str] = set()
    plain: set[str] = set()
    for chunk in _WORD_CHUNK.findall(unicodedata.normalize("NFKC", name)):
        if chunk.isascii():
            plain.add(chunk.casefold())
            continue
        words, marked = _chunk_words(chunk)
        if marked:
            found.update(
                w
                for w in words
                if len(w) <= _SHORT_FORM and (len(w) > 1 or has_syllabic(chunk))
            )
        else:
            plain.update(words)
    return frozenset(found - plain)


@lru_cache(maxsize=65536)
def _chunk_words(chunk: str) -> tuple[tuple[str, ...], bool]:
    """The ASCII words of a chunk of letters not all ASCII, and whether it is
    written with a diacritic or in Chinese characters or Hangul (``not_forms``).
    Kept per chunk: a name's words recur across a batch (given names,
    surnames), each transliterated once."""
    marked = has_syllabic(chunk) or any(
        unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", chunk)
    )
    return tuple(to_ascii(chunk).split()), marked


# Digits written for letters inside a word ("Ig0r Sech1n"): a word of at least
# three letters with one or two of these digits after its first letter.
_LEET = str.maketrans("013457", "oieast")
_LEET_WORD = re.compile(
    r"^[a-z](?=(?:[a-z]*\d){1,2}[a-z]*$)(?=(?:\d*[a-z]){2})[a-z0-9]+$"
)
_UNITS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


# Ordinal numbers, written in words ("Fourth Paradigm", "Twenty-First") or in
# digits ("4th Paradigm", "21st"), as one word spelt out ("fourth",
# "twentyfirst"): not as digits, where two ordinals a digit apart ("11th" /
# "12th Ocean", two companies) would be a typo of each other. First, second
# and third stay words, as "1st", "2nd" and "3rd" are read (``_ABBREVIATIONS``).
_ORDINAL_UNITS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
)
_ORDINAL_TEENS = (
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
)
_ORDINAL_TENS = (
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
)
# each ten's word as written (``_TENS``, its misspelling "fourty" read only)
_TEN_WORD = {value: word for word, value in _TENS.items() if word != "fourty"}


def _ordinal_word(value: int) -> str:
    """The ordinal ``value`` (1 to 99) as one word: 4 "fourth", 21
    "twentyfirst", 40 "fortieth"."""
    if value < 10:
        return _ORDINAL_UNITS[value - 1]
    if value < 20:
        return _ORDINAL_TEENS[value - 10]
    tens, unit = divmod(value, 10)
    if unit == 0:
        return _ORDINAL_TENS[tens - 2]
    return _TEN_WORD[tens * 10] + _ORDINAL_UNITS[unit - 1]


# "4th", "21st", "12th" ... (1 to 99; larger ones are unit numbers: "702nd")
_ORDINAL_DIGITS = re.compile(r"^([1-9][0-9]?)(?:st|nd|rd|th)$")
# an ordinal's suffix written apart ("70 th"); not "st", which after a number
# is a street ("66 St")
_SUFFIXES = frozenset({"nd", "rd", "th"})


def _numbers(words: list[str]) -> list[str]:
    """Numbers written in words as digits: "forty four", "fourty-four" and "forty
    4" are all "44"; "three" is "3". Ordinals are one word spelt out, however
    written: "Twenty-First", "Twenty First" and "21st" are "twentyfirst",
    "4th" is "fourth" (``_ordinal_word``)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        digits = _ORDINAL_DIGITS.match(word) if word[0].isdigit() else None
        following = words[i + 1] if i + 1 < len(words) else ""
        if digits is None and following in _SUFFIXES:  # "70 th": the suffix apart
            digits = _ORDINAL_DIGITS.match(word + following)
            i += digits is not None
        if digits is not None:
            out.append(_ordinal_word(int(digits.group(1))))
        elif word in _TENS:
            value = _TENS[word]
            if following in _ORDINAL_UNITS:  # "twenty first": one word
                out.append(_TEN_WORD[value] + following)
                i += 2
                continue
            unit = _UNITS.get(following)
            if unit is None and len(following) == 1 and following.isdigit():
                unit = int(following)
            if unit is not None and 0 < unit < 10:
                value += unit
                i += 1
            out.append(str(value))
        elif word in _UNITS:
            out.append(str(_UNITS[word]))
        else:
            out.append(word)
        i += 1
    return out


def _plain_word(word: str) -> str:
    """A word with digits written for letters read as letters ("sech1n")."""
    return word.translate(_LEET) if _LEET_WORD.match(word) else word


def _words(name: str) -> list[str]:
    """The ASCII words of ``name``, abbreviations expanded, digits written for
    letters read as letters, numbers in words as digits (persons and companies)."""
    words = [_plain_word(_ABBREVIATIONS.get(w, w)) for w in to_ascii(name).split()]
    return _numbers(words)


@lru_cache(maxsize=65536)
def normalize(name: str) -> NormalizedName:
    """Normalize a party name for matching.

    Company-type words are removed unless nothing would be left. Idempotent:
    normalizing the ``text`` of a result gives the same tokens.

    >>> normalize("Huawei Technologies Company Limited").tokens
    ('huawei', 'technologies')
    >>> normalize("HUAWEI TECHNOLOGIES CO., LTD.").tokens
    ('huawei', 'technologies')
    """
    full = " ".join(_words(name))
    core = _strip_forms(full, not_forms(name))
    script = script_of(name)
    places = parenthetical_places(name)
    if not core or core == full:
        return NormalizedName(tuple(full.split()), script=script, places=places)
    removed = [w for w in full.split() if w not in set(core.split())]
    return NormalizedName(
        tuple(core.split()), tuple(removed), tuple(full.split()), script, places
    )


def script_of(name: str) -> str:
    """``syllabic``, ``abjad`` or empty (see ``NormalizedName.script``)."""
    if name.isascii():
        return ""  # neither Chinese, Hangul nor Arabic script
    if has_syllabic(name):
        return "syllabic"
    return "abjad" if abjad(name) else ""


def _is_short_name(inner: str, outer: str) -> bool:
    """An acronym ("SMIC") or a repeat of the outer name's words ("Huawei")."""
    words = to_ascii(inner).split()
    if not words:
        return False
    if len(words) == 1 and inner.strip().isupper() and len(inner.strip()) >= 2:
        return True
    return set(words) <= set(to_ascii(outer).split())


# Where a listed name runs on into its address: after a company form and a comma
# ("... Co., Ltd., Guiyang, Guizhou"), or at a comma followed by address words or
# numbers ("Huawei Technologies Bahrain, Building 647 2811 Road 2811, Block 428").
_FORM_THEN_COMMA = re.compile(
    r"^(.*?\b(?:Co\.?,?\s*Ltd\.?|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|"
    r"Corporation|GmbH|JSC|PJSC|S\.A\.|FZE|FZCO|Pte\.? Ltd\.?))\s*,\s*\S",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\d|\b(?:building|road|street|st\.|avenue|ave\.|block|floor|room|suite|unit|"
    r"district|province|zone|park|tower|no\.|p\.?o\.? box)\b",
    re.IGNORECASE,
)


def _names_a_party(short: str) -> bool:
    """Whether a short name set apart in parentheses names the party alone:
    not a place ("(HK)", "(H.K.)", "(UKRAINE)") nor a company form ("(PTY)",
    "(JSC)"), which say where or what the party is. Indexed alone, 45 listed
    names read "HK", and a query holding "(H.K.)" met them all in full.

    >>> _names_a_party("SMIC"), _names_a_party("HK"), _names_a_party("H.K."), _names_a_party("PTY")
    (True, False, False, False)
    """
    return not is_place(short) and not _form_only(short)


def _form_only(text: str) -> bool:
    """Whether ``text`` is a company form and nothing else ("PTY", "Pvt Ltd")."""
    words = " ".join(_words(text))
    return bool(words) and not _strip_forms(words, not_forms(text))


def address_tail(name: str) -> str | None:
    """The name without address text run on after it, or None when there is none.

    >>> address_tail("Huawei Technologies Bahrain, Building 647 2811 Road 2811, Block 428")
    'Huawei Technologies Bahrain'
    >>> address_tail("Guiyan New District Huawei Investment Co., Ltd., Guiyang, Guizhou")
    'Guiyan New District Huawei Investment Co., Ltd.'
    >>> address_tail("PUTIN, Vladimir") is None
    True
    """
    found = _FORM_THEN_COMMA.match(name)
    if found:
        return found.group(1).strip()
    head, sep, rest = name.partition(",")
    if (
        sep
        and _ADDRESS.search(rest)
        and not _ADDRESS.search(head)
        and len(head.split()) >= 2
    ):
        return head.strip()
    return None


def name_variants(name: str) -> list[str]:
    """The forms of a listed name worth indexing.

    A parenthetical that is a short name ("Huawei Technologies Co., Ltd. (Huawei)")
    is indexed alone and the name is also indexed without it; a parenthetical that
    qualifies the name ("Huawei Technologies (Australia) Pty Ltd.") stays part of it.
    A place or a company form written as a short name ("(HK)", "(PTY)") is not
    indexed alone (``_names_a_party``).

    >>> name_variants("Huawei Technologies Co., Ltd. (Huawei)")[1:]
    ['Huawei Technologies Co., Ltd.', 'Huawei']
    >>> name_variants("Huawei Technologies (Australia) Pty Ltd.")
    ['Huawei Technologies (Australia) Pty Ltd.']
    """
    variants = [name]
    short_name = address_tail(name)
    if short_name:
        variants.append(short_name)
        name = short_name
    outer = " ".join(_BRACKETS.sub(" ", name).split())
    inner = [m.group(0)[1:-1].strip() for m in _BRACKETS.finditer(name)]
    short = [i for i in inner if _is_short_name(i, outer)]
    if short and len(short) == len(inner) and outer:
        variants.append(outer)
        variants.extend(i for i in short if _names_a_party(i))
    elif len(inner) == 1 and _is_spelt_out(outer, inner[0]):
        variants.extend((outer, inner[0]))
    return variants


_SHORT_NAME = re.compile(r"[^\W\d_]{3,}")


def _is_spelt_out(outer: str, inner: str) -> bool:
    """Whether ``inner`` is the full name that the one word ``outer`` stands
    for: "Rostec (Russian Technologies State Corporation)", "ARIEP (All Russian
    Institute for Experimental Physics)". Both start with the same letter, the
    full name has two words or more; not a place ("Huawei (Australia)"), nor
    another name the outer one bears ("KOLOKOL (AKA: ALDRICH AMES)")."""
    words = inner.split()
    return (
        _SHORT_NAME.fullmatch(outer) is not None
        and len(words) >= 2
        and inner[:1].casefold() == outer[:1].casefold()
        and not parenthetical_places(f"({inner})")
    )


@cache
def _person_names_file() -> tuple[str, dict[str, Any]]:
    """``data/person_names.yaml`` (its path, for errors, and its contents),
    read once for its titles, suffixes, Arabic-script titles and variants."""
    path = resources.files("chipgate.screening").joinpath("data/person_names.yaml")
    return str(path), yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def _person_data() -> tuple[frozenset[str], dict[str, str]]:
    """Titles dropped from person names, and each name variant's group key."""
    _, data = _person_names_file()
    groups: dict[str, str] = {}
    for group in data["variants"]:
        words = [to_ascii(str(w)).replace(" ", "") for w in group]
        for word in words:
            groups.setdefault(word, words[0])
    return frozenset(str(t) for t in data["titles"]), groups


@cache
def _name_shares() -> dict[str, float]:
    """Share of persons bearing each word as a given name or surname, whichever is
    larger (1990 US Census, ``data/name_frequency.tsv``; see its header)."""
    path = resources.files("chipgate.screening").joinpath("data/name_frequency.tsv")
    shares: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.startswith("#"):
            continue
        name, given, surname = line.split("\t")
        shares[name] = max(float(given), float(surname)) / 100.0
    return shares


@cache
def _surname_shares() -> dict[str, float]:
    """Share of persons bearing each word as a surname (same table)."""
    path = resources.files("chipgate.screening").joinpath("data/name_frequency.tsv")
    shares: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if not line.startswith("#"):
            name, _, surname = line.split("\t")
            if float(surname):
                shares[name] = float(surname) / 100.0
    return shares


def surname_share(token: str) -> float:
    """How common a word is as a surname (0.0 when it is not one in the table).

    >>> surname_share("chen") > 0, surname_share("sarah")
    (True, 0.0)
    """
    return _surname_shares().get(token, 0.0)


def name_share(token: str) -> float:
    """How common a name word is among persons (0.0 when it is not in the table).

    >>> name_share("johnson") > 0.005, name_share("haqqani")
    (True, 0.0)
    """
    return _name_shares().get(token, 0.0)


_NO_WORDS: frozenset[str] = frozenset()


@cache
def _abjad_titles() -> frozenset[str]:
    """The titles of ``data/person_names.yaml`` written in Arabic script, each
    as the normalizer romanizes it ("الشيخ" lshykh, "امیر" myr)."""
    path, data = _person_names_file()
    return romanized_titles(data["abjad_titles"], f"{path}: abjad_titles")


def romanized_titles(titles: Iterable[object], where: str) -> frozenset[str]:
    """Each of ``titles``, written in Arabic script, as the normalizer
    romanizes it; a title that is not one word so is an error naming it and
    ``where`` it is written.

    >>> sorted(romanized_titles(["امیر", "ملا"], "here"))
    ['ml', 'myr']
    """
    found = set()
    for title in titles:
        tokens = normalize_person(str(title)).tokens
        if len(tokens) != 1:
            raise ValueError(
                f"{where}: {title!r} is romanized as {len(tokens)} words "
                f"{tokens}; a title here is one word"
            )
        found.add(tokens[0])
    return frozenset(found)


def abjad_title(token: str) -> bool:
    """Whether a word of a romanized Arabic-script name may be a title ("امیر"
    Amir, "الشيخ" al-Sheikh, "ملا" Mullah), which the Latin names drop.

    >>> abjad_title(normalize_person("امیر خان").tokens[0]), abjad_title("mr")
    (True, False)
    """
    return token in _abjad_titles()


@cache
def _person_suffixes() -> frozenset[str]:
    """Generational suffixes dropped from the end of person names (Jr., III)."""
    _, data = _person_names_file()
    return frozenset(str(t) for t in data["suffixes"])


def name_variant_key(token: str) -> str | None:
    """The group a given-name spelling belongs to (Aleksandr and Alexander agree).

    >>> name_variant_key("aleksandr") == name_variant_key("alexander")
    True
    """
    return _person_data()[1].get(token)


@lru_cache(maxsize=65536)
def normalize_person(name: str) -> NormalizedName:
    """Normalize a person's name: every word kept, titles dropped, no company forms.

    A name written "SURNAME, Given Names" is put in the order people write it
    ("Given Names SURNAME"), so that which word is a given name, a middle name or
    a surname can be read off its position (see ``features.person_alignment``).
    Its words are read as a query's are (``_words``: number words as digits,
    digits written for letters as letters), or the listed "TEN, Sergey
    Yuryevich" and "M3HRAN", screened as written, would not meet themselves
    (the query read "10" and "mehran").

    >>> normalize_person("TEN, Sergey Yuryevich").tokens
    ('sergey', 'yuryevich', '10')
    >>> normalize_person("Dr. Sa Na Yu").tokens
    ('sa', 'na', 'yu')
    >>> normalize("Sa Na Yu").tokens != normalize_person("Sa Na Yu").tokens
    True
    >>> normalize_person("GARCIA, Carlos Alberto").tokens
    ('carlos', 'alberto', 'garcia')
    """
    return _person_words(tuple(_words(surname_last(name))), script_of(name))


def surname_last(name: str) -> str:
    """ "SURNAME, Given" as "Given SURNAME"; any other name as written.

    Only a name with one comma, at most three words before it and one to four
    after it, none of them digits, is turned (a comma in "Smith, John, Jr." or in
    an address is left alone).

    >>> surname_last("ROJAS FRANCO, Jaime")
    'Jaime ROJAS FRANCO'
    """
    head, comma, tail = name.partition(",")
    if not comma or "," in tail or any(ch.isdigit() for ch in name):
        return name
    if 1 <= len(head.split()) <= 3 and 1 <= len(tail.split()) <= 4:
        return f"{tail.strip()} {head.strip()}"
    return name


def person_form(name: NormalizedName) -> NormalizedName:
    """The person form of an already normalized name (query side)."""
    return _person_words(name.full, name.script)


# Particles joined to the next word in person names: "bin Laden" and "ibn Ladin"
# agree, and "Abdullah bin Omar" (son of Omar) differs from "Omar bin Abdullah".
_PATRONYMIC = {
    "bin": "bin",
    "ibn": "bin",
    "ben": "bin",
    "bint": "bint",
    "binti": "bint",
}
_ARTICLES = {"al", "el", "ul", "ad", "ash", "as", "ar", "an", "az", "at"}
# The same particles as Arabic script reads without vowels (بن, بنت, and ال or آل
# written apart from the next word, as الحبو is written with it).
_ABJAD_PARTICLES = {"bn": "bin", "bnt": "bint", "l": "l"}


# The article of "al-Din" compounds as Urdu, Persian and Turkish write it,
# after the first name's case vowel: "Bashir-ud-Din", "Nur ed-Din" (only
# before "Din": "Ed" is also a given name).
_DIN_ARTICLES = {"ud", "ed"}
_DIN = {"din", "dine", "deen", "dien"}


def _particle(word: str, script: str, following: str = "") -> str | None:
    """The prefix a particle gives the next word of a person name, or None.

    >>> _particle("ud", "", "din"), _particle("ed", "", "smith")
    ('al', None)
    """
    if script == "abjad" and word in _ABJAD_PARTICLES:
        return _ABJAD_PARTICLES[word]
    if word in _PATRONYMIC:
        return _PATRONYMIC[word]
    if word in _DIN_ARTICLES and following in _DIN:
        return "al"
    return "al" if word in _ARTICLES else None


def _person_words(words: tuple[str, ...], script: str) -> NormalizedName:
    # The Latin titles and suffixes are not read in a romanized Arabic-script
    # name: its consonants spell other words ("عمر", Omar, is "mr"); its own
    # titles are left out only where unpaired (``abjad_title``).
    abjad = script == "abjad"
    titles = _NO_WORDS if abjad else _person_data()[0]
    suffixes = _NO_WORDS if abjad else _person_suffixes()
    end = len(words)
    while end > 1 and words[end - 1] in suffixes:
        end -= 1
    # A title is dropped anywhere but as the last word, where it is a surname
    # ("Patricia King", "John Major"), with the article written before it ("El
    # Hadj Omar Tall").
    head = words[: end - 1]
    kept = [
        w
        for i, w in enumerate(head)
        if w not in titles
        and not (w in _ARTICLES and i + 1 < len(head) and head[i + 1] in titles)
    ] + list(words[end - 1 : end])
    out: list[str] = []
    i = 0
    while i < len(kept):
        word = kept[i]
        prefix = _particle(word, script, kept[i + 1] if i + 1 < len(kept) else "")
        if (
            i + 1 < len(kept)
            and prefix is not None
            and len(kept) > 2
            and script != "syllabic"  # "Su Bin" (수빈) is a given name, not "son of"
        ):
            out.append(prefix + kept[i + 1])
            i += 2
            continue
        out.append(word)
        i += 1
    return NormalizedName(tuple(out), script=script)
