"""Shared decisions keep apart parties listed under different recipient entries.

``ac.destination_listed_recipients`` lifts the destination requirement only when
every named party of an order is on one entry (a country's list) of the destination.
The key under which identical orders share a decision must therefore hold which
entries name each party, not merely that some entry does: with two entries, an
order whose parties sit on different entries (or on another country's entry) would
otherwise borrow the decision of an order whose parties share one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipgate.book.batch import check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.decide.engine import Engine
from chipgate.orders.reader import parse_rows
from chipgate.regimes.library import load_library
from chipgate.rules.helpers import name_words
from tests.engine.test_engine_units import copy_packs

LISTED = """          - country: AE
            list: "Supplement No. 8 to part 740 (approved UAE entities)"
            names: [G42, Core42]
"""
TWO_MORE = """          - country: AE
            list: "Second test list (UAE)"
            names: [Falcon Compute]
          - country: SA
            list: "Test list (Saudi Arabia)"
            names: [Humain]
"""

# orders of one day, item and destination; the first is on one entry and lifted,
# the others must not borrow its decision
ROWS = [
    ("LIFTED", "G42", "Core42"),
    ("TWO-LISTS", "G42", "Falcon Compute"),
    ("OTHER-COUNTRY", "Humain", "Humain"),
    ("SECOND-LIST", "Falcon Compute", "Falcon Compute"),
]
EXPECTED = {
    "LIFTED": "no_license_required",
    "TWO-LISTS": "license_required",
    "OTHER-COUNTRY": "license_required",
    "SECOND-LIST": "no_license_required",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The packs with two more entries: a second UAE list and a Saudi one."""
    folder = copy_packs(tmp_path_factory.mktemp("packs"))
    pack = folder / "uae-2026.yaml"
    text = pack.read_text()
    assert LISTED in text
    pack.write_text(text.replace(LISTED, LISTED + TWO_MORE))
    return Engine(library=load_library(folder))


def _row(order_id: str, consignee: str, end_user: str) -> dict[str, str]:
    return {
        "id": order_id,
        "date": "2026-08-10",
        "kind": "export",
        "item": "NVIDIA H100 SXM5",
        "quantity": "8",
        "destination": "AE",
        "consignee": consignee,
        "consignee_hq": "AE",
        "end_user": end_user,
        "end_user_hq": "AE",
    }


def test_a_party_is_keyed_by_the_entries_that_name_it(engine: Engine) -> None:
    entries = engine.listed_entries
    assert entries[name_words("G42")] != entries[name_words("Falcon Compute")]
    assert {e[:2] for e in entries[name_words("Humain")]} == {
        ("SA", "Test list (Saudi Arabia)")
    }


WHOLE_VALUE = """      - value:
          - country: AE
            list: "Supplement No. 8 to part 740 (approved UAE entities)"
            names: [G42, Core42]
        source: [uae26, uae26-reports]
"""
CHANGED_LIST = """      - value:
          - country: AE
            list: "Supplement No. 8 to part 740 (approved UAE entities)"
            names: [G42, Core42]
        until: 2026-07-31
        source: [uae26, uae26-reports]
      - value:
          - country: AE
            list: "Supplement No. 8 to part 740 (approved UAE entities)"
            names: [G42, NewCo]
        since: 2026-08-01
        source: [uae26, uae26-reports]
"""


@pytest.mark.parametrize("first", ["NewCo", "Core42"])
def test_a_party_dropped_from_a_list_borrows_no_decision_of_one_still_on_it(
    tmp_path: Path, first: str
) -> None:
    """Core42 is on the entry's old value only, NewCo on its new one: on
    2026-08-10 NewCo's order is lifted and Core42's is not, whichever comes first."""
    folder = copy_packs(tmp_path)
    pack = folder / "uae-2026.yaml"
    text = pack.read_text()
    assert WHOLE_VALUE in text
    pack.write_text(text.replace(WHOLE_VALUE, CHANGED_LIST))
    engine = Engine(library=load_library(folder))
    second = "Core42" if first == "NewCo" else "NewCo"
    rows = [_row(name, name, name) for name in (first, second)]
    orders = parse_rows(rows, engine.catalog, source="test")
    decided = {d.order_id: d.outcome.value for d in engine.evaluate_book(orders)}
    assert decided == {
        "NewCo": "no_license_required",
        "Core42": "license_required",
    }


def test_orders_listed_under_different_entries_share_no_decision(
    engine: Engine,
) -> None:
    orders = parse_rows([_row(*r) for r in ROWS], engine.catalog, source="test")
    decided = {d.order_id: d.outcome.value for d in engine.evaluate_book(orders)}
    assert decided == EXPECTED


def test_the_column_wise_path_keeps_them_apart_too(
    engine: Engine, tmp_path: Path
) -> None:
    book = tmp_path / "book.csv"
    header = list(_row("x", "a", "b"))
    lines = [",".join(header)]
    lines += [",".join(_row(*r).values()) for r in ROWS]
    book.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    check_to_jsonl(book, Checker(engine), out)
    decided = {
        line["id"]: line["outcome"]
        for line in map(json.loads, out.read_text().splitlines())
    }
    assert decided == EXPECTED
