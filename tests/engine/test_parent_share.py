"""Orders and the customer register read a parent's share the same way.

The headquarters rule reaches a party whose *ultimate parent* is headquartered in
D:5 or Macau. The register applied the regime's ``ac.hq_parent_share_min`` while the
order rules took any parent in the scope, so a 10 % shareholder cleared a customer
and put the same structure's order under presumption of denial.
"""

from __future__ import annotations

from datetime import date

import pytest

from chipgate.decide.engine import Engine
from chipgate.diligence.law import classify_hq, view_on
from chipgate.findings import Effect
from chipgate.orders.model import Kind, Order, Party
from chipgate.regimes.ownership import ParentStanding, parent_standing

DAY = date(2025, 6, 1)


def _order(share: float | None) -> Order:
    consignee = Party(
        name="De Co", hq="DE", parent="Cn Parent", parent_hq="CN", parent_share=share
    )
    return Order(
        "S",
        DAY,
        Kind.EXPORT,
        "NVIDIA H100 SXM5",
        10,
        "DE",
        consignee=consignee,
        end_user=Party(name="De Co", hq="DE"),
    )


@pytest.mark.parametrize("share", [0.0, 10.0, 49.9, 50.0, 60.0, 100.0])
def test_an_order_needs_the_headquarters_license_exactly_when_the_register_says_parent(
    share: float,
) -> None:
    decision = Engine().evaluate(_order(share))
    required = any(
        f.code == "AC.HQ" and f.effect is Effect.REQUIREMENT for f in decision.findings
    )
    register = classify_hq("DE", "CN", share, view_on(DAY))
    assert required == register.of_concern, (share, register.reason)


@pytest.mark.parametrize("share", [10.0, 49.9])
def test_a_parent_below_the_minimum_is_a_red_flag_naming_share_and_minimum(
    share: float,
) -> None:
    decision = Engine().evaluate(_order(share))
    (flag,) = [f for f in decision.red_flags if "ultimate parent" in f]
    assert f"holds {share:g} %" in flag
    assert "below the 50 %" in flag
    assert "through control" in flag
    assert any(u.startswith("ac.hq_parent_share_min:") for u in decision.unconfirmed)


def test_a_parent_of_unstated_share_is_still_taken_as_the_ultimate_parent() -> None:
    # the conservative reading is kept for orders (the register marks it for review)
    decision = Engine().evaluate(_order(None))
    (finding,) = [f for f in decision.findings if f.code == "AC.HQ"]
    assert finding.effect is Effect.REQUIREMENT
    assert "of unstated share, taken as the ultimate parent" in finding.message
    register = classify_hq("DE", "CN", None, view_on(DAY))
    assert register.code == "parent_share_unknown"


def test_the_shared_reading_of_a_share() -> None:
    assert parent_standing(10, 50) is ParentStanding.MINORITY
    assert parent_standing(50, 50) is ParentStanding.ULTIMATE
    assert parent_standing(None, 50) is ParentStanding.UNSTATED
    assert parent_standing(10, None) is ParentStanding.ULTIMATE
