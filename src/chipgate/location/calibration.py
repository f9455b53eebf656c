"""How far a round-trip time lets a chip be from a landmark.

Physics gives a hard bound: light in optical fibre travels at about two thirds of its
speed in vacuum, ``FIBRE_KM_PER_MS`` ≈ 200 km per millisecond, so a reply after
``rtt`` ms comes from at most ``rtt × 100`` km away. Real routes are longer than the
great circle and every host adds some fixed delay, so each landmark can tighten its
bound with a "bestline" learnt from RTTs to the other landmarks, whose distances are
known (constraint-based geolocation, Gueye et al., IEEE/ACM ToN 2006): the line
``rtt = slope × d + intercept`` that lies below every observed point, is no steeper
than physics allows and is as close to the points as possible. The intercept holds
the fixed delays of both ends of a landmark pair; a chip may be faster than the other
landmarks, so only half of it (the landmark's own end) is subtracted from a chip's RTT.

On the real Internet that subtraction is unsound: fixed delays differ from host to
host, and a landmark's least excess over physics comes from its single most direct
neighbour, so a new target near the landmark often has less (docs/location.md,
"Bounds on real paths"). :class:`EfficiencyBound`, fitted on a measured mesh by
:func:`fit_efficiency`, subtracts nothing: it scales the physical bound by the most
direct path share the data supports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

SPEED_OF_LIGHT_KM_PER_MS = 299.792458
FIBRE_KM_PER_MS = SPEED_OF_LIGHT_KM_PER_MS * 2.0 / 3.0
"""Group speed in silica fibre (refractive index ≈ 1.5): ≈ 199.86 km/ms."""
PHYSICAL_SLOPE_MS_PER_KM = 2.0 / FIBRE_KM_PER_MS
"""Fewest milliseconds of round trip each km of distance costs."""
SITE_SLACK_KM = 10.0
"""Added to calibrated radii: a landmark or chip site is a point in a metro area, and
a host faster than the landmarks' own would otherwise get a radius of zero."""
DEFAULT_MARGIN = 1.05
"""Calibrated radii are widened by 5 % so that a route a little more direct than any
seen between landmarks does not push an honest chip out of its own region (chosen
with the simulator: 1.05 kept false alarms at zero in 4,000 chips, 1.0 did not)."""


@dataclass(frozen=True, slots=True)
class Bestline:
    """A landmark's calibrated RTT-to-distance line."""

    slope_ms_per_km: float = PHYSICAL_SLOPE_MS_PER_KM
    intercept_ms: float = 0.0
    margin: float = 1.0

    def radius_km(self, rtt_ms: float) -> float:
        """Farthest distance consistent with ``rtt_ms``, never beyond physics."""
        physical = physical_radius_km(rtt_ms)
        # The intercept holds the fixed delays of both ends of a landmark pair; only
        # the landmark's own half recurs when it measures a chip.
        own_delay = self.intercept_ms / 2.0
        calibrated = max(rtt_ms - own_delay, 0.0) / self.slope_ms_per_km
        return min(physical, calibrated * self.margin + SITE_SLACK_KM)


PHYSICAL = Bestline()

MESH_MIN_KM = 100.0
"""Pairs closer than this say little about path directness (fixed delays dominate)
and are left out of the efficiency fit."""
MESH_EFFICIENCY_FLOOR = 0.85
"""No landmark's bound is drawn tighter than 85 % of the physical one, whatever its
own measurements show: a target may reach a landmark by a more direct route than any
the landmark's other neighbours use (a submarine cable from Tunis to Palermo, say).
Chosen with ``MESH_SLACK_KM`` on the tuning half of the shared real RTT data
(docs/location.md, "Bounds on real paths"): of the floors 0.75-0.95 and slacks
0-100 km, the tightest pair that left every honest tuning target inside its region
with 20 km to spare, leave-one-out, 20 landmarks."""
MESH_SLACK_KM = 100.0
"""Added to efficiency bounds: a server's listed point stands for a metro area, and
short paths carry fixed delays the efficiency does not see."""


@dataclass(frozen=True, slots=True)
class EfficiencyBound:
    """A landmark's bound as a share of the physical one, fitted on a real mesh.

    ``radius = min(physical, physical × efficiency + slack_km)``. The efficiency is
    the most direct path the landmark was measured over (distance ÷ physical
    radius), never below the floor: a landmark never claims that paths are less
    direct than its own measurements show, nor less than the floor.
    """

    efficiency: float = 1.0
    slack_km: float = 0.0

    def radius_km(self, rtt_ms: float) -> float:
        """Farthest distance consistent with ``rtt_ms``, never beyond physics."""
        physical = physical_radius_km(rtt_ms)
        return min(physical, physical * self.efficiency + self.slack_km)


Bound = Bestline | EfficiencyBound
"""Any per-landmark bound verification can use."""


