"""Checking a landmark mesh: which listed positions the measurements contradict.

A landmark's position is a trust anchor: a wrong one places chips wrongly, and a
professionally run server list still holds a few servers that are provably elsewhere.
Three tests, each a proof rather than a statistic:

* **Country.** The listed coordinates lie more than ``COUNTRY_TOLERANCE_KM`` from the
  land of the listed country.
* **Light.** Two landmarks' RTT is shorter than light in fibre needs for the distance
  between their listed positions (plus ``CITY_SLACK_KM`` for two metro-area points):
  at least one of the two positions is wrong.
* **Triangle.** The listed distance between two landmarks exceeds what the RTTs from
  both to any third landmark allow (``d(a, b) ≤ phys(rtt(a, c)) + phys(rtt(c, b))``,
  whatever c's position): this catches a wrong position even where the pair itself
  was never measured.

A violation shows that one of two positions is wrong, not which. A landmark in
violation with ``STRONG_EVIDENCE`` or more others is flagged outright (greedily, worst
first); where fewer contradict it, it and its partners are compared by how well each
one's listed position fits its RTTs to all other landmarks (a log-log line of RTT
against distance fitted on the whole mesh), and the worst fit is flagged.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import Point
from shapely.ops import nearest_points

from chipgate.location.borders import Borders
from chipgate.location.calibration import FIBRE_KM_PER_MS
from chipgate.location.geometry import distance_km
from chipgate.location.rttmesh import Mesh

COUNTRY_TOLERANCE_KM = 25.0
"""A server's listed point may sit a little off its country's simplified coastline."""
CITY_SLACK_KM = 25.0
"""Two servers listed at metro-area points may be this much farther apart than the
points say (e.g. Amsterdam and Haarlemmermeer)."""
STRONG_EVIDENCE = 3
"""A landmark contradicted by this many others is blamed outright."""
PROFILE_MIN_KM = 100.0
"""Pairs closer than this are left out of the RTT-profile fit (fixed delays rule)."""


@dataclass(frozen=True)
class Flag:
    """A landmark whose listed position the data contradicts, and why."""

    id: str
    name: str
    country: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class MeshReport:
    """The outcome of a mesh check."""

    landmarks: int
    pairs: int
    flags: tuple[Flag, ...] = field(default=())

    @property
    def flagged(self) -> frozenset[str]:
        """Ids of the flagged landmarks."""
        return frozenset(f.id for f in self.flags)


def check_mesh(mesh: Mesh, borders: Borders) -> MeshReport:
    """Run the country, light and triangle tests over a mesh."""
    reasons: dict[int, list[str]] = {}
    for i, why in _country_problems(mesh, borders):
        reasons.setdefault(i, []).append(why)
    active = np.ones(len(mesh.ids), dtype=bool)
    phys = np.where(np.isfinite(mesh.rtt_ms), mesh.rtt_ms, np.inf) * (
        FIBRE_KM_PER_MS / 2.0
    )
    light = mesh.distance_km > phys + CITY_SLACK_KM
    _blame(mesh, light, active, reasons, _light_reason(mesh, phys))
    _blame(mesh, _triangle(mesh, phys, active), active, reasons, _triangle_reason(mesh))
    flags = tuple(
        Flag(mesh.ids[i], mesh.names[i], mesh.country[i], tuple(why))
        for i, why in sorted(reasons.items(), key=lambda kv: _natural(mesh.ids[kv[0]]))
    )
    pairs = int(np.isfinite(np.triu(mesh.rtt_ms, 1)).sum())
    return MeshReport(len(mesh.ids), pairs, flags)


def _natural(lid: str) -> tuple[int, str]:
    """Order ids as numbers when they are numbers ('98' before '139')."""
    return (int(lid), "") if lid.isdigit() else (2**63, lid)


def _country_problems(mesh: Mesh, borders: Borders) -> list[tuple[int, str]]:
    found = []
    for i, code in enumerate(mesh.country):
        home = borders.country(code)
        if home is None:
            continue
        here = Point(float(mesh.lon[i]), float(mesh.lat[i]))
        if home.contains(here):
            continue
        there = nearest_points(home, here)[0]
        gap = distance_km(here.y, here.x, there.y, there.x)
        if gap > COUNTRY_TOLERANCE_KM:
            inside = sorted(borders.countries_touching(here)) or ["the sea"]
            found.append(
                (
                    i,
                    f"listed in {code}, but its coordinates ({mesh.lat[i]:.4f}, "
                    f"{mesh.lon[i]:.4f}) lie {gap:,.0f} km outside it, in "
                    f"{', '.join(inside)}",
                )
            )
    return found


def _triangle(mesh: Mesh, phys: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Pairs whose listed distance exceeds the bound through some third landmark."""
    n = len(mesh.ids)
    through = np.full((n, n), np.inf)
    for c in np.flatnonzero(active):
        through = np.minimum(through, phys[:, c][:, None] + phys[c, :][None, :])
    np.fill_diagonal(through, np.inf)
    return np.asarray(mesh.distance_km > through + CITY_SLACK_KM)


