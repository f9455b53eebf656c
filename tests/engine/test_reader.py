"""Bad order files get one clear error per problem: file, line, field, expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipgate.chips.catalog import default_catalog
from chipgate.errors import InputError
from chipgate.orders.columns import CORE_COLUMNS
from chipgate.orders.model import AuthorizationKind, EndUse, Kind
from chipgate.orders.reader import read_orders

HEADER = ",".join(CORE_COLUMNS)
GOOD = "A1,2025-06-01,export,NVIDIA H100 SXM5,10,DE,Acme GmbH,DE,,,datacenter,,,"


def write(tmp_path: Path, *lines: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_orders(path, default_catalog())
    return [str(p) for p in caught.value.problems]


def test_a_good_row_becomes_an_order(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, GOOD.replace("datacenter", "datacenter;training"))
    (order,) = read_orders(path, default_catalog()).orders
    assert order.kind is Kind.EXPORT
    assert order.quantity == 10
    assert order.end_use == frozenset({EndUse.DATACENTER, EndUse.TRAINING})
    assert order.line == 2


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        (
            GOOD.replace("NVIDIA H100 SXM5", "NVIDA H100 SXM"),
            "item",
            "nearest catalog names: NVIDIA H100",
        ),
        (
            GOOD.replace(",DE,Acme GmbH,DE", ",XX,Acme GmbH,DE"),
            "destination",
            "not an ISO 3166",
        ),
        (GOOD.replace(",10,", ",0,"), "quantity", "not above zero"),
        (GOOD.replace(",10,", ",-5,"), "quantity", "not above zero"),
        (GOOD.replace(",10,", ",ten,"), "quantity", "whole number"),
        (GOOD.replace("2025-06-01", "2025-02-30"), "date", "not a real date"),
        (GOOD.replace("2025-06-01", "2025-W23-1"), "date", "not a real date"),
        (GOOD.replace("2025-06-01", "20250601"), "date", "not a real date"),
        (GOOD.replace("2025-06-01", "2025-152"), "date", "not a real date"),
        (GOOD.replace("export", "sell"), "kind", "is not one of export"),
        (
            GOOD.replace("datacenter", "espionage"),
            "end_use",
            "is not one of datacenter",
        ),
        (GOOD + "LICENSE", "authorizations", "KIND:REFERENCE"),
    ],
)
def test_a_bad_cell_is_named_with_line_and_field(
    tmp_path: Path, row: str, field: str, words: str
) -> None:
    (problem,) = problems(write(tmp_path, HEADER, GOOD.replace("A1", "A0"), row))
    assert "orders.csv, line 3" in problem
    assert f"field '{field}'" in problem
    assert words in problem


def test_every_bad_line_is_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        write(
            tmp_path,
            HEADER,
            GOOD.replace(",10,", ",0,"),
            GOOD.replace("A1", "A2").replace(",DE,", ",ZZ,", 1),
        )
    )
    assert len(found) == 2


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace(",destination", "")
    row = GOOD.replace(",10,DE,", ",10,")
    (problem,) = problems(write(tmp_path, header, row))
    assert "missing column(s) destination" in problem


def test_a_missing_optional_column_is_read_as_empty(tmp_path: Path) -> None:
    header = HEADER.replace(",authorizations", "")
    (order,) = read_orders(
        write(tmp_path, header, GOOD.rsplit(",", 1)[0]), default_catalog()
    ).orders
    assert order.authorizations == ()


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, HEADER + ",destinaton", GOOD + ",DE"))
    assert "unknown column(s) 'destinaton' (did you mean destination?)" in problem


def test_a_row_with_too_many_cells_is_named(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, HEADER, GOOD + ",extra"))
    assert "line 2" in problem
    assert "15 cells where the header has 14" in problem


def test_malformed_csv_names_its_line(tmp_path: Path) -> None:
    found = problems(
        write(tmp_path, HEADER, GOOD, 'A2,2025-06-01,export,"NVIDIA H100 SXM5,1')
    )
    assert any("malformed CSV" in p or "cells where the header" in p for p in found)


def test_a_duplicate_order_id_is_refused(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, HEADER, GOOD, GOOD))
    assert "already used on line 2" in problem


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, ""))
    assert "empty" in problem or "missing column" in problem


def test_keep_going_keeps_the_good_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER, GOOD, GOOD.replace("A1", "A2").replace(",10,", ",0,")
    )
    result = read_orders(path, default_catalog(), keep_going=True)
    assert [o.id for o in result.orders] == ["A1"]
    assert len(result.problems) == 1


def test_jsonl_books_report_json_lines(tmp_path: Path) -> None:
    good = (
        '{"id": "J1", "date": "2025-06-01", "kind": "export", "item": "NVIDIA H100 SXM5",'
        ' "quantity": 5, "destination": "DE", "authorizations": "UVEU:Contoso"}'
    )
    path = write(tmp_path, good, "{not json", name="orders.jsonl")
    found = problems(path)
    assert any("line 2" in p and "malformed JSON" in p for p in found)
    (order,) = read_orders(
        write(tmp_path, good, name="ok.jsonl"), default_catalog()
    ).orders
    assert order.authorizations[0].kind is AuthorizationKind.UVEU


def test_parquet_books_are_read(tmp_path: Path) -> None:
    import polars as pl

    rows = {column: [""] for column in CORE_COLUMNS}
    rows.update(
        id=["P1"],
        date=["2025-06-01"],
        kind=["export"],
        item=["NVIDIA H200 SXM"],
        quantity=["3"],
        destination=["CN"],
    )
    path = tmp_path / "orders.parquet"
    pl.DataFrame(rows).write_parquet(path)
    (order,) = read_orders(path, default_catalog()).orders
    assert order.item == "NVIDIA H200 SXM"
    assert order.quantity == 3


def test_an_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, HEADER, name="orders.txt"))
    assert "unsupported file type" in problem


def test_stated_figures_classify_an_uncatalogued_chip(tmp_path: Path) -> None:
    header = HEADER + ",tpp,die_area_mm2,datacenter"
    row = GOOD.replace("NVIDIA H100 SXM5", "Custom X") + ",5000,700,true"
    (order,) = read_orders(write(tmp_path, header, row), default_catalog()).orders
    assert order.stated is not None
    assert order.stated.tpp == 5000
