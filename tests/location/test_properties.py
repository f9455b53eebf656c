"""Properties: an honest chip is never diverted nor relocated; delay never pulls a
region closer."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from chipgate.location.borders import load_borders
from chipgate.location.calibration import FIBRE_KM_PER_MS
from chipgate.location.fleet import load_cities
from chipgate.location.geolocate import BREACHES, Measurement, geolocate
from chipgate.location.geometry import Disc, distance_km, distances_km, intersect_discs
from chipgate.location.landmarks import load_landmarks

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None)


@PROPERTY_SETTINGS
@given(
    city=st.integers(min_value=0, max_value=10_000),
    picks=st.lists(
        st.integers(min_value=0, max_value=1_000), min_size=3, max_size=12, unique=True
    ),
    stretch=st.lists(st.floats(min_value=1.0, max_value=4.0), min_size=12, max_size=12),
    jitter=st.lists(st.floats(min_value=0.0, max_value=80.0), min_size=12, max_size=12),
    access=st.floats(min_value=0.05, max_value=3.0),
)
@example(  # Saint-Denis, Réunion: a country the border map folds into France
    city=642,
    picks=[0, 1, 2],
    stretch=[1.0] * 12,
    jitter=[0.0] * 12,
    access=1.0,
)
def test_an_honest_chip_is_never_diverted_nor_relocated_whatever_the_jitter(
    city: int,
    picks: list[int],
    stretch: list[float],
    jitter: list[float],
    access: float,
) -> None:
    landmarks, borders = load_landmarks(), load_borders()
    cities = load_cities()
    i = city % len(cities.names)
    lat, lon, country = (
        float(cities.lats[i]),
        float(cities.lons[i]),
        str(cities.countries[i]),
    )
    chosen = [landmarks[p % len(landmarks)] for p in picks]
    chosen = list({lm.id: lm for lm in chosen}.values())
    measurements = []
    for k, lm in enumerate(chosen):
        d = distance_km(lat, lon, lm.lat, lm.lon)
        rtt = 2 * d * stretch[k] / FIBRE_KM_PER_MS + access + jitter[k]
        measurements.append(Measurement(lm, rtt))
    located = geolocate(measurements, country, borders, site=(lat, lon))
    assert located.verdict not in BREACHES
    assert located.region is not None
    shifted = [
        shapely.transform(Point(lon, lat), lambda xy, s=s: xy + np.array([s, 0]))
        for s in (-360.0, 0.0, 360.0)
    ]
    assert any(located.region.buffer(1e-6).contains(p) for p in shifted)


@settings(max_examples=40, deadline=None)
@given(
    centres=st.lists(
        st.tuples(
            st.floats(min_value=-40, max_value=60),
            st.floats(min_value=-20, max_value=60),
        ),
        min_size=2,
        max_size=6,
    ),
    target=st.tuples(
        st.floats(min_value=-30, max_value=55), st.floats(min_value=-10, max_value=50)
    ),
    slack=st.lists(st.floats(min_value=1.0, max_value=800.0), min_size=6, max_size=6),
    delay=st.lists(st.floats(min_value=0.0, max_value=20.0), min_size=6, max_size=6),
)
@example(  # discs near the pole, drawn in frames 1° apart
    centres=[(45.0, 1.0), (45.0, 0.0)],
    target=(0.0, 5.0),
    slack=[1.0] * 6,
    delay=[1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
)
def test_adding_delay_never_moves_a_region_closer_to_a_landmark(
    centres: list[tuple[float, float]],
    target: tuple[float, float],
    slack: list[float],
    delay: list[float],
) -> None:
    base = [
        Disc(lat, lon, distance_km(lat, lon, *target) + slack[k])
        for k, (lat, lon) in enumerate(centres)
    ]
    delayed = [
        Disc(d.lat, d.lon, d.radius_km + delay[k] * FIBRE_KM_PER_MS / 2)
        for k, d in enumerate(base)
    ]
    region, _ = intersect_discs(base)
    wider, _ = intersect_discs(delayed)
    assert not region.is_empty
    # The delayed region holds the honest one: no point of it left the picture
    # (compared over copies 360° apart: the two may be drawn in different frames)...
    copies = shapely.union_all(
        [
            shapely.transform(wider, lambda xy, s=shift: xy + np.array([s, 0.0]))
            for shift in (-360.0, 0.0, 360.0)
        ]
    )
    assert copies.buffer(1e-6).contains(region)
    # ...so its far edge from every landmark is at least as far as before.
    for lat, lon in centres:
        assert _farthest_km(wider, lat, lon) >= _farthest_km(region, lat, lon) - 0.5


def _farthest_km(region: shapely.Geometry, lat: float, lon: float) -> float:
    """Farthest boundary point from (lat, lon), on a boundary densified to 0.01°."""
    dense = shapely.get_coordinates(shapely.segmentize(region.boundary, 0.01))
    return float(np.max(distances_km(lat, lon, dense[:, 1], dense[:, 0])))


@pytest.mark.slow
def test_an_honest_chip_in_any_fleet_city_is_never_diverted_nor_relocated() -> None:
    """Every city the simulator may license, each with a random landmark set, route
    stretch and delay (seeded). Sweeps like this found what samples of forty had
    missed: a territory the border map folds into its parent state (caught here) and
    a disc drawn past the frame edge (pinned in test_geometry)."""
    landmarks, borders, cities = load_landmarks(), load_borders(), load_cities()
    rng = np.random.default_rng(7)
    breaches = []
    for i in range(len(cities.names)):
        lat, lon = float(cities.lats[i]), float(cities.lons[i])
        count = int(rng.integers(2, 9))
        chosen = [landmarks[int(j)] for j in rng.choice(len(landmarks), count, False)]
        measurements = [
            Measurement(
                lm,
                2
                * distance_km(lat, lon, lm.lat, lm.lon)
                * float(rng.uniform(1.0, 2.5))
                / FIBRE_KM_PER_MS
                + float(rng.uniform(0.05, 30.0)),
            )
            for lm in chosen
        ]
        located = geolocate(
            measurements, str(cities.countries[i]), borders, site=(lat, lon)
        )
        if located.verdict in BREACHES:
            breaches.append((str(cities.names[i]), located.explanation))
    assert breaches == []
