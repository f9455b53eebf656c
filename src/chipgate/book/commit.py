"""Commit a decided book to the ledger: reserve, commit or refuse, audit, retry.

Each order is all-or-nothing in the store. An order refused because another user drew
on the same account meanwhile is decided again on the fresh balances and committed
with its new decision, so the ledger never over-commits and every decision recorded
is one the engine made on the balances it was committed against.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from chipgate.book.pipeline import Checker
from chipgate.decide.decision import Decision
from chipgate.ledger import CommitResult, CommitStatus, Ledger, OrderRequest
from chipgate.orders.model import Order
from chipgate.snapshot import rules_version

MAX_RETRIES = 3


def order_payload(order: Order) -> dict[str, Any]:
    """The order as recorded in the audit log (JSON-ready)."""
    data = asdict(order)
    data["date"] = order.date.isoformat()
    data["kind"] = order.kind.value
    data["end_use"] = sorted(u.value for u in order.end_use)
    data["authorizations"] = [str(a) for a in order.authorizations]
    return data


def _request(order: Order, decision: Decision, who: str) -> OrderRequest:
    return OrderRequest(
        order_id=order.id,
        order=order_payload(order),
        decision=decision.to_record(),
        draws=decision.draws,
        regime=decision.regime,
        rules_version=rules_version(),
        who=who,
    )


def own_draws(ledger: Ledger, orders: Sequence[Order]) -> dict[tuple[str, str], float]:
    """What the book's orders already hold on the ledger, per account and unit."""
    return ledger.committed_draws([o.id for o in orders])


def commit_book(
    checker: Checker,
    ledger: Ledger,
    orders: Sequence[Order],
    decisions: list[Decision],
    *,
    who: str,
    regime: str | None = None,
    as_of: date | None = None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> list[CommitResult]:
    """Commit decisions in date order; re-decide and retry orders refused by a race.

    ``decisions`` is updated in place where an order had to be decided again.
    """
    position = {order.id: index for index, order in enumerate(orders)}
    order_of = sorted(range(len(orders)), key=lambda i: orders[i].date)
    results: dict[str, CommitResult] = {}
    for start in range(0, len(order_of), batch_size):
        chunk = order_of[start : start + batch_size]
        requests = [_request(orders[i], decisions[i], who) for i in chunk]
        for result in ledger.commit_batch(requests):
            results[result.order_id] = result
        if progress is not None:
            progress(len(chunk))
    for _attempt in range(MAX_RETRIES):
        refused = [
            oid for oid, r in results.items() if r.status is CommitStatus.REFUSED
        ]
        if not refused:
            break
        for order_id in refused:
            index = position[order_id]
            fresh = checker.engine.evaluate(
                orders[index],
                regime=regime,
                facts=checker.facts_for(orders[index]),
                balances=checker.balances(),
                as_of=as_of,
            )
            decisions[index] = fresh
            results[order_id] = ledger.commit_batch(
                [_request(orders[index], fresh, who)]
            )[0]
    return [results[o.id] for o in orders]
