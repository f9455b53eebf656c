"""Chinese names written in Wade-Giles, read in pinyin.

Names of the older literature, of Taiwan and of many Western records are written in
Wade-Giles ("Mao Tse-tung", "Teng Hsiao-p'ing", "Chou En-lai"); the lists write the
same persons in pinyin ("Mao Zedong", "Deng Xiaoping", "Zhou Enlai"). Letter
distance cannot bridge the two (tse / ze, hsiao / xiao, tung / dong), so a query
whose given name is written the Wade-Giles way, syllables joined by hyphens, is also
screened as pinyin.

The table is not kept by hand: each pinyin syllable (``guards.pinyin_syllables``,
the readings of the CJK block) is written in Wade-Giles by the system's rules
(``wade_giles``), and the table is that mapping turned round. Apostrophes (the
aspiration marks) and the diacritics ü, ê, ŭ are usually left out when people write
the names, so a syllable is read without them: "ping" is 平 "p'ing" (pinyin ping)
carelessly written, or "ping" (pinyin bing), and both readings are tried, the
unaspirated one first, as the system spells it.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import product

from anyascii import anyascii

from chipgate.screening.guards import pinyin_syllables

# Pinyin initials and their Wade-Giles spelling (the aspiration mark is dropped,
# as people write it; see the module docstring); the others are written alike.
_INITIALS = {
    "zh": "ch",
    "ch": "ch",
    "sh": "sh",
    "b": "p",
    "d": "t",
    "g": "k",
    "j": "ch",
    "q": "ch",
    "x": "hs",
    "z": "ts",
    "c": "ts",
    "r": "j",
}
_INITIAL = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?")
# Whole syllables spelled apart from the rules below.
_WHOLE = {
    "zi": "tzu",
    "ci": "tzu",
    "si": "ssu",
    "zhi": "chih",
    "chi": "chih",
    "shi": "shih",
    "ri": "jih",
    "er": "erh",
    "yi": "i",
    "you": "yu",
    "ye": "yeh",
    "yan": "yen",
    "yong": "yung",
    "yue": "yueh",
    "e": "o",
}
# At most this many pinyin readings of one name are screened.
MAX_READINGS = 8
# A word of a name and its syllables: letters, hyphens and apostrophes.
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


def wade_giles(syllable: str) -> str:
    """The Wade-Giles spelling of a pinyin syllable, written without the
    aspiration mark and diacritics.

    >>> [wade_giles(s) for s in ("ze", "dong", "xiao", "ping", "zhou", "guo")]
    ['tse', 'tung', 'hsiao', 'ping', 'chou', 'kuo']
    """
    if syllable in _WHOLE:
        return _WHOLE[syllable]
    initial = _INITIAL.match(syllable).group(0)  # type: ignore[union-attr]
    final = syllable[len(initial) :]
    if initial in ("g", "k", "h") and final == "e":
        final = "o"  # ge ko, ke k'o, he ho
    elif initial in ("g", "k") and final == "ui":
        final = "uei"  # gui kuei
    elif final == "uo" and initial not in ("g", "k", "h", "sh", "w"):
        final = "o"  # duo to, luo lo, zuo tso, zhuo cho; guo kuo, huo, shuo
    elif final == "ian":
        final = "ien"  # jian chien
    elif final in ("ie", "ue"):
        final += "h"  # jie chieh, xue hsueh
    final = re.sub(r"ong$", "ung", final)  # dong tung, xiong hsiung
    return _INITIALS.get(initial, initial) + final


@cache
def _readings() -> dict[str, tuple[str, ...]]:
    """Each Wade-Giles syllable as written without marks, and the pinyin
    syllables it may stand for, the one spelled without aspiration first."""
    found: dict[str, list[str]] = {}
    for syllable in sorted(pinyin_syllables()):
        found.setdefault(wade_giles(syllable), []).append(syllable)
    # "ping" is b (unaspirated, the system's own spelling) before p (the mark
    # left out): order each by the pinyin spelling's initial
    unaspirated = ("b", "d", "g", "j", "zh", "z")
    return {
        written: tuple(
            sorted(pinyin, key=lambda s: not s.startswith(unaspirated))
        )
        for written, pinyin in found.items()
    }


def pinyin_readings(name: str) -> list[str]:
    """The pinyin readings of a name written in Wade-Giles, best first.

    Only a name with a given name of syllables joined by hyphens and every word
    of it a Wade-Giles syllable is read (``Xi Jin-ping`` is not: Wade-Giles has
    no x); the hyphenated syllables are joined, as pinyin writes a given name,
    and a reading that is the name as written is left out.

    >>> pinyin_readings("Mao Tse-tung")[0]
    'mao zedong'
    >>> pinyin_readings("Teng Hsiao-p'ing")[:2]
    ['deng xiaobing', 'deng xiaoping']
    >>> pinyin_readings("Jean-Claude Juncker"), pinyin_readings("Xi Jin-ping")
    ([], [])
    >>> pinyin_readings("Mao Tse Tung")[0]
    'mao zedong'
    """
    if "-" not in name and len(name.split()) != 3:
        return []  # the cheap test: most names
    words = _WORD.findall(anyascii(name).lower().replace("\u2019", "'"))
    if "-" not in name:
        # without hyphens only a surname and a given name of two syllables,
        # one of them no pinyin (``unhyphenated``): "Mao Tse Tung"
        words = unhyphenated(words)
    if not any("-" in word for word in words):
        return []
    table = _readings()
    choices: list[list[tuple[str, ...]]] = []
    for word in words:
        syllables = word.replace("'", "").split("-")
        if not all(s in table for s in syllables):
            return []
        choices.append([table[s] for s in syllables])
    as_written = " ".join(word.replace("'", "").replace("-", "") for word in words)
    out: list[str] = []
    per_word = [
        ["".join(parts) for parts in product(*groups)] for groups in choices
    ]
    for reading in product(*per_word):
        text = " ".join(reading)
        if text != as_written and text not in out:
            out.append(text)
        if len(out) == MAX_READINGS:
            break
    return out



def unhyphenated(words: list[str]) -> list[str]:
    """Three words written without the hyphen of a Wade-Giles given name, as
    the hyphenated form (``["mao", "tse-tung"]``), or ``words`` as they are.

    Only when every word is a Wade-Giles syllable and one of them is no pinyin
    syllable ("tse", "tung", "hsi", "chih" are not): a name of pinyin
    syllables alone is pinyin ("Li Ke Qiang"), and Korean names mostly hold a
    word of neither ("Kim Chong Il").

    >>> unhyphenated(["mao", "tse", "tung"]), unhyphenated(["li", "ke", "qiang"])
    (['mao', 'tse-tung'], ['li', 'ke', 'qiang'])
    """
    if len(words) != 3:
        return words  # the cheap test: most names
    table = _readings()
    plain = [word.replace("'", "") for word in words]
    if not all(word in table for word in plain):
        return words
    if all(word in pinyin_syllables() for word in plain):
        return words
    return [words[0], f"{words[1]}-{words[2]}"]
