"""One ``--format`` for every command that prints results: table, json, jsonl, csv.

A table is for people; json (one document), jsonl (one object a line) and csv are
for programs and spreadsheets. Commands build plain records once and hand them here
for the machine formats, so that every command spells them the same way.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import orjson
import typer


class Format(StrEnum):
    """How a command prints its results."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = Annotated[
    Format,
    typer.Option("--format", case_sensitive=False, help="table, json, jsonl or csv."),
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Same as --format json.", hidden=True)
]


def chosen(fmt: Format, as_json: bool, legacy: Format = Format.json) -> Format:
    """``--format``, with the older ``--json`` flag still meaning what it printed
    (``legacy``: json, or jsonl for ``fleet list``)."""
    return legacy if as_json and fmt is Format.table else fmt


def _default(value: Any) -> Any:
    return str(value)


def cell(value: Any) -> Any:
    """A record value as one CSV cell: lists joined by `` | ``, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float) for v in value):
            return " | ".join(str(v) for v in value)
        return orjson.dumps(value, default=_default).decode()
    if isinstance(value, dict):
        return orjson.dumps(value, default=_default).decode()
    return value


def emit(
    records: Iterable[Mapping[str, Any]],
    fmt: Format,
    columns: Sequence[str] | None = None,
    *,
    single: bool = False,
) -> None:
    """Print records to stdout as json, jsonl or csv (not table: each command draws
    its own). ``columns`` fixes the CSV header; by default the first record's keys.
    ``single``: json prints the one record itself, not a list of it."""
    out = sys.stdout
    if fmt is Format.json:
        listed = list(records)
        document: Any = listed[0] if single and len(listed) == 1 else listed
        data = orjson.dumps(
            document, option=orjson.OPT_INDENT_2, default=_default
        ).decode()
        out.write(data + "\n")
    elif fmt is Format.jsonl:
        for record in records:
            out.write(orjson.dumps(record, default=_default).decode() + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        header: Sequence[str] | None = columns
        if header is not None:
            writer.writerow(header)
        for record in records:
            if header is None:
                header = list(record)
                writer.writerow(header)
            writer.writerow([cell(record.get(c)) for c in header])
    else:
        raise ValueError(f"{fmt} is drawn by the command itself")
    out.flush()
