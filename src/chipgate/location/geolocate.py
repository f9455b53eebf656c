"""From verified measurements to a region and a verdict on the licensed country.

Verdicts:

* ``verified``: the feasible region touches land of the licensed country only (sea
  does not count against it);
* ``diverted``: the region touches land of other countries only;
* ``relocated``: not diverted, but every point of the region lies more than
  ``SITE_TOLERANCE_KM`` from the licensed site (when its coordinates are known): the
  chip left the site its license names, within the country or across a border the
  bounds cannot place (a possible in-country transfer or diversion);
* ``inconclusive``: the region touches the licensed country and another (the result
  names the landmarks nearest the region that were not used, which would settle
  it), or lies at sea only;
* ``invalid``: no usable measurement, or measurements that no point on Earth fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from shapely.geometry.base import BaseGeometry

from chipgate.location.borders import Borders
from chipgate.location.calibration import PHYSICAL, Bound
from chipgate.location.geometry import (
    EMPTY_REGION,
    Disc,
    area_km2,
    distances_km,
    intersect_discs,
    outline,
)
from chipgate.location.landmarks import Landmark

SITE_TOLERANCE_KM = 100.0
"""How far beyond its licensed site a chip's region must lie before it counts as
``relocated``: a site's registered point is a metro area, not a rack, and calibrated
bounds are not exact. Chosen on the tuning half of the real RTTs (docs/location.md,
"Bounds on real paths"): efficiency bounds drawn without their 100 km slack overshot an
honest tuning server by at most 77 km; with it, none did."""


class Verdict(StrEnum):
    """The four outcomes of a location check."""

    VERIFIED = "verified"
    DIVERTED = "diverted"
    RELOCATED = "relocated"
    INCONCLUSIVE = "inconclusive"
    INVALID = "invalid"


BREACHES = frozenset({Verdict.DIVERTED, Verdict.RELOCATED})
"""Verdicts that show the chip is not where its license says: each raises an alert."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """One verified RTT from one landmark."""

    landmark: Landmark
    rtt_ms: float


@dataclass(frozen=True)
class Geolocation:
    """The region a chip can be in and what it means for its license."""

    verdict: Verdict
    region: BaseGeometry | None
    area_km2: float
    countries: tuple[str, ...]
    explanation: str
    calibrated: bool = True
    settle_with: tuple[str, ...] = field(default=())
    site_gap_km: float | None = None

    def outline(self) -> str:
        """Simplified WKT of the region (empty when there is none)."""
        return outline(self.region) if self.region is not None else EMPTY_REGION


def geolocate(
    measurements: Sequence[Measurement],
    licensed_country: str,
    borders: Borders,
    calibration: Mapping[str, Bound] | None = None,
    landmarks: Sequence[Landmark] = (),
    site: tuple[float, float] | None = None,
) -> Geolocation:
    """Intersect the measurements' discs and judge the region against the country.

    Args:
        measurements: verified RTTs (at most one per landmark is useful; the least
            RTT of a landmark is kept, since delay can only be added).
        licensed_country: ISO alpha-2 code the license names.
        borders: country polygons.
        calibration: per-landmark bounds; landmarks without one use physics.
        landmarks: every landmark available, to suggest which would settle an
            inconclusive result.
        site: (lat, lon) of the licensed site, when the registry holds it.
    """
    if not measurements:
        return Geolocation(Verdict.INVALID, None, 0.0, (), "no verified measurement")
    best: dict[str, Measurement] = {}
    for m in measurements:
        kept = best.get(m.landmark.id)
        if kept is None or m.rtt_ms < kept.rtt_ms:
            best[m.landmark.id] = m
    lines = calibration or {}
    discs = [
        Disc(
            m.landmark.lat,
            m.landmark.lon,
            lines.get(lid, PHYSICAL).radius_km(m.rtt_ms),
            lid,
        )
        for lid, m in best.items()
    ]
    region, _ = intersect_discs(discs)
    if not region.is_empty:
        located = _judge(
            region, licensed_country, borders, bool(lines), best, landmarks
        )
        if located.countries or not lines:
            return _against_site(located, discs, site)
    # Calibrated discs that miss each other, or meet only at sea, were drawn too
    # tight for this chip's route: fall back to the bounds of physics alone.
    hard = [
        Disc(d.lat, d.lon, PHYSICAL.radius_km(best[d.label].rtt_ms), d.label)
        for d in discs
    ]
    region, _ = intersect_discs(hard)
    if region.is_empty:
        return Geolocation(
            Verdict.INVALID,
            None,
            0.0,
            (),
            "no point on Earth fits every RTT: a landmark's position, clock or key "
            "is wrong",
            calibrated=False,
        )
    located = _judge(region, licensed_country, borders, False, best, landmarks)
    return _against_site(located, hard, site)


def site_gap_km(discs: Sequence[Disc], site: tuple[float, float]) -> float:
    """A lower bound on how far every point of the discs' intersection is from a site.

    Each disc that leaves the site out keeps the whole region at least (distance to
    its centre − radius) away, so the largest such margin bounds the region's gap.
    Exact on the ellipsoid and free of polygon error, unlike a point-in-polygon test.
    """
    if not discs:
        return 0.0
    lats = np.array([d.lat for d in discs])
    lons = np.array([d.lon for d in discs])
    radii = np.array([d.radius_km for d in discs])
    return max(0.0, float(np.max(distances_km(site[0], site[1], lats, lons) - radii)))


def _against_site(
    located: Geolocation, discs: Sequence[Disc], site: tuple[float, float] | None
) -> Geolocation:
    """Judge the licensed site: a region far from it is ``relocated``."""
    if site is None or located.verdict is Verdict.INVALID:
        return located
    gap = site_gap_km(discs, site)
    if located.verdict is Verdict.DIVERTED or gap <= SITE_TOLERANCE_KM:
        return replace(located, site_gap_km=gap)
    return replace(
        located,
        verdict=Verdict.RELOCATED,
        explanation=(
            f"region lies at least {gap:,.0f} km from the licensed site "
            f"(tolerance {SITE_TOLERANCE_KM:,.0f} km): the chip is not at its licensed "
            f"site; {located.explanation}"
        ),
        site_gap_km=gap,
    )


def _judge(
    region: BaseGeometry,
    licensed: str,
    borders: Borders,
    calibrated: bool,
    used: Mapping[str, Measurement],
    landmarks: Sequence[Landmark],
) -> Geolocation:
    if borders.contains(licensed, region):
        countries: tuple[str, ...] = (licensed,)
    else:
        countries = tuple(sorted(borders.countries_touching(region)))
    area = area_km2(region)
    basis = (
        f"{len(used)} landmark(s) ({', '.join(sorted(used))}), "
        + ("calibrated bounds" if calibrated else "physical bounds only")
        + f"; region {area:,.0f} km²"
    )
    if borders.country(licensed) is None:
        # Natural Earth folds some territories (e.g. RE, GP, MQ) into their parent
        # state: with no border of its own the licensed country cannot be judged,
        # and a region that misses a polygon that is not there proves nothing.
        return Geolocation(
            Verdict.INCONCLUSIVE,
            region,
            area,
            countries,
            f"the border map has no polygon of its own for {licensed}, so the "
            f"country cannot be judged ({basis})",
            calibrated,
        )
    if countries == (licensed,):
        return Geolocation(
            Verdict.VERIFIED,
            region,
            area,
            countries,
            f"region lies within {licensed} ({basis})",
            calibrated,
        )
    if not countries:
        return Geolocation(
            Verdict.INCONCLUSIVE,
            region,
            area,
            countries,
            f"region lies at sea only ({basis}); measure again",
            calibrated,
        )
    if licensed not in countries:
        where = ", ".join(countries)
        return Geolocation(
            Verdict.DIVERTED,
            region,
            area,
            countries,
            f"region lies wholly outside licensed {licensed}: touches {where} "
            f"({basis})",
            calibrated,
        )
    settle = _settling_landmarks(region, used, landmarks)
    others = ", ".join(c for c in countries if c != licensed)
    hint = (
        f"; landmarks nearest the region not used: {', '.join(settle)}"
        if settle
        else ""
    )
    return Geolocation(
        Verdict.INCONCLUSIVE,
        region,
        area,
        countries,
        f"region spans {licensed} and {others} ({basis}){hint}",
        calibrated,
        settle,
    )


def _settling_landmarks(
    region: BaseGeometry,
    used: Mapping[str, Measurement],
    landmarks: Sequence[Landmark],
    count: int = 3,
) -> tuple[str, ...]:
    """Unused landmarks closest to the region: their small RTT bounds cut it most."""
    spare = [lm for lm in landmarks if lm.id not in used]
    if not spare:
        return ()
    point = region.representative_point()
    lats = np.array([lm.lat for lm in spare])
    lons = np.array([lm.lon for lm in spare])
    dist = distances_km(point.y, point.x, lats, lons)
    order = np.argsort(dist)[:count]
    return tuple(spare[int(i)].id for i in order)
