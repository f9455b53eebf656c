"""Taking draws from accounts inside one transaction: claim, reserve, commit, release.

Every reservation is one guarded ``UPDATE ... WHERE committed + reserved + amount <=
ceiling``: the check and the draw are the same statement, so two writers can never
both see room that only one of them may take. Account rows are claimed (created if
new, locked) in key order before anything else, so concurrent batches never deadlock.
The statements are built once: a commit runs many of them and SQLAlchemy then only
binds parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Float, bindparam, delete, insert, select, update

from chipgate.draws import Draw, DrawTiming
from chipgate.errors import StoreError
from chipgate.ledger.db import has_row_locks, upsert_and_lock
from chipgate.ledger.models import ACCOUNTS, DRAWS
from chipgate.ledger.results import Refusal

_A = ACCOUNTS.c
_AMOUNT = bindparam("b_amount", type_=Float)
_THIS_ACCOUNT = (_A.key == bindparam("b_key"), _A.unit == bindparam("b_unit"))

_RESERVE_UNLIMITED = (
    update(ACCOUNTS)
    .where(*_THIS_ACCOUNT)
    .values(reserved=_A.reserved + _AMOUNT, updated_at=bindparam("b_now"))
    .returning(_A.committed, _A.reserved)
)
_RESERVE_LIMITED = (
    update(ACCOUNTS)
    .where(
        *_THIS_ACCOUNT,
        _A.committed + _A.reserved + _AMOUNT <= bindparam("b_ceiling", type_=Float),
    )
    .values(
        reserved=_A.reserved + _AMOUNT,
        updated_at=bindparam("b_now"),
        last_limit=bindparam("b_limit", type_=Float),
        last_citation=bindparam("b_citation"),
    )
    .returning(_A.committed, _A.reserved)
)
_UNRESERVE = (
    update(ACCOUNTS).where(*_THIS_ACCOUNT).values(reserved=_A.reserved - _AMOUNT)
)
_COMMIT = (
    update(ACCOUNTS)
    .where(*_THIS_ACCOUNT)
    .values(
        reserved=_A.reserved - _AMOUNT,
        committed=_A.committed + _AMOUNT,
        h100e=_A.h100e + bindparam("b_h100e", type_=Float),
    )
)
_GIVE_BACK = (
    update(ACCOUNTS)
    .where(*_THIS_ACCOUNT)
    .values(
        committed=_A.committed - _AMOUNT,
        h100e=_A.h100e - bindparam("b_h100e", type_=Float),
    )
)
_CURRENT = select(_A.committed, _A.reserved).where(*_THIS_ACCOUNT)


def _slack(limit: float) -> float:
    """Room for binary rounding of sums of decimal amounts, far below any real unit."""
    return 1e-9 * max(1.0, abs(limit))


def _params(draw: Draw) -> dict[str, Any]:
    return {"b_key": draw.account, "b_unit": draw.unit, "b_amount": draw.amount}


def claim_accounts(conn: Connection, draws: Iterable[Draw], now: str) -> None:
    """Create the batch's missing accounts and lock all of them, in key order."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for d in draws:
        rows.setdefault(
            (d.account, d.unit),
            {
                "key": d.account,
                "unit": d.unit,
                "kind": d.kind,
                "committed": 0.0,
                "reserved": 0.0,
                "h100e": 0.0,
                "last_limit": d.limit,
                "last_citation": d.citation,
                "created_at": now,
                "updated_at": now,
            },
        )
    upsert_and_lock(conn, ACCOUNTS, [rows[k] for k in sorted(rows)], ["key", "unit"])


def lock_accounts(conn: Connection, keys: Iterable[str]) -> None:
    """Lock the existing rows of ``keys`` in key order (no-op where rows don't lock)."""
    ordered = sorted(set(keys))
    if ordered and has_row_locks(conn):
        conn.execute(
            select(_A.key)
            .where(_A.key.in_(ordered))
            .order_by(_A.key, _A.unit)
            .with_for_update()
        ).all()


def drop_unused_accounts(conn: Connection, draws: Iterable[Draw]) -> None:
    """Remove accounts this batch created but no order drew on (all were refused)."""
    keys = sorted({d.account for d in draws})
    if keys:
        drawn = select(DRAWS.c.id).where(
            DRAWS.c.account_key == _A.key, DRAWS.c.unit == _A.unit
        )
        conn.execute(
            delete(ACCOUNTS).where(
                _A.key.in_(keys),
                _A.committed == 0.0,
                _A.reserved == 0.0,
                ~drawn.exists(),
            )
        )


def reserve(
    conn: Connection, draw: Draw, limit: float | None, now: str
) -> tuple[float, Refusal | None]:
    """Reserve ``draw`` against its (claimed, locked) account.

    Returns:
        What was used before the draw, and the refusal when it does not fit.
    """
    params = {**_params(draw), "b_now": now}
    if limit is None:
        row = conn.execute(_RESERVE_UNLIMITED, params).first()
    else:
        params.update(
            b_ceiling=limit + _slack(limit), b_limit=limit, b_citation=draw.citation
        )
        row = conn.execute(_RESERVE_LIMITED, params).first()
    if row is not None:
        return float(row.committed) + float(row.reserved) - draw.amount, None
    current = conn.execute(_CURRENT, params).first()
    if current is None or limit is None:
        raise StoreError(f"account {draw.account!r} was not claimed before drawing")
    used = float(current.committed) + float(current.reserved)
    return used, Refusal(draw.account, draw.unit, limit, used, draw.amount)


def unreserve(conn: Connection, draws: Sequence[Draw]) -> None:
    """Drop the reservations of an order that was refused part-way."""
    if draws:
        conn.execute(_UNRESERVE, [_params(d) for d in draws])


def commit_reserved(
    conn: Connection, taken: Sequence[tuple[str, Draw, float | None]], now: str
) -> None:
    """Turn reservations into commitments and record each draw (whole batch at once)."""
    if not taken:
        return
    conn.execute(_COMMIT, [{**_params(d), "b_h100e": d.h100e} for _, d, _ in taken])
    conn.execute(
        insert(DRAWS),
        [
            {
                "order_id": order_id,
                "account_key": d.account,
                "unit": d.unit,
                "kind": d.kind,
                "amount": d.amount,
                "limit": limit,
                "used_before": d.used_before,
                "h100e": d.h100e,
                "citation": d.citation,
                "status": "committed",
                "created_at": now,
            }
            for order_id, d, limit in taken
        ],
    )


def give_back(conn: Connection, order_id: str) -> list[Draw]:
    """Return an order's committed draws to their accounts (caller holds the locks)."""
    rows = conn.execute(
        select(DRAWS)
        .where(DRAWS.c.order_id == order_id, DRAWS.c.status == "committed")
        .order_by(DRAWS.c.account_key, DRAWS.c.unit, DRAWS.c.id)
    ).all()
    released = [
        Draw(
            account=r.account_key,
            kind=r.kind,
            amount=r.amount,
            unit=r.unit,
            limit=r.limit,
            used_before=r.used_before,
            h100e=r.h100e,
            timing=DrawTiming.NOW,
            citation=r.citation,
        )
        for r in rows
    ]
    if released:
        conn.execute(_GIVE_BACK, [{**_params(d), "b_h100e": d.h100e} for d in released])
        conn.execute(
            update(DRAWS)
            .where(DRAWS.c.order_id == order_id, DRAWS.c.status == "committed")
            .values(status="released")
        )
    return released


def with_used(draw: Draw, used: float) -> Draw:
    """The draw as the ledger took it (its ``used_before`` from the store)."""
    return replace(draw, used_before=used)
