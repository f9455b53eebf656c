"""Loads every pack, checks their references, and picks the regime in force by date.

All packs share one sources table: a source key means one citation everywhere, so
two packs defining a key differently, a value or rule citing a key no pack defines,
or a parameter whose dated values overlap is an error naming the file and line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from chipgate.citations import Citation
from chipgate.datafiles import load_model, package_path
from chipgate.errors import RuleDataError, UnknownRegimeError
from chipgate.regimes.model import Pack, PackKind, RegimeStatus, Window


class PackLines:
    """Finds the line of a key or a source reference in a pack's file, for errors."""

    def __init__(self, origin: str, files: Mapping[str, Path]) -> None:
        self._origin = origin
        self._files = files
        self._lines: dict[str, list[str]] = {}

    def _text(self, pack_id: str) -> list[str]:
        if pack_id not in self._lines:
            path = self._files.get(pack_id)
            self._lines[pack_id] = (
                path.read_text(encoding="utf-8").splitlines() if path else []
            )
        return self._lines[pack_id]

    def where(self, pack_id: str, pattern: str) -> str:
        """``file, line N`` of the first line matching ``pattern`` (or the pack)."""
        path = self._files.get(pack_id)
        name = str(path) if path else f"{self._origin}/{pack_id}"
        for number, line in enumerate(self._text(pack_id), start=1):
            if re.search(pattern, line):
                return f"{name}, line {number}"
        return name

    @staticmethod
    def key(key: str) -> str:
        """Pattern of a mapping key ``key:`` at any indentation."""
        return rf"^\s*{re.escape(key)}:"

    @staticmethod
    def reference(key: str) -> str:
        """Pattern of a ``source`` entry naming ``key``."""
        return rf"source:.*(?<![\w-]){re.escape(key)}(?![\w-])"


def _overlap(windows: Sequence[Window]) -> tuple[Window, Window] | None:
    """Two windows of ``windows`` that share a day, if any."""
    ordered = sorted(windows, key=lambda w: w.since or date.min)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.until is None or (later.since or date.min) <= earlier.until:
            return earlier, later
    return None


