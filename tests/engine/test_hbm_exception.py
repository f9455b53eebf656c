"""License Exception HBM (15 CFR 740.25) and parties headquartered in D:5 or Macau.

The headquarters requirement has no HBM exception, and 740.25 is reported to serve
only packaging sites of companies headquartered in the US or allied countries
(``hbm.excluded_hq_scope``, unconfirmed): for a China-headquartered consignee the
decision must not show HBM as an authorization of the order.
"""

from __future__ import annotations

import pytest

from chipgate.chips.catalog import default_catalog
from chipgate.decide.engine import Engine
from chipgate.orders.reader import parse_rows
from chipgate.rules.base import Effect

HBM2 = {
    "id": "H7",
    "date": "2025-06-01",
    "kind": "export",
    "item": "Samsung HBM2 8GB 2.0Gbps",
    "quantity": "100",
    "destination": "CN",
    "consignee": "Cx",
    "end_user": "Cx",
    "end_use": "datacenter",
}


def _hbm_finding(hq: str) -> tuple[Effect, str, str]:
    row = {**HBM2, "consignee_hq": hq, "end_user_hq": hq}
    (order,) = parse_rows([row], default_catalog())
    decision = Engine().evaluate(order)
    (found,) = [f for f in decision.findings if f.code == "AC.HBM"]
    return found.effect, found.message, decision.outcome.value


def test_hbm_is_no_authorization_for_a_china_headquartered_consignee() -> None:
    effect, message, outcome = _hbm_finding("CN")
    assert outcome == "license_required"
    assert effect is Effect.NOTE
    assert "not available for consignee (HQ CN)" in message


@pytest.mark.parametrize("hq", ["DE", "KR"])
def test_hbm_still_authorizes_for_an_allied_headquartered_consignee(hq: str) -> None:
    effect, message, outcome = _hbm_finding(hq)
    assert outcome == "authorized"
    assert effect is Effect.AUTHORIZATION
    assert "below 3.3" in message
