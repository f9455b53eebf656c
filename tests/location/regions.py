"""Reading regions in tests: is a point in a region drawn in some longitude frame."""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry


def holds_point(region: BaseGeometry, lat: float, lon: float) -> bool:
    """True when the region (in any longitude frame) covers the point."""
    return any(
        bool(shapely.covers(region, shapely.points(lon + shift, lat)))
        for shift in (-360.0, 0.0, 360.0)
    )
