"""Read a license file (CSV or JSONL) into validated records, reporting every problem.

Parsing is pure: nothing is written until the whole file is valid, so a bad line never
leaves half a file imported.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pycountry

from chipgate import money
from chipgate.accounts import UNNAMED_PREFIX, name_key
from chipgate.dates import parse_day
from chipgate.errors import InputError, Problem
from chipgate.limits import LICENSE_NUMBER_MAX, PARTY_NAME_MAX, WHOLE_MAX, too_long
from chipgate.money import USD_MAX
from chipgate.orders.columns import split_list
from chipgate.orders.model import parse_end_uses
from chipgate.textfiles import utf8_lines

FIELDS = (
    "number",
    "items",
    "quantity",
    "value_usd",
    "tpp",
    "destination",
    "consignee",
    "end_user",
    "end_use",
    "valid_from",
    "expires",
    "conditions",
)
_NUMBER = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{1,{LICENSE_NUMBER_MAX - 1}}}$")
_ITEM_SPLIT = re.compile(r"[;|]")
_CENT = Decimal("0.01")
_PLAIN_NUMBER = re.compile(
    r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?", re.ASCII
)
"""A number as a license file may write it: ASCII digits, ',' only between groups of
three (``1,000``, ``6,000,000.50``), '.' before the decimals. A decimal comma
(``12500000,50``, ``1,5``) or any other form is refused, not guessed at."""


@dataclass(frozen=True, slots=True)
class LicenseRecord:
    """One validated license line."""

    number: str
    items: tuple[str, ...]
    quantity: int | None
    value_usd: float | None
    tpp: float | None
    destination: str | None
    consignee: str | None
    valid_from: date | None
    expires: date | None
    conditions: str
    line: int
    end_user: str | None = None
    """The end user the license was granted for (None: its consignee, as before
    licenses recorded one)."""
    end_use: tuple[str, ...] = ()
    """The declared end uses (``orders.model.EndUse`` values) it was granted for;
    empty when it records none."""


class _Line:
    """Collects the problems of one line while its fields are converted."""

    def __init__(self, source: str, line: int, raw: dict[str, Any]) -> None:
        self.source, self.line, self.raw = source, line, raw
        self.problems: list[Problem] = []

    def bad(self, field: str, message: str) -> None:
        self.problems.append(Problem(message, self.source, self.line, field))

    def text(self, field: str) -> str | None:
        value = self.raw.get(field)
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def amount(
        self, field: str, *, whole: bool = False, cents: bool = False
    ) -> float | None:
        value = self.raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.bad(field, f"expected a number, got {value!r}")
            return None
        if isinstance(value, str):
            text = value.strip()
            if not _PLAIN_NUMBER.fullmatch(text):
                self.bad(
                    field,
                    f"expected a number such as 1000, 1,000 or 1000.50 (',' only "
                    f"between groups of three digits, '.' for decimals), got {value!r}",
                )
                return None
            value = text.replace(",", "")
        number = float(value)
        if not math.isfinite(number) or number < 0:
            self.bad(field, f"expected a finite number >= 0, got {value!r}")
            return None
        if whole and number != int(number):
            self.bad(field, f"expected a whole number of units, got {value!r}")
            return None
        if whole and number > WHOLE_MAX:
            self.bad(field, f"expected at most {WHOLE_MAX:,} units, got {value!r}")
            return None
        if cents and (
            money.exact(number) > USD_MAX
            or money.exact(number) != money.exact(number).quantize(_CENT)
        ):
            # dollars are kept exact to the cent (``money``)
            self.bad(
                field,
                f"expected dollars to the cent, at most {USD_MAX:,}, got {value!r}",
            )
            return None
        return number

    def day(self, field: str) -> date | None:
        text = self.text(field)
        if text is None:
            return None
        try:
            return parse_day(text)
        except ValueError:
            self.bad(field, f"expected a date YYYY-MM-DD, got {text!r}")
            return None

    def items(self) -> tuple[str, ...]:
        value = self.raw.get("items")
        if value is None:
            return ()
        parts = value if isinstance(value, list) else _ITEM_SPLIT.split(str(value))
        return tuple(p for p in (str(x).strip() for x in parts) if p)

    def party(self, field: str) -> str | None:
        """A party name: it must fit the column orders use and hold a letter or
        digit, since names are compared by their letters and digits alone."""
        text = self.text(field)
        if text is None:
            return None
        if too_long(text, PARTY_NAME_MAX):
            self.bad(field, f"expected at most {PARTY_NAME_MAX} characters")
            return None
        if name_key(text).startswith(UNNAMED_PREFIX):
            self.bad(field, f"expected a name with a letter or digit, got {text!r}")
            return None
        return text

    def end_uses(self) -> tuple[str, ...]:
        """The end uses of the cell, in the orders' vocabulary and separators."""
        value = self.raw.get("end_use")
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            parts = list(value)
        elif isinstance(value, str):
            parts = split_list(value)
        else:
            self.bad("end_use", f"expected end uses separated by ';', got {value!r}")
            return ()
        try:
            return tuple(sorted(u.value for u in parse_end_uses(parts)))
        except ValueError as exc:
            self.bad("end_use", str(exc))
            return ()

    def country(self) -> str | None:
        text = self.text("destination")
        if text is None:
            return None
        found = pycountry.countries.get(alpha_2=text.upper())
        if found is None:
            self.bad(
                "destination",
                f"expected an ISO 3166 alpha-2 country code, got {text!r}",
            )
            return None
        return str(found.alpha_2)


