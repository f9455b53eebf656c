"""A pack's summary says what its data and the packs beside it do.

The summary is what ``chipgate regimes`` shows a user; when it and the decisions
disagree, the user is told one law and decided under another.
"""

from __future__ import annotations

from chipgate.chips.catalog import default_catalog
from chipgate.decide.engine import Engine
from chipgate.orders.reader import parse_rows
from chipgate.regimes.library import default_library

UAE_ORDER = {
    "id": "U1",
    "date": "2026-07-21",
    "kind": "export",
    "item": "NVIDIA GB200 NVL72",
    "quantity": "2",
    "destination": "AE",
    "consignee": "Oasis Compute",
    "consignee_hq": "AE",
}


def test_the_uae_deal_summary_keeps_the_uae_in_the_destination_scope_as_decided() -> (
    None
):
    (order,) = parse_rows([UAE_ORDER], default_catalog())
    decision = Engine().evaluate(order)
    assert "AC.DEST" in {f.code for f in decision.findings}
    summary = " ".join(default_library().packs["deal-uae-2025"].summary.split())
    assert "no longer applies" not in summary
    assert "keeps the UAE in the destination scope" in summary
    assert "uae-2026" in summary
