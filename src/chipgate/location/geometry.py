"""Geodesic discs and their intersection: the region a chip can be in.

Each disc is drawn as a polygon in longitude/latitude from points found with the
geodesic routines of PROJ (``pyproj.Geod``, WGS84). All discs of one chip are unwrapped
into the same longitude frame, centred on the tightest disc, so that regions across
the antimeridian stay whole; a disc that holds a pole is closed over that pole.
Polygon edges are straight in degrees, not geodesics; the radius margin
``EDGE_MARGIN`` keeps the polygon outside the true disc.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
EMPTY_REGION = "POLYGON EMPTY"
"""The WKT of a region that is not known (or empty): what an alert stores when no
region was kept."""
HALF_CIRCUMFERENCE_KM = 20_003.9
"""Largest geodesic distance on WGS84; a disc this wide covers the whole Earth."""
BOTH_POLES = 180.0
"""Marker for a disc wide enough to hold both poles."""
ANTIPODAL_KM = 20_003.9
ANTIPODE_SLACK_KM = 60.0
"""On the ellipsoid the complement of a wide disc is only nearly a disc around the
antipode; shrinking that complement by 60 km keeps the drawn disc a superset."""
AUTHALIC_RADIUS_KM = 6371.0072
DISC_POINTS = 72
EDGE_MARGIN = 1.004
"""Chords of a 72-gon fall inside the circle by at most 1 - cos(π/72) ≈ 0.1 %;
degree-straight edges bend a little more at high latitude. 0.4 % covers both."""


@dataclass(frozen=True, slots=True)
class Disc:
    """All points within ``radius_km`` of (lat, lon)."""

    lat: float
    lon: float
    radius_km: float
    label: str = ""


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84, in km."""
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def distances_km(
    lat: float, lon: float, lats: np.ndarray, lons: np.ndarray
) -> np.ndarray:
    """Geodesic distances from one point to many, in km (vectorised)."""
    _, _, metres = GEOD.inv(
        np.full(lats.shape, lon), np.full(lats.shape, lat), lons, lats
    )
    return np.asarray(metres) / 1000.0


def _wrap(values: np.ndarray, centre: float) -> np.ndarray:
    """Longitudes moved by multiples of 360° to lie within 180° of ``centre``."""
    return (values - centre + 180.0) % 360.0 - 180.0 + centre


_AZIMUTHS = np.linspace(0.0, 360.0, DISC_POINTS, endpoint=False)


def disc_polygon(disc: Disc, frame_lon: float, pole: float = 0.0) -> Polygon | None:
    """The disc as a lon/lat polygon in the frame centred on ``frame_lon``.

    ``pole`` is 90.0 / -90.0 when the disc holds the north / south pole (see
    :func:`poles_inside`). Returns None when the disc covers the whole Earth.
    """
    radius = disc.radius_km * EDGE_MARGIN
    if radius >= HALF_CIRCUMFERENCE_KM:
        return None
    lons, lats, _ = GEOD.fwd(
        np.full(DISC_POINTS, disc.lon),
        np.full(DISC_POINTS, disc.lat),
        _AZIMUTHS,
        np.full(DISC_POINTS, radius * 1000.0),
    )
    lons = np.asarray(lons)
    lats = np.asarray(lats)
    if pole == BOTH_POLES:
        return _complement_of_cap(disc, radius, frame_lon)
    if pole == 0.0:
        # A cap without a pole spans less than 90° of longitude either side of its
        # centre, so wrapping around the (frame-shifted) centre keeps it whole.
        centre = float(_wrap(np.array([disc.lon]), frame_lon)[0])
        return shapely.polygons(np.column_stack([_wrap(lons, centre), lats]))
    # The disc holds a pole: its edge runs all the way round. Sort the edge by
    # longitude within the frame and close the ring along the pole's latitude.
    frame = _wrap(lons, frame_lon)
    order = np.argsort(frame)
    ring_lons = frame[order]
    ring_lats = lats[order]
    west, east = frame_lon - 180.0, frame_lon + 180.0
    edge_lat = float(np.interp(west, ring_lons, ring_lats, period=360.0))
    ring = [(west, edge_lat), *zip(ring_lons, ring_lats, strict=True)]
    ring += [(east, edge_lat), (east, pole), (west, pole)]
    return Polygon(ring)