def fit_efficiency(
    distances_km: np.ndarray,
    rtts_ms: np.ndarray,
    floor: float = MESH_EFFICIENCY_FLOOR,
    slack_km: float = MESH_SLACK_KM,
) -> EfficiencyBound:
    """Fit a landmark's efficiency bound to its RTTs towards landmarks at known
    distances (pairs under ``MESH_MIN_KM`` and unmeasured ones are left out).

    >>> fit_efficiency(np.array([1000.0, 2000.0]), np.array([20.0, 25.0])).efficiency
    0.85
    >>> round(fit_efficiency(np.array([1000.0]), np.array([20.0])).radius_km(20.0))
    1799
    >>> round(fit_efficiency(np.array([1000.0]), np.array([10.5])).efficiency, 3)
    0.953
    """
    d = np.asarray(distances_km, dtype=float)
    r = np.asarray(rtts_ms, dtype=float)
    usable = np.isfinite(r) & (r > 0) & (d >= MESH_MIN_KM)
    seen = 0.0
    if usable.any():
        seen = float(np.max(d[usable] / (r[usable] * FIBRE_KM_PER_MS / 2.0)))
    return EfficiencyBound(min(1.0, max(floor, seen)), slack_km)


def physical_radius_km(rtt_ms: float) -> float:
    """The hard bound: half the round trip at the speed of light in fibre.

    >>> round(physical_radius_km(10.0))
    999
    """
    return max(rtt_ms, 0.0) * FIBRE_KM_PER_MS / 2.0


def fit_bestline(
    distances_km: np.ndarray, rtts_ms: np.ndarray, margin: float = DEFAULT_MARGIN
) -> Bestline:
    """Fit a landmark's bestline to its RTTs towards landmarks at known distances.

    Candidate lines go through two points, through one point at the physical slope,
    or through one point and the origin; the feasible one (below every point, slope
    at least physical, intercept at least zero) with the least total slack wins.
    Falls back to the physical line when there are fewer than two points.
    """
    d = np.asarray(distances_km, dtype=float)
    r = np.asarray(rtts_ms, dtype=float)
    if d.size < 2:
        return PHYSICAL
    i, j = np.triu_indices(d.size, k=1)
    usable = np.abs(d[i] - d[j]) > 1.0
    i, j = i[usable], j[usable]
    pair_slope = (r[j] - r[i]) / (d[j] - d[i])
    pair_icpt = r[i] - pair_slope * d[i]
    phys_icpt = r - PHYSICAL_SLOPE_MS_PER_KM * d
    origin_slope = np.where(d > 0, r / np.maximum(d, 1e-9), PHYSICAL_SLOPE_MS_PER_KM)
    slopes = np.concatenate(
        [pair_slope, np.full(d.size, PHYSICAL_SLOPE_MS_PER_KM), origin_slope]
    )
    icpts = np.concatenate([pair_icpt, phys_icpt, np.zeros(d.size)])
    ok = (slopes >= PHYSICAL_SLOPE_MS_PER_KM - 1e-12) & (icpts >= -1e-9)
    slopes, icpts = slopes[ok], np.maximum(icpts[ok], 0.0)
    slack = r[None, :] - (slopes[:, None] * d[None, :] + icpts[:, None])
    feasible = np.all(slack >= -1e-6, axis=1)
    if not feasible.any():
        return Bestline(margin=margin)
    total = np.where(feasible, slack.sum(axis=1), np.inf)
    best = int(np.argmin(total))
    return Bestline(float(slopes[best]), float(icpts[best]), margin)


def calibration_to_json(lines: Mapping[str, Bound]) -> dict[str, dict[str, float]]:
    """A JSON-ready view of per-landmark bounds."""
    return {lid: _bound_json(line) for lid, line in sorted(lines.items())}


def _bound_json(line: Bound) -> dict[str, float]:
    if isinstance(line, EfficiencyBound):
        return {"efficiency": line.efficiency, "slack_km": line.slack_km}
    return {
        "slope_ms_per_km": line.slope_ms_per_km,
        "intercept_ms": line.intercept_ms,
        "margin": line.margin,
    }


def calibration_from_json(
    raw: Mapping[str, Mapping[str, float]],
) -> dict[str, Bound]:
    """Parse the JSON view back; slopes steeper than physics are refused.

    Raises:
        ValueError: a line would bound distance beyond the physical limit.
    """
    lines: dict[str, Bound] = {}
    for lid, entry in raw.items():
        if "efficiency" in entry:
            bound = EfficiencyBound(
                float(entry["efficiency"]), float(entry.get("slack_km", 0.0))
            )
            if not 0.0 < bound.efficiency <= 1.0 or bound.slack_km < 0.0:
                raise ValueError(
                    f"landmark '{lid}': efficiency outside (0, 1] or negative slack"
                )
            lines[lid] = bound
            continue
        line = Bestline(
            float(entry["slope_ms_per_km"]),
            float(entry.get("intercept_ms", 0.0)),
            float(entry.get("margin", 1.0)),
        )
        if line.slope_ms_per_km < PHYSICAL_SLOPE_MS_PER_KM * (1 - 1e-9):
            raise ValueError(f"landmark '{lid}': slope below the physical minimum")
        if line.intercept_ms < 0 or line.margin < 1.0:
            raise ValueError(f"landmark '{lid}': negative intercept or margin below 1")
        lines[lid] = line
    return lines
