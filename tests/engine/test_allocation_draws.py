"""Under the AI Diffusion replay only a license that fits draws the allocation.

A license reviewed under presumption of denial because it breaks a Tier-2 country's
allocation does not use it (domain.md §3.2: the allocation is what the country may
receive under licenses to non-VEU end users; §3.4: beyond it, presumption of
denial). Drawing it anyway denied later orders that fit, carried a negative
``remaining_after`` forward, and made the answers depend on the order of the lines.
"""

from __future__ import annotations

from datetime import date

from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.orders.model import Kind, Order, Party

DAY = date(2025, 3, 5)


def _order(order_id: str, quantity: int) -> Order:
    party = Party(name=f"{order_id} Cloud", hq="IN")
    return Order(
        order_id,
        DAY,
        Kind.EXPORT,
        "NVIDIA H100 SXM5",
        quantity,
        "IN",
        consignee=party,
        end_user=party,
    )


def _answers(orders: list[Order]) -> dict[str, tuple[str, str | None]]:
    decided = Engine().evaluate_book(orders, regime="aid-2025")
    return {d.order_id: _answer(d) for d in decided}


def _answer(decision: Decision) -> tuple[str, str | None]:
    review = decision.review_policy
    return decision.outcome.value, review.value if review else None


BIG, OVER, SMALL = _order("A1", 40_000), _order("A2", 20_000), _order("A3", 5_000)


def test_the_order_of_same_day_lines_does_not_change_any_answer() -> None:
    first = _answers([BIG, OVER, SMALL])
    assert first == _answers([BIG, SMALL, OVER])
    assert first["A2"] == ("license_required", "presumption_of_denial")
    assert first["A3"] == ("license_required", "presumption_of_approval")


def test_an_order_over_the_allocation_draws_nothing_and_says_so() -> None:
    decided = Engine().evaluate_book([BIG, OVER, SMALL], regime="aid-2025")
    over = decided[1]
    assert not [d for d in over.draws if d.kind == "country_allocation"]
    assert "not drawn: over the allocation" in over.explanation()
    remaining = [d.remaining_after for x in decided for d in x.draws]
    assert all(r is None or r >= 0 for r in remaining), remaining