def _complement_of_cap(disc: Disc, radius_km: float, frame_lon: float) -> Polygon:
    """A disc holding both poles: the whole frame less the cap around its antipode.

    The cap is drawn ``ANTIPODE_SLACK_KM`` smaller than the exact complement, so the
    result errs on the side of a larger disc.
    """
    cap = Disc(
        -disc.lat,
        disc.lon + 180.0,
        max(ANTIPODAL_KM - radius_km - ANTIPODE_SLACK_KM, 0.0),
    )
    frame = shapely.box(frame_lon - 180.0, -90.0, frame_lon + 180.0, 90.0)
    hole = disc_polygon(
        Disc(
            cap.lat,
            float(_wrap(np.array([cap.lon]), 0.0)[0]),
            cap.radius_km / EDGE_MARGIN,
        ),
        frame_lon,
    )
    if hole is None or cap.radius_km <= 0.0:
        return frame
    holes = [
        shapely.transform(hole, lambda xy, s=shift: xy + np.array([s, 0.0]))
        for shift in (-360.0, 0.0, 360.0)
    ]
    return shapely.difference(frame, shapely.union_all(holes))


def poles_inside(discs: Sequence[Disc]) -> np.ndarray:
    """90.0 / -90.0 for discs that hold the north / south pole, ``BOTH_POLES`` for
    discs that hold both, else 0.0."""
    lats = np.array([d.lat for d in discs])
    lons = np.array([d.lon for d in discs])
    radii = np.array([d.radius_km for d in discs]) * EDGE_MARGIN
    north = distances_km(90.0, 0.0, lats, lons) < radii
    south = distances_km(-90.0, 0.0, lats, lons) < radii
    return np.where(
        north & south, BOTH_POLES, np.where(north, 90.0, np.where(south, -90.0, 0.0))
    )


def intersect_discs(discs: Sequence[Disc]) -> tuple[BaseGeometry, float]:
    """The intersection of the discs, and the longitude frame it is drawn in.

    Discs that wholly contain the tightest one are skipped: they cannot cut it.
    An empty geometry means the discs do not meet (inconsistent measurements).
    """
    ordered = sorted(discs, key=lambda d: d.radius_km)
    tightest = ordered[0]
    frame = tightest.lon
    lats = np.array([d.lat for d in ordered])
    lons = np.array([d.lon for d in ordered])
    radii = np.array([d.radius_km for d in ordered])
    gaps = distances_km(tightest.lat, tightest.lon, lats, lons)
    needed = gaps + tightest.radius_km > radii
    needed[0] = True
    kept = [d for d, keep in zip(ordered, needed, strict=True) if keep]
    region: BaseGeometry | None = None
    for disc, pole in zip(kept, poles_inside(kept), strict=True):
        polygon = disc_polygon(disc, frame, float(pole))
        if polygon is None:
            continue
        if region is None:
            region = polygon
            continue
        region = shapely.intersection(region, _copies_over(polygon, region))
        if region.is_empty:
            break
    if region is None:
        region = shapely.box(frame - 180.0, -90.0, frame + 180.0, 90.0)
    return region, frame


def _copies_over(polygon: Polygon, region: BaseGeometry) -> BaseGeometry:
    """The polygon and those of its copies 360° away that reach the region's span.

    A disc is drawn around its own centre, so a wide one can run past the frame's
    edge and cover the region's longitudes only through a copy 360° over (a disc
    round Honolulu that reaches north-east Asia from the west, say).
    """
    west, _, east, _ = region.bounds
    copies = []
    for shift in (-360.0, 0.0, 360.0):
        moved_west, _, moved_east, _ = polygon.bounds
        if moved_east + shift >= west and moved_west + shift <= east:
            copies.append(
                polygon
                if shift == 0.0
                else shapely.transform(
                    polygon, lambda xy, s=shift: xy + np.array([s, 0.0])
                )
            )
    if len(copies) == 1:
        return copies[0]
    return shapely.union_all(copies)


def area_km2(region: BaseGeometry) -> float:
    """Area of a lon/lat region in km², on the authalic sphere.

    The region is mapped to Lambert's cylindrical equal-area projection, where plane
    area is sphere area; this holds for regions around a pole or spanning the whole
    frame, where ellipsoidal polygon routines are ambiguous. The sphere differs from
    WGS84 by well under 1 % in area.
    """
    if region.is_empty:
        return 0.0
    scale = np.radians(1.0) * AUTHALIC_RADIUS_KM

    def equal_area(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [xy[:, 0] * scale, AUTHALIC_RADIUS_KM * np.sin(np.radians(xy[:, 1]))]
        )

    return float(shapely.area(shapely.transform(region, equal_area)))


def outline(region: BaseGeometry, detail: int = 12) -> str:
    """A WKT outline of about ``detail`` vertices a side, centre within ±180°.

    A region across the antimeridian keeps longitudes beyond 180° rather than being
    cut in two.
    """
    if region.is_empty:
        return EMPTY_REGION
    west, south, east, north = region.bounds
    tolerance = max(east - west, north - south) / detail
    simple = shapely.simplify(region, tolerance)
    if simple.is_empty:
        simple = region.envelope
    centre = simple.centroid.x
    shift = float(_wrap(np.array([centre]), 0.0)[0]) - centre
    moved = shapely.transform(simple, lambda xy: xy + np.array([shift, 0.0]))
    return str(shapely.to_wkt(moved, rounding_precision=2))
