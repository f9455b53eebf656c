"""Efficiency bounds and the CSV readers of real meshes (no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chipgate.errors import InputError
from chipgate.location.calibration import (
    MESH_EFFICIENCY_FLOOR,
    EfficiencyBound,
    calibration_from_json,
    calibration_to_json,
    fit_efficiency,
    physical_radius_km,
)
from chipgate.location.geometry import distance_km
from chipgate.location.realeval import choose_landmarks
from chipgate.location.rttmesh import Mesh, country_code, read_mesh


def test_the_efficiency_is_the_most_direct_path_seen_never_below_the_floor() -> None:
    d = np.array([50.0, 1000.0, 2000.0])
    # 50 km at 0.2 ms would be 0.5 % faster than light: too close to count
    rtt = np.array([0.2, 11.0, 40.0])
    bound = fit_efficiency(d, rtt)
    assert bound.efficiency == pytest.approx(1000.0 / physical_radius_km(11.0))
    slow = fit_efficiency(d, rtt * 3)
    assert slow.efficiency == MESH_EFFICIENCY_FLOOR
    assert (
        fit_efficiency(np.array([]), np.array([])).efficiency == MESH_EFFICIENCY_FLOOR
    )


def test_an_efficiency_bound_subtracts_nothing_from_a_short_rtt() -> None:
    """The bestline of before subtracted half its intercept and drew Riyadh 282 km
    from Dubai; an efficiency bound at a short RTT is physics itself."""
    bound = EfficiencyBound(0.85, 100.0)
    assert bound.radius_km(2.0) == pytest.approx(physical_radius_km(2.0))
    assert bound.radius_km(50.0) == pytest.approx(physical_radius_km(50.0) * 0.85 + 100)


def test_efficiency_bounds_round_trip_and_refuse_beyond_physics() -> None:
    lines = {"a": EfficiencyBound(0.9, 100.0)}
    assert calibration_from_json(calibration_to_json(lines)) == lines
    with pytest.raises(ValueError, match="efficiency"):
        calibration_from_json({"a": {"efficiency": 1.2}})


def test_country_names_and_codes_both_read() -> None:
    assert country_code("Netherlands") == "NL"
    assert country_code("Czech Republic") == "CZ"
    assert country_code("United States") == "US"
    assert country_code("de") == "DE"
    assert country_code("Atlantis") is None


def test_a_mesh_keeps_the_faster_direction_and_skips_unknown_servers(
    tmp_path: Path,
) -> None:
    servers = tmp_path / "s.csv"
    servers.write_text(
        "id,name,latitude,longitude,country\n"
        "1,Paris,48.87,2.35,France\n2,Berlin,52.52,13.40,DE\n"
    )
    pings = tmp_path / "p.csv"
    pings.write_text(
        "source,destination,min,avg\n1,2,11.5,12\n2,1,10.5,11\n1,9,1.0,1\n"
    )
    mesh = read_mesh(servers, pings)
    assert mesh.country == ("FR", "DE")
    assert mesh.rtt_ms[0, 1] == mesh.rtt_ms[1, 0] == 10.5
    assert 870 < mesh.distance_km[0, 1] < 890


def test_a_pings_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    servers = tmp_path / "s.csv"
    servers.write_text("id,latitude,longitude,country\n1,0,0,FR\n")
    pings = tmp_path / "p.csv"
    pings.write_text("from,to,rtt\n1,2,3\n")
    with pytest.raises(InputError, match="missing column"):
        read_mesh(servers, pings)


def test_landmark_choice_by_edge_takes_the_disc_farthest_beyond_the_site() -> None:
    """Half nearest the site, then the landmark whose physical disc ends farthest
    beyond it (not the fastest); an unknown rule is refused."""
    lat = np.array([0.0, 0.0, 0.0, 10.0])
    lon = np.array([0.0, 1.0, 20.0, 0.0])
    n = len(lat)
    dist = np.array(
        [
            [distance_km(lat[i], lon[i], lat[j], lon[j]) for j in range(n)]
            for i in range(n)
        ]
    )
    rtt = np.full((n, n), 50.0)
    # b (111 km from the site) answers the target fastest, bounding it at 2,998 km,
    # which holds the site; c (2,226 km from the site) bounds it at 3,997 km, whose
    # edge passes 1,771 km beyond the site, against b's 2,887.
    rtt[3, 1] = rtt[1, 3] = 30.0
    rtt[3, 2] = rtt[2, 3] = 40.0
    mesh = Mesh(
        ("site", "b", "c", "t"),
        ("site", "b", "c", "t"),
        lat,
        lon,
        ("XX",) * n,
        rtt,
        dist,
    )
    candidates = np.array([True, True, True, False])
    assert choose_landmarks(mesh, candidates, 3, 0, 2).tolist() == [0, 1]
    edge = choose_landmarks(mesh, candidates, 3, 0, 2, selection="edge")
    assert edge.tolist() == [0, 2]
    with pytest.raises(ValueError, match="unknown selection"):
        choose_landmarks(mesh, candidates, 3, 0, 2, selection="nearest")
