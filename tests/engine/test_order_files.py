"""Order files as they come: minimal columns, ERP headers through a mapping, Excel."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from chipgate.book.batch import Fallback, check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.book.writer import CSV_COLUMNS, write_decisions
from chipgate.chips.catalog import default_catalog
from chipgate.cli.app import app
from chipgate.decide.engine import Engine
from chipgate.errors import InputError
from chipgate.orders.mapping import load_mapping, parse_inline
from chipgate.orders.reader import read_orders

REPO = Path(__file__).resolve().parents[2]
SAP = REPO / "examples" / "sap-gts-orders.csv"
SAP_MAPPING = REPO / "examples" / "sap-gts-mapping.yaml"
EXAMPLE = REPO / "examples" / "orders.csv"


def write(tmp_path: Path, *lines: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(path: Path, **options: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_orders(path, default_catalog(), **options)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def sap_rows() -> list[dict[str, str]]:
    with SAP.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_sap_workbook(path: Path) -> Path:
    """The SAP example as a spreadsheet would hold it: numbers as numbers, dates
    as date cells, the document number as text (it has leading zeros)."""
    import xlsxwriter

    rows = sap_rows()
    header = list(rows[0])
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("GTS export")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(header):
            value = row[name]
            if name == "Document Date":
                sheet.write_datetime(r, c, date.fromisoformat(value), day)
            elif name in ("Quantity", "Net Value", "Item") and value:
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, value)
    book.close()
    return path


def decided(runner: CliRunner, tmp_path: Path, *args: str) -> list[dict[str, object]]:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["check", *args, "--no-screening", "--format", "jsonl", "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_the_sap_example_is_checked_through_its_mapping(
    runner: CliRunner, tmp_path: Path
) -> None:
    records = decided(runner, tmp_path, str(SAP), "--mapping", str(SAP_MAPPING))
    assert [r["id"] for r in records] == [r["Document Number"] for r in sap_rows()]
    by_id = {r["id"]: r for r in records}
    assert by_id["0090001201"]["outcome"] == "no_license_required"
    assert by_id["0090001202"]["outcome"] == "license_required"
    # An Ascend 910B: General Prohibition 10 blocks it until BIS authorizes it or
    # evidence is recorded (15 CFR 736.2(b)(10)): license_required, not prohibited.
    assert by_id["0090001208"]["outcome"] == "license_required"
    assert by_id["0090001206"]["review_policy"] == "presumption_of_denial"


def test_the_sap_example_without_its_mapping_names_the_columns(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["check", str(SAP), "--no-screening"])
    assert result.exit_code == 2
    assert "missing column(s) id, date, kind, quantity" in result.output
    assert "'Ship-To Country'" in result.output


def test_an_inline_mapping_is_the_same_as_the_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    pairs = ",".join(
        f"{theirs}={ours or '-'}"
        for theirs, ours in load_mapping(SAP_MAPPING).renames.items()
    )
    inline = decided(runner, tmp_path, str(SAP), "--columns", pairs)
    from_file = decided(runner, tmp_path, str(SAP), "--mapping", str(SAP_MAPPING))
    assert inline == from_file


def test_inline_pairs_override_the_mapping_file(tmp_path: Path) -> None:
    merged = load_mapping(SAP_MAPPING).merged(parse_inline("Net Value=-"))
    assert merged.renames["Net Value"] is None
    assert merged.renames["Quantity"] == "quantity"


def test_a_csv_mapping_file_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "theirs,ours",
        "Document Number,id",
        "Created By,-",
        name="mapping.csv",
    )
    assert load_mapping(path).renames == {"Document Number": "id", "Created By": None}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Ship-To Country=destinaton", "did you mean destination"),
        ("A=id,B=id", "both mapped to 'id'"),
        ("Document Number", "THEIRS=OURS"),
    ],
)
def test_a_bad_mapping_is_refused_with_what_was_expected(
    runner: CliRunner, text: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_inline(text)
    assert words in str(caught.value)
    result = runner.invoke(app, ["check", str(SAP), "--columns", text])
    assert result.exit_code == 2
    assert words in result.output


def test_the_batch_path_reads_the_mapped_file_as_the_reader_does(
    tmp_path: Path,
) -> None:
    mapping = load_mapping(SAP_MAPPING)
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(SAP, Checker(Engine()), fast, mapping=mapping)
    engine = Engine()
    orders = read_orders(SAP, engine.catalog, mapping=mapping).orders
    slow = tmp_path / "slow.jsonl"
    write_decisions(Checker(engine).decide(orders), slow, "jsonl")
    assert fast.read_text().splitlines() == slow.read_text().splitlines()
    assert len(orders) == 12


def test_an_excel_workbook_is_checked_like_its_csv(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = write_sap_workbook(tmp_path / "gts.xlsx")
    from_excel = decided(runner, tmp_path, str(book), "--mapping", str(SAP_MAPPING))
    from_csv = decided(runner, tmp_path, str(SAP), "--mapping", str(SAP_MAPPING))
    assert from_excel == from_csv


def test_both_paths_read_an_excel_workbook_alike(tmp_path: Path) -> None:
    book = write_sap_workbook(tmp_path / "gts.xlsx")
    mapping = load_mapping(SAP_MAPPING)
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(book, Checker(Engine()), fast, mapping=mapping)
    engine = Engine()
    result = read_orders(book, engine.catalog, mapping=mapping)
    assert [o.line for o in result.orders][:2] == [2, 3]
    slow = tmp_path / "slow.jsonl"
    write_decisions(Checker(engine).decide(result.orders), slow, "jsonl")
    assert fast.read_text() == slow.read_text()


def test_a_bad_cell_in_a_workbook_names_its_sheet_row(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "bad.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    header = ["id", "date", "kind", "item", "quantity", "destination", "consignee"]
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, ["A1", "2025-06-01", "export", "NVIDIA H100 SXM5", 1, "DE"])
    sheet.write_row(2, 0, ["A2", "2025-06-01", "export", "NVIDIA H100 SXM5", 1, "XX"])
    book.close()
    (problem,) = problems(path)
    assert "bad.xlsx, line 3, field 'destination'" in problem


def test_a_share_formatted_as_a_percentage_is_read_as_the_percentage_shown(
    tmp_path: Path,
) -> None:
    """60 % typed into a cell formatted ``0%`` is stored as 0.6: it means 60."""
    import openpyxl

    path = tmp_path / "shares.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    # the header from column B and row 2 on: the used range, not A1, is the frame
    sheet.append([])
    header = "id date kind item quantity destination consignee consignee_parent"
    sheet.append(
        [None, *header.split(), "consignee_parent_hq", "consignee_parent_share"]
    )
    line = [None, "2025-06-01", "export", "NVIDIA H100 SXM5", 8, "DE", "Acme GmbH"]
    rows = [
        ("P1", 0.6, "0%"),
        ("P2", 0.125, "0.00%"),
        ("P3", 0.3333, '0.0"%"'),  # a % in quotes is text, not the % format
        ("P4", 45, "General"),
        ("P5", 1, "0%"),
    ]
    for order_id, share, number_format in rows:
        sheet.append([None, order_id, *line[1:], "Parent Co", "CN", share])
        sheet.cell(sheet.max_row, 11).number_format = number_format
    sheet.cell(3, 6).number_format = "0%"  # quantity 8 shown as 800 %
    book.save(path)
    orders = read_orders(path, default_catalog()).orders
    shares = {o.id: o.consignee.parent_share for o in orders}
    assert shares == {"P1": 60, "P2": 12.5, "P3": 0.3333, "P4": 45, "P5": 100}
    assert [o.quantity for o in orders] == [800, 8, 8, 8, 8]


def test_percentages_stay_in_their_cells_past_empty_rows_and_columns(
    tmp_path: Path,
) -> None:
    """An empty column or row dropped before the percentages were applied moved
    them: a quantity of 80 beside an unnamed empty column was read as 8000."""
    import openpyxl

    from chipgate.orders.sheets import read_sheet

    path = tmp_path / "gaps.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", None, "share", "qty"])
    sheet.append(["A", None, 0.5, 80])
    sheet.append([None, None, None, None])
    sheet.append(["B", None, 0.25, 10])
    for row in (2, 4):
        sheet.cell(row, 3).number_format = "0%"
    book.save(path)
    frame = read_sheet(path)
    assert frame.columns == ["id", "share", "qty"]
    assert frame.rows() == [("A", "50", "80"), ("B", "25", "10")]


def test_check_writes_a_decided_spreadsheet(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "decided.xlsx"
    result = runner.invoke(
        app, ["check", str(EXAMPLE), "--no-screening", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = pl.read_excel(out, engine="calamine")
    assert tuple(sheet.columns) == CSV_COLUMNS
    assert sheet.height == len(EXAMPLE.read_text().splitlines()) - 1
    assert set(sheet["outcome"]) == {
        "prohibited",
        "license_required",
        "authorized",
        "no_license_required",
    }


def test_an_output_suffix_that_contradicts_the_format_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "decided.xlsx"
    result = runner.invoke(
        app,
        [
            "check",
            str(EXAMPLE),
            "--no-screening",
            "--format",
            "csv",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert not out.exists()


MINIMAL = "id,date,kind,item,quantity,destination,consignee"


def test_a_file_with_only_the_columns_its_orders_need_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL,
        "M1,2025-06-01,export,NVIDIA H100 SXM5,10,DE,Acme GmbH",
        "M2,2025-06-01,reexport,NVIDIA H100 SXM5,10,CN,Acme Ltd",
    )
    orders = read_orders(path, default_catalog()).orders
    assert [o.id for o in orders] == ["M1", "M2"]
    assert orders[0].end_use == frozenset()
    assert orders[0].authorizations == ()
    assert orders[0].training_operations is None


def test_the_batch_path_reads_a_minimal_file_as_the_reader_does(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        MINIMAL,
        "M1,2025-06-01,export,NVIDIA H100 SXM5,10,DE,Acme GmbH",
        "M2,2025-06-01,export,NVIDIA H100 SXM5,10,CN,Acme Ltd",
    )
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(path, Checker(Engine()), fast)
    engine = Engine()
    slow = tmp_path / "slow.jsonl"
    orders = read_orders(path, engine.catalog).orders
    write_decisions(Checker(engine).decide(orders), slow, "jsonl")
    assert fast.read_text() == slow.read_text()


def test_a_kind_that_needs_a_missing_column_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,date,kind,item,quantity,destination,end_user",
        "K1,2025-06-01,use,NVIDIA H100 SXM5,1,DE,Acme GmbH",
        "K2,2025-06-01,export,NVIDIA H100 SXM5,1,DE,Acme GmbH",
    )
    (problem,) = problems(path)
    assert "line 3" in problem
    assert "field 'consignee'" in problem
    assert "which export orders need" in problem
    with pytest.raises(Fallback):
        check_to_jsonl(path, Checker(Engine()), tmp_path / "out.jsonl")


def test_model_weights_need_no_item_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,date,kind,quantity,destination,consignee,training_operations",
        "W1,2025-06-01,model_weights,1,AE,Falcon Labs,3e26",
    )
    (order,) = read_orders(path, default_catalog()).orders
    assert order.training_operations == 3e26


def test_a_misspelt_column_is_an_error_with_the_nearest_names(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        MINIMAL + ",end_usr",
        "M1,2025-06-01,export,NVIDIA H100 SXM5,10,DE,Acme GmbH,datacenter",
    )
    (problem,) = problems(path)
    assert "'end_usr' (did you mean end_user" in problem
    result = runner.invoke(app, ["check", str(path), "--no-screening"])
    assert result.exit_code == 2
    assert "did you mean end_user" in result.output


def test_a_mapped_column_that_meets_its_own_name_is_a_duplicate(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        MINIMAL + ",Ship-To",
        "M1,2025-06-01,export,NVIDIA H100 SXM5,10,DE,Acme GmbH,Other GmbH",
    )
    (problem,) = problems(path, mapping=parse_inline("Ship-To=consignee"))
    assert "duplicate column(s) consignee" in problem


def test_jsonl_keys_are_mapped_too(tmp_path: Path) -> None:
    line = json.dumps(
        {
            "Doc": "J1",
            "date": "2025-06-01",
            "kind": "export",
            "Material Description": "NVIDIA H100 SXM5",
            "quantity": 5,
            "destination": "DE",
            "Plant": "1000",
        }
    )
    path = write(tmp_path, line, name="orders.jsonl")
    mapping = parse_inline("Doc=id,Material Description=item,Plant=-")
    (order,) = read_orders(path, default_catalog(), mapping=mapping).orders
    assert (order.id, order.item) == ("J1", "NVIDIA H100 SXM5")
    assert any("did you mean" in p or "unknown field" in p for p in problems(path))
