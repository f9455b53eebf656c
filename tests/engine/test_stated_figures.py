"""Each order with stated chip figures is decided on its own figures.

The engine keeps one classification per chip and law; a key that left out a
stated figure (memory bandwidth) let one order's figure decide another's: the
91 FR 1684 China band (TPP < 21,000 and DRAM bandwidth < 6,500 GB/s) then
depended on which line of the book came first, and in ``chipgate serve`` on an
earlier caller's request.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.chips.figures import ChipFigures
from chipgate.cli.app import app
from chipgate.decide.engine import Engine
from chipgate.findings import ReviewPolicy
from chipgate.orders.model import Kind, Order, Party, StatedFigures

HEADER = (
    "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
    "end_user_hq,end_use,tpp,die_area_mm2,datacenter,memory_bandwidth_gbs"
)
INSIDE = "F5,2026-02-01,export,,10,CN,Bj AI,CN,Bj AI,CN,datacenter,20999,800,true,6499"
OUTSIDE = "F6,2026-02-01,export,,10,CN,Bj AI,CN,Bj AI,CN,datacenter,20999,800,true,6500"
EXPECTED = {"F5": "case_by_case", "F6": "presumption_of_denial"}


def _policies(runner: CliRunner, book: Path) -> dict[str, dict[str, str]]:
    result = runner.invoke(
        app, ["check", str(book), "--no-screening", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = csv.DictReader(io.StringIO(result.stdout))
    return {row["id"]: row for row in rows}


@pytest.mark.parametrize("lines", [(INSIDE, OUTSIDE), (OUTSIDE, INSIDE)])
def test_orders_differing_only_in_memory_bandwidth_are_decided_each_on_its_own(
    runner: CliRunner, tmp_path: Path, lines: tuple[str, str]
) -> None:
    book = tmp_path / "book.csv"
    book.write_text("\n".join((HEADER, *lines)) + "\n")
    rows = _policies(runner, book)
    assert {i: r["review_policy"] for i, r in rows.items()} == EXPECTED
    assert "6,499" not in rows["F6"]["explanation"]


def test_the_order_of_lines_does_not_change_any_answer(
    runner: CliRunner, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("\n".join((HEADER, INSIDE, OUTSIDE)) + "\n")
    second.write_text("\n".join((HEADER, OUTSIDE, INSIDE)) + "\n")
    assert _policies(runner, first) == _policies(runner, second)


def _stated(order_id: str, bandwidth: float) -> Order:
    party = Party(name="Bj AI", hq="CN")
    figures = StatedFigures(
        tpp=17_777, die_area_mm2=777, datacenter=True, memory_bandwidth_gbs=bandwidth
    )
    return Order(
        order_id,
        date(2026, 2, 1),
        Kind.EXPORT,
        None,
        1,
        "CN",
        consignee=party,
        end_user=party,
        stated=figures,
    )


def test_one_engine_does_not_carry_a_bandwidth_from_one_request_to_the_next() -> None:
    # the service keeps one engine for all its callers
    engine = Engine()
    inside = engine.evaluate(_stated("S1", 6_000))
    outside = engine.evaluate(_stated("S2", 9_000))
    assert inside.review_policy is ReviewPolicy.CASE_BY_CASE
    assert outside.review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL
    assert outside.item is not None
    assert outside.item.chip.memory_bandwidth_gbs == 9_000


def test_every_stated_figure_reaches_the_chip_record() -> None:
    # the classification is kept per chip record, so a stated figure the record
    # does not hold would be read from another order's chip
    record = {f.name for f in fields(ChipFigures)}
    assert {f.name for f in fields(StatedFigures)} <= record
