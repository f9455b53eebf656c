"""Korean names in the two Koreas' romanizations read as one (``korean_spelling``).

The lists write North Korean persons in McCune-Reischauer without its breves
and apostrophes ("MUN Jae In", "CHOE Son Hui", "KIM Su Hyon"); South Koreans
write their names in the Revised Romanization of 2000 or in the spellings of
their passports ("Moon Jae-in", "Choi Sun-hee", "Kim Soo-hyun"). The two
differ in the vowels (RR eo and eu for MR o and u, and the popular oo, ee, u
for eo, yu and you for yeo, oi for oe) and in the voicing of the initial
consonants (RR g, d, b, j for MR k, t, p, ch), so "Moon" and "Mun" are three
edits apart as letters and one syllable, 문, as Korean.

The table is not a hand list of names: every syllable of the Hangul block is
spelt by the letters each system gives its initial consonant, vowel and final
consonant (the letter tables of McCune-Reischauer and of the Revised
Romanization of 2000; the popular spellings are those South Koreans give
their names in passports: Lee, Park, Choi, Jung, Soo, Hee, Young). Two words
are one name when one, read as McCune-Reischauer, and the other, read in the
South's spellings, spell one sequence of Hangul syllables. The matcher asks only when both names read as Korean names
(``korean_pair``): every word Korean syllables, a Korean surname first or
last, and one of the two names written a syllable a word.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cache, lru_cache

from chipgate.screening.scripts import KOREAN_SURNAME_PAIRS, KOREAN_SURNAMES

_FIRST = 0xAC00  # 가
_MEDIALS = 21
_FINALS = 28
_SYLLABLES = 19 * _MEDIALS * _FINALS  # 11,172

# Letters of the 19 initial consonants ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ.
# McCune-Reischauer writes the plain stops voiceless at a word's start and
# voiced inside (k/g, t/d, p/b, ch/j), the lists each way; the aspirates with
# an apostrophe the lists drop, or with h (Thae, Khang).
_MR_INITIAL = (
    ("k", "g"), ("kk",), ("n",), ("t", "d"), ("tt",), ("r", "l"), ("m",),
    ("p", "b"), ("pp",), ("s", "sh"), ("ss",), ("",), ("ch", "j"), ("tch", "jj"),
    ("ch",), ("k", "kh"), ("t", "th"), ("p", "ph"), ("h",),
)  # fmt: skip
_SOUTH_INITIAL = (
    ("g", "k"), ("kk",), ("n",), ("d", "t"), ("tt",), ("r", "l"), ("m",),
    ("b", "p"), ("pp",), ("s", "sh"), ("ss",), ("",), ("j", "ch"), ("jj",),
    ("ch",), ("k",), ("t",), ("p",), ("h",),
)  # fmt: skip
# The 21 vowels ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ. MR's ŏ and ŭ
# lose their breves (o, u); the South writes them eo and eu, and its
# passports u for ㅓ (Jung, Sung), yu or you for ㅕ (Hyun, Young), oo for ㅜ
# (Soo, Moon), ee for ㅣ and ㅢ (Lee, Hee), oi for ㅚ (Choi).
_MR_MEDIAL = (
    ("a",), ("ae",), ("ya",), ("yae",), ("o",), ("e",), ("yo",), ("ye",), ("o",),
    ("wa",), ("wae",), ("oe",), ("yo",), ("u",), ("wo",), ("we",), ("wi",),
    ("yu",), ("u",), ("ui",), ("i",),
)  # fmt: skip
_SOUTH_MEDIAL = (
    ("a",), ("ae",), ("ya",), ("yae",), ("eo", "u"), ("e",), ("yeo", "yu", "you"),
    ("ye",), ("o",), ("wa",), ("wae",), ("oe", "oi"), ("yo",), ("u", "oo"),
    ("wo",), ("we",), ("wi",), ("yu", "yoo"), ("eu",), ("ui", "ee", "eui"),
    ("i", "ee"),
)  # fmt: skip
# The 28 finals (none, then ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ
# ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ), as a name's syllable ends: k, n, t, l, m, p, ng. The
# doubled, clustered and aspirated finals end no syllable of a name and are
# left out (each would read as another final's letter, an ambiguity for nothing).
_FINAL = (
    ("",), ("k", "g"), (), (), ("n",), (), (), ("t", "d"), ("l", "r"), (), (),
    (), (), (), (), (), ("m",), ("p", "b"), (), ("t", "s"), (), ("ng",), (), (),
    (), (), (), (),
)  # fmt: skip
# u for ㅓ and yu for ㅕ are the passports' spellings between a consonant and
# a final n or ng only (Jung 정, Sung 성, Hyun 현, Kyung 경, Myung 명); elsewhere
# u is ㅜ and yu ㅠ (오 O is no spelling of 우 U, 연 Yeon none of 윤 Yun).
_PASSPORT_U = frozenset({(4, "u"), (6, "yu")})
_NASALS = frozenset({4, 21})  # the finals ㄴ and ㅇ
_YI = 0xC774 - _FIRST  # 이, which the South also writes Yi
_U = 0xC6B0 - _FIRST  # 우, which the South also writes Woo, with a final
# too (욱 Wook, 운 Woon, 웅 Woong: Sung-wook, Jae-woong): ``korean_woo``
# Surnames the South writes its own way beyond the letters above (passport
# spellings): 박 Park, 이 Rhee, 안 Ahn, 손 Sohn, 오 Oh, 노 Noh and Roh, 허 Huh,
# 백 Paik, 서 Suh.
_SOUTH_SURNAMES = {
    "park": "박", "rhee": "이", "ahn": "안", "sohn": "손", "oh": "오", "noh": "노",
    "roh": "노", "huh": "허", "paik": "백", "suh": "서",
}  # fmt: skip
MAX_SYLLABLES = 3  # a word of a Korean name: a syllable, or a given name joined
_MAX_READINGS = 64  # readings kept of one word (ambiguous spellings multiply)


def _spellings(
    initials: tuple[tuple[str, ...], ...], medials: tuple[tuple[str, ...], ...]
) -> dict[str, frozenset[int]]:
    """Every spelling of every Hangul syllable by one system's letters, to the
    syllables (offsets in the Hangul block) it may spell."""
    table: dict[str, set[int]] = defaultdict(set)
    for syllable in range(_SYLLABLES):
        first, rest = divmod(syllable, _MEDIALS * _FINALS)
        vowel, last = divmod(rest, _FINALS)
        for head in initials[first]:
            for middle in medials[vowel]:
                if (vowel, middle) in _PASSPORT_U and not (head and last in _NASALS):
                    continue
                for end in _FINAL[last]:
                    table[head + middle + end].add(syllable)
    return {spelling: frozenset(found) for spelling, found in table.items()}


@cache
def _mr_table() -> dict[str, frozenset[int]]:
    """McCune-Reischauer spellings as the lists write them (made when first
    asked: about 6,000 spellings, in a hundredth of a second)."""
    return _spellings(_MR_INITIAL, _MR_MEDIAL)


@cache
def _south_table() -> dict[str, frozenset[int]]:
    """Revised Romanization and South Korean passport spellings."""
    table = dict(_spellings(_SOUTH_INITIAL, _SOUTH_MEDIAL))
    extra: dict[str, set[int]] = defaultdict(set)
    extra["yi"].add(_YI)
    for last, ends in enumerate(_FINAL):
        for end in ends:
            extra["woo" + end].add(_U + last)
    for spelling, hangul in _SOUTH_SURNAMES.items():
        extra[spelling].add(ord(hangul) - _FIRST)
    for spelling, found in extra.items():
        table[spelling] = table.get(spelling, frozenset()) | found
    return table


def _readings(
    word: str, table: Mapping[str, frozenset[int]]
) -> frozenset[tuple[int, ...]]:
    """The sequences of at most ``MAX_SYLLABLES`` Hangul syllables ``word`` may
    spell in one system (empty when it is no Korean word in it)."""
    if not word.isalpha() or len(word) > 7 * MAX_SYLLABLES:
        return frozenset()
    partial: dict[int, set[tuple[int, ...]]] = {0: {()}}
    for start in range(len(word)):
        before = partial.get(start)
        if not before:
            continue
        for end in range(start + 1, min(len(word), start + 7) + 1):
            found = table.get(word[start:end])
            if not found:
                continue
            after = partial.setdefault(end, set())
            for sequence in before:
                if len(sequence) >= MAX_SYLLABLES:
                    continue
                for syllable in found:
                    after.add((*sequence, syllable))
                    if len(after) > _MAX_READINGS:
                        break
    return frozenset(partial.get(len(word), ()))


@lru_cache(maxsize=65536)
def mr_readings(word: str) -> frozenset[tuple[int, ...]]:
    """The Hangul ``word`` spells read as McCune-Reischauer (the lists'
    spelling of North Korean names).

    >>> sorted(chr(0xAC00 + s) for (s,) in mr_readings("mun"))
    ['문', '믄']
    >>> sorted(chr(0xAC00 + s) for (s,) in mr_readings("son"))
    ['선', '손']
    """
    return _readings(word, _mr_table())


@lru_cache(maxsize=65536)
def south_readings(word: str) -> frozenset[tuple[int, ...]]:
    """The Hangul ``word`` spells read in the South's spellings (Revised
    Romanization, passport spellings).

    >>> sorted("".join(chr(0xAC00 + s) for s in r) for r in south_readings("moon"))
    ['모온', '문']
    """
    return _readings(word, _south_table())


def korean_spelling(a: str, b: str) -> bool:
    """Whether two different words spell one Korean name, one as the lists write
    North Korean names (McCune-Reischauer) and the other as the South writes
    them: "Moon" / "Mun" (문), "Choi" / "Choe" (최), "Young" / "Yong" (영),
    "Soo" / "Su" (수), "Hee" / "Hui" (희), "Jung" / "Jong" (정), "Soohyun" /
    "Suhyon" (수현). Two syllables the South and the lists both write apart
    stay apart ("Yun" / "Yon" are 윤 and 연 in both; "Hun" is no spelling of
    "Bin", nor "Young" 영 of "Hyong" 형).

    >>> korean_spelling("moon", "mun"), korean_spelling("choi", "choe")
    (True, True)
    >>> korean_spelling("yun", "yon"), korean_spelling("bin", "hun")
    (False, False)
    >>> korean_spelling("young", "hyong")
    False
    """
    if a == b:
        return False
    return bool(
        (mr_readings(a) & south_readings(b)) or (south_readings(a) & mr_readings(b))
    )


@cache
def _surname_spellings() -> frozenset[str]:
    """Every spelling, in either system, of the Korean surnames of the lists'
    table (``scripts.KOREAN_SURNAMES``) and of the South's passports."""
    syllables = {ord(s) - _FIRST for s in (*KOREAN_SURNAMES, *KOREAN_SURNAME_PAIRS)}
    found = {
        spelling
        for table in (_mr_table(), _south_table())
        for spelling, spelt in table.items()
        if spelt & syllables
    }
    return frozenset(found | set(_SOUTH_SURNAMES))


