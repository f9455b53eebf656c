"""``location verify`` of a record set on an executor.

Checking a record (signatures, Merkle paths, session tags, freshness) needs only the
record and the keys, so chunks of lines are checked by the workers; the replay check
needs every record and runs on the client, as in the single-process run
(``location.bulk.verify_lines``), from the same rows in the same order.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from chipgate.executors.runner import Executor
from chipgate.location.bulk import Row, check_chunk, rows_to_checks
from chipgate.location.verify import CheckContext, RecordCheck, with_replays

LINES_PER_PARTITION = 50_000


def _check_part(context: CheckContext, part: tuple[int, Sequence[bytes]]) -> list[Row]:
    first, lines = part
    return check_chunk(lines, first, context)


def verify_partitioned(
    lines: Sequence[bytes],
    chip_keys: Mapping[str, str],
    landmark_keys: Mapping[str, str],
    executor: Executor,
    *,
    now: datetime,
    max_age: timedelta,
    seen: Mapping[tuple[str, str], str] | None = None,
) -> list[RecordCheck]:
    """The checks ``verify_lines`` gives, with the per-record work on ``executor``."""
    context = CheckContext(dict(chip_keys), dict(landmark_keys), now, max_age)
    parts = [
        (start + 1, list(lines[start : start + LINES_PER_PARTITION]))
        for start in range(0, len(lines), LINES_PER_PARTITION)
    ]
    checks: list[RecordCheck] = []
    for rows in executor.map(functools.partial(_check_part, context), parts):
        checks.extend(rows_to_checks(rows))
    return with_replays(checks, seen or {})
