"""Read order books (CSV, JSONL, Parquet) into validated orders, with located errors.

Every problem names the file, the line and the column, and says what was expected;
all problems of a file are reported together. Each row is validated by
``orders.parser.OrderParser``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from chipgate.chips.catalog import Catalog
from chipgate.errors import InputError, Problem
from chipgate.orders.columns import ALL_COLUMNS, REQUIRED_COLUMNS
from chipgate.orders.model import Order
from chipgate.orders.parser import OrderParser, Row, RowError
from chipgate.textfiles import utf8_lines

MAX_REPORTED = 200


@dataclass
class ReadResult:
    """Orders read from a book, and the problems of the rows left out."""

    orders: list[Order]
    problems: list[Problem]


def _check_columns(columns: Iterable[str], source: str) -> list[Problem]:
    present = list(columns)
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        problems.append(
            Problem(f"missing column(s) {', '.join(missing)}", source, 1, missing[0])
        )
    unknown = [c for c in present if c not in ALL_COLUMNS]
    if unknown:
        problems.append(
            Problem(
                f"unknown column(s) {', '.join(unknown)}; expected {', '.join(ALL_COLUMNS)}",
                source,
                1,
                unknown[0],
            )
        )
    duplicated = sorted({c for c in present if present.count(c) > 1})
    if duplicated:
        problems.append(
            Problem(f"duplicate column(s) {', '.join(duplicated)}", source, 1)
        )
    return problems


@contextmanager
def csv_records(path: Path) -> Iterator[Iterator[list[str]]]:
    """The one way a CSV book is split into records, for both reading paths.

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
    """The stripped column names of a CSV book, checked against the contract.

    Raises:
        InputError: empty file, malformed header, or missing/unknown/duplicate columns.
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
    header = [h.strip() for h in header]
    problems = _check_columns(header, str(path))
    if problems:
        raise InputError(problems)
    return header


def _malformed(path: Path, exc: csv.Error, reader: Any) -> InputError:
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
                raise _malformed(path, exc, reader) from None
            if cells and any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1  # type: ignore[attr-defined]


def csv_shape(path: Path) -> tuple[set[int], bool]:
    """How many cells the records after the header have (0: a blank line), and
    whether any record runs over several lines (a newline inside quotes).

    The fast form of ``csv_cells`` for the column-wise path: the same records, only
    their widths.

    Raises:
        InputError: as ``csv_cells``.
    """
    widths: set[int] = set()
    records = 0
    with csv_records(path) as reader:
        try:
            next(reader)
            for cells in reader:
                widths.add(len(cells))
                records += 1
        except StopIteration:
            return set(), False
        except csv.Error as exc:
            raise _malformed(path, exc, reader) from None
        lines: int = reader.line_num  # type: ignore[attr-defined]
    return widths, lines != records + 1


def _csv_rows(path: Path) -> Iterator[tuple[int, Row | Problem]]:
    header = csv_header(path)
    width = len(header)
    for start, cells in csv_cells(path):
        if len(cells) != width:
            yield (
                start,
                Problem(
                    f"{len(cells)} cells where the header has {width} (a short, "
                    "long, cut or split row)",
                    str(path),
                    start,
                ),
            )
        else:
            yield start, dict(zip(header, cells, strict=True))


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row | Problem]]:
    source = str(path)
    for number, text in enumerate(utf8_lines(path), start=1):
        if not text.strip():
            continue
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield number, Problem(f"malformed JSON: {exc}", source, number)
            continue
        if not isinstance(value, dict):
            yield number, Problem("each line must be a JSON object", source, number)
            continue
        unknown = [k for k in value if k not in ALL_COLUMNS]
        if unknown:
            yield (
                number,
                Problem(
                    f"unknown field(s) {', '.join(unknown)}; expected "
                    f"{', '.join(ALL_COLUMNS)}",
                    source,
                    number,
                    unknown[0],
                ),
            )
            continue
        yield number, value


PARQUET_TYPES = (
    pl.String,
    pl.Categorical,
    pl.Enum,
    pl.Boolean,
    pl.Date,
    pl.Null,
    pl.Int8,
    pl.Int16,
    pl.Int32,
    pl.Int64,
    pl.UInt8,
    pl.UInt16,
    pl.UInt32,
    pl.UInt64,
    pl.Float32,
    pl.Float64,
)
"""Column types a Parquet book may use: text, numbers, booleans and dates."""


def parquet_problems(schema: Mapping[str, Any], source: str) -> list[Problem]:
    """A problem for each column whose type no cell of the contract can hold
    (timestamps, lists, structs, binary ...)."""
    return [
        Problem(
            f"column type {dtype} is not accepted; use text, numbers, booleans or "
            "dates (YYYY-MM-DD) in a Parquet book",
            source,
            1,
            name,
        )
        for name, dtype in schema.items()
        if not any(dtype == allowed for allowed in PARQUET_TYPES)
    ]


def _parquet_rows(path: Path) -> Iterator[tuple[int, Row | Problem]]:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several unrelated types for bad files
        raise InputError.single(
            f"not a readable Parquet file: {exc}", source=path
        ) from None
    problems = _check_columns(frame.columns, str(path)) + parquet_problems(
        frame.schema, str(path)
    )
    if problems:
        raise InputError(problems)
    yield from enumerate(frame.iter_rows(named=True), start=1)


READERS: dict[str, Callable[[Path], Iterator[tuple[int, Row | Problem]]]] = {
    ".csv": _csv_rows,
    ".jsonl": _jsonl_rows,
    ".ndjson": _jsonl_rows,
    ".parquet": _parquet_rows,
}


def read_orders(
    path: Path, catalog: Catalog, *, keep_going: bool = False
) -> ReadResult:
    """Read and validate an order book.

    Args:
        path: a ``.csv``, ``.jsonl`` or ``.parquet`` file.
        catalog: the chip catalog items are resolved against.
        keep_going: report bad rows as problems and keep the good ones; otherwise
            any bad row makes the whole read fail with every problem listed.

    Raises:
        InputError: on a structural problem (unreadable file, missing column), or
            on any bad row unless ``keep_going``.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError.single(
            f"unsupported file type {path.suffix!r}; use .csv, .jsonl or .parquet",
            source=path,
        )
    if not path.is_file():
        raise InputError.single(
            "no such file" if not path.exists() else "not a regular file", source=path
        )
    parser = OrderParser(catalog)
    orders: list[Order] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in reader(path):
        if isinstance(row, Problem):
            problems.append(row)
            continue
        try:
            order = parser.parse(row, line)
        except RowError as exc:
            problems.append(Problem(exc.message, str(path), line, exc.column))
            continue
        first = seen.get(order.id)
        if first is not None:
            problems.append(
                Problem(
                    f"order id {order.id!r} already used on line {first}",
                    str(path),
                    line,
                    "id",
                )
            )
            continue
        seen[order.id] = line
        orders.append(order)
    if problems and not keep_going:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(
                Problem(f"... and {len(problems) - MAX_REPORTED} more problems")
            )
        raise InputError(shown)
    return ReadResult(orders, problems)


def parse_rows(
    rows: Iterable[Row], catalog: Catalog, source: str = "<input>"
) -> list[Order]:
    """Validate rows given in memory (API and tests); errors as in ``read_orders``."""
    parser = OrderParser(catalog)
    orders, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            orders.append(parser.parse(row, number))
        except RowError as exc:
            problems.append(Problem(exc.message, source, number, exc.column))
    if problems:
        raise InputError(problems)
    return orders
