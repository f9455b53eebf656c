"""Taking draws from accounts inside one transaction: claim, reserve, commit, release.

Account rows are claimed (created if new, locked) in key order before anything else,
so concurrent batches never deadlock and no other writer can change them until the
transaction ends: checking ``committed + reserved + amount <= limit`` against the
balances read under that lock is as atomic as a guarded update, and the totals go
back in one round trip. The statements are built once and only bound afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from chipgate.draws import Draw, DrawTiming
from chipgate.errors import StoreError
from chipgate.ledger.db import has_row_locks, upsert_and_lock
from chipgate.ledger.models import ACCOUNTS, DRAWS
from chipgate.ledger.results import Refusal
from chipgate.money import USD, exact, over, plus

_A = ACCOUNTS.c
_THIS_ACCOUNT = (_A.key == bindparam("b_key"), _A.unit == bindparam("b_unit"))

_APPLY = (
    update(ACCOUNTS)
    .where(
        *_THIS_ACCOUNT,
        # the row is locked: these hold unless someone bypassed the ledger
        _A.committed == bindparam("b_committed", type_=Float),
        _A.reserved == bindparam("b_reserved", type_=Float),
    )
    .values(
        # the new total, added in Python: exactly for dollars (``money``)
        committed=bindparam("b_total", type_=Float),
        h100e=_A.h100e + bindparam("b_h100e", type_=Float),
        last_limit=func.coalesce(bindparam("b_limit", type_=Float), _A.last_limit),
        last_citation=bindparam("b_citation"),
        updated_at=bindparam("b_now"),
    )
)
_GIVE_BACK = (
    update(ACCOUNTS)
    .where(*_THIS_ACCOUNT)
    .values(
        committed=bindparam("b_total", type_=Float),
        h100e=_A.h100e - bindparam("b_h100e", type_=Float),
    )
)
_BALANCES = select(_A.key, _A.unit, _A.committed, _A.reserved)


def _slack(limit: float) -> float:
    """Room for binary rounding of sums of TPP and units (dollars have none: they
    are added and compared exactly, ``money``)."""
    return 1e-9 * max(1.0, abs(limit))


def _passes(unit: str, used: float, amount: float, limit: float) -> bool:
    """Whether a draw of ``amount`` on ``used`` passes ``limit``."""
    if unit == USD:
        return over(used, amount, limit)
    return used + amount > limit + _slack(limit)


def _params(draw: Draw) -> dict[str, Any]:
    return {"b_key": draw.account, "b_unit": draw.unit}


def _less(unit: str, total: float, amount: float) -> float:
    """``total`` less ``amount``: exactly for dollars (``money``)."""
    return float(exact(total) - exact(amount)) if unit == USD else total - amount


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


@dataclass
class Reservations:
    """What the batch takes from its locked accounts, checked draw by draw.

    The accounts were claimed (locked) at the start of the transaction, so the
    balances read once stay true until commit: each draw is checked against what the
    store holds plus what earlier orders of the batch took, exactly as if every draw
    were a guarded update, and the totals are written back in one round trip.
    """

    start: dict[tuple[str, str], tuple[float, float]]
    taken: dict[tuple[str, str], float] = field(default_factory=dict)
    h100e: dict[tuple[str, str], float] = field(default_factory=dict)
    limits: dict[tuple[str, str], tuple[float | None, str]] = field(
        default_factory=dict
    )

    @classmethod
    def read(cls, conn: Connection, draws: Iterable[Draw]) -> Reservations:
        """Read the balances of the claimed accounts."""
        keys = sorted({d.account for d in draws})
        rows = conn.execute(_BALANCES.where(_A.key.in_(keys))).all() if keys else []
        return cls(
            {(r.key, r.unit): (float(r.committed), float(r.reserved)) for r in rows}
        )

    def used(self, key: tuple[str, str]) -> float:
        committed, reserved = self.start[key]
        return plus(key[1], committed, reserved, self.taken.get(key, 0.0))

    def reserve(
        self, draws: Sequence[tuple[Draw, float | None]]
    ) -> tuple[list[Draw], Refusal | None]:
        """Take all of one order's draws, or none and say which one did not fit."""
        pending: dict[tuple[str, str], float] = {}
        drawn: list[Draw] = []
        for draw, limit in draws:
            key = (draw.account, draw.unit)
            used = plus(draw.unit, self.used(key), pending.get(key, 0.0))
            if limit is not None and _passes(draw.unit, used, draw.amount, limit):
                return [], Refusal(draw.account, draw.unit, limit, used, draw.amount)
            pending[key] = plus(draw.unit, pending.get(key, 0.0), draw.amount)
            drawn.append(replace(draw, used_before=used))
        for draw, limit in draws:
            key = (draw.account, draw.unit)
            self.taken[key] = plus(draw.unit, self.taken.get(key, 0.0), draw.amount)
            self.h100e[key] = self.h100e.get(key, 0.0) + draw.h100e
            if limit is not None or key not in self.limits:
                self.limits[key] = (limit, draw.citation)
        return drawn, None

    def write(self, conn: Connection, now: str) -> None:
        """Add what was taken to each account, checking nobody changed it meanwhile."""
        params = [
            {
                "b_key": key,
                "b_unit": unit,
                "b_total": plus(unit, self.start[(key, unit)][0], amount),
                "b_h100e": self.h100e[(key, unit)],
                "b_committed": self.start[(key, unit)][0],
                "b_reserved": self.start[(key, unit)][1],
                "b_limit": self.limits[(key, unit)][0],
                "b_citation": self.limits[(key, unit)][1],
                "b_now": now,
            }
            for (key, unit), amount in sorted(self.taken.items())
        ]
        if not params:
            return
        changed = conn.execute(_APPLY, params).rowcount
        if changed not in (len(params), -1):
            raise StoreError("an account changed under its lock; nothing was written")


def record_draws(
    conn: Connection, taken: Sequence[tuple[str, Draw, float | None]], now: str
) -> None:
    """Record each committed draw, with the limit it was held to."""
    if not taken:
        return
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
        keys = sorted({d.account for d in released})
        left = {
            (r.key, r.unit): float(r.committed)
            for r in conn.execute(_BALANCES.where(_A.key.in_(keys)))
        }
        params = []
        for d in released:  # one by one, as the store would subtract them
            key = (d.account, d.unit)
            left[key] = _less(d.unit, left[key], d.amount)
            params.append({**_params(d), "b_total": left[key], "b_h100e": d.h100e})
        conn.execute(_GIVE_BACK, params)
        conn.execute(
            update(DRAWS)
            .where(DRAWS.c.order_id == order_id, DRAWS.c.status == "committed")
            .values(status="released")
        )
    return released
