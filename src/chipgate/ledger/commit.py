"""One transaction of the ledger: commit a batch of orders, or release one order.

Lock order, the same in every writer so none ever waits for another in a circle:
the accounts of the batch (key order), then the order rows, then the audit chain
head. An order whose draw does not fit is undone inside the transaction (its
nothing taken, its order row deleted), so it leaves only its refusal entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from sqlalchemy import Connection, delete, select, update

from chipgate.draws import Draw
from chipgate.errors import InputError
from chipgate.ledger import audit, coverage, drawing, queries
from chipgate.ledger.db import insert_ignore
from chipgate.ledger.models import ACCOUNTS, DRAWS, ORDERS
from chipgate.ledger.results import (
    CommitResult,
    CommitStatus,
    OrderRequest,
    Refusal,
    ReleaseResult,
)
from chipgate.ledger.validation import effective_limit, license_limits, now_draws


def _insert_orders(
    conn: Connection, requests: Sequence[OrderRequest], now: str
) -> set[str]:
    """Insert the order rows; return the ids that were new (the rest were committed)."""
    rows = [
        {
            "order_id": r.order_id,
            "status": "committed",
            "regime": r.regime,
            "rules_version": r.rules_version,
            "who": r.who,
            "committed_at": now,
        }
        for r in requests
    ]
    stmt = insert_ignore(conn, ORDERS).returning(ORDERS.c.order_id)
    if len(rows) == 1:
        return set(conn.execute(stmt, rows[0]).scalars())
    return set(conn.execute(stmt, rows).scalars())


def _already(conn: Connection, req: OrderRequest) -> CommitResult:
    """An order whose id is on the ledger: the same order again (nothing to do),
    or another under that id (a conflict, named field by field)."""
    row = conn.execute(
        select(ORDERS.c.status, ORDERS.c.committed_at).where(
            ORDERS.c.order_id == req.order_id
        )
    ).one()
    held = queries.order_records(conn, [req.order_id])[req.order_id].order
    changed = order_changes(held, req.order)
    if changed:
        return CommitResult(
            req.order_id,
            CommitStatus.CONFLICT,
            detail=(
                f"order {req.order_id} was committed on {row.committed_at} with "
                f"other values ({'; '.join(changed)}); the ledger keeps that order: "
                "give the changed order an id of its own, or release the earlier one "
                "and commit it under a new id"
            ),
        )
    return CommitResult(
        req.order_id,
        CommitStatus.ALREADY_COMMITTED,
        detail=f"{row.status} since {row.committed_at}",
    )


def order_changes(held: Mapping[str, Any], given: Mapping[str, Any]) -> list[str]:
    """Each field in which ``given`` differs from the order ``held`` on the ledger,
    as "field: held → given" (both as the audit entry writes them).

    Only fields both hold are compared: an entry written before an order field
    existed says nothing of it (an older ledger's re-commit is no conflict), and
    one written before orders were kept in entries holds none at all.

    >>> order_changes({"quantity": 80, "destination": "VN"},
    ...               {"quantity": 150, "destination": "VN", "exporter": None})
    ['quantity: 80 → 150']
    """
    plain = json.loads(json.dumps(dict(given), default=str))
    return [
        f"{field}: {held[field]} → {plain[field]}"
        for field in sorted((set(held) & set(plain)) - NOT_THE_ORDER)
        if held[field] != plain[field]
    ]


NOT_THE_ORDER = frozenset({"line", "_parties"})
"""Fields of a recorded order that say where it stood, not what it is: the line of
its book (a book grows, and the same order moves down) and the parties derived
from the others."""


_DRAW_FIELDS = tuple(f.name for f in fields(Draw))


def draw_json(draw: Draw) -> dict[str, Any]:
    """``Draw.to_dict`` without ``asdict``'s deep copies (a draw holds only scalars)."""
    data = {name: getattr(draw, name) for name in _DRAW_FIELDS}
    data["timing"] = draw.timing.value
    data["remaining_after"] = draw.remaining_after
    return data


def _entry(
    req: OrderRequest,
    taken: Sequence[tuple[Draw, float | None]],
    refusal: Refusal | None = None,
) -> audit.PendingEntry:
    """The audit entry of one order: inputs, regime, rules, outcome, every draw."""
    outcome = "committed" if refusal is None else "refused"
    payload: dict[str, Any] = {
        "outcome": outcome,
        "order": dict(req.order),
        "decision": dict(req.decision),
        "regime": req.regime,
        "rules_version": req.rules_version,
        "draws": [draw_json(d) for d in req.draws],
        "taken": []
        if refusal
        else [{**draw_json(d), "limit_enforced": lim} for d, lim in taken],
    }
    if refusal is not None:
        payload["refusal"] = {
            "account": refusal.account,
            "unit": refusal.unit,
            "limit": refusal.limit,
            "used": refusal.used,
            "amount": refusal.amount,
            "message": refusal.message,
        }
    return audit.PendingEntry(f"order.{outcome}", req.who, payload, req.order_id)


def _with_rows(
    conn: Connection, pending: list[audit.PendingEntry], claimed: Sequence[Draw]
) -> list[audit.PendingEntry]:
    """Each order's entry with the images of its order and draw rows; the batch's
    last entry also with its accounts as the transaction leaves them."""
    if not pending:
        return pending
    ids = [str(e.order_id) for e in pending if e.kind == "order.committed"]
    orders = coverage.images_by(conn, ORDERS, ORDERS.c.order_id, ids)
    draws = coverage.images_by(conn, DRAWS, DRAWS.c.order_id, ids)
    by_order = {i: [*orders.get(i, ()), *draws.get(i, ())] for i in ids}
    accounts = coverage.images(conn, ACCOUNTS, {(d.account, d.unit) for d in claimed})
    out = [
        replace(e, rows=tuple(by_order.get(str(e.order_id), ())))
        if e.kind == "order.committed"
        else e
        for e in pending
    ]
    out[-1] = replace(out[-1], rows=(*out[-1].rows, *accounts))
    return out


def commit_in(
    conn: Connection,
    requests: Sequence[OrderRequest],
    progress: Callable[[int], None] | None = None,
) -> list[CommitResult]:
    """Commit ``requests`` inside the caller's write transaction."""
    licenses = license_limits(conn, requests)
    now = audit.utc_now()
    claimed = [d for r in requests for d in now_draws(r.draws)]
    drawing.claim_accounts(conn, claimed, now)
    new = _insert_orders(conn, requests, now)
    balances = drawing.Reservations.read(conn, claimed)
    results: list[CommitResult] = []
    pending: list[audit.PendingEntry] = []
    committed: list[tuple[str, Draw, float | None]] = []
    refused: list[str] = []
    for count, req in enumerate(requests, start=1):
        if req.order_id not in new:
            results.append(_already(conn, req))
        else:
            wanted = [(d, effective_limit(d, licenses)) for d in now_draws(req.draws)]
            drawn, refusal = balances.reserve(wanted)
            taken = list(zip(drawn, (lim for _, lim in wanted), strict=False))
            pending.append(_entry(req, taken, refusal))
            if refusal is None:
                committed.extend((req.order_id, d, lim) for d, lim in taken)
                results.append(
                    CommitResult(req.order_id, CommitStatus.COMMITTED, tuple(drawn))
                )
            else:
                refused.append(req.order_id)
                results.append(
                    CommitResult(req.order_id, CommitStatus.REFUSED, refusal=refusal)
                )
        if progress is not None:
            progress(count)
    balances.write(conn, now)
    drawing.record_draws(conn, committed, now)
    if refused:
        conn.execute(delete(ORDERS).where(ORDERS.c.order_id.in_(refused)))
    if refused or len(new) < len(requests):
        # accounts claimed only for refused or already committed orders stay empty
        drawing.drop_unused_accounts(conn, claimed)
    seqs = iter(audit.append(conn, _with_rows(conn, pending, claimed)))
    return [
        r
        if r.status in (CommitStatus.ALREADY_COMMITTED, CommitStatus.CONFLICT)
        else CommitResult(
            r.order_id, r.status, r.drawn, r.refusal, next(seqs), r.detail
        )
        for r in results
    ]


def release_in(conn: Connection, order_id: str, reason: str, who: str) -> ReleaseResult:
    """Release one order inside the caller's write transaction."""
    drawing.lock_accounts(conn, queries.order_accounts(conn, order_id))
    row = conn.execute(
        select(ORDERS.c.status).where(ORDERS.c.order_id == order_id).with_for_update()
    ).first()
    if row is None:
        raise InputError.single(
            f"unknown order {order_id!r}: it was never committed", field="order_id"
        )
    if row.status == "released":
        return ReleaseResult(order_id, (), already_released=True)
    released = drawing.give_back(conn, order_id)
    now = audit.utc_now()
    conn.execute(
        update(ORDERS)
        .where(ORDERS.c.order_id == order_id)
        .values(status="released", released_at=now, release_reason=reason)
    )
    payload = {
        "outcome": "released",
        "reason": reason,
        "draws": [draw_json(d) for d in released],
    }
    rows = (
        *coverage.images_where(conn, ORDERS, ORDERS.c.order_id == order_id),
        *coverage.images_where(conn, DRAWS, DRAWS.c.order_id == order_id),
        *coverage.images(conn, ACCOUNTS, {(d.account, d.unit) for d in released}),
    )
    entry = audit.PendingEntry("order.released", who, payload, order_id, rows)
    return ReleaseResult(
        order_id, tuple(released), audit_seq=audit.append(conn, [entry])[0]
    )
