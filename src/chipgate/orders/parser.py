"""Validation of one order row: every cell checked, converted and memoized.

Rows come from CSV, JSONL or Parquet (``orders.reader``) or from the column-wise path
(``batch``); a bad cell raises ``RowError`` naming its column and what was expected.
Conversions of repeated cells (dates, countries, kinds, items) are memoized, because
real books repeat them on every line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chipgate.chips.catalog import Catalog
from chipgate.countries.registry import iso_codes
from chipgate.dates import parse_day
from chipgate.errors import UnknownRegimeError
from chipgate.limits import (
    FIGURE_MAX,
    ORDER_ID_MAX,
    ORDER_TEXT_MAX,
    PARTY_NAME_MAX,
    QUANTITY_MAX,
)
from chipgate.orders.columns import (
    ALL_COLUMNS,
    FALSE_WORDS,
    NAME_COLUMNS,
    TRUE_WORDS,
    split_list,
)
from chipgate.orders.model import (
    AuthorizationKind,
    EndUse,
    Kind,
    NamedAuthorization,
    Order,
    Party,
    StatedFigures,
    parse_end_uses,
)

Row = dict[str, Any]
PARTY_FIELDS = ("", "_hq", "_parent", "_parent_hq", "_parent_share")
"""A party's columns after its role (``consignee``, ``consignee_hq`` ...), in the
order of ``Party``'s fields."""
_MAX_MEMO = 100_000
_REST_COLUMNS = tuple(c for c in ALL_COLUMNS if c not in ("id", "date", "quantity"))


