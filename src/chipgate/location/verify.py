"""Checking measurement records: signatures, registration, freshness, replay.

A record counts only if the chip's signature verifies against the key the fleet
registry holds for that chip, the landmark's signature verifies against that
landmark's registered key, it was measured within ``max_age`` of now (and not in the
future beyond ``CLOCK_SKEW``), and its landmark nonce was not used by another record.
The reader dispatches on the ``format`` tag: format 1 carries both signatures in each
record, format 2 (:mod:`chipgate.location.batched_checks`) shares them across a session and
a batch, so that signature checks stop dominating and parsing matters as much;
:mod:`chipgate.location.bulk` spreads both over processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import orjson
from pydantic import ValidationError

from chipgate.collector import paused_gc
from chipgate.location.batched_checks import BatchedChecker
from chipgate.location.batched_records import RECORD_FORMAT_2, BatchedRecord
from chipgate.location.merkle import leaf_hash
from chipgate.location.protocol import CLOCK_SKEW, cached_public_key, verifies
from chipgate.location.records import MeasurementRecord

PARALLEL_FROM = 4_000
"""Below this many records, starting processes costs more than it saves."""

AnyRecord = MeasurementRecord | BatchedRecord
"""A record of any supported format."""


@dataclass(frozen=True)
class CheckContext:
    """What every record is checked against: registered keys and the verifier's clock.

    Attributes:
        chip_keys: registered public key (base64) per chip id.
        landmark_keys: registered public key (base64) per landmark id.
        now: the verifier's clock (aware datetime).
        max_age: oldest measurement still accepted.
    """

    chip_keys: Mapping[str, str]
    landmark_keys: Mapping[str, str]
    now: datetime
    max_age: timedelta


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One input line: a record, or why it is not one."""

    line: int
    record: AnyRecord | None
    chip_id: str | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class Measured:
    """What verdicts and the replay memory need of a record, and nothing else.

    Sending whole records between processes costs more than checking them, so the
    bulk path (:mod:`chipgate.location.bulk`) hands these back instead.
    """

    landmark_id: str
    chip_id: str
    nonce: str
    claimed_site: str
    rtt_ms: float
    measured_at: datetime
    digest: str


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """The outcome of checking one record (``problem`` None means valid)."""

    line: int
    chip_id: str | None
    record: AnyRecord | Measured | None
    problem: str | None

    @property
    def valid(self) -> bool:
        """True when the record passed every check."""
        return self.problem is None


def parse_lines(lines: Iterable[bytes | str], *, first: int = 1) -> list[ParsedLine]:
    """Parse JSONL records; a bad line becomes a problem, never an exception.

    The ``format`` tag picks the model; an unknown tag is refused by the format-1
    model, whose tag is a literal. ``first`` is the number of the first line.
    """
    with paused_gc():
        return _parse(lines, first)


def _parse(lines: Iterable[bytes | str], first: int) -> list[ParsedLine]:
    parsed: list[ParsedLine] = []
    for number, raw in enumerate(lines, start=first):
        text = raw.strip()
        if text:
            parsed.append(_parse_line(number, text))
    return parsed


def _parse_line(number: int, text: bytes | str) -> ParsedLine:
    """The fast road validates the JSON text at once, guessing the model from the
    tag's text; any failure takes the slow road, which decodes the JSON first, picks
    the model from the decoded tag and words the problem (so a wrong guess costs
    time, never a verdict)."""
    guess: type[AnyRecord] = (
        BatchedRecord
        if _TAG_2 in (text if isinstance(text, bytes) else text.encode())
        else MeasurementRecord
    )
    try:
        record = guess.model_validate_json(text)
    except ValidationError:
        return _parse_slowly(number, text)
    return ParsedLine(number, record, record.chip_id, None)


_TAG_2 = f'"{RECORD_FORMAT_2}"'.encode()


def _parse_slowly(number: int, text: bytes | str) -> ParsedLine:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return ParsedLine(number, None, None, f"not valid JSON ({exc})")
    chip = data.get("chip_id") if isinstance(data, dict) else None
    chip_id = chip if isinstance(chip, str) and chip else None
    model: type[AnyRecord] = MeasurementRecord
    if isinstance(data, dict) and data.get("format") == RECORD_FORMAT_2:
        model = BatchedRecord
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}"
            for e in exc.errors()
        )
        return ParsedLine(number, None, chip_id, f"bad record: {where}")
    return ParsedLine(number, record, record.chip_id, None)


