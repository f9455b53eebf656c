"""A license named by several orders of one book is drawn order after order, as a
commit draws it; a license limited in dollars needs the order's value.

Before, three orders of 80 H100 on a license of 200 were each checked against the
ledger alone and all authorized (240 of 200, USD 7.2M of 6M), while a commit of
the same book refused the third; and an order with no value_usd was authorized
without its dollar limit being checked or drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = (
    "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
    "end_user_hq,end_use,authorizations,value_usd\n"
)
SAIGON = "Saigon Cloud Services JSC,VN,Saigon Cloud Services JSC,VN,datacenter"


def _decided(book: Path, *extra: str) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(
        app, ["check", str(book), "--no-screening", "--format", "jsonl", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return {r["id"]: r for r in map(json.loads, lines)}


def _three_orders_of_80(book: Path) -> Path:
    """Three orders of 80 H100 on the license of 200 units (``licensed``)."""
    book.write_text(
        HEADER
        + "".join(
            f"K{n},2026-02-0{n},export,NVIDIA H100 SXM5,80,VN,{SAIGON},"
            "LICENSE:D1234567,2400000\n"
            for n in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    return book


@pytest.fixture
def licensed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(data))
    imported = CliRunner().invoke(
        app, ["license", "import", str(EXAMPLES / "licenses.csv")]
    )
    assert imported.exit_code == 0, imported.output
    return tmp_path


def test_a_book_draws_its_license_order_after_order(licensed: Path) -> None:
    book = _three_orders_of_80(licensed / "book.csv")
    checked = _decided(book)
    assert [checked[k]["outcome"] for k in ("K1", "K2", "K3")] == [
        "authorized",
        "authorized",
        "license_required",
    ]
    assert "40 units left of 200" in str(checked["K3"]["red_flags"])
    committed = _decided(book, "--commit")
    outcomes = {k: r["outcome"] for k, r in checked.items()}
    assert {k: r["outcome"] for k, r in committed.items()} == outcomes
    # checked again once committed, the book meets its own draws as its own
    # (K1 and K2 were license_required: their 160 units counted twice)
    assert {k: r["outcome"] for k, r in _decided(book).items()} == outcomes


def test_a_dollar_limited_license_needs_the_order_s_value(licensed: Path) -> None:
    book = licensed / "book.csv"
    book.write_text(
        HEADER
        + f"V1,2026-02-01,export,NVIDIA H100 SXM5,10,VN,{SAIGON},LICENSE:D1234567,\n",
        encoding="utf-8",
    )
    [decided] = _decided(book).values()
    assert decided["outcome"] == "license_required"
    assert "states no value_usd" in str(decided["red_flags"])


def _written(path: Path) -> dict[str, str]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    records = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    return {r["id"]: r["outcome"] for r in records}


def test_a_committed_book_checked_again_to_a_file_meets_its_own_draws(
    licensed: Path,
) -> None:
    """The column-wise path (JSON lines to a file) and a partitioned run read the
    licenses a book names, and take the book's committed draws out of the balances
    as the order-by-order path does: before, K1 and K2's 160 units were counted
    twice and both were refused."""
    book = _three_orders_of_80(licensed / "book.csv")
    # never committed, the book written to a file meets its license as on screen
    # (before, the column-wise path gathered no license facts: "D1234567 is not in
    # the ledger", all three refused)
    first = licensed / "first.jsonl"
    _decided(book, "--output", str(first))
    assert _written(first) == {k: r["outcome"] for k, r in _decided(book).items()}
    committed = _decided(book, "--commit")
    outcomes = {k: r["outcome"] for k, r in committed.items()}
    assert outcomes == {
        "K1": "authorized",
        "K2": "authorized",
        "K3": "license_required",
    }
    single = licensed / "again.jsonl"
    _decided(book, "--output", str(single))
    assert _written(single) == outcomes
    # a folder book is checked partition by partition
    parts = licensed / "parts"
    parts.mkdir()
    book.rename(parts / "book.csv")
    folder = licensed / "again-parts"
    _decided(parts, "--output", str(folder), "--executor", "local")
    assert _written(folder) == outcomes
