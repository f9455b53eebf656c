"""An order id committed before is the order committed: the same order again is
"already committed", another order under that id a conflict, drawn from nothing.

Before, an order changed after its commit (150 H100 to China where 80 to Vietnam
were committed) was answered "already committed" with the old record, exit 0."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from ledger_helpers import h100_order, run_book
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.ledger import CommitStatus, Ledger
from chipgate.ledger.commit import order_changes
from chipgate.settings import Settings


def test_another_order_under_a_committed_id_is_a_conflict(ledger: Ledger) -> None:
    first = h100_order("K1", "2025-06-10", 80, "Tata AI")
    [line] = run_book(ledger, [first])
    assert line["ledger"]["status"] == "committed"
    used = ledger.used("lpp/tata-ai/2025")
    [again] = run_book(ledger, [first])
    assert again["ledger"]["status"] == CommitStatus.ALREADY_COMMITTED.value
    changed = replace(first, quantity=150)
    [conflict] = run_book(ledger, [changed])
    assert conflict["ledger"]["status"] == CommitStatus.CONFLICT.value
    assert conflict["quantity"] == 80  # the ledger's order, not the one given
    assert "quantity: 80 → 150" in conflict["explanation"]
    assert ledger.used("lpp/tata-ai/2025") == used  # nothing drawn


def test_the_fields_that_differ_are_named() -> None:
    held = {"quantity": 80, "destination": "VN", "end_use": ["datacenter"]}
    same = {"quantity": 80, "destination": "VN", "end_use": ("datacenter",)}
    assert order_changes(held, same) == []
    moved = {**held, "destination": "CN"}
    assert order_changes(held, moved) == ["destination: VN → CN"]
    assert order_changes({}, moved) == []  # an entry that kept no order
    # where the order stood in its book is not the order: a book grows
    assert order_changes({**held, "line": 2}, {**same, "line": 3}) == []
    # a field the entry was written before: unknown, not a change
    assert order_changes(held, {**same, "listed_under": "5A992.c"}) == []


def test_check_commit_says_so_and_exits_1(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("CHIPGATE_DATABASE_URL", settings.database_url)
    header = (
        "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
        "end_user_hq,end_use\n"
    )
    book = tmp_path / "book.csv"
    book.write_text(
        header + "K1,2025-06-10,export,NVIDIA H100 SXM5,80,DE,A GmbH,DE,,,datacenter\n"
    )
    args = ["check", str(book), "--commit", "--no-screening"]
    assert CliRunner().invoke(app, args).exit_code == 0
    # the book grows: K1, now on line 3, is the order committed
    grown = "K0,2025-06-09,export,NVIDIA H100 SXM5,5,DE,B GmbH,DE,,,datacenter\n"
    book.write_text(
        header
        + grown
        + "K1,2025-06-10,export,NVIDIA H100 SXM5,80,DE,A GmbH,DE,,,datacenter\n"
    )
    assert CliRunner().invoke(app, args).exit_code == 0
    book.write_text(
        header + "K1,2025-06-10,export,NVIDIA H100 SXM5,150,DE,A GmbH,DE,,,datacenter\n"
    )
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "conflict" in result.output
    assert "quantity: 80 → 150" in result.output.replace("\n", " ")
