"""Request bodies: an order's ``row`` is what the order parser reads, the same as
the model's own ``model_dump(exclude_none=True)`` with its lists joined."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bench.orderbook import generate
from pydantic import ValidationError

from chipgate.service.schemas import (
    ORDER_EXAMPLE,
    CheckRequest,
    ChipIn,
    OrderIn,
    ScreenRequest,
)


def _reference(order: OrderIn) -> dict[str, Any]:
    """The row as it was built before (through pydantic's serializer)."""
    data = order.model_dump(exclude_none=True)
    for column in ("end_use", "authorizations"):
        if isinstance(data.get(column), list):
            data[column] = ";".join(data[column])
    return data


BODIES: list[dict[str, Any]] = [
    ORDER_EXAMPLE,
    {**ORDER_EXAMPLE, "end_use": ["datacenter", "training"], "quantity": "12"},
    {
        **ORDER_EXAMPLE,
        "authorizations": ["LICENSE:D1234567", "NAC:x"],
        "open_weights": False,
        "datacenter": "yes",
        "tpp": 4800,
        "die_area_mm2": "814.5",
        "training_operations": 1e26,
        "consignee_parent": "Parent Co",
        "consignee_parent_share": 60,
        "end_user": None,
        "item": None,
        "end_use": [],
    },
    {
        "id": "x",
        "date": "2025-01-01",
        "kind": "use",
        "quantity": 1,
        "destination": "CN",
    },
]


@pytest.mark.parametrize("body", BODIES)
def test_a_row_is_the_models_dump_with_lists_joined(body: dict[str, Any]) -> None:
    order = OrderIn.model_validate(body)
    row = order.row()
    assert row == _reference(order)
    assert list(row) == list(_reference(order))  # and in the same order


def test_every_order_of_the_benchmark_book(tmp_path: Path) -> None:
    book = generate(tmp_path / "book.csv", 2000)
    with book.open(newline="", encoding="utf-8") as handle:
        rows = [{k: v for k, v in r.items() if v} for r in csv.DictReader(handle)]
    request = CheckRequest.model_validate({"orders": rows})
    assert len(request.orders) == 2000
    for order in request.orders:
        assert order.row() == _reference(order)


def test_a_chip_is_licensed_to_an_iso_country() -> None:
    chip = {
        "chip_id": "C1",
        "model": "H100",
        "public_key": "k",
        "owner": "Acme",
        "licensed_country": "de",
        "licensed_site": "F",
        "license_ref": "D1",
    }
    assert ChipIn.model_validate(chip).licensed_country == "DE"
    for bad in ("UK", "XX", "ZZ"):
        with pytest.raises(ValueError, match="not an ISO 3166"):
            ChipIn.model_validate({**chip, "licensed_country": bad})
    # a site's coordinates are numbers: true was read as 1.0
    sited = ChipIn.model_validate({**chip, "site_lat": 48.8, "site_lon": 2})
    assert (sited.site_lat, sited.site_lon) == (48.8, 2)
    for field in ("site_lat", "site_lon"):
        with pytest.raises(ValueError, match=r"valid number|valid integer"):
            ChipIn.model_validate({**chip, field: True})


@pytest.mark.parametrize(
    "as_of", [1735689600, "1735689600", "2025-01-01T00:00:00", "20250101", True]
)
def test_a_date_is_only_text_written_year_month_day(as_of: object) -> None:
    # pydantic's lax date read 1735689600 (and its text) as the Unix time of
    # 2025-01-01: an as_of typed as seconds chose a regime unseen
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        CheckRequest.model_validate({"orders": [ORDER_EXAMPLE], "as_of": as_of})
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        ScreenRequest.model_validate({"name": "Acme", "as_of": as_of})


def test_a_date_written_year_month_day_is_read() -> None:
    body = json.dumps({"orders": [ORDER_EXAMPLE], "as_of": "2025-01-01"})
    checked = CheckRequest.model_validate_json(body)
    assert checked.as_of == date(2025, 1, 1)
