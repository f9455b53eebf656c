"""The `listed_under` column and the dated ".z" paragraphs (88 FR 73458)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chipgate.chips.catalog import default_catalog
from chipgate.decide.engine import Engine
from chipgate.errors import InputError
from chipgate.orders.reader import parse_rows, read_orders

ROW = {
    "id": "z1",
    "date": "2024-06-03",
    "kind": "export",
    "item": "NVIDIA DGX H100",
    "quantity": "1",
    "destination": "CN",
    "consignee": "Acme Compute",
    "consignee_hq": "CN",
}


@pytest.mark.parametrize("listing", ["5A992.z", "3A090.a", "4A090", "5A992.z.1", "x1"])
def test_a_listing_the_engine_derives_or_no_eccn_is_refused(listing: str) -> None:
    with pytest.raises(InputError, match="listed_under"):
        parse_rows([{**ROW, "listed_under": listing}], default_catalog())


def test_a_listing_is_read_from_a_csv_book(tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_text(
        ",".join([*ROW, "listed_under"])
        + "\n"
        + ",".join([*ROW.values(), "5A992.c"])
        + "\n",
        encoding="utf-8",
    )
    (order,) = read_orders(book, default_catalog()).orders
    assert order.listed_under == "5A992.c"


def test_every_z_paragraph_is_a_controlled_eccn_on_its_dates() -> None:
    """A .z paragraph the data derives is one the advanced-computing rules reach."""
    engine = Engine()
    days = sorted(
        {
            day
            for regime in ("ac-2022", "ac-2023", "post-rescission-2025")
            for day in engine.library.change_points(regime)
        }
        | {date(2023, 11, 16), date(2023, 11, 17)}
    )
    checked = 0
    for day in days:
        view = engine.view(day)
        z_paragraphs = view.value_or("eccn.z_paragraphs", None)
        if z_paragraphs is None:
            continue
        controlled = set(view.value("ac.controlled_eccns"))
        for entry, paragraph in z_paragraphs["entries"].items():
            assert paragraph == f"{entry}.z"
            assert paragraph in controlled, (day, paragraph)
            checked += 1
    assert checked


def test_the_same_item_listed_or_not_is_not_shared_between_orders() -> None:
    engine = Engine()
    listed, plain = parse_rows(
        [{**ROW, "listed_under": "5A992.c"}, {**ROW, "id": "z2"}], default_catalog()
    )
    assert engine.evaluate(listed).item.eccn == "5A992.z"  # type: ignore[union-attr]
    assert engine.evaluate(plain).item.eccn == "4A090.a"  # type: ignore[union-attr]
