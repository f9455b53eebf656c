"""Reading a customer file: CSV, Excel, JSONL or Parquet, every bad row named.

Only ``id`` and ``name`` are required. Lists (``aliases``, ``owners``) are
``;``-separated; countries are ISO 3166 alpha-2 codes; ``parent_share`` is a percent
(0-100, ``%`` allowed); ``opened`` is an ISO date. Every problem of the file is
reported at once (file, line, field), and nothing is stored unless all rows are good.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chipgate.countries.registry import iso_codes
from chipgate.errors import InputError, Problem, validation_problems
from chipgate.orders.model import EndUse
from chipgate.orders.sheets import shows_percent
from chipgate.textfiles import csv_cells, csv_header, past_header, unique_header

COLUMNS = (
    "id",
    "name",
    "aliases",
    "country",
    "headquarters",
    "parent",
    "parent_headquarters",
    "parent_share",
    "owners",
    "opened",
    "declared_use",
    "payment_country",
)
"""Columns a customer file may hold (``payment_country`` is optional, for red flags)."""

FORMATS = (".csv", ".xlsx", ".jsonl", ".parquet")

USE_SYNONYMS = {
    "weapons of mass destruction": EndUse.WMD,
    "data center": EndUse.DATACENTER,
    "data centre": EndUse.DATACENTER,
}
"""Declared-use phrases read as a word of the vocabulary (after case is folded and
spaces or underscores inside a word read as hyphens: "Military intelligence" is
``military-intelligence``)."""


def declared_use_word(text: str) -> EndUse:
    """One declared-use word as the order end-use vocabulary names it.

    >>> declared_use_word("Military intelligence"), declared_use_word("WMD")
    (<EndUse.MILITARY_INTELLIGENCE: 'military-intelligence'>, <EndUse.WMD: 'wmd'>)

    Raises:
        ValueError: the word is not in the vocabulary; the message lists it.
    """
    folded = " ".join(text.lower().split())
    found = USE_SYNONYMS.get(folded)
    if found is not None:
        return found
    try:
        return EndUse(folded.replace(" ", "-").replace("_", "-"))
    except ValueError:
        words = ", ".join(u.value for u in EndUse)
        raise ValueError(
            f"{text!r} is not a declared-use word; expected some of {words} "
            "(';'-separated)"
        ) from None


def _split(value: object) -> object:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(";") if p.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return value


class Customer(BaseModel):
    """One cloud customer as registered."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    country: str | None = None
    headquarters: str | None = None
    parent: str | None = None
    parent_headquarters: str | None = None
    parent_share: float | None = Field(default=None, ge=0.0, le=100.0)
    owners: tuple[str, ...] = ()
    opened: date | None = None
    declared_use: str | None = None
    payment_country: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("aliases", "owners", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split(value)

    @field_validator(
        "country",
        "headquarters",
        "parent_headquarters",
        "payment_country",
        mode="before",
    )
    @classmethod
    def _country(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        code = str(value).strip().upper()
        if code not in iso_codes():
            raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
        return code

    @field_validator("parent_share", mode="before")
    @classmethod
    def _share(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().rstrip("%").strip()
            return text or None
        return value

    @field_validator("parent", "declared_use", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("declared_use")
    @classmethod
    def _uses(cls, value: str | None) -> str | None:
        """The declared uses in the order vocabulary, ';'-joined: a nexus the rules
        look for ("military-intelligence") spelled otherwise ("military
        intelligence") would raise no flag at all."""
        if value is None:
            return None
        words = [declared_use_word(p) for p in value.split(";") if p.strip()]
        return ";".join(dict.fromkeys(words)) or None

    @property
    def declared_uses(self) -> frozenset[str]:
        """The declared use as lower-case ``;``-separated words."""
        text = self.declared_use or ""
        return frozenset(p.strip().lower() for p in text.split(";") if p.strip())


def _blank_to_none(row: dict[str, Any]) -> dict[str, Any]:
    """Drop empty cells, so that a missing required value reads "Field required"."""
    return {
        k: v
        for k, v in row.items()
        if k is not None
        and v is not None
        and not (isinstance(v, str) and not v.strip())
    }


def _csv_rows(
    path: Path, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each record with the line it starts on, split as an order book is
    (``textfiles.csv_records``: strict quoting, UTF-8 checked line by line).

    A record with text past the header's cells is a problem of its line: read
    leniently, an unquoted comma ("Acme, Inc.") dropped the rest of the row
    and shifted nothing into view, and an unterminated quote ran the rows after
    it into one cell.

    Raises:
        InputError: malformed CSV or bytes that are not UTF-8, with the line.
    """
    header = csv_header(path)
    width = len(header)
    for line, cells in csv_cells(path):
        if (problem := past_header(cells, width)) is not None:
            problems.append(Problem(problem, str(path), line))
            continue
        yield line, _blank_to_none(dict(zip(header, cells, strict=False)))


def _jsonl_rows(
    path: Path, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                problems.append(Problem(f"not valid JSON: {exc}", str(path), number))
                continue
            if not isinstance(value, dict):
                problems.append(Problem("expected a JSON object", str(path), number))
                continue
            yield number, _blank_to_none(value)


def _shown(cell: Any) -> Any:
    """A cell's value as the sheet shows it: a number formatted as a percentage is
    stored as its fraction (75 % as 0.75), read as the percent shown."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and shows_percent(getattr(cell, "number_format", None))
    ):
        return float(Decimal(str(value)) * 100)
    return value


def _excel_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        header = next(rows, None)
        if header is None:
            return
        names = [str(h.value).strip() if h.value is not None else "" for h in header]
        for number, cells in enumerate(rows, start=2):
            values = [_shown(cell) for cell in cells]
            if all(v is None for v in values):
                continue
            row = {n: v for n, v in zip(names, values, strict=False) if n}
            for key in ("opened",):
                if hasattr(row.get(key), "date"):
                    row[key] = row[key].date()
            yield number, _blank_to_none(row)
    finally:
        book.close()


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    frame = pl.read_parquet(path)
    for number, row in enumerate(frame.iter_rows(named=True), start=1):
        yield number, _blank_to_none(row)


def _header(path: Path, suffix: str) -> list[str]:
    """Column names of a tabular file (JSONL has none: keys are checked per line)."""
    if suffix == ".csv":
        return [c for c in csv_header(path) if c]
    if suffix == ".parquet":
        return list(pl.read_parquet_schema(path))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            first = next(book.worksheets[0].iter_rows(values_only=True), ())
        finally:
            book.close()
        return [str(c).strip() for c in first if c is not None]
    return []


def read_customers(path: Path) -> list[Customer]:
    """Every customer of ``path``, or every problem of the file at once.

    Lines are physical lines (CSV: the record's first line; the header is line 1),
    spreadsheet rows (Excel, header row 1) or row numbers from 1 (Parquet).

    Raises:
        InputError: unknown format, unreadable file, unknown column, bad values,
            duplicate ids, or no customer at all.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError.single(
            f"unsupported file type '{suffix}'; expected one of {', '.join(FORMATS)}",
            source=path,
        )
    problems: list[Problem] = []
    try:
        if suffix == ".csv":
            rows = list(_csv_rows(path, problems))
        elif suffix == ".jsonl":
            rows = list(_jsonl_rows(path, problems))
        elif suffix == ".xlsx":
            rows = list(_excel_rows(path))
        else:
            rows = list(_parquet_rows(path))
    except InputError:
        raise  # located already (a CSV's file and line)
    except (OSError, UnicodeDecodeError, pl.exceptions.PolarsError) as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    except Exception as exc:  # openpyxl raises its own and zipfile errors
        raise InputError.single(f"cannot read workbook: {exc}", source=path) from exc
    header = _header(path, suffix)
    unique_header(header, path)
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        raise InputError(
            [
                Problem(
                    f"unknown column; expected some of {', '.join(COLUMNS)}",
                    str(path),
                    1,
                    column,
                )
                for column in unknown
            ]
        )
    customers: list[Customer] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        extra = sorted(set(row) - set(COLUMNS))
        if extra:
            problems.extend(
                Problem("unknown field", str(path), number, column) for column in extra
            )
            continue
        raw_id = str(row.get("id", "")).strip()
        if raw_id and raw_id in seen:
            problems.append(
                Problem(
                    f"customer id {raw_id!r} already given on line {seen[raw_id]}",
                    str(path),
                    number,
                    "id",
                )
            )
            continue
        if raw_id:
            seen[raw_id] = number
        try:
            customers.append(Customer.model_validate(row))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, path, number))
    if problems:
        raise InputError(problems)
    if not customers:
        raise InputError.single("no customers in file", source=path)
    return customers
