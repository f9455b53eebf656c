"""Taking draws from accounts inside one transaction: reserve, commit, release.

Every reservation is one guarded ``UPDATE ... WHERE committed + reserved + amount <=
limit``: the check and the draw are the same statement, so two writers can never both
see room that only one of them may take. Account rows are locked in key order before
anything else (created if new), so concurrent batches never deadlock on them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, delete, insert, select, true, update

from chipgate.draws import Draw, DrawTiming
from chipgate.errors import InputError, Problem, StoreError
from chipgate.ledger.db import has_row_locks, upsert_and_lock
from chipgate.ledger.models import ACCOUNTS, DRAWS, LICENSES
from chipgate.ledger.results import OrderRequest, Refusal

UNITS = ("tpp", "units", "usd")
LICENSE_PREFIX = "license/"
LICENSE_LIMIT_COLUMNS = {"units": "quantity", "usd": "value_usd", "tpp": "tpp"}
"""Which column of an imported license limits each unit of its account."""


LicenseLimits = Mapping[str, Mapping[str, float | None]]


def _slack(limit: float) -> float:
    """Room for binary rounding of sums of decimal amounts, far below any real unit."""
    return 1e-9 * max(1.0, abs(limit))


def now_draws(draws: Iterable[Draw]) -> list[Draw]:
    """The draws the ledger takes, in lock order (``on_license`` is only audited)."""
    return sorted(
        (d for d in draws if d.timing == DrawTiming.NOW),
        key=lambda d: (d.account, d.unit),
    )


def _finite(value: float | None, *, allow_none: bool = True) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def validate(requests: Sequence[OrderRequest]) -> list[Problem]:
    """Problems with the orders and draws themselves, before touching the store."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for req in requests:
        source = f"order {req.order_id!r}"
        if not req.order_id or len(req.order_id) > 200:
            problems.append(
                Problem("order id must be 1-200 characters", source, None, "order_id")
            )
        if req.order_id in seen:
            problems.append(
                Problem("order id appears twice in the batch", source, None, "order_id")
            )
        seen.add(req.order_id)
        for i, draw in enumerate(req.draws):
            where = f"draws[{i}]"
            if not draw.account or len(draw.account) > 200:
                problems.append(
                    Problem(
                        "account key must be 1-200 characters",
                        source,
                        None,
                        f"{where}.account",
                    )
                )
            if draw.unit not in UNITS:
                problems.append(
                    Problem(
                        f"unit must be one of {', '.join(UNITS)}, got {draw.unit!r}",
                        source,
                        None,
                        f"{where}.unit",
                    )
                )
            if not _finite(draw.amount, allow_none=False):
                problems.append(
                    Problem(
                        f"amount must be a finite number >= 0, got {draw.amount!r}",
                        source,
                        None,
                        f"{where}.amount",
                    )
                )
            if not _finite(draw.limit):
                problems.append(
                    Problem(
                        f"limit must be a finite number >= 0, got {draw.limit!r}",
                        source,
                        None,
                        f"{where}.limit",
                    )
                )
            if not (isinstance(draw.h100e, int | float) and math.isfinite(draw.h100e)):
                problems.append(
                    Problem(
                        f"h100e must be a finite number, got {draw.h100e!r}",
                        source,
                        None,
                        f"{where}.h100e",
                    )
                )
    return problems


def license_limits(conn: Connection, requests: Sequence[OrderRequest]) -> LicenseLimits:
    """Imported limits of the licenses the batch draws on; unknown ones are an error."""
    wanted: dict[str, tuple[str, int]] = {}
    for req in requests:
        for i, draw in enumerate(req.draws):
            if (
                draw.account.startswith(LICENSE_PREFIX)
                and draw.timing == DrawTiming.NOW
            ):
                wanted.setdefault(
                    draw.account[len(LICENSE_PREFIX) :], (req.order_id, i)
                )
    if not wanted:
        return {}
    rows = conn.execute(
        select(LICENSES).where(LICENSES.c.number.in_(sorted(wanted)))
    ).all()
    found = {
        row.number: {
            unit: getattr(row, col) for unit, col in LICENSE_LIMIT_COLUMNS.items()
        }
        for row in rows
    }
    missing = [n for n in sorted(wanted) if n not in found]
    if missing:
        raise InputError(
            [
                Problem(
                    f"unknown account {LICENSE_PREFIX}{n}: "
                    f"no license {n!r} was imported",
                    f"order {wanted[n][0]!r}",
                    None,
                    f"draws[{wanted[n][1]}].account",
                )
                for n in missing
            ]
        )
    return found


