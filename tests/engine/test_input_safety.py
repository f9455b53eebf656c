"""Defects an outside audit found on the input side, each held by a test.

One validation for both reading paths, no non-finite number written, limits on names,
JSONL fields checked on every line, exit 2 (never a traceback) for hostile inputs,
and outputs that cannot destroy an input or run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from chipgate.book.batch import Fallback, check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.cli.app import app
from chipgate.decide.engine import Engine
from chipgate.errors import InputError
from chipgate.ledger import Ledger
from chipgate.limits import PARTY_NAME_MAX
from chipgate.orders.reader import read_orders
from chipgate.outputs import spreadsheet_safe
from chipgate.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders.csv"
LINES = EXAMPLE.read_text(encoding="utf-8").splitlines()
HEADER = LINES[0]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Engine())


def _book(tmp_path: Path, *rows: str, name: str = "book.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _cells(line: str) -> list[str]:
    return next(csv.reader([line]))


def _row(line: str, **changes: str) -> str:
    header = HEADER.split(",")
    cells = _cells(line)
    for key, value in changes.items():
        cells[header.index(key)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()[:-1]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--no-screening"], env={"COLUMNS": "2000"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, " ".join(result.output.split())


def _both_paths(book: Path, tmp_path: Path) -> list[tuple[int, str]]:
    """``check`` through the ordinary reader (CSV out) and the column-wise path."""
    return [
        _run("check", str(book), "--format", "csv"),
        _run(
            "check",
            str(book),
            "--format",
            "jsonl",
            "--output",
            str(tmp_path / "o.jsonl"),
        ),
    ]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda line: ",".join(line.split(",")[:6]),  # a short row
        lambda line: line[: len(line) // 2],  # a row cut in the middle
        lambda line: line.replace(",", ",\n", 5).replace(",\n", ",", 4),  # split
    ],
    ids=["short", "truncated", "split"],
)
def test_both_paths_refuse_short_cut_and_split_rows(
    tmp_path: Path, checker: Checker, mutate: object
) -> None:
    book = _book(tmp_path, LINES[1], mutate(LINES[2]))  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        read_orders(book, checker.engine.catalog)
    assert caught.value.problems[0].line == 3
    assert "cells where the header has" in str(caught.value)
    with pytest.raises(Fallback):
        check_to_jsonl(book, checker, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "1e400"])
def test_no_non_finite_figure_is_accepted_or_written(
    tmp_path: Path, checker: Checker, value: str
) -> None:
    row = _row(LINES[1], item="", tpp=value, die_area_mm2="800", datacenter="true")
    book = _book(tmp_path, row)
    with pytest.raises(InputError, match="finite number") as caught:
        read_orders(book, checker.engine.catalog)
    assert caught.value.problems[0].field == "tpp"
    with pytest.raises(Fallback):
        check_to_jsonl(book, checker, tmp_path / "out.jsonl")


def test_huge_figures_times_quantity_stay_finite(
    tmp_path: Path, checker: Checker
) -> None:
    row = _row(
        LINES[1],
        item="",
        tpp="1e40",
        die_area_mm2="800",
        datacenter="true",
        quantity="1000000000000",
    )
    out = tmp_path / "out.jsonl"
    check_to_jsonl(_book(tmp_path, row), checker, out)
    text = out.read_text()
    assert "inf" not in text.lower()
    assert json.loads(text)["tpp"] == pytest.approx(1e52)


@pytest.mark.parametrize("column", ["consignee", "end_user"])
def test_party_names_have_a_length_limit(
    tmp_path: Path, checker: Checker, column: str
) -> None:
    book = _book(tmp_path, _row(LINES[1], **{column: "A" * 100_000}))
    with pytest.raises(InputError, match=f"more than the {PARTY_NAME_MAX}") as caught:
        read_orders(book, checker.engine.catalog)
    assert caught.value.problems[0].field == column
    with pytest.raises(Fallback):
        check_to_jsonl(book, checker, tmp_path / "out.jsonl")


def test_jsonl_fields_are_checked_on_every_line(
    tmp_path: Path, checker: Checker
) -> None:
    header = HEADER.split(",")
    records = [dict(zip(header, _cells(line), strict=True)) for line in LINES[1:4]]
    records[2]["colour"] = "red"
    book = tmp_path / "book.jsonl"
    book.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with pytest.raises(InputError, match="unknown field") as caught:
        read_orders(book, checker.engine.catalog)
    assert (caught.value.problems[0].line, caught.value.problems[0].field) == (
        3,
        "colour",
    )


@pytest.mark.parametrize(
    "quantity", [str(2**64), str(2**63), "9" * 400, "1_000", "--5", "+-5", "-+5", "5-"]
)
def test_giant_or_odd_quantities_exit_2(tmp_path: Path, quantity: str) -> None:
    book = _book(tmp_path, _row(LINES[1], quantity=quantity))
    for code, output in _both_paths(book, tmp_path):
        assert code == 2, output
        assert "line 2, field 'quantity'" in output


@pytest.mark.parametrize("quantity", ["--5", "+-5"])
def test_a_quantity_with_two_signs_is_a_bad_line_keep_going_passes(
    tmp_path: Path, quantity: str
) -> None:
    book = _book(tmp_path, _row(LINES[1], quantity=quantity), LINES[2])
    code, output = _run("check", str(book), "--format", "csv", "--keep-going")
    assert code == 1, output
    assert "line 2, field 'quantity'" in output
    assert f"'{quantity}' is not a whole number above zero" in output
    assert "1 bad line(s) left out" in output
    assert _cells(LINES[2])[0] in output


EARLY = "no regime is modelled for 2021-06-02; the earliest, ac-2022, starts 2022-10-07"


def _folder_with_a_bad_line(tmp_path: Path) -> Path:
    """A folder book whose ``p0.csv`` holds a good line and a bad quantity."""
    folder = tmp_path / "books"
    folder.mkdir()
    _book(folder, LINES[1], _row(LINES[2], quantity="x"), name="p0.csv")
    return folder


@pytest.mark.parametrize("executor", ["dask", "local"])
def test_keep_going_on_a_partitioned_check_decides_the_good_lines_and_exits_1(
    tmp_path: Path, executor: str
) -> None:
    # the flag was refused (exit 2, nothing decided) on a folder book or with dask:
    # the bad line is named and left out, the good ones decided, as for one file
    folder = _folder_with_a_bad_line(tmp_path)
    _book(folder, LINES[3], name="p1.csv")
    book = folder if executor == "local" else folder / "p0.csv"
    out = tmp_path / "out"
    args = ["check", str(book), "--keep-going", "--executor", executor]
    code, output = _run(*args, "--output", str(out))
    assert code == 1, output
    assert f"bad line: {folder / 'p0.csv'}, line 3, field 'quantity'" in output
    assert "1 bad line(s) left out" in output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["source"] for p in manifest["left_out"]] == [str(folder / "p0.csv")]
    decided = [
        json.loads(line)["id"]
        for part in manifest["parts"]
        for line in (out / part["file"]).read_text(encoding="utf-8").splitlines()
    ]
    kept = [_cells(LINES[1])[0]] + ([_cells(LINES[3])[0]] if book == folder else [])
    assert decided == kept


def test_a_bad_line_is_printed_unbroken_in_a_narrow_log(tmp_path: Path) -> None:
    # a bad line was folded at the console's width (80 in a captured log), so a
    # path copied from the log carried an inserted line break
    deep = tmp_path / ("a-long-folder-name" * 4)
    deep.mkdir()
    folder = _folder_with_a_bad_line(deep)
    out = tmp_path / "out"
    args = [
        "check",
        str(folder),
        "--keep-going",
        "--no-screening",
        "--output",
        str(out),
    ]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "40"})
    assert result.exit_code == 1, result.output
    line = f"bad line: {folder / 'p0.csv'}, line 3, field 'quantity': 'x' is not"
    assert any(line in text for text in result.output.splitlines()), result.output


def _decided_lines(out: Path) -> list[bytes]:
    """The lines of the dataset ``out``, part after part."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [
        line
        for part in manifest["parts"]
        for line in (out / part["file"]).read_bytes().splitlines()
    ]


