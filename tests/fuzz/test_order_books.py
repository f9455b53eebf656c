"""Fuzzed order books through both reading paths and the ``check`` command.

The column-wise path must never accept what the ordinary reader refuses, and what it
accepts it must decide exactly as the ordinary path does; through the CLI, both paths
end with exit 0 and the same decisions, or exit 2 with the same located message, and
never a traceback.
"""

from __future__ import annotations

import io
import json
import random
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from chipgate.book.batch import Fallback, check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.book.writer import write_decisions
from chipgate.decide.engine import Engine
from chipgate.errors import ChipgateError, InputError
from chipgate.orders.reader import read_orders

from .conftest import assert_clean_exit, run
from .families import (
    CSV_FAMILIES,
    HUGE,
    MARKUP,
    NON_FINITE,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    Case,
    byte_flips,
    cell_sweep,
    corpus,
    jsonl_families,
    set_cell,
    truncation,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"
BASE = b"\n".join(EXAMPLE.read_bytes().split(b"\n")[:9]) + b"\n"
CSV_CASES = list(corpus(BASE, CSV_FAMILIES, per_family=6))
STATED = set_cell(
    set_cell(set_cell(BASE, 2, "item", ""), 2, "die_area_mm2", "800"),
    2,
    "datacenter",
    "true",
)
"""The base book with its second order given by figures (tpp) instead of a name."""
SWEEP_CASES = [
    *cell_sweep(STATED, "stated", NON_FINITE + HUGE + ("1e40", "5000"), ("tpp",)),
    *cell_sweep(BASE, "huge", HUGE, NUMBER_COLUMNS),
    *cell_sweep(BASE, "non-finite", NON_FINITE, NUMBER_COLUMNS),
    *cell_sweep(BASE, "markup", MARKUP, TEXT_COLUMNS),
]
CLI_CASES = [
    *(c for c in CSV_CASES if c.seed % 1000 < 2),
    *cell_sweep(BASE, "markup", MARKUP, ("destination", "quantity")),
    *cell_sweep(BASE, "huge", HUGE[:3], ("quantity",)),
]


def _frame() -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(BASE), infer_schema=False)


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


def _parquet_cases() -> list[Case]:
    frame = _frame()
    typed = frame.with_columns(
        pl.col("quantity").cast(pl.Int64), pl.col("date").str.to_date()
    )
    variants = {
        "timestamp": typed.with_columns(pl.col("date").cast(pl.Datetime("us"))),
        "list": typed.with_columns(pl.col("end_use").str.split(";")),
        "struct": typed.with_columns(pl.struct(pl.col("consignee")).alias("consignee")),
        "binary": typed.with_columns(pl.col("id").cast(pl.Binary)),
        "float-quantity": typed.with_columns(pl.col("quantity").cast(pl.Float64) + 0.5),
        "uint64-huge": typed.with_columns(
            pl.lit(2**64 - 1, dtype=pl.UInt64).alias("quantity")
        ),
        "categorical": typed.with_columns(pl.col("destination").cast(pl.Categorical)),
        "bool-quantity": typed.with_columns(pl.lit(True).alias("quantity")),
        "null-id": typed.with_columns(pl.lit(None, dtype=pl.String).alias("id")),
        "typed": typed,
    }
    cases = [Case(f"parquet-{k}", 0, _parquet_bytes(v)) for k, v in variants.items()]
    good = _parquet_bytes(typed)
    for n in range(4):
        for name, mutate in (
            ("parquet-byte-flip", byte_flips),
            ("parquet-truncation", truncation),
        ):
            cases.append(Case(name, n, mutate(good, random.Random(n))))
    return cases


PARQUET_CASES = _parquet_cases()


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Engine())


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _ordinary(book: Path, checker: Checker, out: Path) -> tuple[str, object]:
    try:
        orders = read_orders(book, checker.engine.catalog).orders
    except InputError as exc:
        return "refused", str(exc)
    try:
        write_decisions(checker.decide(orders), out, "jsonl")
    except ChipgateError as exc:
        return "error", str(exc)
    return "decided", _records(out)