_CUT_SHORT = "?missing columns"


def _record(line: _Line) -> LicenseRecord | None:
    missing = line.raw.get(_CUT_SHORT)
    if isinstance(missing, list):  # an empty cell still needs its comma
        cells = len(line.raw) - 1
        line.bad(
            missing[0],
            f"the line stops after {cells} of the header's {cells + len(missing)} "
            f"columns: no cell for {', '.join(missing)}",
        )
        return None
    unknown = sorted(set(line.raw) - set(FIELDS))
    for field in unknown:
        line.bad(field, f"unknown field; expected one of {', '.join(FIELDS)}")
    number = line.text("number")
    if number is None:
        line.bad("number", "a license number is required")
    elif not _NUMBER.match(number):
        line.bad(
            "number",
            f"expected letters, digits, '.', '_' or '-' (2-64), got {number!r}",
        )
    quantity = line.amount("quantity", whole=True)
    value_usd = line.amount("value_usd", cents=True)
    tpp = line.amount("tpp")
    if line.problems == [] and quantity is None and value_usd is None and tpp is None:
        line.bad("quantity", "give at least one of quantity, value_usd, tpp")
    valid_from, expires = line.day("valid_from"), line.day("expires")
    if valid_from and expires and expires < valid_from:
        line.bad("expires", f"expires {expires} is before valid_from {valid_from}")
    destination = line.country()
    end_user, end_use = line.party("end_user"), line.end_uses()
    if line.problems or number is None:
        return None
    return LicenseRecord(
        number=number,
        items=line.items(),
        quantity=None if quantity is None else int(quantity),
        value_usd=value_usd,
        tpp=tpp,
        destination=destination,
        consignee=line.text("consignee"),
        valid_from=valid_from,
        expires=expires,
        conditions=line.text("conditions") or "",
        line=line.line,
        end_user=end_user,
        end_use=end_use,
    )


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(utf8_lines(path), strict=True)  # a stray quote: an error
    start = 2
    try:
        for row in reader:
            if None in row:
                row = {k: v for k, v in row.items() if k is not None}
                row["?extra columns"] = "x"
            elif None in row.values():  # DictReader's filling of a row cut short
                missing = [k for k, v in row.items() if v is None]
                row = {k: v for k, v in row.items() if v is not None}
                row[_CUT_SHORT] = missing
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError.single(
            f"malformed CSV: {exc}", source=path, line=reader.line_num
        ) from None


def _jsonl_rows(
    path: Path, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, text in enumerate(utf8_lines(path), start=1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError as exc:
            problems.append(Problem(f"invalid JSON: {exc}", str(path), number))
            continue
        if not isinstance(value, dict):
            problems.append(Problem("expected a JSON object", str(path), number))
            continue
        yield number, value


def read_license_file(path: Path) -> list[LicenseRecord]:
    """Parse and validate ``path``; raise one InputError listing every problem.

    Raises:
        InputError: unreadable file, unknown format, bad field, duplicate number.
    """
    if not path.is_file():
        raise InputError.single("license file not found", source=path)
    problems: list[Problem] = []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path, problems)
    else:
        raise InputError.single(
            f"unknown license file format {suffix!r}; expected .csv or .jsonl",
            source=path,
        )
    records: list[LicenseRecord] = []
    first_line: dict[str, int] = {}
    for number, raw in rows:
        line = _Line(str(path), number, raw)
        record = _record(line)
        problems.extend(line.problems)
        key = line.text("number")
        if key is not None and key in first_line:
            problems.append(
                Problem(
                    f"duplicate license number {key!r} "
                    f"(first on line {first_line[key]})",
                    str(path),
                    number,
                    "number",
                )
            )
            continue
        if key is not None:
            first_line[key] = number
        if record is not None:
            records.append(record)
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError.single("the license file holds no licenses", source=path)
    return records
