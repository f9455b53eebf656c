"""Low-level readers for the quirks of the official files.

OFAC's legacy CSVs have no header, write an empty value as the token ``-0-``, end
lines in CRLF and close with a DOS end-of-file byte (Ctrl-Z); the trade.gov CSL joins
multiple values with ``"; "`` and has fields with newlines. These helpers absorb the
quirks once and report malformed rows with the file and physical line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from chipgate.errors import InputError

OFAC_EMPTY = "-0-"
CTRL_Z = "\x1a"
MULTI_SEPARATOR = "; "


def read_text(path: Path) -> str:
    """Decode a list file as UTF-8 (Latin-1 as a fallback) without its Ctrl-Z."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.rstrip("\r\n").rstrip(CTRL_Z).rstrip("\r\n") + "\n"


def clean(value: str | None) -> str:
    """Trim a cell and turn OFAC's ``-0-`` empty marker into an empty string."""
    text = (value or "").strip()
    return "" if text == OFAC_EMPTY else text


def split_multi(value: str | None) -> list[str]:
    """Split a CSL multi-valued cell on ``"; "``, dropping empty parts."""
    return [
        part.strip() for part in (value or "").split(MULTI_SEPARATOR) if part.strip()
    ]


def headerless_rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, cells)`` of a headerless OFAC CSV, cells cleaned.

    Raises:
        InputError: a row has the wrong number of columns or broken quoting.
    """
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != columns:
                raise InputError.single(
                    f"expected {columns} columns, found {len(row)}",
                    source=path,
                    line=reader.line_num,
                )
            yield reader.line_num, [clean(cell) for cell in row]
    except csv.Error as exc:
        raise InputError.single(
            f"malformed CSV: {exc}", source=path, line=reader.line_num
        ) from exc


def header_rows(
    path: Path, required: tuple[str, ...], *, delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` of a CSV with a header, checking columns per row.

    Raises:
        InputError: a required column is missing, or a row has more or fewer
            cells than the header.
    """
    reader = csv.reader(
        io.StringIO(read_text(path), newline=""), delimiter=delimiter, strict=True
    )
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError.single(
                f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
                source=path,
                line=1,
            )
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise InputError.single(
                    f"expected {len(header)} cells as in the header, found {len(row)}",
                    source=path,
                    line=reader.line_num,
                )
            yield (
                reader.line_num,
                {h: cell.strip() for h, cell in zip(header, row, strict=True)},
            )
    except csv.Error as exc:
        raise InputError.single(
            f"malformed CSV: {exc}", source=path, line=reader.line_num
        ) from exc


def json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` of a JSON-lines file, streamed; blank lines skipped.

    Raises:
        InputError: a line that is not a JSON object (file and line named).
    """
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError.single(
                    f"not JSON: {exc}", source=path, line=number
                ) from exc
            if not isinstance(item, dict):
                raise InputError.single("not a JSON object", source=path, line=number)
            yield number, item
