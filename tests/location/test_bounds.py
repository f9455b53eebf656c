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
from chipgate.location.rttmesh import country_code, read_mesh


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
