"""What the measured mesh lets sound bounds achieve: why moves escape and why honest
targets stay unverified.

A leave-one-out run (:mod:`chipgate.location.realeval`) says how many moves were
caught and how many honest targets verified. This module says, for the ones that were
not, whether any bound that real paths obey could have done better:

* **An escaped move** (target ``t`` answering from where it is, licensed to site
  ``s``) is caught only if some landmark bounds ``t`` more than the site tolerance
  away from ``s``. With every usable landmark of the mesh (not only the ones the
  target was given) and the shipped bounds, :func:`escape_limits` records the best
  such gap; the bound efficiency a landmark would need to exclude the site
  (``(d(s, L) − tolerance) ÷ physical radius``, best landmark); and how many
  milliseconds the moved chip's RTT to that landmark exceeds what light needs from
  the site. An efficiency below what real paths reach would leave honest targets out
  of their own regions; the share of real pairs more direct than it says how many.
* **An honest target** is verified only if its region lies inside its country. Every
  disc holds the true position with some spare (radius − distance), so the region
  always holds the ball of the least spare around it (:func:`verify_limits`). When
  that ball, over every usable landmark, reaches land of another country, no choice
  of landmarks can verify the target with these bounds; the RTT that would have to be
  taken off the tightest landmark's measurement to pull the ball inside is what a
  tighter bound would have to assume about fixed delays.
* **Rings** (lower bounds) are not proofs, since a chip can always add delay;
  :func:`ring_misses` measures how often even a ring drawn from a landmark's own
  measurements would put an honest target in its hole.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from chipgate.location.assess import mesh_bounds, mesh_landmarks
from chipgate.location.borders import Borders
from chipgate.location.calibration import FIBRE_KM_PER_MS, MESH_MIN_KM, Bound
from chipgate.location.geolocate import (
    BREACHES,
    SITE_TOLERANCE_KM,
    Measurement,
    Verdict,
    geolocate,
)
from chipgate.location.geometry import distance_km
from chipgate.location.realeval import (
    FAR_KM,
    RealEvaluation,
    landmark_candidates,
    measured_target,
    tuning_half,
)
from chipgate.location.rttmesh import Mesh

SEARCH_DEGREES = 25.0
"""Countries whose bounding box lies within this many degrees of a point are searched
for its nearest foreign land (beyond it, no region of this data set is that small)."""


@dataclass(frozen=True)
class Escape:
    """A move of 1,000 km or more that was not caught, and what would catch it."""

    target: str
    site: str
    moved_km: float
    best_gap_km: float
    """Largest (distance from site − radius) over every usable landmark, shipped
    bounds: the move is caught by a single disc only above the site tolerance."""
    needed_efficiency: float
    """The largest bound efficiency at which some landmark's disc (no slack) would
    lie more than the site tolerance from the site."""
    excess_ms: float
    """Least, over landmarks, of the moved chip's RTT minus what light in fibre needs
    from the site (less the tolerance): what a chip at the site would have to add."""
    landmark: str
    """The landmark of ``excess_ms``."""
    site_in_region: bool
    """The licensed site lies inside the region the target's own landmarks drew:
    no rule on the region can tell the move from an honest chip at the site."""


@dataclass(frozen=True)
class HonestLimit:
    """How close an honest target's region can come to its country's borders."""

    target: str
    verified: bool
    ball_km: float
    """Least spare (radius − distance) over every usable landmark: the region holds
    the ball of this radius around the true position."""
    foreign_km: float
    """Distance from the true position to the nearest land of another country."""
    cut_ms: float
    """RTT the tightest landmark would have to take off its measurement for the ball
    to stop short of foreign land (≤ 0 when the ball already does)."""
    landmark: str


def pair_efficiencies(mesh: Mesh, exclude: Collection[str]) -> np.ndarray:
    """Distance ÷ physical radius of every measured pair at least ``MESH_MIN_KM``
    apart (each unordered pair once), landmarks in ``exclude`` left out."""
    keep = np.array([lid not in exclude for lid in mesh.ids])
    a, b = np.triu_indices(len(mesh.ids), 1)
    rtt, dist = mesh.rtt_ms[a, b], mesh.distance_km[a, b]
    ok = keep[a] & keep[b] & np.isfinite(rtt) & (rtt > 0) & (dist >= MESH_MIN_KM)
    return np.asarray(dist[ok] / (rtt[ok] * FIBRE_KM_PER_MS / 2.0))


def pair_excess_ms(
    mesh: Mesh, exclude: Collection[str], within_km: float = np.inf
) -> np.ndarray:
    """RTT minus what light in fibre needs, of every measured pair closer than
    ``within_km`` (each unordered pair once): the fixed and routing delays of real
    paths."""
    keep = np.array([lid not in exclude for lid in mesh.ids])
    a, b = np.triu_indices(len(mesh.ids), 1)
    rtt, dist = mesh.rtt_ms[a, b], mesh.distance_km[a, b]
    ok = keep[a] & keep[b] & np.isfinite(rtt) & (dist < within_km)
    return np.asarray(rtt[ok] - 2.0 * dist[ok] / FIBRE_KM_PER_MS)


def escape_limits(
    mesh: Mesh, flagged: Collection[str], result: RealEvaluation, borders: Borders
) -> list[Escape]:
    """Every move of ``FAR_KM`` or more in ``result`` that was not caught, measured
    against every usable landmark of the mesh."""
    index = mesh.index()
    candidates = landmark_candidates(mesh, flagged)
    landmarks = {lm.id: lm for lm in mesh_landmarks(mesh)}
    escapes: list[Escape] = []
    bounds_of: dict[str, Mapping[str, Bound]] = {}
    for o in result.moved:
        if o.moved_km < FAR_KM or o.verdict in BREACHES:
            continue
        t, s = index[o.target], index[o.licensed_as]
        if o.target not in bounds_of:
            bounds_of[o.target] = mesh_bounds(mesh, exclude={*flagged, o.target})
        bounds = bounds_of[o.target]
        used, rtts, radii = _every_landmark(mesh, candidates, bounds, t)
        to_site = mesh.distance_km[s, used]
        beyond = np.maximum(to_site - SITE_TOLERANCE_KM, 0.0)
        excess = rtts - 2.0 * beyond / FIBRE_KM_PER_MS
        best = int(np.argmin(excess))
        measured = measured_target(mesh, candidates, t, s, result.landmarks_per_target)
        region = geolocate(
            [
                Measurement(landmarks[m.landmark], m.rtt_ms)
                for m in measured.measurements
            ],
            measured.licensed_country,
            borders,
            bounds,
        ).region
        escapes.append(
            Escape(
                o.target,
                o.licensed_as,
                o.moved_km,
                float(np.max(to_site - radii)),
                float(np.max(beyond / (rtts * FIBRE_KM_PER_MS / 2.0))),
                float(excess[best]),
                mesh.ids[int(used[best])],
                region is not None
                and _holds(region, float(mesh.lat[s]), float(mesh.lon[s])),
            )
        )
    return escapes


def _holds(region: BaseGeometry, lat: float, lon: float) -> bool:
    """The point lies in the region, in any of the longitude frames it is drawn in."""
    return any(region.covers(Point(lon + shift, lat)) for shift in (-360, 0, 360))


def verify_limits(
    mesh: Mesh, flagged: Collection[str], result: RealEvaluation, borders: Borders
) -> list[HonestLimit]:
    """Each honest target of ``result``: the ball its region always holds, over
    every usable landmark, beside its distance to foreign land."""
    index = mesh.index()
    candidates = landmark_candidates(mesh, flagged)
    limits: list[HonestLimit] = []
    for o in result.honest:
        t = index[o.target]
        bounds = mesh_bounds(mesh, exclude={*flagged, o.target})
        used, rtts, radii = _every_landmark(mesh, candidates, bounds, t)
        gaps = mesh.distance_km[t, used]
        spare = radii - gaps
        k = int(np.argmin(spare))
        foreign = foreign_land_km(
            borders, float(mesh.lat[t]), float(mesh.lon[t]), mesh.country[t]
        )
        cut = float(rtts[k]) - 2.0 * (float(gaps[k]) + foreign) / FIBRE_KM_PER_MS
        limits.append(
            HonestLimit(
                o.target,
                o.verdict is Verdict.VERIFIED,
                float(spare[k]),
                foreign,
                cut,
                mesh.ids[int(used[k])],
            )
        )
    return limits


def _every_landmark(
    mesh: Mesh, candidates: np.ndarray, bounds: Mapping[str, Bound], t: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every usable landmark that measured target ``t``: indices, RTTs and radii."""
    pool = candidates & np.isfinite(mesh.rtt_ms[t])
    pool[t] = False
    used = np.flatnonzero(pool)
    rtts = mesh.rtt_ms[t, used]
    radii = np.array(
        [
            bounds[mesh.ids[j]].radius_km(float(r))
            for j, r in zip(used, rtts, strict=True)
        ]
    )
    return used, rtts, radii


