"""Romanization of the scripts names are written in, without ICU.

Everything becomes lower-case ASCII through ``anyascii`` (a pure-Python table, no
compiler or system library needed), with three corrections that matter for names:

- Chinese characters are written as separate pinyin syllables ("金正恩" -> "jin
  zheng en"), so that syllables align with the words of a romanized listed name.
- Hangul is written syllable by syllable in the Revised Romanization, and
  ``korean_name_forms`` gives the spelling the lists use for Korean persons
  (surname table, McCune-Reischauer-style vowels: "김정은" -> "kim jong un").
- Arabic script is written without vowels (the script has none); ``abjad``
  says so, and the matcher then compares consonant skeletons.
"""

from __future__ import annotations

import re
import unicodedata

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


def has_syllabic(text: str) -> bool:
    """Whether ``text`` holds Chinese characters or Hangul (one syllable each)."""
    return bool(_SYLLABIC.search(text))


def abjad(text: str) -> bool:
    """Whether ``text`` is written in Arabic script (vowels not written)."""
    return bool(_ARABIC.search(text))


def is_hangul(text: str) -> bool:
    """Whether ``text`` holds Hangul syllables."""
    return bool(_HANGUL.search(text))


def romanize(text: str) -> str:
    """ASCII form of ``text``, one syllable per word for Chinese and Hangul.

    >>> romanize("金正恩")
    'Jin Zheng En'
    >>> romanize("Müller")
    'Muller'
    """
    text = unicodedata.normalize("NFKC", text)
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
    """
    forms = []
    for word in text.split():
        syllables = [c for c in word if _HANGUL.match(c)]
        if not syllables:
            continue
        head = KOREAN_SURNAMES.get(syllables[0])
        tail = [_mr_style(anyascii(c).lower()) for c in syllables[1:]]
        if head is None or len(syllables) > 4:
            forms.append(" ".join(_mr_style(anyascii(c).lower()) for c in syllables))
        else:
            forms.append(" ".join([head, *tail]))
    return [" ".join(forms)] if forms else []


_VOWELS = re.compile(r"[aeiouyw]")
_CONSONANT_MAP = str.maketrans({"q": "k", "p": "b", "v": "f"})
_REPEATS = re.compile(r"(.)\1+")


def consonant_key(word: str) -> str:
    """A romanized word without its vowels, as Arabic script writes it.

    Arabic script leaves short vowels unwritten and has no p or v, so the
    romanization of an Arabic name ("mhmd", "slmn") agrees with the Latin
    spellings of that name ("Mohammed", "Salman") on this key alone.

    >>> consonant_key("mohammed"), consonant_key("mhmd"), consonant_key("lsysy")
    ('mhmd', 'mhmd', 'ls')
    """
    letters = "".join(ch for ch in word.lower() if ch.isalpha())
    return _REPEATS.sub(r"\1", _VOWELS.sub("", letters).translate(_CONSONANT_MAP))