class RowError(Exception):
    """One bad cell of one row (the reader turns it into a located Problem)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _limit(column: str) -> int:
    if column == "id":
        return ORDER_ID_MAX
    return PARTY_NAME_MAX if column in NAME_COLUMNS else ORDER_TEXT_MAX


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
"""A quantity cell: one optional sign, then ASCII digits (``--5`` and ``+-5`` are not
numbers, and ``int()`` would also take ``1_000`` and spaces)."""
_LISTING = re.compile(r"[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*")


def _listing(row: Row) -> str | None:
    """The ``listed_under`` cell: an ECCN other than 3A090/4A090 (whose items are
    classified from their figures) and other than a ".z" paragraph (which the
    engine derives from the regime of the order's date)."""
    text = _text(row, "listed_under")
    if text is None:
        return None
    if not _LISTING.fullmatch(text):
        raise RowError("listed_under", f"{text!r} is not an ECCN such as 5A992.c")
    if text.startswith(("3A090", "4A090")) or text.endswith(".z") or ".z." in text:
        raise RowError(
            "listed_under",
            f"{text!r}: give the entry the item is listed under apart from "
            "3A090/4A090 (e.g. 5A992.c); the .z paragraph follows from the date",
        )
    return text


_TEXT_TYPES = (str, int, float, date)
"""What a text cell may hold (a tuple: ``isinstance`` with a union built in the
call made a new union object for every cell)."""
_NUMBER_TYPES = (str, int, float)


def _text(row: Row, column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if not isinstance(value, _TEXT_TYPES):
        raise RowError(column, f"a {type(value).__name__} where text was expected")
    text = str(value).strip()
    limit = _limit(column)
    if len(text) > limit:
        raise RowError(column, f"{len(text)} characters, more than the {limit} allowed")
    return text or None


def check_id(text: str | None) -> str:
    """An order id: present, and no longer than the ledger can hold.

    Raises:
        RowError: on the ``id`` column.
    """
    if text is None:
        raise RowError("id", "an order id is required")
    return text


def check_quantity(raw: object) -> int:
    """A quantity: a whole number from 1 to ``QUANTITY_MAX``.

    Raises:
        RowError: on the ``quantity`` column.
    """
    if isinstance(raw, bool):
        raise RowError("quantity", "a whole number above zero is required")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip() if raw is not None else ""
        if not _WHOLE_NUMBER.fullmatch(text):
            raise RowError("quantity", f"{text!r} is not a whole number above zero")
        if len(text) > 15:  # longer than any allowed value: no giant int() parse
            raise RowError("quantity", f"{text[:20]!r}... is above {QUANTITY_MAX:,}")
        value = int(text)
    if value <= 0:
        raise RowError("quantity", f"{value} is not above zero")
    if value > QUANTITY_MAX:
        raise RowError("quantity", f"{value} is above {QUANTITY_MAX:,} units")
    return value


@dataclass
class OrderParser:
    """Turns raw rows into orders; keeps memo tables across rows of one book.

    ``law_on`` is the regime of a day (``Engine.regime_on``) when each order is
    decided under the law of its own date: a date no regime models is then a bad
    ``date`` cell of its row. ``None`` when ``--regime`` or ``--as-of`` forces the
    law (``Engine.law_of_dates``).
    """

    catalog: Catalog
    law_on: Callable[[date], str] | None = None
    _dates: dict[str, date] = field(default_factory=dict)
    _countries: dict[str, str] = field(default_factory=dict)
    _items: dict[str, bool] = field(default_factory=dict)
    _end_uses: dict[str, frozenset[EndUse]] = field(default_factory=dict)
    _auths: dict[str, tuple[NamedAuthorization, ...]] = field(default_factory=dict)
    _rests: dict[tuple[Any, ...], dict[str, Any] | RowError] = field(
        default_factory=dict
    )

    def _date(self, row: Row) -> date:
        day = self._day(row)
        if self.law_on is not None:
            try:
                self.law_on(day)
            except UnknownRegimeError as exc:
                raise RowError(
                    "date", f"{exc}; --regime or --as-of decides it under a named law"
                ) from None
        return day

    def _day(self, row: Row) -> date:
        raw = row.get("date")
        if isinstance(raw, datetime):
            raise RowError(
                "date", f"{raw} is a timestamp; a date is required (YYYY-MM-DD)"
            )
        if isinstance(raw, date):
            return raw
        text = _text(row, "date")
        if text is None:
            raise RowError("date", "a date is required (YYYY-MM-DD)")
        found = self._dates.get(text)
        if found is None:
            try:
                found = parse_day(text)
            except ValueError:
                raise RowError(
                    "date", f"{text!r} is not a real date (YYYY-MM-DD)"
                ) from None
            self._dates[text] = found
        return found

    def _country(self, row: Row, column: str, required: bool = False) -> str | None:
        text = _text(row, column)
        if text is None:
            if required:
                raise RowError(column, "an ISO 3166 alpha-2 country code is required")
            return None
        found = self._countries.get(text)
        if found is None:
            code = text.upper()
            if code not in iso_codes():
                raise RowError(
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
            raise RowError("kind", f"{text!r} is not one of {allowed}") from None

    def _quantity(self, row: Row) -> int:
        return check_quantity(row.get("quantity"))

    def _number(self, row: Row, column: str, minimum: float = 0.0) -> float | None:
        raw = row.get(column)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, bool) or not isinstance(raw, _NUMBER_TYPES):
            raise RowError(column, f"{raw!r} is not a number")
        if isinstance(raw, str) and len(raw) > 64:
            raise RowError(column, f"{raw[:20]!r}... is not a number")
        try:
            value = float(raw)
        except (TypeError, ValueError, OverflowError):
            raise RowError(column, f"{raw!r} is not a number") from None
        if not math.isfinite(value) or value > FIGURE_MAX:
            raise RowError(
                column, f"{raw!r} is not a finite number up to {FIGURE_MAX:g}"
            )
        if value < minimum:
            raise RowError(column, f"{raw!r} must be a number of at least {minimum:g}")
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
        raise RowError(column, f"{raw!r} is not true or false")

    def _end_use(self, row: Row) -> frozenset[EndUse]:
        text = _text(row, "end_use")
        if text is None:
            return frozenset()
        found = self._end_uses.get(text)
        if found is None:
            try:
                found = parse_end_uses(split_list(text))
            except ValueError as exc:
                raise RowError("end_use", str(exc)) from None
            self._end_uses[text] = found
        return found

    def _authorizations(self, row: Row) -> tuple[NamedAuthorization, ...]:
        text = _text(row, "authorizations")
        if text is None:
            return ()
        found = self._auths.get(text)
        if found is None:
            named = []
            for part in split_list(text):
                kind, sep, ref = part.partition(":")
                try:
                    parsed = AuthorizationKind(kind.strip().upper())
                except ValueError:
                    parsed = None
                if not sep or not ref.strip() or parsed is None:
                    allowed = ", ".join(k.value for k in AuthorizationKind)
                    raise RowError(
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
                    raise RowError(column, "figures of a chip need its 'tpp' too")
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
            raise RowError("item", "an item (catalog name) is required for this kind")
        known = self._items.get(text)
        if known is None:
            known = self.catalog.lookup(text) is not None
            self._items[text] = known
        if not known and stated is None and kind is not Kind.MODEL_WEIGHTS:
            nearest = ", ".join(self.catalog.nearest(text))
            raise RowError(
                "item",
                f"unknown item {text!r}; nearest catalog names: {nearest}; or give its "
                "figures in the tpp, die_area_mm2 and datacenter columns",
            )
        return text

    def _party(self, row: Row, role: str) -> Party:
        # the share is checked first, the other cells in order (the first bad one
        # is the one reported)
        share = self.party_field(role, "_parent_share", row.get(f"{role}_parent_share"))
        name, hq, parent, parent_hq = (
            self.party_field(role, f, row.get(role + f)) for f in PARTY_FIELDS[:4]
        )
        return Party(name, hq, parent, parent_hq, share)

    def party_field(self, role: str, field: str, value: Any) -> Any:
        """One cell of a party, read as ``parse_party`` reads it: each of a party's
        cells is checked on its own (``field`` is one of ``PARTY_FIELDS``), so a
        book's distinct names, countries and shares may each be read once."""
        column = role + field
        cell = {column: value}
        if field in ("", "_parent"):
            return _text(cell, column)
        if field in ("_hq", "_parent_hq"):
            return self._country(cell, column)
        share = self._number(cell, column)
        if share is not None and share > 100:
            raise RowError(column, f"{share:g} is not a percentage (0-100)")
        return share

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
            "exporter": _text(row, "exporter"),
            "listed_under": _listing(row),
        }
        if kind is Kind.MODEL_WEIGHTS and fields["training_operations"] is None:
            raise RowError("training_operations", "model_weights orders need it")
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
            except RowError as exc:
                cached = exc
            if len(self._rests) >= _MAX_MEMO:
                self._rests.clear()
            self._rests[key] = cached
        if isinstance(cached, RowError):
            raise cached
        return cached

    def parse(self, row: Row, line: int | None = None) -> Order:
        """Validate one row; raises ``RowError`` on the first bad cell."""
        return Order(
            id=check_id(_text(row, "id")),
            date=self._date(row),
            quantity=self._quantity(row),
            line=line,
            **self._rest(row),
        )