def effective_limit(draw: Draw, licenses: LicenseLimits) -> float | None:
    """The tighter of the draw's stated limit and, for a license, its imported limit."""
    limits = [draw.limit] if draw.limit is not None else []
    if draw.account.startswith(LICENSE_PREFIX):
        own = licenses.get(draw.account[len(LICENSE_PREFIX) :], {}).get(draw.unit)
        if own is not None:
            limits.append(float(own))
    return min(limits) if limits else None


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
            select(ACCOUNTS.c.key)
            .where(ACCOUNTS.c.key.in_(ordered))
            .order_by(ACCOUNTS.c.key, ACCOUNTS.c.unit)
            .with_for_update()
        ).all()


def drop_unused_accounts(conn: Connection, draws: Iterable[Draw]) -> None:
    """Remove accounts this batch created but no order drew on (all were refused)."""
    keys = sorted({d.account for d in draws})
    if keys:
        drawn = select(DRAWS.c.id).where(
            DRAWS.c.account_key == ACCOUNTS.c.key, DRAWS.c.unit == ACCOUNTS.c.unit
        )
        conn.execute(
            delete(ACCOUNTS).where(
                ACCOUNTS.c.key.in_(keys),
                ACCOUNTS.c.committed == 0.0,
                ACCOUNTS.c.reserved == 0.0,
                ~drawn.exists(),
            )
        )


def _guarded_reserve(
    conn: Connection, draw: Draw, limit: float | None, now: str
) -> float | None:
    acc = ACCOUNTS.c
    guard = (
        true()
        if limit is None
        else acc.committed + acc.reserved + draw.amount <= limit + _slack(limit)
    )
    values: dict[str, Any] = {"reserved": acc.reserved + draw.amount, "updated_at": now}
    if limit is not None:
        values["last_limit"] = limit
        values["last_citation"] = draw.citation
    row = conn.execute(
        update(ACCOUNTS)
        .where(acc.key == draw.account, acc.unit == draw.unit, guard)
        .values(**values)
        .returning(acc.committed, acc.reserved)
    ).first()
    if row is None:
        return None
    return float(row.committed) + float(row.reserved) - draw.amount


def reserve(
    conn: Connection, draw: Draw, limit: float | None, now: str
) -> tuple[float, Refusal | None]:
    """Reserve ``draw`` against its (claimed, locked) account.

    Returns:
        What was used before the draw, and the refusal when it does not fit.
    """
    used = _guarded_reserve(conn, draw, limit, now)
    if used is not None:
        return used, None
    acc = ACCOUNTS.c
    current = conn.execute(
        select(acc.committed, acc.reserved).where(
            acc.key == draw.account, acc.unit == draw.unit
        )
    ).first()
    if current is None or limit is None:
        raise StoreError(f"account {draw.account!r} was not claimed before drawing")
    used_now = float(current.committed) + float(current.reserved)
    return used_now, Refusal(draw.account, draw.unit, limit, used_now, draw.amount)


def commit_reserved(
    conn: Connection,
    order_id: str,
    drawn: Sequence[tuple[Draw, float | None]],
    now: str,
) -> None:
    """Turn the order's reservations into commitments and record each draw."""
    acc = ACCOUNTS.c
    for draw, _limit in drawn:
        conn.execute(
            update(ACCOUNTS)
            .where(acc.key == draw.account, acc.unit == draw.unit)
            .values(
                reserved=acc.reserved - draw.amount,
                committed=acc.committed + draw.amount,
                h100e=acc.h100e + draw.h100e,
            )
        )
    if drawn:
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
                for d, limit in drawn
            ],
        )


def give_back(conn: Connection, order_id: str) -> list[Draw]:
    """Return an order's committed draws to their accounts (caller holds the locks)."""
    acc = ACCOUNTS.c
    rows = conn.execute(
        select(DRAWS)
        .where(DRAWS.c.order_id == order_id, DRAWS.c.status == "committed")
        .order_by(DRAWS.c.account_key, DRAWS.c.unit, DRAWS.c.id)
    ).all()
    for row in rows:
        conn.execute(
            update(ACCOUNTS)
            .where(acc.key == row.account_key, acc.unit == row.unit)
            .values(committed=acc.committed - row.amount, h100e=acc.h100e - row.h100e)
        )
    conn.execute(
        update(DRAWS)
        .where(DRAWS.c.order_id == order_id, DRAWS.c.status == "committed")
        .values(status="released")
    )
    return [
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


def with_used(draw: Draw, used: float) -> Draw:
    """The draw as the ledger took it (its ``used_before`` from the store)."""
    return replace(draw, used_before=used)
