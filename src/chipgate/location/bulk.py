"""Verifying large record files end to end: parse and check chunks in worker processes.

With format 2 a record costs a few hashes and one HMAC to check, about as much as
parsing it, so parsing in one process would cap throughput. Each worker parses and
checks a chunk of lines and hands back compact :class:`Measured` summaries (whole
records cost more to send between processes than to check); the parent joins the
chunks in order and runs the replay check, which needs every record.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

from chipgate.collector import paused_gc
from chipgate.location import verify
from chipgate.location.batched_checks import BatchedChecker
from chipgate.location.batched_records import BatchedRecord
from chipgate.location.verify import (
    AnyRecord,
    CheckContext,
    Measured,
    RecordCheck,
    parse_lines,
    record_digest,
    record_problems,
    with_replays,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
MeasuredFields = tuple[str, str, str, str, float, int, str]
Row = tuple[int, str | None, MeasuredFields | None, str | None]


def verify_lines(
    lines: Sequence[bytes],
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
    *,
    now: datetime,
    max_age: timedelta,
    seen: Mapping[tuple[str, str], str] | None = None,
    workers: int | None = None,
) -> list[RecordCheck]:
    """Parse and check JSONL lines; records come back as :class:`Measured`.

    Arguments as :func:`chipgate.location.verify.check_records`; ``workers``
    processes (default: CPU count) share the lines once there are
    ``verify.PARALLEL_FROM`` of them. Where processes fork, workers read the lines
    from the memory they inherit instead of receiving a copy through a pipe.
    """
    global _SHARED
    count = workers if workers is not None else (os.cpu_count() or 1)
    job = partial(
        _check_span, context=CheckContext(chip_keys, landmark_keys, now, max_age)
    )
    if count <= 1 or len(lines) < verify.PARALLEL_FROM:
        return with_replays(rows_to_checks(job((0, len(lines)), lines)), seen or {})
    size = -(-len(lines) // (count * 4))
    spans = [(i, min(i + size, len(lines))) for i in range(0, len(lines), size)]
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    checks: list[RecordCheck] = []
    _SHARED = lines
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            sent = [None if forking else lines[a:b] for a, b in spans]
            for rows in pool.map(job, spans, sent):
                checks.extend(rows_to_checks(rows))  # while the workers go on
    finally:
        _SHARED = ()
    return with_replays(checks, seen or {})


_SHARED: Sequence[bytes] = ()
"""The lines of the running :func:`verify_lines`, inherited by forked workers."""


def _check_span(
    span: tuple[int, int], lines: Sequence[bytes] | None, *, context: CheckContext
) -> list[Row]:
    """Check lines ``span`` of the input: ``lines`` if sent, else the inherited ones."""
    start, end = span
    chunk = _SHARED[start:end] if lines is None else lines
    with paused_gc():
        return check_chunk(chunk, start + 1, context)


def rows_to_checks(rows: list[Row]) -> list[RecordCheck]:
    """Checks from the plain rows a worker sent back."""
    return [
        RecordCheck(line, chip_id, None if fields is None else _measured(fields), why)
        for line, chip_id, fields, why in rows
    ]


def check_chunk(lines: Sequence[bytes], first: int, context: CheckContext) -> list[Row]:
    """Parse ``lines`` (the first numbered ``first``) and run every per-record check.

    Rows are plain tuples ``(line, chip_id, Measured fields or None, problem)``:
    pickling tuples of plain values costs a tenth of pickling dataclasses. The
    parsed records die when this returns, before the caller lets the collector run
    again, so it never has to scan them.
    """
    parsed = parse_lines(lines, first=first)
    batched = BatchedChecker(context)
    problems = record_problems(parsed, context, workers=1, batched=batched)
    return [
        (
            item.line,
            item.chip_id,
            None if item.record is None else _fields(item.record, batched),
            problems[i],
        )
        for i, item in enumerate(parsed)
    ]


def _fields(record: AnyRecord, batched: BatchedChecker) -> MeasuredFields:
    """A record's summary as plain values; the time as whole microseconds since the
    epoch, which pickles several times faster than a datetime and loses nothing.
    A format-2 digest is the leaf hash the inclusion check already computed."""
    if isinstance(record, BatchedRecord):
        digest = batched.leaf(record).hex()
    else:
        digest = record_digest(record)
    return (
        record.landmark_id,
        record.chip_id,
        record.nonce,
        record.claimed_site,
        record.rtt_ms,
        (record.measured_at - _EPOCH) // _MICROSECOND,
        digest,
    )


def _measured(fields: MeasuredFields) -> Measured:
    landmark_id, chip_id, nonce, site, rtt_ms, micros, digest = fields
    at = _EPOCH + timedelta(microseconds=micros)
    return Measured(landmark_id, chip_id, nonce, site, rtt_ms, at, digest)
