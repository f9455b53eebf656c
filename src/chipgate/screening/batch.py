"""Batch screening files: read party names, write one row per match.

Inputs and outputs are CSV, JSONL or Parquet, chosen by file extension. Every query
appears in the output, with empty match columns when nothing matched, so that an
auditor can see that each party was screened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

import polars as pl

from chipgate.errors import InputError
from chipgate.facts import ScreeningHit
from chipgate.orders.columns import MAX_NAME_LENGTH
from chipgate.outputs import FORMULA_STARTS, check_output_path

FORMATS = (".csv", ".jsonl", ".parquet")
NAME_COLUMNS = ("name", "party", "consignee", "end_user")
RESULT_COLUMNS = {
    "query": pl.Utf8,
    "country": pl.Utf8,
    "list_code": pl.Utf8,
    "list_name": pl.Utf8,
    "entry_id": pl.Utf8,
    "matched_name": pl.Utf8,
    "score": pl.Float64,
    "is_hit": pl.Boolean,
    "license_requirement": pl.Utf8,
    "license_policy": pl.Utf8,
    "federal_register": pl.Utf8,
    "footnotes": pl.Utf8,
    "entry_country": pl.Utf8,
    "explanation": pl.Utf8,
}


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError.single(
            f"unsupported file type '{suffix}'; expected one of {', '.join(FORMATS)}",
            source=path,
        )
    return suffix


def read_parties(
    path: Path, name_column: str | None = None
) -> list[tuple[str, str | None]]:
    """``(name, country)`` pairs from a CSV, JSONL or Parquet file.

    The name column is ``name_column`` or the first of ``name``, ``party``,
    ``consignee``, ``end_user``; ``country`` is optional.

    Raises:
        InputError: unreadable file, unknown type, or no name column.
    """
    kind = _format(path)
    try:
        if kind == ".csv":
            frame = pl.read_csv(path, infer_schema=False)
        elif kind == ".jsonl":
            frame = pl.read_ndjson(path)
        else:
            frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    wanted = (name_column,) if name_column else NAME_COLUMNS
    column = next((c for c in wanted if c in frame.columns), None)
    if column is None:
        raise InputError.single(
            f"no name column; expected one of {', '.join(wanted)}, "
            f"found {', '.join(frame.columns)}",
            source=path,
            line=1,
        )
    names = [str(v) if v is not None else "" for v in frame[column].to_list()]
    for number, name in enumerate(names, start=2):
        if len(name) > MAX_NAME_LENGTH:
            raise InputError.single(
                f"a name of {len(name)} characters, more than the {MAX_NAME_LENGTH} "
                "allowed",
                source=path,
                line=number,
                field=column,
            )
    countries: list[str | None] = (
        [str(v) if v else None for v in frame["country"].to_list()]
        if "country" in frame.columns
        else [None] * len(names)
    )
    return list(zip(names, countries, strict=True))


def result_rows(
    parties: Sequence[tuple[str, str | None]], results: Sequence[Sequence[ScreeningHit]]
) -> Iterator[dict[str, object]]:
    """One row per match, or one empty row for a party with no match."""
    for (name, country), hits in zip(parties, results, strict=True):
        if not hits:
            yield {"query": name, "country": country}
        for hit in hits:
            data = asdict(hit)
            row = {k: data.get(k) for k in RESULT_COLUMNS if k in data}
            row.update(query=name, country=country, footnotes=",".join(hit.footnotes))
            yield row


def write_results(path: Path, rows: list[dict[str, object]]) -> None:
    """Write result rows to ``path`` (type by extension), via a temporary file."""
    kind = _format(path)
    check_output_path(path)
    frame = pl.DataFrame(rows, schema=RESULT_COLUMNS)
    tmp = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == ".csv":
        text = [c for c, t in frame.schema.items() if t == pl.String]
        formula = f"^[{re.escape(''.join(FORMULA_STARTS))}]"
        frame = frame.with_columns(
            pl.when(pl.col(c).str.contains(formula))
            .then(pl.lit("'") + pl.col(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c in text
        )
        frame.write_csv(tmp)
    elif kind == ".jsonl":
        frame.write_ndjson(tmp)
    else:
        frame.write_parquet(tmp)
    tmp.replace(path)
