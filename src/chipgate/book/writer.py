"""Write decisions as JSONL, JSON, CSV or Excel, atomically: a temporary file renamed
into place.

A failed run never leaves a half-written output file behind; an output path that is
a folder, a FIFO or a symbolic link is refused (``outputs.check_output_path``), and a
CSV text cell a spreadsheet would run as a formula is neutralised.
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
from chipgate.outputs import check_output_path, spreadsheet_safe

CSV_COLUMNS = OUTPUT_FIELDS
"""CSV columns: the fields of the decision record, in the same order."""
COMMIT_CSV_COLUMNS = (*CSV_COLUMNS, "ledger")
"""A committed run adds what the ledger holds: status, audit entry, refusal."""


def _umask() -> int:
    """The process umask (read by setting it, then restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed over ``path`` on success.

    The caller writes the temporary file however it likes (or replaces it with
    another file of the same folder); it gets the permissions the umask gives a new
    file, and nothing is left behind on failure.

    Raises:
        InputError: ``path`` is a folder, a FIFO or a symbolic link.
    """
    check_output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp_name)
        # mkstemp makes the file private (0600); the output is an ordinary file
        # the user shares, so it gets the permissions the umask gives a new file
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_output(path: Path, binary: bool = True) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    Raises:
        InputError: ``path`` is a folder, a FIFO or a symbolic link.
    """
    with atomic_file(path) as temp:
        stream: IO[Any]
        if binary:
            stream = temp.open("wb")
        else:
            stream = temp.open("w", newline="", encoding="utf-8")
        with stream:
            yield stream


def write_jsonl(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """One JSON object per line; returns the count."""
    count = 0
    for record in records:
        stream.write(orjson.dumps(record))
        stream.write(b"\n")
        count += 1
    return count


def csv_row(
    record: dict[str, Any], columns: tuple[str, ...] = CSV_COLUMNS
) -> list[Any]:
    """Flatten a decision record into CSV cells (text cells spreadsheet-safe)."""
    cells = []
    for column in columns:
        value = record.get(column)
        if column in LIST_FIELDS:
            value = " | ".join(value or ())
        elif column in ("draws", "ledger"):
            value = orjson.dumps(value).decode() if value else ""
        cells.append("" if value is None else spreadsheet_safe(value))
    return cells


FILE_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
"""Output formats named by a file's suffix."""

OUTCOME_FILL = {
    "prohibited": "#F4CCCC",
    "license_required": "#FFF2CC",
    "authorized": "#D9EAD3",
    "no_license_required": "#DDEBF7",
}
"""Background of the outcome cell in a decided spreadsheet."""


def write_xlsx(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """A decided spreadsheet: one row per order, the header frozen and filtered, the
    outcome coloured; cells as in the CSV output. Returns the count."""
    import xlsxwriter

    book = xlsxwriter.Workbook(stream, {"strings_to_numbers": False})
    sheet = book.add_worksheet("decisions")
    bold = book.add_format({"bold": True, "bottom": 1})
    fills = {k: book.add_format({"bg_color": v}) for k, v in OUTCOME_FILL.items()}
    sheet.write_row(0, 0, CSV_COLUMNS, bold)
    outcome_at = CSV_COLUMNS.index("outcome")
    widths = [len(c) + 2 for c in CSV_COLUMNS]
    count = 0
    for count, record in enumerate(records, start=1):
        cells = csv_row(record)
        for col, value in enumerate(cells):
            fmt = fills.get(str(value)) if col == outcome_at else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(count, col, value, fmt)
            else:
                sheet.write_string(count, col, str(value), fmt)
            widths[col] = max(widths[col], min(len(str(value)) + 2, 60))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(count, 1), len(CSV_COLUMNS) - 1)
    book.close()
    return count


def write_decisions(decisions: Iterable[Decision], path: Path, fmt: str) -> int:
    """Write decisions to ``path`` in ``jsonl``, ``json``, ``csv`` or ``xlsx``;
    returns the count."""
    return write_records((d.to_record() for d in decisions), path, fmt)


def write_records(
    records: Iterable[dict[str, Any]],
    path: Path,
    fmt: str,
    columns: tuple[str, ...] = CSV_COLUMNS,
) -> int:
    """Write output lines to ``path`` in ``jsonl``, ``json``, ``csv`` or ``xlsx``;
    returns the count."""
    if fmt == "jsonl":
        with atomic_output(path) as stream:
            return write_jsonl(records, stream)
    if fmt == "json":
        listed = list(records)
        with atomic_output(path) as stream:
            stream.write(orjson.dumps(listed, option=orjson.OPT_INDENT_2))
        return len(listed)
    if fmt == "xlsx":
        with atomic_output(path) as stream:
            return write_xlsx(records, stream)
    if fmt == "csv":
        with atomic_output(path, binary=False) as stream:
            return write_csv(records, stream, columns)
    raise ValueError(f"unknown output format {fmt!r}")


def write_csv(
    records: Iterable[dict[str, Any]],
    stream: IO[str],
    columns: tuple[str, ...] = CSV_COLUMNS,
) -> int:
    """A header, then one row per record; returns the count."""
    writer = csv.writer(stream)
    writer.writerow(columns)
    count = 0
    for record in records:
        writer.writerow(csv_row(record, columns))
        count += 1
    return count
