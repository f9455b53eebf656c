"""The real RTT mesh (../shared/data/rtt): its check, the fitted network model, and
leave-one-out verification on a slice of the evaluation half."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chipgate.location.borders import Borders
from chipgate.location.calibration import EfficiencyBound, physical_radius_km
from chipgate.location.geolocate import Verdict
from chipgate.location.meshcheck import MeshReport, check_mesh
from chipgate.location.netmodel import NetworkModel, fit_network_model
from chipgate.location.realeval import evaluate, tuning_half
from chipgate.location.rttmesh import Mesh, read_mesh

MISPLACED = {
    "220": "LaCeiba",  # RTTs to 43 servers beat light: it is not in Honduras
    "204": "Belfast",  # faster to Roubaix and Amsterdam than light allows
    "98": "Panama",  # listed at Guatemala City's coordinates
    "99": "Guatemala",  # listed at Panama City's coordinates
    "139": "Wellington",  # 0.64 ms to Auckland, 494 km away
    "147": "Bratislava",  # 0.29 ms to Prague, 292 km away
    "190": "Rome",  # 0.99 ms to Milan, 477 km away
}


@pytest.fixture(scope="module")
def mesh(shared_data: Path) -> Mesh:
    return read_mesh(
        shared_data / "rtt" / "servers.csv", shared_data / "rtt" / "pings.csv"
    )


@pytest.fixture(scope="module")
def report(mesh: Mesh, borders: Borders) -> MeshReport:
    return check_mesh(mesh, borders)


def test_the_mesh_check_names_the_misplaced_servers_of_the_shared_data(
    report: MeshReport,
) -> None:
    names = {f.id: f.name for f in report.flags}
    assert {k: names.get(k) for k in MISPLACED} == MISPLACED
    # Only two more: Chinese servers whose RTTs to Santiago beat light over
    # 18,900 km (Santiago's own RTT profile fits its listed point best).
    assert set(names) - set(MISPLACED) == {"84", "261"}
    why = {f.id: " ".join(f.reasons) for f in report.flags}
    assert "beats light in fibre" in why["220"]
    assert "lie 1,003 km outside it, in GT" in why["98"]


def test_every_pair_left_after_the_check_obeys_physics(
    mesh: Mesh, report: MeshReport
) -> None:
    keep = np.array([lid not in report.flagged for lid in mesh.ids])
    left = mesh.subset(keep)
    finite = np.isfinite(left.rtt_ms)
    allowed = left.rtt_ms[finite] * 199.86 / 2 + 25.0
    assert np.all(left.distance_km[finite] <= allowed + 1e-6)


def test_a_landmark_listed_in_the_wrong_place_is_flagged_even_unmeasured_to_its_twin(
    mesh: Mesh, borders: Borders
) -> None:
    """Move Lisbon's listed point to Helsinki: light, triangle and country tests see
    it; its direct pair with Helsinki is removed, so only triangle bounds link them."""
    index = mesh.index()
    lisbon = index["44"]
    helsinki = next(i for i, n in enumerate(mesh.names) if n == "Helsinki")
    lat, lon = mesh.lat.copy(), mesh.lon.copy()
    lat[lisbon], lon[lisbon] = mesh.lat[helsinki], mesh.lon[helsinki]
    from chipgate.location.rttmesh import Site, build_mesh

    sites = [
        Site(mesh.ids[i], mesh.names[i], float(lat[i]), float(lon[i]), mesh.country[i])
        for i in range(len(mesh.ids))
    ]
    pairs = {
        (mesh.ids[i], mesh.ids[j]): float(mesh.rtt_ms[i, j])
        for i in range(len(mesh.ids))
        for j in range(i + 1, len(mesh.ids))
        if np.isfinite(mesh.rtt_ms[i, j]) and {i, j} != {lisbon, helsinki}
    }
    moved = check_mesh(build_mesh(sites, pairs), borders)
    assert "44" in moved.flagged
    assert "Helsinki" not in {f.name for f in moved.flags}


def test_the_split_is_by_a_hash_of_the_id_and_about_half(mesh: Mesh) -> None:
    halves = [tuning_half(lid) for lid in mesh.ids]
    assert 0.4 < sum(halves) / len(halves) < 0.6
    assert tuning_half("3") == tuning_half("3")


def test_the_shipped_network_model_is_the_fit_to_the_real_mesh(
    mesh: Mesh, report: MeshReport
) -> None:
    keep = np.array([lid not in report.flagged for lid in mesh.ids])
    clean = mesh.subset(keep)
    assert fit_network_model(clean.distance_km, clean.rtt_ms) == NetworkModel()


def test_efficiency_bounds_never_pass_physics() -> None:
    for efficiency in (0.5, 0.85, 1.0):
        bound = EfficiencyBound(efficiency, 100.0)
        for rtt in (0.1, 1.0, 10.0, 300.0):
            assert bound.radius_km(rtt) <= physical_radius_km(rtt)


def test_leave_one_out_on_a_slice_of_the_evaluation_half(
    mesh: Mesh, report: MeshReport, borders: Borders
) -> None:
    """Every honest target's true position lies inside its region, none is judged
    diverted or relocated, and far moves are caught (a slice of the evaluation half:
    16 targets, 12 licensed sites each)."""
    slice_ = [
        lid for lid in mesh.ids if not tuning_half(lid) and lid not in report.flagged
    ][:16]
    result = evaluate(
        mesh,
        report.flagged,
        borders,
        half="evaluation",
        targets=set(slice_),
        moves_per_target=12,
    )
    assert len(result.honest) == 16
    assert all(o.truth_inside for o in result.honest)
    assert result.false_alarm == 0.0
    assert all(o.verdict is not Verdict.INVALID for o in result.honest)
    assert result.moved_count() >= 100
    assert result.caught() >= 0.9


def test_the_same_slice_fails_without_the_mesh_check_or_with_tighter_bounds(
    mesh: Mesh, report: MeshReport, borders: Borders
) -> None:
    """What the slice test guards against: misplaced landmarks kept in, or bounds
    tighter than the tuning half supports, put honest targets outside their regions
    and raise false alarms."""
    slice_ = [
        lid for lid in mesh.ids if not tuning_half(lid) and lid not in report.flagged
    ][:16]
    unchecked = evaluate(
        mesh, frozenset(), borders, targets=set(slice_), moves_per_target=0
    )
    assert not all(o.truth_inside for o in unchecked.honest)
    assert unchecked.false_alarm > 0.0
    tight = evaluate(
        mesh,
        report.flagged,
        borders,
        targets=set(slice_),
        moves_per_target=0,
        floor=0.7,
        slack_km=0.0,
    )
    assert not all(o.truth_inside for o in tight.honest)