def _light_reason(mesh: Mesh, phys: np.ndarray) -> Callable[[int, int], str]:
    def reason(i: int, j: int) -> str:
        return (
            f"RTT to {mesh.ids[j]} ({mesh.names[j]}, {mesh.country[j]}) of "
            f"{mesh.rtt_ms[i, j]:.2f} ms beats light in fibre: their listed points are "
            f"{mesh.distance_km[i, j]:,.0f} km apart, the RTT allows "
            f"{phys[i, j]:,.0f} km"
        )

    return reason


def _triangle_reason(mesh: Mesh) -> Callable[[int, int], str]:
    def reason(i: int, j: int) -> str:
        return (
            f"breaks triangle bounds with {mesh.ids[j]} ({mesh.names[j]}, "
            f"{mesh.country[j]}): RTTs through a third landmark allow less than their "
            f"listed {mesh.distance_km[i, j]:,.0f} km"
        )

    return reason


def _blame(
    mesh: Mesh,
    violations: np.ndarray,
    active: np.ndarray,
    reasons: dict[int, list[str]],
    reason: Callable[[int, int], str],
) -> None:
    """Flag landmarks until no violation is left among the active ones."""
    v = violations & active[:, None] & active[None, :]
    v = v | v.T
    np.fill_diagonal(v, False)
    fit: np.ndarray | None = None
    while v.any():
        counts = v.sum(axis=1)
        worst = int(np.argmax(counts))
        culprit = worst
        if counts[worst] < STRONG_EVIDENCE:
            # Few contradictions: either side may be the misplaced one; the
            # position that fits its own RTT profile worse is blamed.
            if fit is None:
                fit = _profile_misfit(mesh, active)
            suspects = np.append(np.flatnonzero(v[worst]), worst)
            culprit = int(suspects[np.argmax(fit[suspects])])
        partners = np.flatnonzero(v[culprit])
        order = partners[np.argsort(-mesh.distance_km[culprit, partners])]
        lines = [reason(culprit, int(j)) for j in order[:3]]
        more = len(partners) - len(lines)
        summary = f"contradicted by {len(partners)} landmark(s): " + "; ".join(lines)
        if more > 0:
            summary += f"; and {more} more"
        if fit is not None and len(partners) < STRONG_EVIDENCE:
            others = ", ".join(f"{fit[int(j)]:.3f}" for j in partners)
            summary += (
                f" (either side may be misplaced; this one's listed position fits its "
                f"RTTs to the other landmarks worst: median log error "
                f"{fit[culprit]:.3f} against {others})"
            )
        reasons.setdefault(culprit, []).append(summary)
        active[culprit] = False
        v[culprit, :] = False
        v[:, culprit] = False


def _profile_misfit(mesh: Mesh, active: np.ndarray) -> np.ndarray:
    """How badly each landmark's listed position fits its RTTs to the others.

    A log-log line of RTT against distance is fitted on all active pairs at least
    ``PROFILE_MIN_KM`` apart; each landmark's misfit is the median absolute log
    error of its own pairs.
    """
    usable = (
        np.isfinite(mesh.rtt_ms)
        & (mesh.distance_km >= PROFILE_MIN_KM)
        & active[:, None]
        & active[None, :]
    )
    slope, icpt = np.polyfit(
        np.log(mesh.distance_km[usable]), np.log(mesh.rtt_ms[usable]), 1
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        error = np.abs(np.log(mesh.rtt_ms) - (slope * np.log(mesh.distance_km) + icpt))
    error = np.where(
        np.isfinite(mesh.rtt_ms)
        & (mesh.distance_km >= PROFILE_MIN_KM)
        & active[None, :],
        error,
        np.nan,
    )
    with warnings.catch_warnings():
        # a landmark without a usable pair has no misfit (NaN, then infinite)
        warnings.simplefilter("ignore", RuntimeWarning)
        misfit = np.asarray(np.nanmedian(error, axis=1), dtype=float)
    return np.asarray(np.nan_to_num(misfit, nan=np.inf))
