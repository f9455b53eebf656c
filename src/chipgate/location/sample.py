"""Signed measurement rounds: what the landmarks of a deployment would produce.

Used by the simulator's cryptographic adversaries and by ``export-sample``, which
writes a records file together with the registry and landmark keys it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.landmarks import Landmark
from chipgate.location.protocol import (
    chip_answer,
    encode_public_key,
    landmark_record,
    new_nonce,
)
from chipgate.location.records import MeasurementRecord


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
