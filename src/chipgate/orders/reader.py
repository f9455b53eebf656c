"""Read order books (CSV, JSONL, Parquet, Excel) into validated orders, with located
errors.

Every problem names the file, the line and the column, and says what was expected;
all problems of a file are reported together. The header goes through the header
stage (``orders.headers``: mapping, checks, absent columns as empty), then each row
is validated by ``orders.parser.OrderParser``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from chipgate.chips.catalog import Catalog
from chipgate.errors import InputError, Problem
from chipgate.orders.headers import HeaderPlan, plan_header, rename_keys
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.model import Order
from chipgate.orders.parser import OrderParser, Row, RowError
from chipgate.orders.sheets import EXCEL_SUFFIXES, HEADER_ROWS, read_sheet
from chipgate.textfiles import (
    csv_cells,
    csv_header,
    csv_records,
    malformed_csv,
    utf8_lines,
)

MAX_REPORTED = 200
PROBLEM_KEY = "__problem__"
PROBLEM_COLUMN_KEY = "__problem_column__"
"""Keys of a row that stands for a problem of its line (a short row, bad JSON)."""


@dataclass
class ReadResult:
    """Orders read from a book, and the problems of the rows left out."""

    orders: list[Order]
    problems: list[Problem]


def _fill(plan: HeaderPlan) -> Row:
    """The contract columns a file leaves out, as empty cells."""
    return dict.fromkeys(plan.absent, "")


def _mapped_row(plan: HeaderPlan, cells: Sequence[Any], filler: Row) -> Row:
    """One row keyed by contract column: ignored columns dropped, absent ones empty."""
    row = {t: cell for t, cell in zip(plan.targets, cells, strict=True) if t}
    row.update(filler)
    return row


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
            raise malformed_csv(path, exc, reader) from None
        lines: int = reader.line_num  # type: ignore[attr-defined]
    return widths, lines != records + 1


def _problem_row(message: str, column: str | None = None) -> Row:
    """A row that stands for a problem of its line (JSON-serialisable, so it can
    travel in a staged partition of ``executors.check_job``)."""
    row: Row = {PROBLEM_KEY: message}
    if column is not None:
        row[PROBLEM_COLUMN_KEY] = column
    return row


def _csv_rows(
    path: Path, mapping: ColumnMapping | None
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    header = csv_header(path)
    plan = plan_header(header, str(path), mapping)
    filler = _fill(plan)
    width = len(header)
    for start, cells in csv_cells(path):
        if len(cells) != width:
            yield (
                start,
                _problem_row(
                    f"{len(cells)} cells where the header has {width} (a short, "
                    "long, cut or split row)"
                ),
                None,
            )
        else:
            yield start, _mapped_row(plan, cells, filler), plan


def _jsonl_rows(
    path: Path, mapping: ColumnMapping | None
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    """Every line's fields are checked (a line with an unknown field is a problem of
    that line, the others are still read)."""
    source = str(path)
    names: dict[tuple[str, ...], tuple[str | None, ...] | Problem] = {}
    for number, text in enumerate(utf8_lines(path), start=1):
        if not text.strip():
            continue
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield number, _problem_row(f"malformed JSON: {exc}"), None
            continue
        if not isinstance(value, dict):
            yield number, _problem_row("each line must be a JSON object"), None
            continue
        keys = tuple(value)
        renamed = names.get(keys)
        if renamed is None:
            try:
                renamed = rename_keys(keys, source, number, mapping)
            except InputError as exc:
                renamed = exc.problems[0]
            names[keys] = renamed
        if isinstance(renamed, Problem):
            yield number, _problem_row(renamed.message, renamed.field), None
            continue
        yield (
            number,
            {t: value[k] for k, t in zip(keys, renamed, strict=True) if t},
            None,
        )


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


def _frame_rows(
    frame: pl.DataFrame, path: Path, mapping: ColumnMapping | None, first_line: int
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    plan = plan_header(frame.columns, str(path), mapping)
    filler = _fill(plan)
    for line, cells in enumerate(frame.iter_rows(), start=first_line):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        yield line, _mapped_row(plan, cells, filler), plan


def _parquet_rows(
    path: Path, mapping: ColumnMapping | None
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several unrelated types for bad files
        raise InputError.single(
            f"not a readable Parquet file: {exc}", source=path
        ) from None
    problems = parquet_problems(frame.schema, str(path))
    if problems:
        raise InputError(problems)
    yield from _frame_rows(frame, path, mapping, 1)


def _excel_rows(
    path: Path, mapping: ColumnMapping | None
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    yield from _frame_rows(read_sheet(path), path, mapping, HEADER_ROWS + 1)


RowSource = Callable[
    [Path, ColumnMapping | None], Iterator[tuple[int, Row, HeaderPlan | None]]
]
READERS: dict[str, RowSource] = {
    ".csv": _csv_rows,
    ".jsonl": _jsonl_rows,
    ".ndjson": _jsonl_rows,
    ".parquet": _parquet_rows,
    **dict.fromkeys(EXCEL_SUFFIXES, _excel_rows),
}
SUPPORTED = ".csv, .jsonl, .parquet or .xlsx"


def book_rows(
    path: Path, mapping: ColumnMapping | None = None
) -> Iterator[tuple[int, Row, HeaderPlan | None]]:
    """The rows of a book file with their line numbers and header plan.

    Raises:
        InputError: unsupported type, no such file, or a structural problem.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError.single(
            f"unsupported file type {path.suffix!r}; use {SUPPORTED}",
            source=path,
        )
    if not path.is_file():
        raise InputError.single(
            "no such file" if not path.exists() else "not a regular file", source=path
        )
    return reader(path, mapping)


