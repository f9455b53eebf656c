"""Reading text files line by line, with an error that names the line that is not UTF-8;
and CSV files record by record, each with the line it starts on.

Python's text mode raises ``UnicodeDecodeError`` in the middle of a read, with a
position inside its buffer and no line; every reader of user files goes through
``utf8_lines`` instead, which decodes one line at a time and reports the line, the
byte and its column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chipgate.errors import InputError


def utf8_lines(path: Path) -> Iterator[str]:
    """The lines of ``path`` as text, line ends kept, a leading BOM dropped.

    Raises:
        InputError: a line is not UTF-8 (file, line, byte and column named), or the
            file cannot be read.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError.single(
                    f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at byte "
                    f"{exc.start + 1} of the line (save the file as UTF-8)",
                    source=path,
                    line=number,
                ) from None
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text


@contextmanager
def csv_records(path: Path) -> Iterator[Iterator[list[str]]]:
    """The one way a CSV file (an order book, a party file) is split into records,
    for every reading path.

    Python's csv reader in strict mode (a stray quote is an error) over the file as
    UTF-8 text, a leading BOM dropped, line ends as the csv module expects them.
    Bytes that are not UTF-8 are reported with their line (found by a second, slow
    read that only runs on that error).

    Raises:
        InputError: the file cannot be read or is not UTF-8.
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from None
    try:
        with handle:
            yield csv.reader(handle, strict=True)
    except UnicodeDecodeError:
        for _ in utf8_lines(path):  # raises the located error
            pass
        raise InputError.single("not UTF-8 text", source=path) from None


def csv_header(path: Path) -> list[str]:
    """The stripped column names of a CSV file, as the file spells them (an order
    book's header stage, ``orders.headers.plan_header``, maps and checks them).

    Raises:
        InputError: empty file or malformed header.
    """
    with csv_records(path) as reader:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError.single(
                "the file is empty (no header)", source=path, line=1
            ) from None
        except csv.Error as exc:
            raise InputError.single(
                f"malformed CSV: {exc}", source=path, line=1
            ) from None
    return [h.strip() for h in header]


def unique_header(header: Sequence[str], source: Path | str) -> None:
    """Refuse a header that names a column twice, as an order book's header stage
    does: a reader by name keeps one of the two cells and drops the other unseen.

    Raises:
        InputError: naming the repeated columns, at line 1.
    """
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise InputError.single(
            f"duplicate column(s) {', '.join(duplicated)}", source=source, line=1
        )


def malformed_csv(path: Path, exc: csv.Error, reader: Any) -> InputError:
    """The error of a record the csv module cannot split, at the line it reached."""
    return InputError.single(f"malformed CSV: {exc}", source=path, line=reader.line_num)


def csv_cells(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The cells of every record after the header, with the line it starts on.

    Blank records (no cell with text) are left out.

    Raises:
        InputError: malformed CSV (a stray quote, an unterminated field) or bytes
            that are not UTF-8, with the line.
    """
    with csv_records(path) as reader:
        try:
            next(reader)
        except (StopIteration, csv.Error):
            return  # csv_header reports it
        start = reader.line_num + 1  # type: ignore[attr-defined]
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise malformed_csv(path, exc, reader) from None
            if cells and any(map(str.strip, cells)):
                yield start, cells
            start = reader.line_num + 1  # type: ignore[attr-defined]


def past_header(cells: list[str], width: int) -> str | None:
    """The problem of a record with text past the header's ``width`` cells, or
    None: a value with an unquoted comma ("Acme, Inc."), which a lenient
    reader cuts at the comma. Empty cells past the header (a trailing comma)
    are no problem.

    >>> past_header(["1", "Acme", " Inc."], 2)
    '3 cells where the header has 2: a comma in a value that is not quoted? (write the cell in double quotes)'
    >>> past_header(["1", "Acme", ""], 2) is None
    True
    """
    if len(cells) > width and any(map(str.strip, cells[width:])):
        return (
            f"{len(cells)} cells where the header has {width}: a comma in a value "
            "that is not quoted? (write the cell in double quotes)"
        )
    return None


__all__ = [
    "csv_cells",
    "csv_header",
    "csv_records",
    "malformed_csv",
    "past_header",
    "utf8_lines",
]
