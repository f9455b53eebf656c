"""Usage records sent as JSON, handed to the library as the file it reads.

The records are written as a CSV file in one canonical form (the columns in the
contract's order, each value as sent), so records sent twice make the same bytes,
whatever the JSON's spacing or key order: the library knows the batch by its
SHA-256 and takes it only once. Every problem the library finds on a line of that
file is pointed back at the record of the request (``records/<index>/<field>``).
"""

from __future__ import annotations

import csv
import dataclasses
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from chipgate.diligence.usage import REQUIRED
from chipgate.errors import InputError, Problem
from chipgate.service.usage_schemas import UsageRecordIn

SOURCE = "request"
"""How problems and the batch name records that came in a request's body."""
_HEADER_LINES = 1


def write_records(records: Sequence[UsageRecordIn], path: Path) -> None:
    """The records as a usage CSV file (header, then one line each, as sent)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REQUIRED)
        for record in records:
            writer.writerow([getattr(record, column) for column in REQUIRED])


def located(error: InputError, path: Path) -> list[Problem]:
    """The problems found in ``path`` as problems of the request's records: line
    ``n`` of the file is record ``n - 2`` (the header is line 1), shown as the
    request's ``n - 1``-th record as the other JSON routes count them."""
    found: list[Problem] = []
    for p in error.problems:
        if p.source != str(path):
            found.append(p)
            continue
        if p.line is None or p.line <= _HEADER_LINES:
            found.append(Problem(p.message, SOURCE, None, p.field))
            continue
        index = p.line - _HEADER_LINES - 1
        field = f"records/{index}" + (f"/{p.field}" if p.field else "")
        found.append(Problem(p.message, SOURCE, index + 1, field))
    return found


@contextmanager
def records_file(records: Sequence[UsageRecordIn]) -> Iterator[Path]:
    """The records as a temporary usage file for the block; removed after it.

    Raises:
        InputError: raised in the block (of the same kind); its problems name
            the request's records.
    """
    with tempfile.NamedTemporaryFile(delete=False, suffix=".csv") as handle:
        path = Path(handle.name)
    try:
        write_records(records, path)
        yield path
    except InputError as exc:
        raise dataclasses.replace(exc, problems=located(exc, path)) from None
    finally:
        path.unlink(missing_ok=True)
