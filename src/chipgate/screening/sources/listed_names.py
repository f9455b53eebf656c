"""A list's name cell split into the party's name, its other names and its scope.

Some lists write more than the name in the name cell, and a screen that indexes the
cell whole finds the party by none of its names ("KOW SENG LIM -AKA- ERIC LIM" is
neither "Kow Seng Lim" nor "Eric Lim"). The forms met in the CSL and the DPL file:

- another name: ``X -AKA- Y`` (also ``X- AKA- Y``), ``X; a.k.a. Y; a.k.a Z`` (DTC),
  ``X, a.k.a. Y`` (Entity List), ``X (AKA: Y)`` or ``X (aka Y)`` at the end, a
  bracketed ``X [aka Y, aka Z]`` (ISN), and a given name's other form inside a
  person's name, ``PEARL (A.K.A. NEI-CHIEN CHU) LI``, read as the name without the
  parentheses plus the other name alone and before the surname;
- the scope of a State (ISN) sanction after the party's name: ``X; and any
  successor, sub-unit, or subsidiary thereof``, ``X, and its sub-units and
  successors`` (it widens the sanction; it is not part of the name);
- a qualifier in parentheses: ``X (Russian national)``, ``X (PRC entity)``.

The cell as published stays in the entry's raw row and is shown in the explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AKA = r"a\.?\s?k\.?\s?a\b\.?:?"
_SCOPE = re.compile(
    r"[;,]?\s+and\s+(?:any|its)\s+(?:successors?|sub-units?)\b.*$", re.IGNORECASE
)
_QUALIFIER = re.compile(
    r"\s*\((?:[\w' -]+\s)?(?:entity|national|individual)\)\s*$", re.IGNORECASE
)
_BRACKETED = re.compile(rf"\s*\[\s*{_AKA}\s*(?P<names>[^\]]*)\]", re.IGNORECASE)
_INNER = re.compile(rf"\s*\(\s*{_AKA}\s*(?P<other>[^)]+)\)\s*", re.IGNORECASE)
_SEPARATOR = re.compile(rf"\s*-\s*{_AKA}\s*-\s*|\s*[;,]\s*{_AKA}\s*", re.IGNORECASE)
_ENUMERATED = re.compile(rf"\s*,\s*{_AKA}\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ListedName:
    """What one name cell says: the name, other names, and whether it held more
    than the name (then the cell as published is worth showing beside a hit)."""

    name: str
    aliases: tuple[str, ...] = ()
    split: bool = False


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;-")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _inner_other(part: str) -> tuple[str, list[str]]:
    """One name without its parenthesised other name, and the other names it gives.

    ``GIVEN (A.K.A. OTHER) SURNAME`` gives ``OTHER SURNAME``, and ``OTHER`` alone
    when it is more than one word: a single word alone ("Acme (AKA Holdings)
    Ltd" would give "Holdings") is no name to screen by.
    """
    inner = _INNER.search(part)
    if not inner:
        return part, []
    before, after = part[: inner.start()], part[inner.end() :]
    other = _clean(inner.group("other"))
    surname = _clean(after)
    if surname and not other.endswith(surname):  # GIVEN (A.K.A. OTHER) SURNAME
        others = [f"{other} {surname}"] + ([other] if len(other.split()) > 1 else [])
    else:  # NAME (AKA: OTHER)
        others = [other]
    return f"{before} {after}", others


def split_listed_name(cell: str) -> ListedName:
    """The party's name, its other names, and whether the cell held more than it.

    >>> split_listed_name("KOW SENG LIM -AKA- ERIC LIM")
    ListedName(name='KOW SENG LIM', aliases=('ERIC LIM',), split=True)
    >>> split_listed_name("PEARL (A.K.A. NEI-CHIEN CHU) LI").aliases
    ('NEI-CHIEN CHU LI', 'NEI-CHIEN CHU')
    >>> split_listed_name("PMC Wagner; and any successor, sub-unit, or subsidiary thereof")
    ListedName(name='PMC Wagner', aliases=(), split=True)
    >>> split_listed_name("AKA INTEGRAL SERVICES, S. DE R.L. DE C.V.").split
    False
    >>> split_listed_name("ALI (A.K.A. ALY) HASSAN, -AKA- HUSSEIN ALI")
    ListedName(name='ALI HASSAN', aliases=('HUSSEIN ALI', 'ALY HASSAN'), split=True)
    >>> split_listed_name("Acme (AKA Holdings) Ltd").aliases
    ('Holdings Ltd',)
    """
    text = " ".join(cell.split())
    if not any(
        p.search(text) for p in (_SCOPE, _QUALIFIER, _BRACKETED, _INNER, _SEPARATOR)
    ):
        return ListedName(text)
    rest = _SCOPE.sub("", text)
    rest = _QUALIFIER.sub("", rest)
    aliases: list[str] = []
    bracketed = _BRACKETED.search(rest)
    if bracketed:
        aliases += _ENUMERATED.split(bracketed.group("names"))
        rest = rest[: bracketed.start()] + rest[bracketed.end() :]
        rest = _QUALIFIER.sub("", rest)
    parts: list[str] = []
    for part in _SEPARATOR.split(rest):  # each name apart first: its own (A.K.A.)
        named, others = _inner_other(part)
        parts.append(named)
        aliases += others
    parts = [p for p in (_clean(p) for p in parts) if p]
    aliases = [_clean(a) for a in parts[1:] + aliases if _clean(a)]
    name = parts[0] if parts else ""
    if _letters(name) < 2 and aliases:  # "K (AKA: AMES, ALDRICH HAZEN)"
        name = aliases.pop(0)
    if not name:
        return ListedName(text)
    unique = tuple(a for a in dict.fromkeys(aliases) if a != name)
    return ListedName(name, unique, split=True)