@pytest.mark.parametrize(
    ("committed", "new"),
    [
        # the G42 order drawing on the LPP account of the UAE deal (balances)
        (21, {"id": "NEW-1", "date": "2025-07-11", "quantity": "120"}),
        # the license of 200 H100 (the license's use in the order's facts)
        (50, {"id": "NEW-2", "date": "2026-11-24", "quantity": "160"}),
    ],
    ids=["lpp", "license"],
)
def test_keep_going_on_files_keeps_the_draw_of_a_committed_line_now_bad(
    tmp_path: Path, committed: int, new: dict[str, str]
) -> None:
    # the example book committed, then checked again with a committed order's line
    # now bad and a new order drawing on the same account: the left-out order is
    # not decided again, so its committed draw stays in the balances. On files the
    # draws of every id of the book were taken out, bad lines included, and the
    # new order was authorized where one file with the same lines refuses it
    licenses = EXAMPLE.with_name("licenses.csv")
    imported = CliRunner().invoke(app, ["license", "import", str(licenses)])
    assert imported.exit_code == 0, imported.output
    flags = ["--regime", "aid-2025"] if committed == 21 else []
    code, output = _run(
        "check", str(EXAMPLE), *flags, "--commit", "--output", str(tmp_path / "c.csv")
    )
    assert code == 0, output
    bad = _row(LINES[committed], quantity="lots")
    again = _row(LINES[committed], **new)
    one = _book(tmp_path, bad, again)
    folder = tmp_path / "books"
    folder.mkdir()
    _book(folder, bad, name="a.csv")
    _book(folder, again, name="b.csv")
    single = tmp_path / "one.jsonl"
    code, output = _run(
        "check", str(one), *flags, "--keep-going", "--output", str(single)
    )
    assert code == 1, output
    assert json.loads(single.read_bytes())["outcome"] == "license_required"
    out = tmp_path / "out"
    code, output = _run(
        "check", str(folder), *flags, "--keep-going", "--output", str(out)
    )
    assert code == 1, output
    assert f"bad line: {folder / 'a.csv'}, line 2, field 'quantity'" in output
    assert _decided_lines(out) == single.read_bytes().splitlines()


