"""The order as the audit chain records it: the same dict (and the same canonical
JSON) as ``dataclasses.asdict`` made, on every kind of order, without its copies."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from bench.orderbook import generate

from chipgate.book.commit import order_payload
from chipgate.chips.catalog import default_catalog
from chipgate.ledger.canonical import canonical_json
from chipgate.orders.model import (
    AuthorizationKind,
    Kind,
    NamedAuthorization,
    Order,
    Party,
    StatedFigures,
)
from chipgate.orders.reader import read_orders

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _by_asdict(order: Order) -> dict[str, Any]:
    """The payload as it was built before (the reference)."""
    data = asdict(order)
    data["date"] = order.date.isoformat()
    data["kind"] = order.kind.value
    data["end_use"] = sorted(u.value for u in order.end_use)
    data["authorizations"] = [str(a) for a in order.authorizations]
    return data


def _same(order: Order) -> None:
    assert order_payload(order) == _by_asdict(order)
    assert canonical_json(order_payload(order)) == canonical_json(_by_asdict(order))


def test_every_order_of_the_benchmark_book_and_the_examples(tmp_path: Path) -> None:
    catalog = default_catalog()
    book = read_orders(generate(tmp_path / "book.csv", 3000), catalog)
    examples = read_orders(EXAMPLES / "orders.csv", catalog)
    assert len(book.orders) + len(examples.orders) > 3000
    for order in [*book.orders, *examples.orders]:
        _same(order)


def test_an_order_with_every_optional_part() -> None:
    order = Order(
        id="ORD-9",
        date=date(2025, 6, 1),
        kind=Kind.EXPORT,
        item=None,
        quantity=8,
        destination="AE",
        consignee=Party("Consignee LLC", "AE", "Parent Co", "CN", 0.6),
        end_user=Party("End User", "AE"),
        training_operations=1e26,
        open_weights=False,
        authorizations=(NamedAuthorization(next(iter(AuthorizationKind)), "D123456"),),
        value_usd=1_250_000.5,
        stated=StatedFigures(4800.0, 814.0, True, 3350.0),
        exporter="Maker Inc",
        listed_under="5A992.c",
        line=7,
    )
    _same(order)
    assert order_payload(order)["stated"] == {
        "tpp": 4800.0,
        "die_area_mm2": 814.0,
        "datacenter": True,
        "memory_bandwidth_gbs": 3350.0,
    }
