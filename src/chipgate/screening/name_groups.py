"""One person name across languages and transliteration systems (``name_groups``).

A surname or given name travels between alphabets and languages in many
spellings that no letter rule of ``tokens.py`` reaches: Щукин is "Shchukin"
(BGN/PCGN), "Schtschukin" (German), "Chtchoukine" (French), "Ščukin" (ISO 9);
Володимир is "Volodymyr" and "Wolodymyr"; Michael is "Michel", "Mikhail" and
"Michail". ``data/name_groups.tsv`` holds such groups: every single-word form
in Latin, Cyrillic or Greek letters of each name of the person-name corpus the
PyPI package ``rigour`` 2.6.1 (MIT, OpenSanctions) builds from Wikidata's given
name and family name items (CC0), written as the normalizer writes it, keeping
only the groups in which some two spellings are not already one name by the
spelling rules (``bench/name_groups_data.py`` makes the file; the package is not
a dependency). Two words of person names in one group are one name
(``same_name``), unless they are still two persons' names (``two_names``).

The same corpus gives the Latin spellings of names written in scripts the
matcher cannot read as names (``data/name_readings.tsv.gz``,
``script_readings``): Chinese and Japanese renderings of foreign names, Khmer,
Thai, Lao, Burmese, Ethiopic, the Indian scripts other than Devanagari.

The lists themselves give a listed person's name in several spellings (its
aliases), and write some names in spellings neither table nor letter rule
reaches: "Gaddafi" / "Ghathafi" / "El-Kaddafi", "Soleimani" / "Sulemani",
the Somali "Cumar" for Omar, "Vladimirovich" / "Volodymyrovych".
``data/alias_spellings.tsv`` holds the pairs of words the lists write as one
name for one listed individual, mined from the aliases of the lists in use
(``bench/alias_spellings_data.py``, which names the lists and its filters);
two words of a pair are one name (``alias_spelling``).

Each table is read on the first comparison or query that asks (under a tenth
of a second), never by a name whose words all agree by other rules.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from itertools import islice, product

from chipgate.screening.normalize import name_share

NAME_GROUP = "one name in another spelling (name_groups)"
# The same for two spellings the lists write for one listed person.
ALIAS_SPELLING = "one name as the lists spell it (alias_spellings)"
# The same for a short form of a man's name ending in -a ("Vova" / "Vladimir").
HYPOCORISM = "a short form of the name (hypocorism)"
MIN_LETTERS = 4  # shorter words are syllables of many names ("yu", "ko", "ali")


def _read(name: str) -> dict[str, str]:
    """A table of ``data/`` (gzip-compressed TSV): its first column and the rest."""
    path = resources.files("chipgate.screening").joinpath(f"data/{name}")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return dict(
        line.split("\t", 1) for line in text.splitlines() if not line.startswith("#")
    )


@cache
def _groups() -> dict[str, str]:
    """Each word of the table and the groups that hold it (space-separated)."""
    return _read("name_groups.tsv.gz")


@cache
def _alias_spellings() -> dict[str, frozenset[str]]:
    """Each word of ``data/alias_spellings.tsv`` and the words it is paired
    with (both ways)."""
    path = resources.files("chipgate.screening").joinpath("data/alias_spellings.tsv")
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        a, b, _ = line.split("\t")
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in found.items()}


def alias_spellings(word: str) -> frozenset[str]:
    """The words the lists write as ``word``'s name for one listed person
    (``data/alias_spellings.tsv``), for retrieval and ``alias_spelling``.

    >>> sorted(alias_spellings("sulemani")), alias_spellings("zzzz")
    (['soleimani', 'soleymani', 'sulaimani'], frozenset())
    """
    return _alias_spellings().get(word, frozenset())


def alias_spelling(a: str, b: str) -> bool:
    """Whether the lists write ``a`` and ``b`` as one name of one listed
    person (``alias_spellings``): "Ghathafi" / "Gaddafi", "Cumar" / "Omar".

    >>> alias_spelling("ghathafi", "gaddafi"), alias_spelling("ahmed", "mohamed")
    (True, False)
    """
    return b in alias_spellings(a)


@cache
def _readings() -> dict[str, str]:
    """Each name written in a looked-up script and its Latin spellings."""
    return _read("name_readings.tsv.gz")


# Letters of the scripts whose names are looked up whole (``script_readings``).
_LOOKED_UP = re.compile(
    "[\u0980-\u09ff\u0a00-\u0a7f\u0a80-\u0aff\u0b80-\u0bff"
    "\u0c00-\u0c7f\u0c80-\u0cff\u0d00-\u0d7f\u0d80-\u0dff\u0e00-\u0e7f"
    "\u0e80-\u0eff\u0f00-\u0fff\u1000-\u109f\u1200-\u137f\u1780-\u17ff"
    "\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
)
_CJK_OR_KANA = re.compile("[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# The dot Chinese and Japanese write between the words of a foreign name.
_NAME_DOT = re.compile("[\u00b7\u2027\u2022\u30fb\uff65\u30a0\uff1d=]")
MAX_READINGS = 8
MAX_SPELLINGS = 4  # of one word


def script_readings(name: str) -> list[str]:
    """The name read through the name table, each word whole, when it is written
    in a script the matcher has no reading of names for (Khmer, Thai, Bengali
    ...; Chinese characters or katakana only as a foreign name, its
    words apart by a dot) and every word is a form of a name there
    (``name_readings``): "贝拉克·奥巴马" is also read "barack obama", "ប៉ុល ពត"
    "pol pot". At most ``MAX_READINGS`` readings, the table's spellings first.

    >>> "barack obama" in script_readings("贝拉克·奥巴马"), script_readings("Obama")
    (True, [])
    >>> script_readings("奥巴马"), script_readings("伟 张")
    ([], [])
    """
    if name.isascii() or not _LOOKED_UP.search(name):
        return []  # the cheap test: no letter of these scripts
    dotted = _NAME_DOT.search(name) is not None
    if _CJK_OR_KANA.search(name) and not dotted:
        return []  # a Chinese or Japanese name of its own, not a foreign one
    words = _NAME_DOT.sub(" ", unicodedata.normalize("NFKC", name)).split()
    if not words or len(words) > 4:
        return []
    table = _readings()
    spellings = []
    for word in words:
        found = table.get(word)
        if found is None:
            return []
        spellings.append(found.split(" ")[:MAX_SPELLINGS])
    return [" ".join(choice) for choice in islice(product(*spellings), MAX_READINGS)]


def groups_of(word: str) -> frozenset[str]:
    """The groups holding ``word`` (none for a word under ``MIN_LETTERS``).

    >>> sorted(groups_of("chtchoukine")), groups_of("zzzz")
    (['Q21491217'], frozenset())
    """
    if len(word) < MIN_LETTERS:
        return frozenset()
    found = _groups().get(word)
    return frozenset(found.split(" ")) if found else frozenset()


def same_name(a: str, b: str) -> bool:
    """Whether two words of person names are one name in two spellings.

    >>> same_name("schtschukin", "shchukin"), same_name("chtchoukine", "shchukin")
    (True, True)
    >>> same_name("carter", "carper"), same_name("martin", "martina")
    (False, False)
    """
    if a == b:
        return True
    mine = groups_of(a)
    if not mine or mine.isdisjoint(groups_of(b)):
        return False
    return not two_names(a, b)


def two_names(a: str, b: str) -> bool:
    """Whether two words of one group are still two persons' names: the name
    items group a name with its other-gender form ("Martin" / "Martina",
    "Shchukin" / "Shchukina", "Gorbachev" / "Gorbacheva": one of the two ends
    in -a; a short form ending in -a, "Vova" for "Vladimir", is a
    ``short_form`` only beside a rare name), and with names that a population
    writes as two ("David" / "Davis", "Meyer" / "Mayer", "Lopes" / "Lopez":
    both in the census table, where each is written as meant).

    >>> two_names("martin", "martina"), two_names("meyer", "mayer")
    (True, True)
    >>> two_names("chtchoukine", "shchukin")
    False
    """
    if (a[-1] == "a") != (b[-1] == "a"):
        return True
    return name_share(a) > 0.0 and name_share(b) > 0.0


HYPOCORISM_MAX = 7  # letters at most of a short form ending in -a (Volodya)
GENDER_ENDING = 3  # letters at most that a name's other-gender form changes at its end
# Endings of women's surnames and patronymics: Petrova, Mukhina, Poklonskaya,
# Kowalska, Mikhaylovna.
_FEMALE_ENDINGS = ("ova", "eva", "ina", "yna", "aya", "ska", "vna", "chna")


def hypocorism(a: str, b: str) -> bool:
    """Whether the one of two words of one name item that ends in -a is a short
    form of the other, not its other-gender form: the Russian short forms of
    men's names end in -a ("Vova" and "Volodya" of Vladimir, "Sasha" of
    Aleksandr, "Misha" of Mikhail, "Kolya" of Nikolay), and are made from
    another part of the name than its end. So: shorter than the other word, of
    at most ``HYPOCORISM_MAX`` letters, without the ending of a woman's surname
    or patronymic (-ova, -ina, -aya, -ska, -ovna ...), and not the other word
    with only its last ``GENDER_ENDING`` letters changed ("Julius" / "Julia",
    "Ivan" / "Ivanka").

    >>> hypocorism("sasha", "aleksandr"), hypocorism("misha", "mikhail")
    (True, True)
    >>> hypocorism("julia", "julius"), hypocorism("petrova", "pyatrou")
    (False, False)
    """
    if (a[-1] == "a") == (b[-1] == "a"):
        return False
    short, long_ = (a, b) if a[-1] == "a" else (b, a)
    if len(short) >= len(long_) or len(short) > HYPOCORISM_MAX:
        return False
    if any(short.endswith(e) and len(short) - len(e) >= 3 for e in _FEMALE_ENDINGS):
        return False  # Petrova, Mukhina; not Vova, whose stem is one letter
    shared = next(
        (k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(short)
    )
    return shared < max(3, len(short) - GENDER_ENDING)


def short_form(a: str, b: str) -> bool:
    """Whether one of two words is a short form of the other ending in -a that
    the name table holds in one item with it (``hypocorism``: "Vova" /
    "Vladimir", "Misha" / "Mikhail"). The table's items also hold other names
    of that shape (an item of the surname Jimenez holds "Ochoa"), so the
    matcher takes it only where a rare name beside it says who
    (``features.NICKNAME``).

    >>> short_form("vova", "vladimir"), short_form("julia", "julius")
    (True, False)
    """
    return hypocorism(a, b) and not groups_of(a).isdisjoint(groups_of(b))


def listed_spellings(word: str, groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The other spellings of the name ``word`` is among ``groups`` (an index's
    ``vocabulary_groups``), for retrieval: "chtchoukine" finds the listed
    "shchukin", and "vova" the listed "vladimir" (a ``short_form``, which the
    scoring takes only beside a rare name)."""
    return [
        other
        for group in groups_of(word)
        for other in groups.get(group, ())
        if other != word and (not two_names(word, other) or hypocorism(word, other))
    ]


def vocabulary_groups(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each group and those of ``words`` (a list index's vocabulary) it holds, for
    retrieval: a query word finds the listed spellings of its name."""
    found: dict[str, list[str]] = {}
    for word in words:
        for group in groups_of(word):
            found.setdefault(group, []).append(word)
    return {group: tuple(held) for group, held in found.items()}
