"""Checking measurement records: signatures, registration, freshness, replay.

A record counts only if the chip's signature verifies against the key the fleet
registry holds for that chip, the landmark's signature verifies against that
landmark's registered key, it was measured within ``max_age`` of now (and not in the
future beyond ``CLOCK_SKEW``), and its landmark nonce was not used by another record.
Signature checks dominate the cost; large batches are spread over processes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from chipgate.location.protocol import decode_public_key
from chipgate.location.records import MeasurementRecord

CLOCK_SKEW = timedelta(seconds=60)
"""Landmark clocks may run this far ahead of the verifier's."""
PARALLEL_FROM = 4_000
"""Below this many records, starting processes costs more than it saves."""


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One input line: a record, or why it is not one."""

    line: int
    record: MeasurementRecord | None
    chip_id: str | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """The outcome of checking one record (``problem`` None means valid)."""

    line: int
    chip_id: str | None
    record: MeasurementRecord | None
    problem: str | None

    @property
    def valid(self) -> bool:
        """True when the record passed every check."""
        return self.problem is None


def parse_lines(lines: Iterable[bytes | str]) -> list[ParsedLine]:
    """Parse JSONL records; a bad line becomes a problem, never an exception."""
    parsed: list[ParsedLine] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            parsed.append(ParsedLine(number, None, None, f"not valid JSON ({exc})"))
            continue
        chip = data.get("chip_id") if isinstance(data, dict) else None
        chip_id = chip if isinstance(chip, str) and chip else None
        try:
            record = MeasurementRecord.model_validate(data)
        except ValidationError as exc:
            where = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}"
                for e in exc.errors()
            )
            parsed.append(ParsedLine(number, None, chip_id, f"bad record: {where}"))
            continue
        parsed.append(ParsedLine(number, record, record.chip_id, None))
    return parsed


def record_digest(record: MeasurementRecord) -> str:
    """SHA-256 of the record's canonical JSON (its identity for replay checks)."""
    return hashlib.sha256(record.to_json()).hexdigest()


def check_records(
    parsed: Sequence[ParsedLine],
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
    *,
    now: datetime,
    max_age: timedelta,
    seen: Mapping[tuple[str, str], str] | None = None,
    workers: int | None = None,
) -> list[RecordCheck]:
    """Check every parsed record; the result keeps the input order.

    Args:
        parsed: output of :func:`parse_lines`.
        chip_keys: registered public key (base64) per chip id.
        landmark_keys: registered public key (base64) per landmark id.
        now: the verifier's clock (aware datetime).
        max_age: oldest measurement still accepted.
        seen: digests of records already accepted earlier, by (landmark, nonce).
        workers: processes for signature checks (default: CPU count).
    """
    seen = seen or {}
    pending: list[tuple[int, tuple[bytes, str, str, bytes, str, str]]] = []
    problems: dict[int, str] = {}
    first_use: dict[tuple[str, str], int] = {}
    for index, item in enumerate(parsed):
        if item.record is None:
            problems[index] = item.problem or "unreadable record"
            continue
        rec = item.record
        reason = _static_problem(rec, chip_keys, landmark_keys, now, max_age)
        key = (rec.landmark_id, rec.nonce)
        if reason is None:
            earlier = first_use.get(key)
            if earlier is not None:
                reason = f"replay: nonce already used on line {parsed[earlier].line}"
            elif key in seen and seen[key] != record_digest(rec):
                reason = "replay: nonce already used by an earlier verified record"
        if reason is not None:
            problems[index] = reason
            continue
        first_use[key] = index
        pending.append((index, _signature_job(rec, chip_keys, landmark_keys)))
    for (index, _), reason in zip(
        pending, _run_signature_jobs([job for _, job in pending], workers), strict=True
    ):
        if reason is not None:
            problems[index] = reason
    return [
        RecordCheck(item.line, item.chip_id, item.record, problems.get(i))
        for i, item in enumerate(parsed)
    ]


def _static_problem(
    rec: MeasurementRecord,
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
    now: datetime,
    max_age: timedelta,
) -> str | None:
    if rec.chip_id not in chip_keys:
        return f"chip '{rec.chip_id}' is not in the fleet registry"
    if rec.landmark_id not in landmark_keys:
        return f"landmark '{rec.landmark_id}' is not registered (no key or no position)"
    if rec.measured_at > now + CLOCK_SKEW:
        return f"measured in the future ({rec.measured_at.isoformat()})"
    if rec.measured_at < now - max_age:
        return (
            f"stale: measured {rec.measured_at.isoformat()}, older than "
            f"{max_age.total_seconds():.0f} s"
        )
    return None


def _signature_job(
    rec: MeasurementRecord,
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
) -> tuple[bytes, str, str, bytes, str, str]:
    return (
        rec.response().signed_bytes(),
        rec.chip_signature,
        chip_keys[rec.chip_id],
        rec.landmark_bytes(),
        rec.landmark_signature,
        landmark_keys[rec.landmark_id],
    )


def _run_signature_jobs(
    jobs: list[tuple[bytes, str, str, bytes, str, str]], workers: int | None
) -> list[str | None]:
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(jobs) < PARALLEL_FROM:
        return check_signatures(jobs)
    size = -(-len(jobs) // (count * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=count) as pool:
        results = pool.map(check_signatures, chunks)
        return [reason for chunk in results for reason in chunk]


def check_signatures(
    jobs: Sequence[tuple[bytes, str, str, bytes, str, str]],
) -> list[str | None]:
    """Verify (chip, landmark) signature pairs; picklable for process pools."""
    return [_check_pair(*job) for job in jobs]


def _check_pair(
    chip_msg: bytes,
    chip_sig: str,
    chip_key: str,
    lm_msg: bytes,
    lm_sig: str,
    lm_key: str,
) -> str | None:
    try:
        chip_public = _key(chip_key)
        lm_public = _key(lm_key)
    except ValueError as exc:
        return f"registered key unusable: {exc}"
    if not _verifies(chip_public, chip_sig, chip_msg):
        return "chip signature does not verify against the registered device key"
    if not _verifies(lm_public, lm_sig, lm_msg):
        return "landmark signature does not verify"
    return None


@lru_cache(maxsize=65_536)
def _key(text: str) -> Ed25519PublicKey:
    """Decoded keys, cached: a fleet reuses each key for every landmark."""
    return decode_public_key(text)


def _verifies(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
