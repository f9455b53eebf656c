"""Verifying large record files end to end: parse and check chunks in worker processes.

With format 2 a record costs a few hashes and one HMAC to check, about as much as
parsing it, so parsing in one process would cap throughput. Each worker parses and
checks a chunk of lines and hands back compact :class:`Measured` summaries (whole
records cost more to send between processes than to check); the parent joins the
chunks in order and runs the replay check, which needs every record.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

from chipgate.location import verify
from chipgate.location.verify import (
    Measured,
    RecordCheck,
    parse_lines,
    paused_gc,
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
    ``verify.PARALLEL_FROM`` of them.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    job = partial(
        check_chunk,
        chip_keys=chip_keys,
        landmark_keys=landmark_keys,
        now=now,
        max_age=max_age,
    )
    if count <= 1 or len(lines) < verify.PARALLEL_FROM:
        rows = job(lines, 1)
    else:
        size = -(-len(lines) // (count * 2))
        starts = range(0, len(lines), size)
        rows = []
        with ProcessPoolExecutor(max_workers=count) as pool:
            for chunk in pool.map(
                job, [lines[i : i + size] for i in starts], [i + 1 for i in starts]
            ):
                rows.extend(chunk)
    checks = [
        RecordCheck(line, chip_id, None if fields is None else _measured(fields), why)
        for line, chip_id, fields, why in rows
    ]
    return with_replays(checks, seen or {})


def check_chunk(
    lines: Sequence[bytes],
    first: int,
    *,
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
    now: datetime,
    max_age: timedelta,
) -> list[Row]:
    """Parse ``lines`` (the first numbered ``first``) and run every per-record check.

    Rows are plain tuples ``(line, chip_id, Measured fields or None, problem)``:
    pickling tuples of plain values costs a tenth of pickling dataclasses.
    """
    with paused_gc():
        parsed = parse_lines(lines, first=first)
        problems = record_problems(
            parsed, chip_keys, landmark_keys, now=now, max_age=max_age, workers=1
        )
        return [
            (
                item.line,
                item.chip_id,
                None if item.record is None else _fields(Measured.of(item.record)),
                problems[i],
            )
            for i, item in enumerate(parsed)
        ]


def _fields(measured: Measured) -> MeasuredFields:
    """A summary as plain values; the time as whole microseconds since the epoch,
    which pickles several times faster than a datetime and loses nothing."""
    return (
        measured.landmark_id,
        measured.chip_id,
        measured.nonce,
        measured.claimed_site,
        measured.rtt_ms,
        (measured.measured_at - _EPOCH) // _MICROSECOND,
        measured.digest,
    )


def _measured(fields: MeasuredFields) -> Measured:
    landmark_id, chip_id, nonce, site, rtt_ms, micros, digest = fields
    at = _EPOCH + timedelta(microseconds=micros)
    return Measured(landmark_id, chip_id, nonce, site, rtt_ms, at, digest)
