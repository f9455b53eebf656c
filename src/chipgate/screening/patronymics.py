"""Two patronymics of one father's name (``patronymic_of``).

Russian, Belarusian and Ukrainian names carry a patronymic, the father's
given name with a suffix: Vladimirovich, Vladimirovna. The lists write a
listed person's patronymic as each language forms it, from the father's name
as that language spells it: Belarusian Uladzimirauna for the Russian
Vladimirovna (Уладзімір is Владимир), Mikalayevich for Nikolaevich,
Ryhoravich for Grigoryevich; Ukrainian Volodymyrovych for Vladimirovich. No
letter rule reaches two such words, but the father's names inside them are
one name by the name table (``name_groups``) or the spelling rules.

Two patronymics are one name when both are of one sex (a son's -ovich is no
daughter's -ovna: another person) and the given names they are made from are
one name. The suffix is read off each word, and the father's name read as
the languages end it before the suffix (Nikolaevich is Nikolay's,
Grigoriyevich Grigoriy's, Sergeevich Sergey's).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

PATRONYMIC_OF = "patronymics of one father's name (patronymic_of)"
MIN_STEM = 3  # letters of the father's name inside a patronymic (Ilyich aside)

# The suffixes: Russian -ovich/-evich/-ovna/-evna, Ukrainian -ovych/-evych/
# -ivna, Belarusian -avich/-auna/-euna, and German, French, Dutch and Swedish
# spellings of the Russian (-owitsch, -ovitch, -ovitsj, -ovitj). A y, i or j
# before one is the й of the father's name (Nikolayevich, Serhiiovych,
# Grigorjevitj).
_MALE = re.compile(
    r"(?P<glide>[yij])?(?:[oae]v(?:ich|itch|itsch|itsj|itj|ych)|[oe]witsch)$"
)
_FEMALE = re.compile(r"(?P<glide>[yij])?(?:[oae]vna|[ae]una|ivna)$")


def father_names(word: str) -> tuple[str, frozenset[str]] | None:
    """The sex a patronymic names ("m" or "f") and the father's given names
    it may be made from, or None when ``word`` is no patronymic.

    >>> sex, names = father_names("nikolaevich")
    >>> sex, sorted(names)
    ('m', ['nikola', 'nikolai', 'nikolay'])
    >>> sorted(father_names("grigorjevitj")[1])
    ['grigor', 'grigori', 'grigoriy', 'grigory']
    >>> father_names("uladzimirauna")[1]
    frozenset({'uladzimir'})
    >>> father_names("nikolai") is None
    True
    """
    for sex, suffix in (("m", _MALE), ("f", _FEMALE)):
        found = suffix.search(word)
        if found is None:
            continue
        stem = word[: found.start()]
        if len(stem) < MIN_STEM:
            return None
        names = {stem}
        if stem[-1] in "aeiou":
            # the й of Nikolay, Sergey before -evich ("Nikolaevich")
            names |= {stem + "y", stem + "i"}
        if found.group("glide"):
            # written before the suffix: Grigoriy's "Grigorjevitj"
            names |= {stem + "y", stem + "i", stem + "iy"}
        return sex, frozenset(names)
    return None


# The last letters of every suffix above (-ich, -itj, -ovna ...): most word
# pairs compared end otherwise and are no pair of patronymics.
_ENDINGS = frozenset("hja")


def patronymic_of(a: str, b: str, one_name: Callable[[str, str], bool]) -> bool:
    """Whether two patronymics are of one sex and of given names that
    ``one_name`` finds one name.

    >>> same = lambda x, y: {x, y} == {"uladzimir", "vladimir"}
    >>> patronymic_of("uladzimirauna", "vladimirovna", same)
    True
    >>> patronymic_of("uladzimirauna", "vladimirovich", same)
    False
    """
    if a[-1:] not in _ENDINGS or b[-1:] not in _ENDINGS:
        return False
    return _patronymic_of(a, b, one_name)


@lru_cache(maxsize=16384)
def _patronymic_of(a: str, b: str, one_name: Callable[[str, str], bool]) -> bool:
    """``patronymic_of`` once the cheap test has passed."""
    first, second = father_names(a), father_names(b)
    if first is None or second is None or first[0] != second[0]:
        return False
    return any(x == y or one_name(x, y) for x in first[1] for y in second[1])
