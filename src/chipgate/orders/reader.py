"""Read order books (CSV, JSONL, Parquet) into validated orders, with located errors.

Every problem names the file, the line and the column, and says what was expected;
all problems of a file are reported together. Each row is validated by
``orders.parser.OrderParser``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from chipgate.chips.catalog import Catalog
from chipgate.errors import InputError, Problem
from chipgate.orders.columns import ALL_COLUMNS, REQUIRED_COLUMNS
from chipgate.orders.model import Order
from chipgate.orders.parser import OrderParser, Row, RowError

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


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
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
        width = len(header)
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError.single(
                    f"malformed CSV: {exc}", source=path, line=reader.line_num
                ) from None
            if not cells or all(not c.strip() for c in cells):
                start = reader.line_num + 1
                continue
            if len(cells) != width:
                yield (
                    start,
                    {"__width__": f"{len(cells)} cells where the header has {width}"},
                )
            else:
                yield start, dict(zip(header, cells, strict=True))
            start = reader.line_num + 1


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    checked = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield number, {"__json__": f"malformed JSON: {exc}"}
                continue
            if not isinstance(value, dict):
                yield number, {"__json__": "each line must be a JSON object"}
                continue
            if not checked:
                unknown = [k for k in value if k not in ALL_COLUMNS]
                if unknown:
                    raise InputError(
                        [
                            Problem(
                                f"unknown field(s) {', '.join(unknown)}",
                                str(path),
                                number,
                                unknown[0],
                            )
                        ]
                    )
                checked = True
            yield number, value


def _parquet_rows(path: Path) -> Iterator[tuple[int, Row]]:
    import polars as pl

    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several unrelated types for bad files
        raise InputError.single(
            f"not a readable Parquet file: {exc}", source=path
        ) from None
    problems = _check_columns(frame.columns, str(path))
    if problems:
        raise InputError(problems)
    yield from enumerate(frame.iter_rows(named=True), start=1)


READERS: dict[str, Callable[[Path], Iterator[tuple[int, Row]]]] = {
    ".csv": _csv_rows,
    ".jsonl": _jsonl_rows,
    ".ndjson": _jsonl_rows,
    ".parquet": _parquet_rows,
}


def book_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """The rows of a book file with their line numbers (structural errors raised).

    Raises:
        InputError: unsupported type, no such file, or a structural problem.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError.single(
            f"unsupported file type {path.suffix!r}; use .csv, .jsonl or .parquet",
            source=path,
        )
    if not path.is_file():
        raise InputError.single("no such file", source=path)
    return reader(path)


def validate_rows(
    rows: Iterable[tuple[int, Row]], parser: OrderParser, source: str
) -> ReadResult:
    """Validate numbered rows into orders; every bad row becomes a located problem.

    The one row loop of every reading path: a whole file here, a partition of a
    book on a cluster worker (``executors.check_job``).
    """
    orders: list[Order] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if "__width__" in row or "__json__" in row:
            problems.append(Problem(row.get("__width__") or row["__json__"], source, line))
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
    result = validate_rows(book_rows(path), OrderParser(catalog), str(path))
    if not keep_going:
        raise_problems(result.problems)
    return result


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