def record_digest(record: AnyRecord | Measured) -> str:
    """The record's identity for replay checks, hex.

    Format 1: SHA-256 of its canonical JSON. Format 2: the RFC 9162 leaf hash of its
    entry (SHA-256 of 0x00 and the entry's canonical JSON), which leaves out the
    batch header, inclusion path and disclosed key: the same measurement proven
    through another batch is the same record, a different measurement reusing the
    nonce is not.
    """
    if isinstance(record, Measured):
        return record.digest
    if isinstance(record, BatchedRecord):
        return leaf_hash(record.entry_bytes()).hex()
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
        workers: processes for format-1 signature checks (default: CPU count).
    """
    context = CheckContext(chip_keys, landmark_keys, now, max_age)
    problems = record_problems(parsed, context, workers=workers)
    checks = [
        RecordCheck(item.line, item.chip_id, item.record, problems[i])
        for i, item in enumerate(parsed)
    ]
    return with_replays(checks, seen or {})


def record_problems(
    parsed: Sequence[ParsedLine],
    context: CheckContext,
    *,
    workers: int | None,
    batched: BatchedChecker | None = None,
) -> list[str | None]:
    """Every check that looks at one record alone (all but replay), in input order.

    ``batched`` checks format-2 records (a fresh one when not given; pass one to
    reuse what it computed, such as leaf hashes).
    """
    problems: list[str | None] = [None] * len(parsed)
    batched = batched or BatchedChecker(context)
    pending: list[tuple[int, tuple[bytes, str, str, bytes, str, str]]] = []
    for index, item in enumerate(parsed):
        rec = item.record
        if rec is None:
            problems[index] = item.problem or "unreadable record"
            continue
        reason = _static_problem(rec, context)
        if reason is not None:
            problems[index] = reason
        elif isinstance(rec, BatchedRecord):
            problems[index] = batched.problem(rec)
        else:
            pending.append((index, _signature_job(rec, context)))
    for (index, _), reason in zip(
        pending, _run_signature_jobs([job for _, job in pending], workers), strict=True
    ):
        problems[index] = reason
    return problems


def with_replays(
    checks: list[RecordCheck], seen: Mapping[tuple[str, str], str]
) -> list[RecordCheck]:
    """Refuse a record whose (landmark, nonce) an earlier valid record already used.

    Only records that passed every other check claim a nonce, so a forged line
    cannot make the genuine record that shares its nonce look like a replay.
    """
    first_use: dict[tuple[str, str], int] = {}
    for index, check in enumerate(checks):
        rec = check.record
        if rec is None or check.problem is not None:
            continue
        key = (rec.landmark_id, rec.nonce)
        earlier = first_use.get(key)
        reason = None
        if earlier is not None:
            reason = f"replay: nonce already used on line {checks[earlier].line}"
        elif key in seen and seen[key] != record_digest(rec):
            reason = "replay: nonce already used by an earlier verified record"
        else:
            first_use[key] = index
        if reason is not None:
            checks[index] = replace(check, problem=reason)
    return checks


def _static_problem(rec: AnyRecord, context: CheckContext) -> str | None:
    if rec.chip_id not in context.chip_keys:
        return f"chip '{rec.chip_id}' is not in the fleet registry"
    if rec.landmark_id not in context.landmark_keys:
        return f"landmark '{rec.landmark_id}' is not registered (no key or no position)"
    if rec.measured_at > context.now + CLOCK_SKEW:
        return f"measured in the future ({rec.measured_at.isoformat()})"
    if rec.measured_at < context.now - context.max_age:
        return (
            f"stale: measured {rec.measured_at.isoformat()}, older than "
            f"{context.max_age.total_seconds():.0f} s"
        )
    return None


def _signature_job(
    rec: MeasurementRecord, context: CheckContext
) -> tuple[bytes, str, str, bytes, str, str]:
    return (
        rec.response().signed_bytes(),
        rec.chip_signature,
        context.chip_keys[rec.chip_id],
        rec.landmark_bytes(),
        rec.landmark_signature,
        context.landmark_keys[rec.landmark_id],
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
        chip_public = cached_public_key(chip_key)
        lm_public = cached_public_key(lm_key)
    except ValueError as exc:
        return f"registered key unusable: {exc}"
    if not verifies(chip_public, chip_sig, chip_msg):
        return "chip signature does not verify against the registered device key"
    if not verifies(lm_public, lm_sig, lm_msg):
        return "landmark signature does not verify"
    return None
