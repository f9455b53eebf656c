"""The challenge-response exchange between a landmark and a chip's host agent.

The landmark draws a fresh nonce, starts its clock, sends the nonce; the chip signs the
nonce with its device key and answers; the landmark stops its clock and signs the
measurement. The chip can delay its answer but never hasten it: it cannot sign a nonce
before the nonce reaches it, so the round trip bounds its distance from the landmark.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from chipgate.location.records import ChipResponse, MeasurementRecord

NONCE_BYTES = 16
"""128-bit nonces: collisions between honest challenges are negligible."""
CLOCK_SKEW = timedelta(seconds=60)
"""Landmark clocks may run this far ahead of the verifier's (and of each other)."""


def new_nonce() -> str:
    """A fresh random challenge, hex encoded."""
    return secrets.token_hex(NONCE_BYTES)


def encode_public_key(key: Ed25519PublicKey) -> str:
    """The 32 raw bytes of a public key, base64 encoded (the registry's form)."""
    return base64.b64encode(key.public_bytes_raw()).decode("ascii")


def decode_public_key(text: str) -> Ed25519PublicKey:
    """Parse a registry public key.

    Raises:
        ValueError: the text is not base64 of 32 bytes.
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError("public key is not valid base64") from exc
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=65_536)
def cached_public_key(text: str) -> Ed25519PublicKey:
    """Decoded keys, cached: a fleet reuses each key for every landmark.

    Raises:
        ValueError: the text is not base64 of 32 bytes.
    """
    return decode_public_key(text)


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """Sign and base64-encode."""
    return base64.b64encode(key.sign(message)).decode("ascii")


def verifies(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    """Whether a base64 signature verifies; malformed signatures simply do not.

    Only the canonical base64 spelling counts: the last character of a 64-byte
    signature carries unused bits, and a record whose signature text changed without
    changing the signature must not pass as a different, still valid, record.
    """
    try:
        raw = base64.b64decode(signature, validate=True)
        if base64.b64encode(raw).decode("ascii") != signature:
            return False
        key.verify(raw, message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def chip_answer(
    key: Ed25519PrivateKey,
    *,
    landmark_id: str,
    chip_id: str,
    nonce: str,
    claimed_site: str,
) -> tuple[ChipResponse, str]:
    """The chip's side: sign the challenge bound to its id and claimed site."""
    response = ChipResponse(
        landmark_id=landmark_id, chip_id=chip_id, nonce=nonce, claimed_site=claimed_site
    )
    return response, sign(key, response.signed_bytes())


def landmark_record(
    key: Ed25519PrivateKey,
    response: ChipResponse,
    chip_signature: str,
    *,
    rtt_ms: float,
    measured_at: datetime,
) -> MeasurementRecord:
    """The landmark's side: wrap the answer with the measured RTT and sign it."""
    unsigned = MeasurementRecord(
        landmark_id=response.landmark_id,
        chip_id=response.chip_id,
        nonce=response.nonce,
        claimed_site=response.claimed_site,
        chip_signature=chip_signature,
        rtt_ms=round(rtt_ms, 4),
        measured_at=measured_at,
    )
    signature = sign(key, unsigned.landmark_bytes())
    return unsigned.model_copy(update={"landmark_signature": signature})
