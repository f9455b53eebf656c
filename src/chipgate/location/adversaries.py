"""Adversaries that attack the records rather than the physics: replay and forgery.

Both go through the real signed-record path: keys, signatures, the verifier's
freshness and nonce checks. A chip that replays the records of an earlier round (when
it was still at home) is caught as stale, or as a nonce replay when the round is
still fresh; a chip that signs with a key the registry does not hold is caught by
its signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.protocol import encode_public_key
from chipgate.location.records import MeasurementRecord
from chipgate.location.sample import LandmarkKeys, SimChip, measure_round
from chipgate.location.simulate import World, choose_landmarks
from chipgate.location.verify import ParsedLine, check_records


@dataclass(frozen=True)
class RecordAttackResult:
    """How many of an attack's chips had every forged or replayed record refused."""

    name: str
    chips: int
    caught: int
    honest_passed: int
    example: str


def record_attacks(
    world: World,
    count: int,
    landmarks_per_chip: int,
    now: datetime,
    max_age: timedelta,
    rng: np.random.Generator,
) -> list[RecordAttackResult]:
    """Run the replay and forged-key attacks on ``count`` chips of the world."""
    indices = rng.choice(
        len(world.fleet.chip_ids), min(count, len(world.fleet.chip_ids)), replace=False
    )
    keys = LandmarkKeys.generate(world.landmarks)
    position = {lm.id: j for j, lm in enumerate(world.landmarks)}
    fleet = world.fleet
    registered: dict[str, str] = {}
    honest: list[MeasurementRecord] = []
    stale: list[MeasurementRecord] = []
    replayed: list[MeasurementRecord] = []
    forged: list[MeasurementRecord] = []
    for i in indices:
        chip_id = fleet.chip_ids[int(i)]
        device = Ed25519PrivateKey.generate()
        registered[chip_id] = encode_public_key(device.public_key())
        chosen = choose_landmarks(world, int(i), world.rtts_ms[i], landmarks_per_chip)
        rtts = [float(world.rtts_ms[i, position[lm.id]]) for lm in chosen]
        chip = SimChip(chip_id, device, str(fleet.home_name[i]))
        fresh = measure_round(chip, chosen, rtts, keys, now - timedelta(minutes=5))
        honest.extend(fresh)
        replayed.extend(fresh)  # the same round submitted a second time
        stale.extend(measure_round(chip, chosen, rtts, keys, now - 2 * max_age))
        impostor = SimChip(chip_id, Ed25519PrivateKey.generate(), chip.claimed_site)
        forged.extend(measure_round(impostor, chosen, rtts, keys, now))
    public = keys.public()

    def checked(records: list[MeasurementRecord]) -> list[tuple[str, str | None]]:
        parsed = [ParsedLine(n, r, r.chip_id, None) for n, r in enumerate(records, 1)]
        results = check_records(parsed, registered, public, now=now, max_age=max_age)
        return [(c.chip_id or "", c.problem) for c in results]

    honest_results = checked(honest)
    honest_ok = {cid for cid, problem in honest_results if problem is None} - {
        cid for cid, problem in honest_results if problem is not None
    }
    results = []
    for name, records in (
        ("replays an old round", stale),
        ("replays the current round", honest + replayed),
        ("signs with a forged key", forged),
    ):
        outcome = checked(records)
        if name == "replays the current round":
            outcome = outcome[len(honest) :]
        refused: dict[str, bool] = {}
        for cid, problem in outcome:
            refused[cid] = refused.get(cid, True) and problem is not None
        example = next((p for _, p in outcome if p), "")
        results.append(
            RecordAttackResult(
                name, len(refused), sum(refused.values()), len(honest_ok), example
            )
        )
    return results