def foreign_land_km(borders: Borders, lat: float, lon: float, own: str) -> float:
    """Geodesic distance from a point to the nearest land of a country other than
    ``own`` (the nearest point found in degrees, then measured on the ellipsoid;
    infinite when none lies within ``SEARCH_DEGREES``)."""
    here = Point(lon, lat)
    best = float("inf")
    for i in borders.tree.query(here.buffer(SEARCH_DEGREES)):
        if str(borders.owners[i]) == own:
            continue
        near = nearest_points(borders.geometries[i], here)[0]
        best = min(best, distance_km(lat, lon, near.y, near.x))
    return best


def ring_misses(
    mesh: Mesh, flagged: Collection[str], half: str = "tuning"
) -> tuple[int, int, int, int]:
    """How often a lower bound (a ring) drawn from a landmark's own mesh would put an
    honest target in its hole: for each landmark–target pair of the half, the ring's
    inner radius is the distance of the nearest other server the landmark measured at
    least as slowly as the target, less ``SITE_TOLERANCE_KM``. Returns (pairs in
    the hole, pairs, targets with one in the hole, targets).

    A chip can always add delay, so no ring is a proof; this measures how far it is
    from even a statistic that honest paths obey.
    """
    good = np.array([lid not in flagged for lid in mesh.ids])
    candidates = landmark_candidates(mesh, flagged)
    holes, pairs, hit, targets = 0, 0, 0, 0
    for t, lid in enumerate(mesh.ids):
        if not good[t] or (half != "all" and tuning_half(lid) != (half == "tuning")):
            continue
        targets += 1
        before = holes
        for j in np.flatnonzero(candidates & np.isfinite(mesh.rtt_ms[t])):
            if j == t:
                continue
            others = good.copy()
            others[t] = False
            others[j] = False
            row = mesh.rtt_ms[j]
            slow = others & np.isfinite(row) & (row >= mesh.rtt_ms[t, j])
            if not slow.any():
                continue
            inner = float(np.min(mesh.distance_km[j, slow])) - SITE_TOLERANCE_KM
            pairs += 1
            holes += bool(mesh.distance_km[t, j] < inner)
        hit += holes > before
    return holes, pairs, hit, targets
