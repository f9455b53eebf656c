"""Each adversary of the simulator against a small fleet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from chipgate.location.adversaries import record_attacks
from chipgate.location.borders import Borders
from chipgate.location.geolocate import Verdict
from chipgate.location.landmarks import Landmark
from chipgate.location.simulate import (
    VERDICT_CODES,
    SimulationConfig,
    World,
    adversary_rtts,
    border_gaps_km,
    build_world,
    locate_all,
)

DIVERTED = VERDICT_CODES.index(Verdict.DIVERTED)
VERIFIED = VERDICT_CODES.index(Verdict.VERIFIED)


@pytest.fixture(scope="module")
def world(landmarks: tuple[Landmark, ...]) -> World:
    return build_world(
        SimulationConfig(chips=300, seed=11, moved_fraction=0.7), landmarks
    )


def _codes(world: World, kind: str, indices: np.ndarray) -> np.ndarray:
    config = SimulationConfig()
    codes, _ = locate_all(
        world, adversary_rtts(world, kind, config.network), indices, 12, None
    )
    return codes


@pytest.mark.slow
def test_moved_chips_that_answer_honestly_are_found_far_from_home(world: World) -> None:
    far = np.flatnonzero(world.fleet.moved & (world.moved_km >= 2000.0))
    assert len(far) > 30
    codes = _codes(world, "moved", far)
    assert np.mean(codes == DIVERTED) >= 0.9


@pytest.mark.slow
def test_chips_that_never_moved_are_not_called_diverted(world: World) -> None:
    """No honest chip is diverted. Some are verified: few, since the network model
    is fitted to real RTTs, whose fixed delays keep regions wide (on the real mesh,
    leave-one-out, 13.6 % of honest servers are verified; docs/location.md). The
    model of before verified over 20 %, on delays three times shorter than real."""
    home = np.flatnonzero(~world.fleet.moved)
    codes = _codes(world, "moved", home)
    assert np.mean(codes == DIVERTED) == 0.0
    assert np.mean(codes == VERIFIED) > 0.0


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["delay", "relay"])
def test_delaying_or_relaying_never_earns_a_verified_verdict(
    world: World, kind: str
) -> None:
    far = np.flatnonzero(world.fleet.moved & (world.moved_km >= 1000.0))
    codes = _codes(world, kind, far)
    assert np.mean(codes == VERIFIED) <= 0.02


def test_delay_and_relay_only_ever_add_to_the_honest_rtts(world: World) -> None:
    config = SimulationConfig()
    for kind in ("delay", "relay"):
        rtts = adversary_rtts(world, kind, config.network)
        moved = world.fleet.moved
        # the relay's proxy leg and the padding are never negative
        assert np.all(rtts[moved] >= 0.0)
    assert np.all(adversary_rtts(world, "delay", config.network) >= world.rtts_ms)
    with pytest.raises(ValueError, match="unknown adversary"):
        adversary_rtts(world, "teleport", config.network)


@pytest.mark.slow
@pytest.mark.parametrize("version", [1, 2])
def test_replayed_and_forged_records_are_all_refused(
    world: World, version: int
) -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    results = record_attacks(
        world,
        12,
        6,
        now,
        timedelta(hours=24),
        np.random.default_rng(0),
        version=version,
    )
    names = {
        "replays an old round",
        "replays the current round",
        "signs with a forged key",
    }
    if version == 2:
        names |= {
            "tampers with an inclusion path",
            "lowers a batched RTT",
            "moves a record into another batch",
            "discloses a wrong session key",
            "answers with a tag of another session",
            "answers after its session window",
        }
    assert {r.name for r in results} == names
    for result in results:
        assert result.chips == 12
        assert result.caught == 12, result
        assert result.honest_passed == 12
    reasons = " ".join(r.example for r in results)
    assert "stale" in reasons
    assert "replay" in reasons
    assert "signature" in reasons
    if version == 2:
        for why in ("inclusion proof", "commitment", "answer tag", "outside"):
            assert why in reasons


def test_border_gaps_are_never_more_than_the_distance_moved(
    world: World, borders: Borders
) -> None:
    moved = np.flatnonzero(world.fleet.moved)[:25]
    gaps = border_gaps_km(world, borders, moved)
    assert np.all(gaps[moved] >= 0.0)
    assert np.all(gaps[moved] <= world.moved_km[moved] + 5.0)
    assert np.isnan(gaps[np.flatnonzero(~world.fleet.moved)]).all()
