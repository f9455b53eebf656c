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


def calibration_to_json(lines: Mapping[str, Bestline]) -> dict[str, dict[str, float]]:
    """A JSON-ready view of per-landmark bestlines."""
    return {
        lid: {
            "slope_ms_per_km": line.slope_ms_per_km,
            "intercept_ms": line.intercept_ms,
            "margin": line.margin,
        }
        for lid, line in sorted(lines.items())
    }


def calibration_from_json(
    raw: Mapping[str, Mapping[str, float]],
) -> dict[str, Bestline]:
    """Parse the JSON view back; slopes steeper than physics are refused.

    Raises:
        ValueError: a line would bound distance beyond the physical limit.
    """
    lines: dict[str, Bestline] = {}
    for lid, entry in raw.items():
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
