"""The real RTT mesh (../shared/data/rtt): its check, the fitted network model, and
leave-one-out verification on a slice of the evaluation half."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chipgate.location.borders import Borders
from chipgate.location.calibration import (
    MESH_EFFICIENCY_FLOOR,
    EfficiencyBound,
    physical_radius_km,
)
from chipgate.location.geolocate import SITE_TOLERANCE_KM, Verdict
from chipgate.location.meshcheck import MeshReport, check_mesh
from chipgate.location.netmodel import NetworkModel, fit_network_model
from chipgate.location.realeval import evaluate, tuning_half
from chipgate.location.reallimits import (
    escape_limits,
    pair_efficiencies,
    ring_misses,
    verify_limits,
)
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
    # Every bound at 0.75 of physics (what catching 95 % of the evaluation half's
    # far moves would take, docs/location.md) raises false alarms.
    uniform = evaluate(
        mesh,
        report.flagged,
        borders,
        targets=set(slice_),
        moves_per_target=0,
        uniform_efficiency=0.75,
    )
    assert not all(o.truth_inside for o in uniform.honest)
    assert uniform.false_alarm > 0.005


def test_the_moves_that_escape_from_tel_aviv_no_sound_bound_can_catch(
    mesh: Mesh, report: MeshReport, borders: Borders
) -> None:
    """Tel Aviv's fastest landmark answers in 61 ms (its traffic runs through
    Europe): the moves it escapes by are ones no landmark of the whole mesh bounds
    beyond the site tolerance, and catching them would take bounds tighter than
    real paths are."""
    result = evaluate(mesh, report.flagged, borders, targets={"87"})
    escapes = escape_limits(mesh, report.flagged, result, borders)
    assert len(escapes) >= 30
    assert all(e.best_gap_km <= SITE_TOLERANCE_KM for e in escapes)
    needed = float(np.median([e.needed_efficiency for e in escapes]))
    real = pair_efficiencies(mesh, report.flagged)
    assert needed < MESH_EFFICIENCY_FLOOR
    assert float(np.mean(real > needed)) > 0.05
    assert min(e.excess_ms for e in escapes) > 0.0
    assert sum(e.site_in_region for e in escapes) >= 0.9 * len(escapes)


def test_a_verified_target_never_has_a_ball_reaching_foreign_land(
    mesh: Mesh, report: MeshReport, borders: Borders
) -> None:
    """The region holds the ball of the least spare around the truth, so a target
    verified inside its country has that ball short of foreign land; Singapore
    (9 km from Malaysia) cannot be verified with any landmark."""
    chosen = {"1", "12", "23", "31", "11", "4"}  # Melbourne ... Paris
    result = evaluate(mesh, report.flagged, borders, targets=chosen, moves_per_target=0)
    limits = {h.target: h for h in verify_limits(mesh, report.flagged, result, borders)}
    assert set(limits) == chosen
    assert any(h.verified for h in limits.values())
    for h in limits.values():
        if h.verified:
            assert h.ball_km <= h.foreign_km + 1.0
    assert not limits["31"].verified
    assert limits["31"].foreign_km < 20.0 < limits["31"].ball_km
    assert limits["31"].cut_ms > 0.0


def test_choosing_landmarks_by_disc_edge_leaves_shenzhen_out(
    mesh: Mesh, report: MeshReport, borders: Borders
) -> None:
    """Why the landmarks whose discs pass farthest beyond the site are not chosen:
    for an honest target they are the discs most likely to miss it (Santiago's
    misses Shenzhen), which the shipped choice does not take."""
    shipped = evaluate(
        mesh, report.flagged, borders, targets={"221"}, moves_per_target=0
    )
    edge = evaluate(
        mesh,
        report.flagged,
        borders,
        targets={"221"},
        moves_per_target=0,
        selection="edge",
    )
    assert shipped.honest[0].truth_inside
    assert not edge.honest[0].truth_inside
    assert edge.false_alarm == 1.0


def test_rings_drawn_from_the_mesh_put_honest_targets_in_their_hole(
    mesh: Mesh, report: MeshReport
) -> None:
    """Why regions are not cut by lower bounds: even rings drawn from the landmark's
    own measurements put the truth of most tuning targets in the hole of some ring."""
    holes, pairs, hit, targets = ring_misses(mesh, report.flagged, "tuning")
    assert targets == 69
    assert pairs > 5_000
    assert holes / pairs > 0.02
    assert hit > targets // 2
