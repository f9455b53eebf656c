"""The chip catalog: lookup by any name people type, nearest names for typos."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from chipgate.chips.figures import ChipFigures, figures_from_spec
from chipgate.chips.model import CatalogFile, ChipSpec, SystemSpec
from chipgate.datafiles import load_model, package_path

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_item_name(name: str) -> str:
    """Match key of an item name: lower case, letters and digits only.

    >>> normalize_item_name("NVIDIA H100-SXM5 (80 GB)")
    'nvidiah100sxm580gb'
    """
    return _NON_ALNUM.sub("", name.casefold())


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """What an order's item resolves to: a chip, or a system of ``count`` chips."""

    name: str
    chip: ChipFigures
    chips_per_unit: int
    system: SystemSpec | None = None

    @property
    def is_system(self) -> bool:
        """True for a computer that holds accelerators (ECCN 4A090 family)."""
        return self.system is not None


class Catalog:
    """Chips and systems by normalized name, with their computed figures."""

    def __init__(self, data: CatalogFile, path: Path | None = None) -> None:
        self.path = path
        self.data = data
        urls = {key: (src.url or src.cite) for key, src in data.sources.items()}
        self._chips: dict[str, ChipSpec] = {c.name: c for c in data.chips}
        self._figures = {c.name: figures_from_spec(c, urls) for c in data.chips}
        self._index: dict[str, CatalogItem] = {}
        self._named: dict[str, CatalogItem | None] = {}
        """Lookups by the name as written (a book repeats its item names)."""
        for chip in data.chips:
            item = CatalogItem(chip.name, self._figures[chip.name], 1)
            for alias in (chip.name, *chip.aliases):
                self._add(alias, item)
        for system in data.systems:
            item = CatalogItem(
                system.name, self._figures[system.chip], int(system.count.value), system
            )
            for alias in (system.name, *system.aliases):
                self._add(alias, item)
        self._keys = list(self._index)

    def _add(self, alias: str, item: CatalogItem) -> None:
        key = normalize_item_name(alias)
        existing = self._index.get(key)
        if existing is not None and existing.name != item.name:
            raise ValueError(
                f"name {alias!r} is used by {existing.name} and {item.name}"
            )
        self._index[key] = item

    def __len__(self) -> int:
        return len(self._chips)

    @property
    def chips(self) -> tuple[ChipSpec, ...]:
        """Every chip in catalog order."""
        return self.data.chips

    def figures(self, chip_name: str) -> ChipFigures:
        """Computed figures of a chip by canonical name."""
        return self._figures[chip_name]

    def lookup(self, name: str) -> CatalogItem | None:
        """Resolve an item name, ignoring case, spaces and punctuation."""
        try:
            return self._named[name]
        except KeyError:
            if len(self._named) >= 10_000:  # names the catalog lacks are not kept long
                self._named.clear()
            found = self._named[name] = self._index.get(normalize_item_name(name))
            return found

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names closest to ``name``, for 'did you mean' messages."""
        matches = process.extract(
            normalize_item_name(name), self._keys, scorer=fuzz.WRatio, limit=limit * 4
        )
        seen: list[str] = []
        for key, _score, _idx in matches:
            canonical = self._index[key].name
            if canonical not in seen:
                seen.append(canonical)
            if len(seen) == limit:
                break
        return seen


@cache
def default_catalog() -> Catalog:
    """The catalog shipped with the package (parsed once per process)."""
    path = package_path("chips", "catalog.yaml")
    return Catalog(load_model(path, CatalogFile), path)
