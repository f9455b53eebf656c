"""Record format ``chipgate.location/2``: signatures amortised over sessions and batches.

Format 1 carries two Ed25519 signatures per record, which caps verification near the
rate one core verifies signatures. Format 2 keeps one signature per chip session and
one per landmark batch: the chip authenticates each answer with an HMAC under a
session key it commits to in a signed session statement and discloses once the
session is over; the landmark signs the root of a Merkle tree over a batch of
measurements, and each record proves its place in that tree. Every line still stands
alone: it carries its session statement, the disclosed key, its batch header and its
inclusion path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chipgate.location.records import (
    Hex,
    Identifier,
    Signature,
    UtcTime,
    canonical,
    json_time,
)

RECORD_FORMAT_2 = "chipgate.location/2"
"""The format tag of version 2."""

Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""32 bytes as lowercase hex: hashes, HMAC tags and session keys."""
SessionId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class SessionStatement(BaseModel):
    """What the chip's device key signs once per session.

    Attributes:
        chip_id: the chip, as registered.
        claimed_site: the site the chip claims for the whole session.
        session_id: 128 random bits drawn by the secure element.
        key_commitment: SHA-256 of the session key, hex.
        not_before: start of the window in which answers count.
        not_after: end of that window; the key is disclosed only after it.
    """

    model_config = _FROZEN

    format: Literal["chipgate.location/2"] = "chipgate.location/2"
    chip_id: Identifier
    claimed_site: Identifier
    session_id: SessionId
    key_commitment: Digest
    not_before: UtcTime
    not_after: UtcTime

    def signed_bytes(self) -> bytes:
        """The canonical bytes the device key signs."""
        return canonical(self.model_dump(mode="json"))


class BatchHeader(BaseModel):
    """A landmark's signed tree head, as carried by each record of the batch."""

    model_config = _FROZEN

    root: Digest
    size: int = Field(ge=1, le=2**32, strict=True)
    signed_at: UtcTime
    signature: Signature

    def signed_bytes(self, landmark_id: str) -> bytes:
        """The canonical bytes the landmark signs once for the whole batch."""
        return batch_bytes(landmark_id, self.root, self.size, self.signed_at)


def batch_bytes(landmark_id: str, root: str, size: int, signed_at: datetime) -> bytes:
    """Canonical JSON of ``{format, landmark_id, root, size, signed_at}``."""
    return canonical(
        {
            "format": RECORD_FORMAT_2,
            "landmark_id": landmark_id,
            "root": root,
            "size": size,
            "signed_at": json_time(signed_at),
        }
    )


class MeasurementEntry(BaseModel):
    """A Merkle leaf: the measurement a landmark made, as it saw it.

    How the entry is proven (batch, index, path) and the session key disclosed later
    are not part of it, so a measurement keeps one identity whatever batch proves it.

    Attributes:
        landmark_id, chip_id, nonce, claimed_site, rtt_ms, measured_at: as format 1.
        session: the chip's session statement the answer was made under.
        tag: HMAC-SHA256 under the session key of the chip's answer, hex.
    """

    model_config = _FROZEN

    format: Literal["chipgate.location/2"] = "chipgate.location/2"
    landmark_id: Identifier
    chip_id: Identifier
    nonce: Hex
    claimed_site: Identifier
    rtt_ms: float = Field(gt=0.0, lt=10_000.0, strict=True, allow_inf_nan=False)
    measured_at: UtcTime
    session: SessionStatement
    tag: Digest

    def entry_bytes(self) -> bytes:
        """Canonical bytes of the leaf (the landmark hashes these into its tree)."""
        return canonical(self.model_dump(mode="json", include=ENTRY_FIELDS))

    def tag_bytes(self) -> bytes:
        """Canonical bytes the session key authenticates (the chip's answer)."""
        return answer_bytes(
            self.landmark_id,
            self.chip_id,
            self.nonce,
            self.claimed_site,
            self.session.session_id,
        )


ENTRY_FIELDS: set[str] = set(MeasurementEntry.model_fields)
"""The fields hashed into a leaf (treat as constant)."""


class BatchedRecord(MeasurementEntry):
    """One record line of format ``chipgate.location/2``: an entry and its proofs.

    Attributes:
        session_signature: base64 Ed25519 signature of the device key over the
            session statement.
        session_key: the disclosed session key, hex; its SHA-256 is the commitment.
        batch: the landmark's signed tree head.
        index: the entry's leaf index in the batch.
        path: RFC 9162 inclusion path of the leaf, hex sibling hashes, leaf upwards.
    """

    session_signature: Signature
    session_key: Digest
    batch: BatchHeader
    index: int = Field(ge=0, strict=True)
    path: list[Digest] = Field(max_length=64)

    def to_json(self) -> bytes:
        """One JSONL line (without the newline)."""
        return canonical(self.model_dump(mode="json"))


def answer_bytes(
    landmark_id: str, chip_id: str, nonce: str, claimed_site: str, session_id: str
) -> bytes:
    """Canonical JSON of the answer a chip tags during its session."""
    return canonical(
        {
            "format": RECORD_FORMAT_2,
            "landmark_id": landmark_id,
            "chip_id": chip_id,
            "nonce": nonce,
            "claimed_site": claimed_site,
            "session_id": session_id,
        }
    )