@pytest.mark.parametrize("commit", [False, True])
def test_keep_going_still_refuses_a_partition_file_as_a_whole(
    tmp_path: Path, commit: bool
) -> None:
    # a file the reader cannot take (here a missing column) is no bad line: the
    # run exits 2, writes nothing and commits nothing, as the single-file path does.
    # The good line draws (ORD-021 on the UAE deal's LPP account under the AI
    # Diffusion rule): committed, it would leave its draw on the ledger
    folder = tmp_path / "books"
    folder.mkdir()
    _book(folder, LINES[21], _row(LINES[2], quantity="x"), name="p0.csv")
    (folder / "p1.csv").write_text("id,date\nX-1,2025-06-02\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["check", str(folder), "--regime", "aid-2025", "--keep-going"]
    flags = ["--commit"] if commit else []
    code, output = _run(*args, *flags, "--output", str(out))
    assert code == 2, output
    assert "p1.csv" in output
    assert not out.exists()
    assert not list(tmp_path.glob(".out.partial-*"))
    with Ledger.open(Settings()) as ledger:
        assert not ledger.holds_draws()
        assert not ledger.order_records(["ORD-021"])
    if commit:
        # the same run without the broken file commits the order and its draw
        (folder / "p1.csv").unlink()
        code, output = _run(*args, *flags, "--output", str(out))
        assert code == 1, output
        with Ledger.open(Settings()) as ledger:
            assert ledger.holds_draws()
            assert list(ledger.order_records(["ORD-021"])) == ["ORD-021"]


def test_a_date_before_every_regime_is_a_bad_line_on_both_paths(
    tmp_path: Path,
) -> None:
    book = _book(tmp_path, _row(LINES[1], date="2021-06-02"), LINES[2])
    for code, output in _both_paths(book, tmp_path):
        assert code == 2, output
        assert f"book.csv, line 2, field 'date': {EARLY}" in output
    code, output = _run("check", str(book), "--format", "csv", "--keep-going")
    assert code == 1, output
    assert "line 2, field 'date'" in output
    assert "1 bad line(s) left out" in output
    assert _cells(LINES[2])[0] in output


@pytest.mark.parametrize("day", ["2025-W23-1", "20250601", "2025W01"])
def test_a_date_in_another_iso_form_is_refused_on_both_paths(
    tmp_path: Path, day: str
) -> None:
    book = _book(tmp_path, LINES[1], _row(LINES[2], date=day))
    for code, output in _both_paths(book, tmp_path):
        assert code == 2, output
        assert (
            f"line 3, field 'date': '{day}' is not a real date (YYYY-MM-DD)" in output
        )


@pytest.mark.parametrize("law", [["--regime", "ac-2023"], ["--as-of", "2025-06-02"]])
def test_a_forced_law_decides_a_date_before_every_regime(
    tmp_path: Path, law: list[str]
) -> None:
    book = _book(tmp_path, _row(LINES[1], date="2021-06-02"))
    code, output = _run("check", str(book), "--format", "csv", *law)
    assert code == 0, output
    assert "2021-06-02" in output or "2025-06-02" in output


def test_invalid_utf8_exits_2_naming_the_line(tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_bytes(
        (HEADER + "\n" + LINES[1] + "\n").encode()
        + LINES[2].encode().replace(b"Shenzhen", b"Shen\xffzhen", 1)
        + b"\n"
    )
    for code, output in _both_paths(book, tmp_path):
        assert code == 2, output
        assert "line 3" in output
        assert "UTF-8" in output


def test_markup_in_echoed_text_is_printed_not_parsed(tmp_path: Path) -> None:
    folder = tmp_path / "[" / "x]"
    folder.mkdir(parents=True)
    book = _book(folder, _row(LINES[1], id="[/x]", quantity="[/bold]"))
    code, output = _run("check", str(book), "--format", "csv")
    assert code == 2, output
    assert "[/bold]" in output
    assert "[/x]" in output
    good = _book(folder, _row(LINES[1], id="[/x][bold]id"), name="good.csv")
    code, output = _run("check", str(good), "--format", "table")
    assert code == 0, output
    assert "[/x][bold]id" in output


def test_parquet_timestamp_and_list_columns_exit_2(tmp_path: Path) -> None:
    frame = pl.read_csv(EXAMPLE, infer_schema=False).head(3)
    stamped = frame.with_columns(pl.lit(datetime(2024, 2, 10, 12, 0)).alias("date"))
    listed = frame.with_columns(pl.lit(["datacenter"]).alias("end_use"))
    for name, bad, field in (
        ("stamped", stamped, "date"),
        ("listed", listed, "end_use"),
    ):
        path = tmp_path / f"{name}.parquet"
        bad.write_parquet(path)
        for code, output in _both_paths(path, tmp_path):
            assert code == 2, output
            assert f"field '{field}'" in output
    dated = frame.with_columns(pl.lit(date(2024, 2, 10)).alias("date"))
    dated.write_parquet(tmp_path / "dated.parquet")
    code, output = _run("check", str(tmp_path / "dated.parquet"), "--format", "csv")
    assert code == 0, output


def test_output_equal_to_the_input_is_refused_and_the_input_kept(
    tmp_path: Path,
) -> None:
    book = _book(tmp_path, LINES[1])
    before = book.read_bytes()
    for fmt in ("jsonl", "csv", "table"):
        code, output = _run("check", str(book), "--format", fmt, "--output", str(book))
        assert code == 2, output
        assert "would lose the input" in output
    assert book.read_bytes() == before


def test_output_naming_a_folder_a_fifo_or_a_symlink_is_refused(tmp_path: Path) -> None:
    book = _book(tmp_path, LINES[1])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = tmp_path / "target.jsonl"
    target.write_text("keep\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    for output, why in (
        (tmp_path, "is a folder"),
        (fifo, "not a regular file"),
        (link, "symbolic link"),
    ):
        for fmt in ("jsonl", "csv"):
            code, text = _run(
                "check", str(book), "--format", fmt, "--output", str(output)
            )
            assert code == 2, text
            assert why in text
    assert link.is_symlink()
    assert target.read_text() == "keep\n"


def test_csv_output_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        _row(LINES[1], id='=HYPERLINK("http://x")'),
        _row(LINES[2], id="@SUM(1)"),
    )
    out = tmp_path / "out.csv"
    code, output = _run("check", str(book), "--format", "csv", "--output", str(out))
    assert code == 0, output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ['\'=HYPERLINK("http://x")', "'@SUM(1)"]
    assert rows[0]["quantity"] == "256"
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(-2.5) == -2.5
    assert spreadsheet_safe("-cmd") == "'-cmd"
    assert spreadsheet_safe("+1") == "'+1"


def test_xml_entity_declarations_in_a_list_exit_2(tmp_path: Path) -> None:
    import shutil

    from tests.screening.conftest import FIXTURE_LISTS

    folder = tmp_path / "lists"
    shutil.copytree(FIXTURE_LISTS, folder)
    xml = folder / "un" / "consolidated.xml"
    text = xml.read_text(encoding="utf-8")
    cut = text.index("?>") + 2 if "?>" in text else 0
    xml.write_text(
        text[:cut] + '<!DOCTYPE x [<!ENTITY a "b">]>' + text[cut:], encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["lists", "update", "--from", str(folder)], env={"COLUMNS": "2000"}
    )
    assert result.exit_code == 2, result.output
    assert "un/consolidated.xml" in " ".join(result.output.split())
    assert "EntitiesForbidden" in " ".join(result.output.split())


def test_a_license_file_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    source = EXAMPLE.parent / "licenses.csv"
    lines = source.read_bytes().splitlines(keepends=True)
    bad = tmp_path / "licenses.csv"
    bad.write_bytes(lines[0] + lines[1] + b"X\xff," + lines[1][3:])
    result = CliRunner().invoke(
        app, ["license", "import", str(bad)], env={"COLUMNS": "2000"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2, result.output
    assert "licenses.csv, line 3: not UTF-8" in " ".join(result.output.split())


def test_a_license_file_with_an_unterminated_quote_exits_2(tmp_path: Path) -> None:
    # read leniently, the rows after the quote ran into one cell
    source = EXAMPLE.parent / "licenses.csv"
    lines = source.read_bytes().splitlines(keepends=True)
    bad = tmp_path / "licenses.csv"
    bad.write_bytes(lines[0] + lines[1] + b'"' + lines[1] + lines[1])
    result = CliRunner().invoke(
        app, ["license", "import", str(bad)], env={"COLUMNS": "2000"}
    )
    assert result.exit_code == 2, result.output
    assert "malformed CSV" in " ".join(result.output.split())


def test_a_mapping_file_that_is_not_csv_or_utf8_names_its_line(
    tmp_path: Path,
) -> None:
    from chipgate.orders.mapping import load_mapping

    quoted = tmp_path / "quoted.csv"
    quoted.write_text('theirs,ours\nQty,quantity\n"Ship to" x,destination\n')
    with pytest.raises(InputError, match="malformed CSV") as caught:
        load_mapping(quoted)
    assert caught.value.problems[0].line == 3
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"theirs,ours\nQty,quantity\nPa\xefs,destination\n")
    with pytest.raises(InputError, match="not UTF-8") as caught:
        load_mapping(latin)
    assert caught.value.problems[0].line == 3


def test_a_fifo_as_the_book_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "book.csv"
    os.mkfifo(fifo)
    for code, output in _both_paths(fifo, tmp_path):
        assert code == 2, output
        assert "not a regular file" in output


def test_screening_refuses_over_long_names(tmp_path: Path) -> None:
    from tests.screening.conftest import FIXTURE_LISTS

    env = {"COLUMNS": "2000", "CHIPGATE_LISTS_DIR": str(FIXTURE_LISTS)}
    one = CliRunner().invoke(app, ["screen", "N" * 100_000], env=env)
    assert one.exit_code == 2, one.output
    assert "more than the 500 allowed" in " ".join(one.output.split())
    parties = tmp_path / "parties.csv"
    parties.write_text("name\nAcme\n" + "N" * 5_000 + "\n", encoding="utf-8")
    batch = CliRunner().invoke(app, ["screen", str(parties)], env=env)
    assert batch.exit_code == 2, batch.output
    assert "parties.csv, line 3, field 'name'" in " ".join(batch.output.split())


def test_a_stray_quote_is_refused_by_both_paths(
    tmp_path: Path, checker: Checker
) -> None:
    book = _book(tmp_path, LINES[1].replace("Nordlicht", '"Nord"licht', 1))
    with pytest.raises(InputError, match="malformed CSV"):
        read_orders(book, checker.engine.catalog)
    with pytest.raises(Fallback):
        check_to_jsonl(book, checker, tmp_path / "out.jsonl")


def test_a_quoted_newline_reads_the_same_on_both_paths(
    tmp_path: Path, checker: Checker
) -> None:
    row = _row(LINES[1], consignee="Nordlicht\nRechenzentrum GmbH")
    book = _book(tmp_path, row, *LINES[2:6])
    fast = tmp_path / "fast.jsonl"
    check_to_jsonl(book, checker, fast)  # no fallback
    slow = tmp_path / "slow.jsonl"
    orders = read_orders(book, checker.engine.catalog).orders
    assert orders[0].consignee.name == "Nordlicht\nRechenzentrum GmbH"
    from chipgate.book.writer import write_decisions

    write_decisions(checker.decide(orders), slow, "jsonl")
    assert fast.read_text() == slow.read_text()


def test_ids_are_trimmed_alike_on_both_paths(tmp_path: Path, checker: Checker) -> None:
    book = _book(tmp_path, _row(LINES[1], id="\x1cORD-1 "), LINES[2])
    assert read_orders(book, checker.engine.catalog).orders[0].id == "ORD-1"
    with pytest.raises(Fallback):
        check_to_jsonl(book, checker, tmp_path / "out.jsonl")
