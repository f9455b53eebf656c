"""Customer files: every format read the same, every bad row named by line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import polars as pl
import pytest
from openpyxl import Workbook

from chipgate.diligence.register import read_customers
from chipgate.errors import InputError

HEADER = "id,name,aliases,country,headquarters,parent,parent_headquarters,parent_share,owners,opened,declared_use"
ROWS = [
    {
        "id": "c1",
        "name": "Acme Cloud Ltd",
        "aliases": "Acme;ACME AI",
        "country": "sg",
        "headquarters": "SG",
        "parent": "Acme Holdings",
        "parent_headquarters": "MO",
        "parent_share": "60%",
        "owners": "Jane Doe; John Roe",
        "opened": "2026-01-02",
        "declared_use": "training;inference",
    },
    {"id": "c2", "name": "Only Name"},
]


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _check(customers: list) -> None:  # type: ignore[type-arg]
    first, second = customers
    assert first.aliases == ("Acme", "ACME AI")
    assert first.country == "SG"
    assert first.parent_share == 60.0
    assert first.owners == ("Jane Doe", "John Roe")
    assert first.opened == date(2026, 1, 2)
    assert first.declared_uses == {"training", "inference"}
    assert second.name == "Only Name"
    assert second.aliases == ()
    assert second.headquarters is None


def test_csv_jsonl_parquet_and_excel_read_alike(tmp_path: Path) -> None:
    lines = [HEADER] + [
        ",".join(str(r.get(c, "")) for c in HEADER.split(",")) for r in ROWS
    ]
    _check(read_customers(_csv(tmp_path / "c.csv", "\n".join(lines) + "\n")))
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_bytes(b"\n".join(orjson.dumps(r) for r in ROWS))
    _check(read_customers(jsonl))
    parquet = tmp_path / "c.parquet"
    pl.DataFrame(ROWS).write_parquet(parquet)
    _check(read_customers(parquet))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for r in ROWS:
        sheet.append([r.get(c) for c in HEADER.split(",")])
    book.save(tmp_path / "c.xlsx")
    _check(read_customers(tmp_path / "c.xlsx"))


def test_bad_rows_are_named_by_physical_line_and_field(tmp_path: Path) -> None:
    text = (
        "id,name,country,parent_share,opened\n"
        'a,"Two\nLines Ltd",XX,10,2026-01-01\n'  # line 2 (spans 2-3): bad country
        ",No Id,,,\n"  # line 4: id missing
        "c,Share,,150,\n"  # line 5: share above 100
        "d,Date,,,2026-13-01\n"  # line 6: bad date
        "a,Again,,,\n"  # line 7: duplicate id
    )
    with pytest.raises(InputError) as caught:
        read_customers(_csv(tmp_path / "bad.csv", text))
    where = {(p.line, p.field) for p in caught.value.problems}
    assert where == {
        (2, "country"),
        (4, "id"),
        (5, "parent_share"),
        (6, "opened"),
        (7, "id"),
    }
    assert all(p.source and p.source.endswith("bad.csv") for p in caught.value.problems)


def test_unknown_column_and_bad_json_lines(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_customers(_csv(tmp_path / "u.csv", "id,name,colour\na,b,red\n"))
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "colour")]
    jsonl = tmp_path / "j.jsonl"
    jsonl.write_text('{"id": "a", "name": "x"}\n{not json}\n[1]\n{"id": "b"}\n')
    with pytest.raises(InputError) as caught:
        read_customers(jsonl)
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (2, None),
        (3, None),
        (4, "name"),
    ]


def test_excel_rows_are_numbered_like_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "parent_share"])
    sheet.append(["a", "Fine", 10])
    sheet.append(["b", None, 10])
    sheet.append([3, "Numeric id", "lots"])
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(InputError) as caught:
        read_customers(tmp_path / "c.xlsx")
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (3, "name"),
        (4, "parent_share"),
    ]


def test_unsupported_type_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type"):
        read_customers(_csv(tmp_path / "c.txt", "id,name\n"))
    with pytest.raises(InputError, match="no customers"):
        read_customers(_csv(tmp_path / "c.csv", "id,name\n"))


def test_a_row_longer_than_the_header_is_a_problem_of_its_line(tmp_path: Path) -> None:
    # read leniently, "c2,Acme, Inc." registered "Acme" and dropped " Inc."
    text = "id,name\nc1,Fine\nc2,Acme, Inc.\nc3,Trailing comma,\n"
    with pytest.raises(InputError) as caught:
        read_customers(_csv(tmp_path / "c.csv", text))
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "3 cells where the header has 2" in problem.message


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        # an unterminated quote ran the rows after it into one name
        (b'id,name\nc1,"Acme\nc2,Beta\n', 3, "malformed CSV"),
        (b"id,name\nc1,Fine\nc2,Caf\xe9 Ltd\n", 3, "not UTF-8 text"),
    ],
)
def test_a_broken_csv_names_its_line(
    tmp_path: Path, data: bytes, line: int, message: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_customers(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.source) == (line, str(path))
    assert message in problem.message


def test_declared_uses_are_words_of_the_end_use_vocabulary(tmp_path: Path) -> None:
    # "military intelligence" was stored as written and never met the nexus
    # word the rules look for: training for it raised no TRAIN.NEXUS flag
    text = (
        "id,name,declared_use\n"
        "a,Spelled Out,training; Military intelligence\n"
        "b,Long Form,weapons of mass destruction;Training\n"
        "c,Unknown,training;bombs\n"
    )
    with pytest.raises(InputError) as caught:
        read_customers(_csv(tmp_path / "c.csv", text))
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (4, "declared_use")
    assert "'bombs' is not a declared-use word" in problem.message
    assert "military-intelligence, wmd" in problem.message
    first, second = read_customers(
        _csv(tmp_path / "c.csv", "\n".join(text.splitlines()[:3]) + "\n")
    )
    assert first.declared_uses == {"training", "military-intelligence"}
    assert second.declared_use == "wmd;training"


def test_an_excel_share_formatted_as_a_percentage_is_the_percent_shown(
    tmp_path: Path,
) -> None:
    # Excel stores a cell showing 75% as 0.75: it was read as a share of 0.75 %,
    # a parent far below the 50 % of the headquarters rule
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "parent", "parent_headquarters", "parent_share"])
    sheet.append(["a", "Shown As Percent", "P", "CN", 0.75])
    sheet["E2"].number_format = "0%"
    sheet.append(["b", "Two Decimals", "P", "CN", 0.7])
    sheet["E3"].number_format = "0.00%"
    sheet.append(["c", "Plain Number", "P", "CN", 60])
    sheet.append(["d", "Quoted Percent Sign", "P", "CN", 75])
    sheet["E5"].number_format = '0"%"'  # shows "75%" and means 75: text, no format
    book.save(tmp_path / "c.xlsx")
    shares = [c.parent_share for c in read_customers(tmp_path / "c.xlsx")]
    assert shares == [75.0, 70.0, 60.0, 75.0]


def test_a_customer_file_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    # the last "headquarters" was read and the first dropped unseen
    text = "id,name,headquarters,headquarters\na,Twice,CN,SG\n"
    with pytest.raises(InputError) as caught:
        read_customers(_csv(tmp_path / "c.csv", text))
    (problem,) = caught.value.problems
    assert problem.line == 1
    assert "duplicate column(s) headquarters" in problem.message
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "headquarters", "headquarters"])
    sheet.append(["a", "Twice", "CN", "SG"])
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(InputError, match="duplicate column"):
        read_customers(tmp_path / "c.xlsx")
