"""Listed names as orders, invoices and shipping papers write them.

Four ways of writing a listed party that the screen once missed, each made from
the lists' own names, deterministically (seeded), a sample of each:

- ``surname and initials``: a listed individual "SURNAME, Given Patronymic"
  written "Surname G.P." or "G.P. Surname", as Russian and Ukrainian papers
  write persons;
- ``branch``: a listed company's name with a branch after it ("... Dubai
  Branch");
- ``ship prefix``: a listed vessel after the prefix of its kind ("M/V",
  "MT");
- ``written together``: a listed company's first two words written as one in
  capitals and small letters ("HuaweiTechnologies Co., Ltd.").

A query counts when it is a hit on its own entry (``screening_eval``). The
rules were written from a handful of names typed by hand, not from these, so
every pair is reported (no tuning half).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.screening_evalset import Pair, entry_words, positive_pair, words
from chipgate.screening.model import ListEntry

SEED = 20261206
PER_KIND = 120
CITIES = ("Dubai", "Hong Kong", "Singapore", "Moscow", "Istanbul", "Shenzhen")
SHIP_PREFIXES = ("M/V", "MT", "M.V.", "MV", "M/T")


def _initials(entry: ListEntry, rng: random.Random) -> str | None:
    if entry.kind != "individual" or entry.name.count(",") != 1:
        return None
    surname, given = (part.strip() for part in entry.name.split(","))
    names = given.split()
    if not surname.replace("-", "").isalpha() or not 1 <= len(names) <= 3:
        return None
    if not all(name.isalpha() and name.isascii() and len(name) > 1 for name in names):
        return None
    letters = "".join(f"{name[0].upper()}." for name in names)
    surname = surname.title()
    return f"{surname} {letters}" if rng.random() < 0.5 else f"{letters} {surname}"


def _branch(entry: ListEntry, rng: random.Random) -> str | None:
    if entry.kind not in {"entity", ""} or len(entry_words(entry)) < 2:
        return None
    return f"{entry.name} {rng.choice(CITIES)} Branch"


def _ship(entry: ListEntry, rng: random.Random) -> str | None:
    if entry.kind != "vessel":
        return None
    return f"{rng.choice(SHIP_PREFIXES)} {entry.name}"


def _together(entry: ListEntry, rng: random.Random) -> str | None:
    if entry.kind not in {"entity", ""}:
        return None
    core = words(entry.name)
    if len(core) < 2 or not all(w.isalpha() and len(w) >= 3 for w in core[:2]):
        return None
    joined = core[0].capitalize() + core[1].capitalize()
    return " ".join([joined, *(w.capitalize() for w in core[2:])])


KINDS: tuple[tuple[str, Callable[[ListEntry, random.Random], str | None]], ...] = (
    ("surname and initials", _initials),
    ("branch", _branch),
    ("ship prefix", _ship),
    ("written together", _together),
)


def paper_pairs(entries: list[ListEntry], per_kind: int = PER_KIND) -> list[Pair]:
    """Up to ``per_kind`` queries of each kind, each of a listed entry of
    distinct words, the same on every run."""
    rng = random.Random(SEED)
    pairs: list[Pair] = []
    for kind, write in KINDS:
        seen: set[tuple[str, ...]] = set()
        made: list[Pair] = []
        for entry in sorted(entries, key=lambda e: (e.source, e.list_code, e.entry_id)):
            key = entry_words(entry)
            if key in seen:
                continue
            query = write(entry, rng)
            if query is None:
                continue
            seen.add(key)
            made.append(positive_pair(entry, query, kind))
        pairs += random.Random(f"{SEED}:{kind}").sample(made, min(per_kind, len(made)))
    return pairs