def _columnwise(book: Path, checker: Checker, out: Path) -> tuple[str, object]:
    try:
        check_to_jsonl(book, checker, out)
    except Fallback:
        assert not out.exists(), "a fallback must not leave an output"
        return "fallback", None
    except ChipgateError as exc:
        return "error", str(exc)
    return "decided", _records(out)


@pytest.mark.parametrize(
    "case", CSV_CASES + SWEEP_CASES + PARQUET_CASES, ids=lambda c: c.id
)
def test_the_column_wise_path_accepts_only_what_the_reader_accepts(
    case: Case, tmp_path: Path, checker: Checker
) -> None:
    book = tmp_path / (
        "book.parquet" if case.family.startswith("parquet") else "book.csv"
    )
    book.write_bytes(case.data)
    ordinary = _ordinary(book, checker, tmp_path / "slow.jsonl")
    fast = _columnwise(book, checker, tmp_path / "fast.jsonl")
    if ordinary[0] == "refused":
        assert fast[0] == "fallback", ordinary[1]
    if fast[0] != "fallback":
        assert fast == ordinary
    for kind, value in (ordinary, fast):
        if kind == "decided":
            for record in value:  # type: ignore[attr-defined]
                for key in ("tpp", "h100_equivalents"):
                    assert isinstance(record[key], int | float), record


@pytest.mark.parametrize("case", CLI_CASES + PARQUET_CASES[:10], ids=lambda c: c.id)
def test_check_ends_cleanly_and_both_paths_say_the_same(
    case: Case, tmp_path: Path
) -> None:
    suffix = ".parquet" if case.family.startswith("parquet") else ".csv"
    book = tmp_path / f"book{suffix}"
    book.write_bytes(case.data)
    data = tmp_path / "data"
    out = tmp_path / "out.jsonl"
    fast = run(
        data,
        "check",
        str(book),
        "--format",
        "jsonl",
        "--output",
        str(out),
        "--no-screening",
    )
    slow = run(data, "check", str(book), "--format", "jsonl", "--no-screening")
    fast_error = assert_clean_exit(fast, {0, 2}, book.name)
    slow_error = assert_clean_exit(slow, {0, 2}, book.name)
    assert fast.exit_code == slow.exit_code
    assert fast_error == slow_error
    if fast.exit_code == 0:
        assert out.read_text().splitlines() == slow.stdout.splitlines()
    else:
        assert not out.exists()
    going = run(
        data, "check", str(book), "--format", "csv", "--keep-going", "--no-screening"
    )
    assert_clean_exit(going, {0, 1, 2}, book.name)
    if going.exit_code == 1:
        assert "bad line" in going.output


JSONL_BASE = b"".join(json.dumps(row).encode() + b"\n" for row in _frame().to_dicts())


@pytest.mark.parametrize(
    "case", list(corpus(JSONL_BASE, jsonl_families(), per_family=3)), ids=lambda c: c.id
)
def test_jsonl_books_end_cleanly(case: Case, tmp_path: Path) -> None:
    book = tmp_path / "book.jsonl"
    book.write_bytes(case.data)
    result = run(
        tmp_path / "data", "check", str(book), "--format", "jsonl", "--no-screening"
    )
    assert_clean_exit(result, {0, 2}, "book.jsonl")
    if case.family == "unknown-field":
        assert result.exit_code == 2
        assert "zz_unknown" in result.output


def test_timestamps_are_refused_not_decided(tmp_path: Path) -> None:
    frame = _frame().with_columns(pl.lit(datetime(2024, 2, 10, 23, 59)).alias("date"))
    book = tmp_path / "book.parquet"
    frame.write_parquet(book)
    result = run(
        tmp_path / "data", "check", str(book), "--format", "csv", "--no-screening"
    )
    assert "field 'date'" in assert_clean_exit(result, {2}, "book.parquet")