def syllable_of(word: str) -> frozenset[int]:
    """The Hangul syllables a word of one syllable may spell in either system
    (empty for no such word): the key by which the index finds a query word's
    listed spellings in the other system.

    >>> sorted(chr(0xAC00 + s) for s in syllable_of("jung"))
    ['정', '중', '증']
    """
    empty: frozenset[int] = frozenset()
    return _mr_table().get(word, empty) | _south_table().get(word, empty)


def korean_surname(word: str) -> bool:
    """Whether ``word`` spells a Korean surname of the lists' table in either
    system ("kim", "pak", "park", "choe", "choi"): a few surnames borne by
    most Koreans, never rare, whatever the population table knows of them.

    >>> korean_surname("pak"), korean_surname("putin")
    (True, False)
    """
    return word in _surname_spellings()


def korean_word(word: str) -> bool:
    """Whether ``word`` reads as Korean syllables in either system."""
    return bool(mr_readings(word) or south_readings(word))


@lru_cache(maxsize=65536)
def reads_korean(tokens: tuple[str, ...]) -> bool:
    """Whether a name of two to four words reads as a Korean person's: every
    word Korean syllables in one of the systems, the first or last a Korean
    surname ("Moon Jae In", "KIM Su Hyon"; not "John Lee", whose "John" is
    no Korean syllable, nor "Bill Gates").

    >>> reads_korean(("moon", "jae", "in")), reads_korean(("john", "lee"))
    (True, False)
    """
    if not 2 <= len(tokens) <= 4:
        return False
    if not (korean_surname(tokens[0]) or korean_surname(tokens[-1])):
        return False
    return all(korean_word(word) for word in tokens)


def _syllable_apart(tokens: tuple[str, ...]) -> bool:
    """Whether every word of a name is one Korean syllable, as the lists write
    North Korean names ("MUN Jae In", "KIM Su Hyon")."""
    return all(syllable_of(word) for word in tokens)


def korean_pair(query: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Whether two names are to be compared as Korean names in two
    romanizations: both read as Korean persons' names (``reads_korean``), and
    one of the two writes each syllable as a word of its own. Names of other
    languages often read as Korean syllables ("Tina" 티나, "Linda" 린다), but
    seldom every word one syllable beside a Korean surname.

    >>> korean_pair(("moon", "jae", "in"), ("mun", "jae", "in"))
    True
    >>> korean_pair(("kim", "soohyun"), ("kim", "su", "hyon"))
    True
    >>> korean_pair(("tina", "lee"), ("dina", "lee"))
    False
    """
    return (
        reads_korean(query)
        and reads_korean(listed)
        and (_syllable_apart(query) or _syllable_apart(listed))
    )
