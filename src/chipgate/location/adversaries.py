"""Adversaries that attack the records rather than the physics.

All go through the real signed-record path: keys, signatures, tags, Merkle proofs,
the verifier's freshness and nonce checks. A chip that replays the records of an
earlier round (when it was still at home) is caught as stale, or as a nonce replay
when the round is still fresh; a chip that signs with a key the registry does not
hold is caught by its signature. Format 2 opens attacks of its own, each of which
one check must catch: a tampered inclusion path or RTT, a record moved into another
batch, a wrong disclosed session key, a tag from another session, and an answer made
with a disclosed key after its session window closed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.batched_records import BatchedRecord
from chipgate.location.protocol import encode_public_key
from chipgate.location.sample import (
    ROUND_WINDOW,
    Answer,
    LandmarkKeys,
    PlannedRound,
    SimChip,
    measure_rounds,
    secure_element_answer,
)
from chipgate.location.session import ChipSession
from chipgate.location.simulate import World, choose_landmarks
from chipgate.location.verify import AnyRecord, ParsedLine, check_records


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
    *,
    version: int = 2,
) -> list[RecordAttackResult]:
    """Run the record attacks of format ``version`` on ``count`` chips of the world."""
    indices = rng.choice(
        len(world.fleet.chip_ids), min(count, len(world.fleet.chip_ids)), replace=False
    )
    keys = LandmarkKeys.generate(world.landmarks)
    position = {lm.id: j for j, lm in enumerate(world.landmarks)}
    fleet = world.fleet
    registered: dict[str, str] = {}
    plans: list[PlannedRound] = []
    recent = now - timedelta(minutes=5)
    for i in indices:
        chip_id = fleet.chip_ids[int(i)]
        device = Ed25519PrivateKey.generate()
        registered[chip_id] = encode_public_key(device.public_key())
        chosen = choose_landmarks(world, int(i), world.rtts_ms[i], landmarks_per_chip)
        rtts = [float(world.rtts_ms[i, position[lm.id]]) for lm in chosen]
        plans.append(
            PlannedRound(
                SimChip(chip_id, device, str(fleet.home_name[i])), chosen, rtts, recent
            )
        )

    def rounds(
        at: datetime,
        *,
        impostor: bool = False,
        opens: datetime | None = None,
        answer: Answer = secure_element_answer,
    ) -> list[AnyRecord]:
        planned = [
            PlannedRound(
                SimChip(
                    p.chip.chip_id, Ed25519PrivateKey.generate(), p.chip.claimed_site
                )
                if impostor
                else p.chip,
                p.landmarks,
                p.rtts_ms,
                at,
                opens,
            )
            for p in plans
        ]
        made = measure_rounds(planned, keys, version=version, answer=answer)
        return [r for chip_round in made for r in chip_round]

    honest = rounds(recent)
    attacks: list[tuple[str, list[AnyRecord], int]] = [
        ("replays an old round", rounds(now - 2 * max_age), 0),
        ("replays the current round", honest + honest, len(honest)),
        ("signs with a forged key", rounds(recent, impostor=True), 0),
    ]
    if version == 2:
        attacks += _batched_attacks(honest, rounds)
    public = keys.public()

    def checked(records: list[AnyRecord]) -> list[tuple[str, str | None]]:
        parsed = [ParsedLine(n, r, r.chip_id, None) for n, r in enumerate(records, 1)]
        results = check_records(parsed, registered, public, now=now, max_age=max_age)
        return [(c.chip_id or "", c.problem) for c in results]

    honest_results = checked(honest)
    honest_ok = {cid for cid, problem in honest_results if problem is None} - {
        cid for cid, problem in honest_results if problem is not None
    }
    results = []
    for name, records, skip in attacks:
        outcome = checked(records)[skip:]
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


def _batched_attacks(
    honest: Sequence[AnyRecord], rounds: Callable[..., list[AnyRecord]]
) -> list[tuple[str, list[AnyRecord], int]]:
    """Attacks on format 2, each built from the honest records or a fresh round."""
    batched = [r for r in honest if isinstance(r, BatchedRecord)]
    recent = batched[0].measured_at
    other = {r.landmark_id: r for r in rounds(recent) if isinstance(r, BatchedRecord)}
    old_tags: dict[str, str] = {}

    def stale_tag(session: ChipSession, landmark_id: str, nonce: str) -> str:
        # a proxy without the session key answers with a tag of an earlier session
        return old_tags.setdefault(session.statement.chip_id, secrets.token_hex(32))

    def disclosed_key(session: ChipSession, landmark_id: str, nonce: str) -> str:
        # the proxy holds the key, disclosed once the window closed, and answers
        return session.answer(landmark_id, nonce)

    return [
        (
            "tampers with an inclusion path",
            [_edit(r, path=_tampered(r.path)) for r in batched],
            0,
        ),
        ("lowers a batched RTT", [_edit(r, rtt_ms=r.rtt_ms / 2) for r in batched], 0),
        (
            "moves a record into another batch",
            [
                _edit(
                    r,
                    batch=other[r.landmark_id].batch,
                    index=other[r.landmark_id].index,
                    path=other[r.landmark_id].path,
                )
                for r in batched
            ],
            0,
        ),
        (
            "discloses a wrong session key",
            [_edit(r, session_key=secrets.token_hex(32)) for r in batched],
            0,
        ),
        ("answers with a tag of another session", rounds(recent, answer=stale_tag), 0),
        (
            "answers after its session window",
            rounds(recent, opens=recent - 2 * ROUND_WINDOW, answer=disclosed_key),
            0,
        ),
    ]


def _edit(record: BatchedRecord, **update: object) -> AnyRecord:
    return record.model_copy(update=update)


def _tampered(path: list[str]) -> list[str]:
    """Another path: each sibling rehashed, or a made-up sibling for a lone leaf."""
    if not path:
        return [secrets.token_hex(32)]
    return [hashlib.sha256(bytes.fromhex(p)).hexdigest() for p in path]
