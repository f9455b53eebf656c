"""Loads every pack, checks their references, and picks the regime in force by date."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from chipgate.datafiles import load_model, package_path
from chipgate.errors import RuleDataError, UnknownRegimeError
from chipgate.regimes.model import Pack, PackKind, RegimeStatus, Window


class RegimeLibrary:
    """All packs by id, with the timeline of regimes in force."""

    def __init__(self, packs: Iterable[Pack], origin: str = "packs") -> None:
        self.packs: dict[str, Pack] = {}
        for pack in packs:
            if pack.id in self.packs:
                raise RuleDataError(f"{origin}: two packs are named {pack.id!r}")
            self.packs[pack.id] = pack
        self._check_references(origin)

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
            for chain in self.lineage(pack.id):
                for rule in chain.rules:
                    missing = [
                        s for s in rule.source if not self._has_source(pack.id, s)
                    ]
                    if missing:
                        raise RuleDataError(
                            f"{origin}/{chain.id}: rule {rule.code} cites unknown "
                            f"{missing}"
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

    def _has_source(self, pack_id: str, key: str) -> bool:
        return any(key in p.sources for p in self.lineage(pack_id))

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
    return RegimeLibrary((load_model(f, Pack) for f in files), str(folder))


@cache
def default_library() -> RegimeLibrary:
    """The packs shipped with the package."""
    return load_library(package_path("regimes", "packs"))
