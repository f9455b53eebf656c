"""A light world map for the browser, derived at run time from the shipped borders.

The Natural Earth layer that ``chipgate.location.borders`` reads from its wheel is
simplified further (about 20 km) and written as SVG path data in an equirectangular
projection, once per process. Nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from chipgate.location.borders import load_borders

MAP_DEGREES = 0.2
"""Simplification for display: borders stay recognisable at 1280 px wide."""
TOP, BOTTOM = 84.0, -58.0
"""Latitudes shown (Antarctica and the far Arctic hold no destination)."""
VIEWBOX = f"0 0 360 {TOP - BOTTOM:g}"


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates of a point (x east from -180°, y down from the top).

    >>> project(-180, 84), project(0, 0)
    ((0.0, 0.0), (180.0, 84.0))
    """
    return lon + 180.0, TOP - lat


def _ring(coords: object) -> str:
    points = [project(x, y) for x, y in coords]  # type: ignore[attr-defined]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"


def path_data(geometry: BaseGeometry) -> str:
    """SVG path data of a (multi)polygon, holes included (even-odd fill).

    >>> path_data(Polygon([(0, 0), (1, 0), (1, 1)]))
    'M180.0 84.0L181.0 84.0L181.0 83.0L180.0 84.0Z'
    """
    polygons: list[Polygon]
    if isinstance(geometry, Polygon):
        polygons = [geometry]
    elif isinstance(geometry, MultiPolygon):
        polygons = list(geometry.geoms)
    else:
        polygons = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]
    return "".join(
        _ring(ring.coords)
        for polygon in polygons
        for ring in (polygon.exterior, *polygon.interiors)
    )


@lru_cache(maxsize=1)
def world_paths() -> dict[str, str]:
    """SVG path data of every country by ISO alpha-2 code."""
    borders = load_borders()
    paths: dict[str, str] = {}
    for code in borders.codes:
        geometry = borders.by_code[code]
        simple = shapely.simplify(geometry, MAP_DEGREES, preserve_topology=True)
        data = path_data(simple)
        if data:
            paths[code] = data
    return paths


def centroid(code: str) -> tuple[float, float] | None:
    """Map coordinates of a point inside a country (for fleet markers)."""
    geometry = load_borders().country(code)
    if geometry is None:
        return None
    point = geometry.representative_point()
    return project(point.x, point.y)


def region_path(wkt: str) -> str:
    """SVG path data of a located region (WKT polygon), empty when there is none.

    >>> region_path("POLYGON ((0 0, 1 0, 1 1, 0 0))")
    'M180.0 84.0L181.0 84.0L181.0 83.0L180.0 84.0Z'
    >>> region_path("")
    ''
    """
    if not wkt.strip():
        return ""
    try:
        geometry = shapely.from_wkt(wkt)
    except shapely.errors.GEOSException:
        return ""
    return path_data(geometry)
