"""Signed measurement rounds: what the landmarks of a deployment would produce.

Used by the simulator's cryptographic adversaries and by ``export-sample``, which
writes a records file together with the registry and landmark keys it needs. Format 2
(the default) runs each chip's round as one session and lets every landmark seal all
its measurements of a call into one batch; format 1 signs every record twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.batched_records import BatchedRecord, MeasurementEntry
from chipgate.location.landmark_batch import SealedBatch, seal_batch
from chipgate.location.landmarks import Landmark
from chipgate.location.protocol import (
    CLOCK_SKEW,
    chip_answer,
    encode_public_key,
    landmark_record,
    new_nonce,
)
from chipgate.location.records import MeasurementRecord
from chipgate.location.session import ChipSession, open_session

ROUND_WINDOW = timedelta(minutes=2)
"""Session window of a simulated round: it opens when the round's challenges leave."""


@dataclass(frozen=True)
class SimChip:
    """A simulated chip: its id, the key it signs with and the site it claims."""

    chip_id: str
    key: Ed25519PrivateKey
    claimed_site: str


@dataclass(frozen=True)
class LandmarkKeys:
    """Private keys of simulated landmarks (a real landmark never shares its own)."""

    keys: dict[str, Ed25519PrivateKey]

    @classmethod
    def generate(cls, landmarks: Sequence[Landmark]) -> LandmarkKeys:
        """A fresh key per landmark."""
        return cls({lm.id: Ed25519PrivateKey.generate() for lm in landmarks})

    def public(self) -> dict[str, str]:
        """The registered public keys, base64, by landmark id."""
        return {lid: encode_public_key(k.public_key()) for lid, k in self.keys.items()}


def measure_round(
    chip: SimChip,
    landmarks: Sequence[Landmark],
    rtts_ms: Sequence[float],
    landmark_keys: LandmarkKeys,
    measured_at: datetime,
) -> list[MeasurementRecord]:
    """One record per landmark: fresh nonce, chip answer, landmark signature."""
    records = []
    for landmark, rtt in zip(landmarks, rtts_ms, strict=True):
        response, signature = chip_answer(
            chip.key,
            landmark_id=landmark.id,
            chip_id=chip.chip_id,
            nonce=new_nonce(),
            claimed_site=chip.claimed_site,
        )
        records.append(
            landmark_record(
                landmark_keys.keys[landmark.id],
                response,
                signature,
                rtt_ms=float(rtt),
                measured_at=measured_at,
            )
        )
    return records


@dataclass(frozen=True)
class PlannedRound:
    """One chip's round: which landmarks challenge it, the RTTs they see, and when."""

    chip: SimChip
    landmarks: Sequence[Landmark]
    rtts_ms: Sequence[float]
    measured_at: datetime
    opens: datetime | None = None
    """When the round's session window opens (default: ``measured_at``)."""


Answer = Callable[[ChipSession, str, str], str]
"""How a chip's host answers a challenge: (session, landmark id, nonce) to a tag."""


def secure_element_answer(session: ChipSession, landmark_id: str, nonce: str) -> str:
    """The honest answer: the secure element tags the challenge with the session key."""
    return session.answer(landmark_id, nonce)


def measure_rounds(
    rounds: Sequence[PlannedRound],
    landmark_keys: LandmarkKeys,
    *,
    version: int = 2,
    answer: Answer = secure_element_answer,
) -> list[list[MeasurementRecord | BatchedRecord]]:
    """The records of each round, in format ``version`` (1 or 2).

    ``answer`` stands for the chip's host in format 2 (adversaries replace it).

    Raises:
        ValueError: an unknown version.
    """
    if version == 1:
        return [
            list(
                measure_round(
                    r.chip, r.landmarks, r.rtts_ms, landmark_keys, r.measured_at
                )
            )
            for r in rounds
        ]
    if version != 2:
        raise ValueError(f"record format must be 1 or 2, got {version}")
    sessions = [
        open_session(
            r.chip.key,
            chip_id=r.chip.chip_id,
            claimed_site=r.chip.claimed_site,
            not_before=r.opens or r.measured_at,
            not_after=(r.opens or r.measured_at) + ROUND_WINDOW,
        )
        for r in rounds
    ]
    entries: dict[str, list[MeasurementEntry]] = defaultdict(list)
    where: list[list[tuple[str, int]]] = []
    for r, session in zip(rounds, sessions, strict=True):
        spots = []
        for landmark, rtt in zip(r.landmarks, r.rtts_ms, strict=True):
            nonce = new_nonce()
            entry = tagged_entry(
                session,
                landmark.id,
                nonce,
                answer(session, landmark.id, nonce),
                rtt,
                r.measured_at,
            )
            spots.append((landmark.id, len(entries[landmark.id])))
            entries[landmark.id].append(entry)
        where.append(spots)
    batches = seal_all(entries, landmark_keys)
    return [
        disclose_round(session, spots, batches, landmark_keys)
        for session, spots in zip(sessions, where, strict=True)
    ]


def tagged_entry(
    session: ChipSession,
    landmark_id: str,
    nonce: str,
    tag: str,
    rtt_ms: float,
    measured_at: datetime,
) -> MeasurementEntry:
    """What a landmark records for one answer: it cannot check the tag yet."""
    statement = session.statement
    return MeasurementEntry(
        landmark_id=landmark_id,
        chip_id=statement.chip_id,
        nonce=nonce,
        claimed_site=statement.claimed_site,
        rtt_ms=round(float(rtt_ms), 4),
        measured_at=measured_at,
        session=statement,
        tag=tag,
    )


def seal_all(
    entries: dict[str, list[MeasurementEntry]], landmark_keys: LandmarkKeys
) -> dict[str, SealedBatch]:
    """Each landmark seals its entries once they are all measured and every session
    they belong to has closed, so that its signed time can release the keys."""
    batches = {}
    for landmark_id, batch in entries.items():
        closes = max(e.session.not_after for e in batch) + CLOCK_SKEW
        answered = max(e.measured_at + timedelta(milliseconds=e.rtt_ms) for e in batch)
        batches[landmark_id] = seal_batch(
            landmark_keys.keys[landmark_id],
            landmark_id,
            batch,
            max(closes, answered) + timedelta(seconds=1),
        )
    return batches


def disclose_round(
    session: ChipSession,
    spots: Sequence[tuple[str, int]],
    batches: dict[str, SealedBatch],
    landmark_keys: LandmarkKeys,
) -> list[MeasurementRecord | BatchedRecord]:
    """The round's record lines, once the chip has disclosed its key.

    The secure element releases the key against the first landmark-signed batch
    time, which lies past the window and the clock skew.
    """
    landmark_id = spots[0][0]
    key = session.disclose(
        landmark_id,
        batches[landmark_id].header,
        landmark_keys.keys[landmark_id].public_key(),
    )
    return [batches[lid].record(index, session.signature, key) for lid, index in spots]
