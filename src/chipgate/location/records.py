"""The versioned JSON record format of a location measurement.

A landmark challenges a chip with a fresh nonce, the chip's host agent signs the
challenge together with its chip id and the site it claims, and the landmark signs the
whole exchange together with the round-trip time it measured. One JSON object per
line (JSONL) carries one such record. The signed bytes are the canonical JSON of the
fields (sorted keys, no spaces), so any re-serialisation verifies the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

RECORD_FORMAT = "chipgate.location/1"
"""The format tag of version 1 (one chip and one landmark signature per record)."""

Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32,128}$")]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Signature = Annotated[str, StringConstraints(min_length=80, max_length=100)]


def _aware(value: datetime) -> datetime:
    """Times without a zone are ambiguous across landmarks; demand UTC offsets."""
    if value.tzinfo is None:
        raise ValueError("needs a time zone (e.g. 2026-11-23T18:00:00Z)")
    return value.astimezone(UTC)


UtcTime = Annotated[datetime, AfterValidator(_aware)]
"""An ISO 8601 time with a zone, normalised to UTC."""


class _Exchange(BaseModel):
    """Fields common to the chip's answer and the landmark's record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["chipgate.location/1"] = "chipgate.location/1"
    landmark_id: Identifier
    chip_id: Identifier
    nonce: Hex
    claimed_site: Identifier


class ChipResponse(_Exchange):
    """What the chip signs: the landmark's nonce bound to chip and claimed site."""

    def signed_bytes(self) -> bytes:
        """The canonical bytes the chip's device key signs."""
        return canonical(self.model_dump(mode="json"))


class MeasurementRecord(_Exchange):
    """One landmark's signed measurement of one chip (format ``chipgate.location/1``).

    Attributes:
        landmark_id: the landmark (known coordinates, own Ed25519 key).
        chip_id: the chip as registered in the fleet registry.
        nonce: hex nonce the landmark drew for this challenge (at least 128 bits).
        claimed_site: the site the chip says it is at.
        chip_signature: base64 Ed25519 signature of the chip over its response.
        rtt_ms: round-trip time the landmark measured, in milliseconds.
        measured_at: when the landmark sent the challenge (UTC, ISO 8601).
        landmark_signature: base64 Ed25519 signature of the landmark over all of the
            above.
    """

    chip_signature: Signature
    rtt_ms: float = Field(gt=0.0, lt=10_000.0, strict=True, allow_inf_nan=False)
    measured_at: UtcTime
    landmark_signature: Signature = ""

    def response(self) -> ChipResponse:
        """The part of the record the chip signed."""
        return ChipResponse(
            landmark_id=self.landmark_id,
            chip_id=self.chip_id,
            nonce=self.nonce,
            claimed_site=self.claimed_site,
        )

    def landmark_bytes(self) -> bytes:
        """The canonical bytes the landmark signs (everything but its own signature)."""
        return canonical(self.model_dump(mode="json", exclude={"landmark_signature"}))

    def to_json(self) -> bytes:
        """One JSONL line (without the newline)."""
        return canonical(self.model_dump(mode="json"))


def json_time(value: datetime) -> str:
    """A UTC time as canonical JSON writes it (the form pydantic serialises to).

    >>> json_time(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
    '2026-11-23T18:00:00Z'
    """
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def canonical(payload: dict[str, object]) -> bytes:
    """Deterministic JSON: sorted keys, compact, UTF-8.

    >>> canonical({"b": 1, "a": "x"})
    b'{"a":"x","b":1}'
    """
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
