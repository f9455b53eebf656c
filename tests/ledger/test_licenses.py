"""Importing licenses and drawing on them; bad license files write nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from ledger_helpers import assert_refused, draw, request

from chipgate.errors import InputError
from chipgate.ledger import CommitStatus, Ledger

HEADER = (
    "number,items,quantity,value_usd,tpp,destination,consignee,"
    "valid_from,expires,conditions\n"
)


def _csv(tmp_path: Path, *lines: str, name: str = "licenses.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_csv_license_is_imported_and_exposed_as_facts(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        'D123456,H100;H200,500,"2,000,000",,ae,G42,2025-01-01,2027-01-01,no re-export',
    )
    assert ledger.import_licenses(path, "officer") == 1
    facts = ledger.get("D123456")
    assert facts is not None
    assert facts.items == ("H100", "H200")
    assert (facts.quantity, facts.value_usd, facts.tpp) == (500, 2_000_000.0, None)
    assert facts.destination == "AE"
    assert facts.expires == date(2027, 1, 1)
    assert ledger.get("D999999") is None
    [entry] = list(ledger.export())
    assert entry["kind"] == "license.imported"


def test_shipments_deplete_a_license_in_units_and_value(
    ledger: Ledger, tmp_path: Path
) -> None:
    ledger.import_licenses(_csv(tmp_path, "D123456,,500,1000000,,AE,G42,,,"), "officer")
    shipment = request(
        "s1",
        draw("license/D123456", 300, None, unit="units", kind="license"),
        draw("license/D123456", 600_000, None, unit="usd", kind="license"),
    )
    assert ledger.commit_batch([shipment])[0].committed
    facts = ledger.get("D123456")
    assert facts is not None
    assert (facts.quantity_used, facts.value_used) == (300, 600_000.0)
    # the imported quantity binds even when the draw states no limit
    second = request(
        "s2", draw("license/D123456", 201, None, unit="units", kind="license")
    )
    result = ledger.commit_batch([second])[0]
    assert result.status is CommitStatus.REFUSED
    assert result.refusal is not None
    assert (result.refusal.limit, result.refusal.used) == (500.0, 300.0)
    assert [f.number for f in ledger.licenses()] == ["D123456"]


def test_jsonl_licenses_are_imported(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "licenses.jsonl"
    rows = [
        {"number": "D1000001", "items": ["4A090.a"], "tpp": 1e7, "destination": "SA"},
        {"number": "D1000002", "quantity": 10, "consignee": "Humain"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert ledger.import_licenses(path, "officer") == 2
    facts = ledger.get("D1000001")
    assert facts is not None
    assert (facts.items, facts.tpp) == (("4A090.a",), 1e7)


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("D12 3456,,5,,,AE,,,,", "number", "got 'D12 3456'"),
        (",,5,,,AE,,,,", "number", "required"),
        ("D123456,,-5,,,AE,,,,", "quantity", ">= 0"),
        ("D123456,,five,,,AE,,,,", "quantity", "expected a number"),
        ("D123456,,2.5,,,AE,,,,", "quantity", "whole number"),
        # a comma is a thousands separator only between groups of three digits: a
        # decimal comma was read as one (12500000,50 as USD 1,250,000,050; 1,5 as 15)
        ('D123456,,5,"12500000,50",,AE,,,,', "value_usd", "groups of three"),
        ('D123456,,"1,5",,,AE,,,,', "quantity", "groups of three"),
        ('D123456,,"1,00,0",,,AE,,,,', "quantity", "groups of three"),
        ('D123456,,"1,000,",,,AE,,,,', "quantity", "groups of three"),
        ("D123456,,1_000,,,AE,,,,", "quantity", "groups of three"),
        ("D123456,,\u0663\u0660\u0660,,,AE,,,,", "quantity", "groups of three"),
        ("D123456,,5,1e6,,AE,,,,", "value_usd", "groups of three"),
        ("D123456,,5,1000.505,,AE,,,,", "value_usd", "to the cent"),
        ("D123456,,5,10000000000000,,AE,,,,", "value_usd", "to the cent"),
        ("D123456,,,,,AE,,,,", "quantity", "at least one"),
        ("D123456,,5,,,XX,,,,", "destination", "ISO 3166"),
        ("D123456,,5,,,AE,,2025-13-01,,", "valid_from", "YYYY-MM-DD"),
        ("D123456,,5,,,AE,,20250601,,", "valid_from", "YYYY-MM-DD"),
        ("D123456,,5,,,AE,,2025-06-01,2026-W23-1,", "expires", "YYYY-MM-DD"),
        ("D123456,,5,,,AE,,2025-06-01,2025-01-01,", "expires", "before valid_from"),
    ],
)
def test_a_bad_line_names_file_line_and_field_and_writes_nothing(
    ledger: Ledger, tmp_path: Path, line: str, field: str, message: str
) -> None:
    path = _csv(tmp_path, "D000001,,1,,,AE,,,,", line)
    assert_refused(ledger, path, 3, field, message)


def test_a_license_value_is_drawn_to_the_cent(ledger: Ledger, tmp_path: Path) -> None:
    # in floats 3 x 2,000,000.10 passed 6,000,000.30: the third was refused
    ledger.import_licenses(_csv(tmp_path, "D900001,,,6000000.30,,AE,,,,"), "officer")
    usd = "license/D900001"
    for n in (1, 2, 3):
        order = request(
            f"u{n}", draw(usd, 2_000_000.1, None, unit="usd", kind="license")
        )
        assert ledger.commit_batch([order])[0].committed, n
    facts = ledger.get("D900001")
    assert facts is not None
    assert facts.value_used == 6_000_000.3
    [balance] = [b for b in ledger.balances() if b.unit == "usd"]
    assert balance.remaining == 0.0
    cent = request("u4", draw(usd, 0.01, None, unit="usd", kind="license"))
    assert ledger.commit_batch([cent])[0].status is CommitStatus.REFUSED
    ledger.release("u2", "cancelled", "officer")
    facts = ledger.get("D900001")
    assert facts is not None
    assert facts.value_used == 4_000_000.2


PARTY = "VN,Saigon Cloud Services JSC,VN,Saigon Cloud Services JSC,VN,datacenter"


def _dollar_book(
    tmp_path: Path, licence: str, limit: str, values: tuple[str, ...]
) -> tuple[Path, Path]:
    """A license of ``limit`` dollars and a book of one order per value on it."""
    lic = tmp_path / "lic.csv"
    lic.write_text(
        HEADER + f"{licence},NVIDIA H100 SXM5,300,{limit},,VN,"
        "Saigon Cloud Services JSC,2026-01-01,2026-12-31,x\n",
        encoding="utf-8",
    )
    book = tmp_path / "book.csv"
    book.write_text(
        "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
        "end_user_hq,end_use,authorizations,value_usd\n"
        + "".join(
            f"F-{n},2026-03-0{n},export,NVIDIA H100 SXM5,10,{PARTY},"
            f"LICENSE:{licence},{value}\n"
            for n, value in enumerate(values, start=1)
        ),
        encoding="utf-8",
    )
    return lic, book


def test_the_engine_lets_an_order_take_the_exact_value_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from chipgate.cli.app import app

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    lic, book = _dollar_book(tmp_path, "D9000001", "6000000.30", ("2000000.10",) * 3)
    runner = CliRunner()
    assert runner.invoke(app, ["license", "import", str(lic)]).exit_code == 0
    result = runner.invoke(
        app, ["check", str(book), "--commit", "--format", "json", "--no-screening"]
    )
    assert result.exit_code == 0, result.output
    decided = json.loads(result.stdout)
    assert [d["outcome"] for d in decided] == ["authorized"] * 3
    over = tmp_path / "over.csv"
    over.write_text(
        book.read_text(encoding="utf-8").splitlines()[0]
        + f"\nF-4,2026-03-04,export,NVIDIA H100 SXM5,1,{PARTY},LICENSE:D9000001,0.01\n",
        encoding="utf-8",
    )
    refused = runner.invoke(
        app, ["check", str(over), "--format", "json", "--no-screening"]
    )
    assert "only USD 0.00 left" in refused.stdout


def test_numbers_with_thousands_separators_are_read_as_written(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = _csv(tmp_path, 'D123456,,"1,000","6,000,000.50"," 2,500 ",AE,,,,')
    assert ledger.import_licenses(path, "officer") == 1
    facts = ledger.get("D123456")
    assert facts is not None
    assert (facts.quantity, facts.value_usd, facts.tpp) == (1000, 6_000_000.5, 2500.0)


def test_a_line_cut_short_is_refused_not_imported_without_its_expiry(
    ledger: Ledger, tmp_path: Path
) -> None:
    # csv fills the missing cells with None: the license never expired
    path = _csv(
        tmp_path, "D000001,,1,,,AE,,,,", "D555555,H100,100,3000000,,VN,X,2026-01-01"
    )
    with pytest.raises(InputError) as info:
        ledger.import_licenses(path, "officer")
    [problem] = info.value.problems
    assert (problem.source, problem.line, problem.field) == (str(path), 3, "expires")
    assert "stops after 8 of the header's 10 columns" in problem.message
    assert "expires, conditions" in problem.message
    assert ledger.licenses() == []


def test_duplicate_numbers_in_the_file_or_the_store_are_refused(
    ledger: Ledger, tmp_path: Path
) -> None:
    dup = _csv(
        tmp_path, "D000001,,1,,,AE,,,,", "D000002,,1,,,AE,,,,", "D000001,,2,,,AE,,,,"
    )
    with pytest.raises(InputError) as info:
        ledger.import_licenses(dup, "officer")
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "number")]
    assert ledger.licenses() == []
    ledger.import_licenses(
        _csv(tmp_path, "D000001,,1,,,AE,,,,", name="first.csv"), "officer"
    )
    again = _csv(
        tmp_path, "D000003,,1,,,AE,,,,", "D000001,,1,,,AE,,,,", name="again.csv"
    )
    with pytest.raises(InputError, match="already imported") as info:
        ledger.import_licenses(again, "officer")
    assert info.value.problems[0].line == 3
    assert [f.number for f in ledger.licenses()] == ["D000001"]


def test_unknown_columns_and_formats_are_refused(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    path.write_text("number,quantity,colour\nD000001,5,red\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown field"):
        ledger.import_licenses(path, "officer")
    sheet = tmp_path / "l.xlsx"
    sheet.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"expected \.csv or \.jsonl"):
        ledger.import_licenses(sheet, "officer")


def test_compute_base_of_a_uveu_holder_is_recorded_by_date(ledger: Ledger) -> None:
    ledger.report_base("Azure", 1e9, date(2025, 3, 1), "officer")
    ledger.report_base("Azure", 2e9, date(2025, 9, 1), "officer")
    early = ledger.compute_base("Azure", date(2025, 6, 30))
    assert early is not None
    assert early.tpp == 1e9
    latest = ledger.compute_base("Azure")
    assert latest is not None
    assert latest.tpp == 2e9
    assert ledger.compute_base("Azure", date(2024, 1, 1)) is None
    with pytest.raises(InputError, match="TPP"):
        ledger.report_base("Azure", -1.0, date(2025, 9, 1), "officer")


def test_a_book_adds_its_own_dollar_draws_as_the_ledger_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # within one run, 0.10 + 0.20 drawn were 0.30000000000000004 in floats,
    # so a third order for the 0.30 left was refused before any commit
    from typer.testing import CliRunner

    from chipgate.cli.app import app

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    lic, book = _dollar_book(tmp_path, "D9000002", "0.60", ("0.10", "0.20", "0.30"))
    runner = CliRunner()
    assert runner.invoke(app, ["license", "import", str(lic)]).exit_code == 0
    result = runner.invoke(
        app, ["check", str(book), "--format", "json", "--no-screening"]
    )
    assert result.exit_code == 0, result.output
    assert [d["outcome"] for d in json.loads(result.stdout)] == ["authorized"] * 3
