"""Write decisions as JSONL or CSV, atomically: a temporary file renamed into place.

A failed run never leaves a half-written output file behind.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from chipgate.decide.decision import Decision
from chipgate.decide.record import LIST_FIELDS, OUTPUT_FIELDS

CSV_COLUMNS = OUTPUT_FIELDS
"""CSV columns: the fields of the decision record, in the same order."""


@contextmanager
def atomic_output(path: Path, binary: bool = True) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        stream: IO[Any]
        if binary:
            stream = os.fdopen(handle, "wb")
        else:
            stream = os.fdopen(handle, "w", newline="", encoding="utf-8")
        with stream:
            yield stream
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_jsonl(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """One JSON object per line; returns the count."""
    count = 0
    for record in records:
        stream.write(orjson.dumps(record))
        stream.write(b"\n")
        count += 1
    return count


def csv_row(record: dict[str, Any]) -> list[Any]:
    """Flatten a decision record into CSV cells."""
    cells = []
    for column in CSV_COLUMNS:
        value = record.get(column)
        if column in LIST_FIELDS:
            value = " | ".join(value or ())
        elif column == "draws":
            value = orjson.dumps(value).decode() if value else ""
        cells.append("" if value is None else value)
    return cells


def write_decisions(decisions: Iterable[Decision], path: Path, fmt: str) -> int:
    """Write decisions to ``path`` in ``jsonl`` or ``csv``; returns the count."""
    records = (d.to_record() for d in decisions)
    if fmt == "jsonl":
        with atomic_output(path) as stream:
            return write_jsonl(records, stream)
    if fmt == "csv":
        with atomic_output(path, binary=False) as stream:
            writer = csv.writer(stream)
            writer.writerow(CSV_COLUMNS)
            count = 0
            for record in records:
                writer.writerow(csv_row(record))
                count += 1
            return count
    raise ValueError(f"unknown output format {fmt!r}")