class RegimeLibrary:
    """All packs by id, with the timeline of regimes in force."""

    def __init__(
        self,
        packs: Iterable[Pack],
        origin: str = "packs",
        files: Mapping[str, Path] | None = None,
    ) -> None:
        self.packs: dict[str, Pack] = {}
        for pack in packs:
            if pack.id in self.packs:
                raise RuleDataError(f"{origin}: two packs are named {pack.id!r}")
            self.packs[pack.id] = pack
        self._lines = PackLines(origin, files or {})
        self.sources: dict[str, Citation] = self._sources_table()
        """The one sources table every pack cites from."""
        self._check_references(origin)
        self._check_windows()

    def _sources_table(self) -> dict[str, Citation]:
        table: dict[str, Citation] = {}
        defined_in: dict[str, str] = {}
        for pack in self.packs.values():
            for key, citation in pack.sources.items():
                if key in table and table[key] != citation:
                    here = self._lines.where(pack.id, PackLines.key(key))
                    there = self._lines.where(defined_in[key], PackLines.key(key))
                    raise RuleDataError(
                        f"{here}: source {key!r} is defined differently in {there}; "
                        "a source key must mean one citation in every pack"
                    )
                table.setdefault(key, citation)
                defined_in.setdefault(key, pack.id)
        return table

    def _check_windows(self) -> None:
        for pack in self.packs.values():
            for name, parameter in pack.parameters.items():
                pair = _overlap(parameter.values)
                if pair is not None:
                    where = self._lines.where(pack.id, PackLines.key(name))
                    raise RuleDataError(
                        f"{where}: parameter {name} has values whose dates overlap "
                        f"({pair[0].since or 'start'}..{pair[0].until or 'open'} and "
                        f"{pair[1].since or 'start'}..{pair[1].until or 'open'})"
                    )
            for code, switches in itertools.groupby(
                sorted(pack.rules, key=lambda r: r.code), key=lambda r: r.code
            ):
                pair = _overlap(list(switches))
                if pair is not None:
                    where = self._lines.where(pack.id, re.escape(code))
                    raise RuleDataError(
                        f"{where}: rule {code} is switched twice on the same days"
                    )

    def _check_references(self, origin: str) -> None:
        for pack in self.packs.values():
            if pack.inherits and pack.inherits not in self.packs:
                raise RuleDataError(
                    f"{origin}/{pack.id}: inherits unknown {pack.inherits!r}"
                )
            for target in pack.applies_to:
                if target not in self.packs:
                    raise RuleDataError(
                        f"{origin}/{pack.id}: applies to unknown {target!r}"
                    )
            self.lineage(pack.id)  # an inheritance loop fails here
            cited = [(r.source, f"rule {r.code}") for r in pack.rules] + [
                (v.source, f"parameter {name}")
                for name, parameter in pack.parameters.items()
                for v in parameter.values
            ]
            for keys, what in cited:
                for key in keys:
                    if key not in self.sources:
                        where = self._lines.where(pack.id, PackLines.reference(key))
                        raise RuleDataError(
                            f"{where}: {what} cites unknown source {key!r}"
                        )
        regimes = sorted(self.enforced(), key=lambda p: p.since or date.min)
        for earlier, later in itertools.pairwise(regimes):
            if (
                earlier.until is None
                or later.since is None
                or earlier.until >= later.since
            ):
                raise RuleDataError(
                    f"{origin}: regimes {earlier.id} and {later.id} overlap "
                    "or leave no end"
                )

    def lineage(self, pack_id: str) -> list[Pack]:
        """The pack and its ancestors, root first."""
        chain: list[Pack] = []
        current: str | None = pack_id
        while current is not None:
            pack = self.packs[current]
            if pack in chain:
                raise RuleDataError(f"pack {pack_id}: inheritance loops at {current}")
            chain.append(pack)
            current = pack.inherits
        return list(reversed(chain))

    def regimes(self) -> list[Pack]:
        """Every regime pack (not bases or overlays), by start date."""
        found = [p for p in self.packs.values() if p.kind is PackKind.REGIME]
        return sorted(found, key=lambda p: p.since or date.min)

    def enforced(self) -> list[Pack]:
        """Regimes the timeline may pick."""
        return [p for p in self.regimes() if p.status is RegimeStatus.IN_FORCE]

    def overlays_for(self, regime_id: str) -> list[Pack]:
        """Overlays that name ``regime_id`` (any date)."""
        return [
            p
            for p in self.packs.values()
            if p.kind is PackKind.OVERLAY and regime_id in p.applies_to
        ]

    def change_points(self, regime_id: str) -> list[date]:
        """Every date on which the law of ``regime_id`` (with overlays) may change.

        Between two consecutive points every rule switch and parameter value of the
        regime is constant, so decisions can be shared within such an epoch.
        """
        packs = list(self.lineage(regime_id))
        for overlay in self.overlays_for(regime_id):
            packs.extend(self.lineage(overlay.id))
        points: set[date] = set()
        windows: list[Window] = []
        for pack in packs:
            windows.append(pack)
            windows.extend(pack.rules)
            for parameter in pack.parameters.values():
                windows.extend(parameter.values)
        for window in windows:
            if window.since is not None:
                points.add(window.since)
            if window.until is not None and window.until < date.max:
                points.add(window.until + timedelta(days=1))
        return sorted(points)

    def regime(self, regime_id: str) -> Pack:
        """A regime by id, with the known ids in the error when it is missing."""
        pack = self.packs.get(regime_id)
        if pack is None or pack.kind is not PackKind.REGIME:
            known = ", ".join(p.id for p in self.regimes())
            raise UnknownRegimeError(f"unknown regime {regime_id!r}; known: {known}")
        return pack

    def in_force_on(self, day: date) -> Pack:
        """The regime whose window holds ``day``."""
        for pack in self.enforced():
            if pack.contains(day):
                return pack
        first = self.enforced()[0]
        raise UnknownRegimeError(
            f"no regime is modelled for {day.isoformat()}; the earliest, {first.id}, "
            f"starts {first.since}"
        )


def load_library(folder: Path) -> RegimeLibrary:
    """Load every ``*.yaml`` pack in ``folder``."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise RuleDataError(f"{folder}: no regime packs found")
    packs = [load_model(f, Pack) for f in files]
    return RegimeLibrary(
        packs, str(folder), {pack.id: f for pack, f in zip(packs, files, strict=True)}
    )


@cache
def default_library() -> RegimeLibrary:
    """The packs shipped with the package."""
    return load_library(package_path("regimes", "packs"))
