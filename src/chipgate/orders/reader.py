"""Read order books (CSV, JSONL, Parquet) into validated orders, with located errors.

Every problem names the file, the line and the column, and says what was expected;
all problems of a file are reported together. Conversions of repeated cells (dates,
countries, kinds, items) are memoized, because real books repeat them on every line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from chipgate.chips.catalog import Catalog
from chipgate.countries.registry import iso_codes
from chipgate.errors import InputError, Problem
from chipgate.orders.columns import (
    ALL_COLUMNS,
    FALSE_WORDS,
    LIST_SEPARATORS,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
)
from chipgate.orders.model import (
    AuthorizationKind,
    EndUse,
    Kind,
    NamedAuthorization,
    Order,
    Party,
    StatedFigures,
)

Row = dict[str, Any]
MAX_REPORTED = 200
_MAX_MEMO = 100_000
_REST_COLUMNS = tuple(c for c in ALL_COLUMNS if c not in ("id", "date", "quantity"))


class RowError(Exception):
    """One bad cell of one row (the reader turns it into a located Problem)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


_RowError = RowError


def _text(row: Row, column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _split(text: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


@dataclass
class OrderParser:
    """Turns raw rows into orders; keeps memo tables across rows of one book."""

    catalog: Catalog
    _dates: dict[str, date] = field(default_factory=dict)
    _countries: dict[str, str] = field(default_factory=dict)
    _items: dict[str, bool] = field(default_factory=dict)
    _end_uses: dict[str, frozenset[EndUse]] = field(default_factory=dict)
    _auths: dict[str, tuple[NamedAuthorization, ...]] = field(default_factory=dict)
    _rests: dict[tuple[Any, ...], dict[str, Any] | _RowError] = field(
        default_factory=dict
    )

    def _date(self, row: Row) -> date:
        raw = row.get("date")
        if isinstance(raw, date):
            return raw
        text = _text(row, "date")
        if text is None:
            raise _RowError("date", "a date is required (YYYY-MM-DD)")
        found = self._dates.get(text)
        if found is None:
            try:
                found = date.fromisoformat(text)
            except ValueError:
                raise _RowError(
                    "date", f"{text!r} is not a real date (YYYY-MM-DD)"
                ) from None
            self._dates[text] = found
        return found

    def _country(self, row: Row, column: str, required: bool = False) -> str | None:
        text = _text(row, column)
        if text is None:
            if required:
                raise _RowError(column, "an ISO 3166 alpha-2 country code is required")
            return None
        found = self._countries.get(text)
        if found is None:
            code = text.upper()
            if code not in iso_codes():
                raise _RowError(
                    column,
                    f"{text!r} is not an ISO 3166 alpha-2 country code (e.g. CN, DE)",
                )
            self._countries[text] = found = code
        return found

    def _kind(self, row: Row) -> Kind:
        text = _text(row, "kind")
        try:
            return Kind((text or "").lower())
        except ValueError:
            allowed = ", ".join(k.value for k in Kind)
            raise _RowError("kind", f"{text!r} is not one of {allowed}") from None

    def _quantity(self, row: Row) -> int:
        raw = row.get("quantity")
        if isinstance(raw, bool):
            raise _RowError("quantity", "a whole number above zero is required")
        if isinstance(raw, int):
            value = raw
        else:
            text = _text(row, "quantity")
            try:
                value = int(text or "")
            except ValueError:
                raise _RowError(
                    "quantity", f"{text!r} is not a whole number above zero"
                ) from None
        if value <= 0:
            raise _RowError("quantity", f"{value} is not above zero")
        return value

    def _number(self, row: Row, column: str, minimum: float = 0.0) -> float | None:
        raw = row.get(column)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise _RowError(column, f"{raw!r} is not a number") from None
        if value != value or value < minimum:
            raise _RowError(column, f"{raw!r} must be a number of at least {minimum:g}")
        return value

    def _bool(self, row: Row, column: str) -> bool | None:
        raw = row.get(column)
        if raw is None or isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if not text:
            return None
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise _RowError(column, f"{raw!r} is not true or false")

    def _end_use(self, row: Row) -> frozenset[EndUse]:
        text = _text(row, "end_use")
        if text is None:
            return frozenset()
        found = self._end_uses.get(text)
        if found is None:
            uses = []
            for part in _split(text.lower()):
                try:
                    uses.append(EndUse(part))
                except ValueError:
                    allowed = ", ".join(u.value for u in EndUse)
                    raise _RowError(
                        "end_use", f"{part!r} is not one of {allowed}"
                    ) from None
            self._end_uses[text] = found = frozenset(uses)
        return found

    def _authorizations(self, row: Row) -> tuple[NamedAuthorization, ...]:
        text = _text(row, "authorizations")
        if text is None:
            return ()
        found = self._auths.get(text)
        if found is None:
            named = []
            for part in _split(text):
                kind, sep, ref = part.partition(":")
                try:
                    parsed = AuthorizationKind(kind.strip().upper())
                except ValueError:
                    parsed = None
                if not sep or not ref.strip() or parsed is None:
                    allowed = ", ".join(k.value for k in AuthorizationKind)
                    raise _RowError(
                        "authorizations",
                        f"{part!r} is not KIND:REFERENCE with KIND one of {allowed}",
                    )
                named.append(NamedAuthorization(parsed, ref.strip()))
            self._auths[text] = found = tuple(named)
        return found

    def _stated(self, row: Row) -> StatedFigures | None:
        tpp = self._number(row, "tpp")
        if tpp is None:
            for column in ("die_area_mm2", "memory_bandwidth_gbs"):
                if _text(row, column) is not None:
                    raise _RowError(column, "figures of a chip need its 'tpp' too")
            return None
        datacenter = self._bool(row, "datacenter")
        return StatedFigures(
            tpp=tpp,
            die_area_mm2=self._number(row, "die_area_mm2"),
            datacenter=True if datacenter is None else datacenter,
            memory_bandwidth_gbs=self._number(row, "memory_bandwidth_gbs"),
        )

    def _item(self, row: Row, kind: Kind, stated: StatedFigures | None) -> str | None:
        text = _text(row, "item")
        if text is None:
            if kind in (Kind.MODEL_WEIGHTS, Kind.CLOUD) or stated is not None:
                return None
            raise _RowError("item", "an item (catalog name) is required for this kind")
        known = self._items.get(text)
        if known is None:
            known = self.catalog.lookup(text) is not None
            self._items[text] = known
        if not known and stated is None and kind is not Kind.MODEL_WEIGHTS:
            nearest = ", ".join(self.catalog.nearest(text))
            raise _RowError(
                "item",
                f"unknown item {text!r}; nearest catalog names: {nearest}; or give its "
                "figures in the tpp, die_area_mm2 and datacenter columns",
            )
        return text

    def _party(self, row: Row, role: str) -> Party:
        share = self._number(row, f"{role}_parent_share")
        if share is not None and share > 100:
            raise _RowError(
                f"{role}_parent_share", f"{share:g} is not a percentage (0-100)"
            )
        return Party(
            name=_text(row, role),
            hq=self._country(row, f"{role}_hq"),
            parent=_text(row, f"{role}_parent"),
            parent_hq=self._country(row, f"{role}_parent_hq"),
            parent_share=share,
        )

    def parse_what(self, row: Row) -> dict[str, Any]:
        """The columns that say what moves where and why (not who, when or how many)."""
        kind = self._kind(row)
        stated = self._stated(row)
        fields: dict[str, Any] = {
            "kind": kind,
            "item": self._item(row, kind, stated),
            "destination": self._country(row, "destination", required=True) or "",
            "end_use": self._end_use(row),
            "training_operations": self._number(row, "training_operations"),
            "open_weights": self._bool(row, "open_weights"),
            "authorizations": self._authorizations(row),
            "value_usd": self._number(row, "value_usd"),
            "stated": stated,
        }
        if kind is Kind.MODEL_WEIGHTS and fields["training_operations"] is None:
            raise _RowError("training_operations", "model_weights orders need it")
        return fields

    def parse_party(self, row: Row, role: str) -> Party:
        """The consignee or end user of a row, with headquarters and parent."""
        return self._party(row, role)

    def parse_date(self, row: Row) -> date:
        """The row's date (memoized)."""
        return self._date(row)

    def _parse_rest(self, row: Row) -> dict[str, Any]:
        fields = self.parse_what(row)
        fields["consignee"] = self._party(row, "consignee")
        fields["end_user"] = self._party(row, "end_user")
        return fields

    def _rest(self, row: Row) -> dict[str, Any]:
        """Everything but id, date and quantity, memoized: books repeat it."""
        key = tuple(row.get(column) for column in _REST_COLUMNS)
        try:
            cached = self._rests.get(key)
        except TypeError:  # a JSON list or object in a cell: parse without the memo
            return self._parse_rest(row)
        if cached is None:
            try:
                cached = self._parse_rest(row)
            except _RowError as exc:
                cached = exc
            if len(self._rests) >= _MAX_MEMO:
                self._rests.clear()
            self._rests[key] = cached
        if isinstance(cached, _RowError):
            raise cached
        return cached

    def parse(self, row: Row, line: int | None = None) -> Order:
        """Validate one row; raises ``_RowError`` on the first bad cell."""
        order_id = _text(row, "id")
        if order_id is None:
            raise _RowError("id", "an order id is required")
        return Order(
            id=order_id,
            date=self._date(row),
            quantity=self._quantity(row),
            line=line,
            **self._rest(row),
        )


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
        raise InputError.single("no such file", source=path)
    parser = OrderParser(catalog)
    orders: list[Order] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in reader(path):
        if "__width__" in row or "__json__" in row:
            problems.append(
                Problem(row.get("__width__") or row["__json__"], str(path), line)
            )
            continue
        try:
            order = parser.parse(row, line)
        except _RowError as exc:
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
        except _RowError as exc:
            problems.append(Problem(exc.message, source, number, exc.column))
    if problems:
        raise InputError(problems)
    return orders


def read_text(text: str, catalog: Catalog, suffix: str = ".csv") -> list[Order]:
    """Parse an order book held in a string (tests, API uploads)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"orders{suffix}"
        path.write_text(text, encoding="utf-8")
        return read_orders(path, catalog).orders
