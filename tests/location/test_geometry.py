"""Geodesic discs, their intersection, areas and calibration lines."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from chipgate.location.calibration import (
    PHYSICAL,
    PHYSICAL_SLOPE_MS_PER_KM,
    Bestline,
    calibration_from_json,
    calibration_to_json,
    fit_bestline,
    physical_radius_km,
)
from chipgate.location.geometry import (
    Disc,
    area_km2,
    distance_km,
    intersect_discs,
    outline,
)
from tests.location.regions import holds_point


def test_a_small_disc_has_the_area_of_a_circle() -> None:
    region, _ = intersect_discs([Disc(50.0, 8.0, 300.0)])
    assert area_km2(region) == pytest.approx(math.pi * 300.0**2, rel=0.02)


def test_a_disc_that_holds_the_pole_keeps_its_area() -> None:
    region, _ = intersect_discs([Disc(80.0, 30.0, 2000.0)])
    assert region.contains(Point(30.0, 89.9))
    assert area_km2(region) == pytest.approx(math.pi * 2000.0**2, rel=0.03)


def test_a_region_across_the_antimeridian_stays_whole() -> None:
    region, frame = intersect_discs(
        [Disc(65.0, 179.0, 600.0), Disc(65.0, -178.0, 600.0)]
    )
    assert not region.is_empty
    assert region.geom_type == "Polygon"
    # Both centres lie inside, one of them unwrapped beyond 180°.
    assert region.contains(Point(179.0, 65.0))
    assert region.contains(Point(182.0, 65.0))
    assert "POLYGON" in outline(region)
    assert frame == pytest.approx(179.0) or frame == pytest.approx(-178.0)


def test_discs_that_do_not_meet_give_an_empty_region() -> None:
    region, _ = intersect_discs([Disc(50.0, 8.0, 100.0), Disc(40.0, -74.0, 100.0)])
    assert region.is_empty


def test_the_intersection_contains_a_point_within_every_disc() -> None:
    point = (48.0, 11.0)
    centres = [(52.5, 13.4), (50.1, 8.7), (48.2, 16.4), (45.5, 9.2)]
    discs = [
        Disc(lat, lon, distance_km(lat, lon, *point) + 5.0) for lat, lon in centres
    ]
    region, _ = intersect_discs(discs)
    assert region.contains(Point(point[1], point[0]))
    assert area_km2(region) < math.pi * min(d.radius_km for d in discs) ** 2


def test_the_physical_bound_is_half_the_rtt_at_fibre_speed() -> None:
    assert physical_radius_km(10.0) == pytest.approx(999.3, abs=0.1)
    assert PHYSICAL.radius_km(10.0) == physical_radius_km(10.0)
    assert physical_radius_km(-1.0) == 0.0


def test_a_bestline_lies_below_every_point_and_never_beats_physics() -> None:
    rng = np.random.default_rng(3)
    d = rng.uniform(200, 9000, 40)
    rtt = d * PHYSICAL_SLOPE_MS_PER_KM * rng.uniform(1.2, 2.5, 40) + rng.uniform(
        0.5, 2, 40
    )
    line = fit_bestline(d, rtt, margin=1.0)
    assert line.slope_ms_per_km >= PHYSICAL_SLOPE_MS_PER_KM
    assert line.intercept_ms >= 0.0
    assert np.all(rtt >= line.slope_ms_per_km * d + line.intercept_ms - 1e-6)
    # Tighter than physics for these inflated paths...
    assert line.radius_km(50.0) < physical_radius_km(50.0)
    # ...but never looser.
    assert all(line.radius_km(r) <= physical_radius_km(r) for r in (0.1, 1, 10, 100))


def test_too_few_points_fall_back_to_physics() -> None:
    assert fit_bestline(np.array([100.0]), np.array([3.0])) == PHYSICAL


def test_calibration_round_trips_and_refuses_superluminal_lines() -> None:
    lines = {"fra": Bestline(0.015, 0.4, 1.1)}
    assert calibration_from_json(calibration_to_json(lines)) == lines
    with pytest.raises(ValueError, match="physical"):
        calibration_from_json({"x": {"slope_ms_per_km": 0.001, "intercept_ms": 0}})


def test_an_outline_is_short_and_valid_wkt() -> None:
    region, _ = intersect_discs([Disc(50.0, 8.0, 300.0)])
    text = outline(region)
    parsed = shapely.from_wkt(text)
    assert parsed.is_valid
    assert len(shapely.get_coordinates(parsed)) <= 40


def test_a_disc_wide_enough_to_hold_both_poles_is_the_earth_less_a_cap() -> None:
    wide = Disc(-23.5, -46.6, 13_701.0)  # São Paulo, with a very slow answer
    region, _ = intersect_discs([Disc(50.1, 8.7, 4_925.0), wide])
    assert region.contains(Point(67.11, 36.71))  # Mazār-e Sharīf lies in both
    alone, _ = intersect_discs([wide])
    cap = 2 * math.pi * 6371.0**2 * (1 - math.cos(13_701.0 / 6371.0))
    assert area_km2(alone) == pytest.approx(cap, rel=0.03)
    assert not alone.contains(Point(133.4, 23.5))  # the antipode is outside


def test_holds_point_sees_points_in_any_longitude_frame() -> None:
    region, _ = intersect_discs([Disc(65.0, 179.0, 600.0), Disc(65.0, -178.0, 600.0)])
    assert holds_point(region, 65.0, -178.0)
    assert holds_point(region, 65.0, 179.5)
    assert not holds_point(region, 50.0, 8.0)


def test_a_wide_disc_drawn_past_the_frame_edge_still_meets_the_others() -> None:
    """Honolulu's disc reaches north-east Asia only through its copy 360° over."""
    from chipgate.location.calibration import FIBRE_KM_PER_MS, PHYSICAL
    from chipgate.location.geometry import Disc, distance_km
    from chipgate.location.landmarks import load_landmarks

    yichun = (47.72143, 128.87529)
    sites = {lm.id: lm for lm in load_landmarks()}
    discs = [
        Disc(
            sites[i].lat,
            sites[i].lon,
            PHYSICAL.radius_km(
                2 * distance_km(*yichun, sites[i].lat, sites[i].lon) / FIBRE_KM_PER_MS
                + 0.05
            ),
            i,
        )
        for i in ("dub", "hnl", "par", "tlv", "waw")
    ]
    region, _ = intersect_discs(discs)
    assert holds_point(region, *yichun)