def validate_rows(
    rows: Iterable[tuple[int, Row, HeaderPlan | None]],
    parser: OrderParser,
    source: str,
) -> ReadResult:
    """Validate numbered rows into orders; every bad row becomes a located problem.

    The one row loop of every reading path: a whole file here, a partition of a
    book on a cluster worker (``executors.check_job``).
    """
    orders: list[Order] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row, plan in rows:
        if PROBLEM_KEY in row:
            problems.append(
                Problem(row[PROBLEM_KEY], source, line, row.get(PROBLEM_COLUMN_KEY))
            )
            continue
        gap = plan.gap_problem(row.get("kind"), source, line) if plan else None
        if gap is not None:
            problems.append(gap)
            continue
        try:
            order = parser.parse(row, line)
        except RowError as exc:
            problems.append(Problem(exc.message, source, line, exc.column))
            continue
        first = seen.get(order.id)
        if first is not None:
            problems.append(
                Problem(
                    f"order id {order.id!r} already used on line {first}",
                    source,
                    line,
                    "id",
                )
            )
            continue
        seen[order.id] = line
        orders.append(order)
    return ReadResult(orders, problems)


def raise_problems(problems: list[Problem]) -> None:
    """Fail with every problem listed (at most ``MAX_REPORTED``), if there are any."""
    if not problems:
        return
    shown = problems[:MAX_REPORTED]
    if len(problems) > MAX_REPORTED:
        shown.append(Problem(f"... and {len(problems) - MAX_REPORTED} more problems"))
    raise InputError(shown)


def read_orders(
    path: Path,
    catalog: Catalog,
    *,
    keep_going: bool = False,
    mapping: ColumnMapping | None = None,
    law_on: Callable[[date], str] | None = None,
) -> ReadResult:
    """Read and validate an order book.

    Args:
        path: a ``.csv``, ``.jsonl``, ``.parquet`` or ``.xlsx`` file.
        catalog: the chip catalog items are resolved against.
        mapping: the file's header names translated to the contract, if it has
            its own (an ERP export).
        keep_going: report bad rows as problems and keep the good ones; otherwise
            any bad row makes the whole read fail with every problem listed.
        law_on: the regime of a day, when each order is decided under the law of
            its date: a date no regime models is then a bad row (``OrderParser``).

    Raises:
        InputError: on a structural problem (unreadable file, missing column), or
            on any bad row unless ``keep_going``.
    """
    result = validate_rows(
        book_rows(path, mapping), OrderParser(catalog, law_on), str(path)
    )
    if not keep_going:
        raise_problems(result.problems)
    return result


def parse_rows(
    rows: Iterable[Row],
    catalog: Catalog,
    source: str = "<input>",
    law_on: Callable[[date], str] | None = None,
) -> list[Order]:
    """Validate rows given in memory (API and tests); errors as in ``read_orders``
    (``law_on``: a date no regime models is a bad date, as there)."""
    parser = OrderParser(catalog, law_on=law_on)
    orders, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            orders.append(parser.parse(row, number))
        except RowError as exc:
            problems.append(Problem(exc.message, source, number, exc.column))
    if problems:
        raise InputError(problems)
    return orders
