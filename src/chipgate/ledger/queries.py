"""Read-only questions to the store: balances, history, licenses, compute bases."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import Connection, select

from chipgate.accounts import license_account
from chipgate.draws import decimal_sum
from chipgate.errors import StoreError
from chipgate.facts import LicenseFacts
from chipgate.ledger.models import ACCOUNTS, BASES, DRAWS, ENTRIES, LICENSES, ORDERS
from chipgate.ledger.results import Balance, HistoryLine, OrderRecord, ReportedBase
from chipgate.money import plus


def used(conn: Connection, account: str, unit: str | None = None) -> float:
    """Committed plus reserved on ``account`` in ``unit`` (or its only unit)."""
    query = select(ACCOUNTS.c.unit, ACCOUNTS.c.committed, ACCOUNTS.c.reserved).where(
        ACCOUNTS.c.key == account
    )
    if unit is not None:
        query = query.where(ACCOUNTS.c.unit == unit)
    rows = conn.execute(query).all()
    if len(rows) > 1:
        units = ", ".join(sorted(r.unit for r in rows))
        raise StoreError(
            f"account {account!r} is kept in several units ({units}); name one"
        )
    return float(rows[0].committed + rows[0].reserved) if rows else 0.0


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def license_facts(conn: Connection, number: str) -> LicenseFacts | None:
    """An imported license with its balances in every unit it is limited in."""
    row = conn.execute(select(LICENSES).where(LICENSES.c.number == number)).first()
    if row is None:
        return None
    spent = {
        r.unit: plus(r.unit, r.committed, r.reserved)
        for r in conn.execute(
            select(ACCOUNTS.c.unit, ACCOUNTS.c.committed, ACCOUNTS.c.reserved).where(
                ACCOUNTS.c.key == license_account(number)
            )
        )
    }
    return LicenseFacts(
        number=row.number,
        destination=row.destination,
        consignee=row.consignee,
        end_user=row.end_user,
        end_use=tuple(json.loads(row.end_use)) if row.end_use else (),
        items=tuple(json.loads(row.items)),
        quantity=row.quantity,
        quantity_used=round(spent.get("units", 0.0)),
        value_usd=row.value_usd,
        value_used=spent.get("usd", 0.0),
        tpp=row.tpp,
        tpp_used=spent.get("tpp", 0.0),
        valid_from=_day(row.valid_from),
        expires=_day(row.expires),
        conditions=row.conditions,
        source=row.source,
    )


def licenses(conn: Connection) -> list[LicenseFacts]:
    """Every imported license, by number."""
    numbers = conn.execute(
        select(LICENSES.c.number).order_by(LICENSES.c.number)
    ).scalars()
    return [f for f in (license_facts(conn, n) for n in list(numbers)) if f is not None]


def balances(conn: Connection) -> list[Balance]:
    """Every account balance, in key order."""
    rows = conn.execute(
        select(ACCOUNTS).order_by(ACCOUNTS.c.key, ACCOUNTS.c.unit)
    ).all()
    return [
        Balance(
            account=r.key,
            kind=r.kind,
            unit=r.unit,
            committed=r.committed,
            reserved=r.reserved,
            limit=r.last_limit,
            h100e=r.h100e,
            citation=r.last_citation,
        )
        for r in rows
    ]


def history(conn: Connection, account: str) -> list[HistoryLine]:
    """Every draw on ``account``, oldest first."""
    rows = conn.execute(
        select(DRAWS).where(DRAWS.c.account_key == account).order_by(DRAWS.c.id)
    ).all()
    return [
        HistoryLine(
            order_id=r.order_id,
            unit=r.unit,
            amount=r.amount,
            limit=r.limit,
            used_before=r.used_before,
            h100e=r.h100e,
            status=r.status,
            at=r.created_at,
            citation=r.citation,
        )
        for r in rows
    ]


def order_accounts(conn: Connection, order_id: str) -> list[str]:
    """The accounts an order drew on."""
    return list(
        conn.execute(
            select(DRAWS.c.account_key).where(DRAWS.c.order_id == order_id).distinct()
        ).scalars()
    )


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def holds_draws(conn: Connection) -> bool:
    """Whether any order holds a committed draw (one indexed row read)."""
    found = conn.execute(
        select(DRAWS.c.order_id).where(DRAWS.c.status == "committed").limit(1)
    ).first()
    return found is not None


def held_by_order(
    conn: Connection, order_ids: Sequence[str]
) -> dict[str, dict[tuple[str, str], float]]:
    """What each of the given orders holds committed, per (account, unit)."""
    held: dict[str, dict[tuple[str, str], float]] = {}
    for chunk in _chunks(order_ids):
        rows = conn.execute(
            select(
                DRAWS.c.order_id, DRAWS.c.account_key, DRAWS.c.unit, DRAWS.c.amount
            ).where(DRAWS.c.order_id.in_(chunk), DRAWS.c.status == "committed")
        )
        for order_id, account, unit, amount in rows:
            own = held.setdefault(order_id, {})
            own[(account, unit)] = own.get((account, unit), 0.0) + amount
    return held


def committed_draws(
    conn: Connection, order_ids: Sequence[str]
) -> dict[tuple[str, str], float]:
    """What the given orders hold committed, summed per (account, unit).

    Summed exactly (``decimal_sum``), so the total does not depend on the order the
    orders come back in.
    """
    amounts: dict[tuple[str, str], list[float]] = {}
    for own in held_by_order(conn, order_ids).values():
        for key, amount in own.items():
            amounts.setdefault(key, []).append(amount)
    return {key: decimal_sum(values) for key, values in amounts.items()}


def order_records(conn: Connection, order_ids: Sequence[str]) -> dict[str, OrderRecord]:
    """The ledger's record of each given order on it: status and committing entry.

    Raises:
        StoreError: an order row without its ``order.committed`` audit entry (the
            store was edited outside the ledger; ``audit verify`` says where).
    """
    records: dict[str, OrderRecord] = {}
    for chunk in _chunks(order_ids):
        status = dict(
            conn.execute(
                select(ORDERS.c.order_id, ORDERS.c.status).where(
                    ORDERS.c.order_id.in_(chunk)
                )
            ).all()
        )
        if not status:
            continue
        entries = conn.execute(
            select(ENTRIES.c.seq, ENTRIES.c.order_id, ENTRIES.c.payload)
            .where(
                ENTRIES.c.order_id.in_(sorted(status)),
                ENTRIES.c.kind == "order.committed",
            )
            .order_by(ENTRIES.c.seq)
        )
        for seq, order_id, payload in entries:
            data = json.loads(payload)
            records[order_id] = OrderRecord(
                order_id,
                str(status[order_id]),
                int(seq),
                data["decision"],
                data["draws"],
                data["taken"],
                data.get("order", {}),
            )
        missing = sorted(set(status) - set(records))
        if missing:
            raise StoreError(
                f"order {missing[0]!r} is on the ledger without its audit entry; "
                "run 'chipgate audit verify'"
            )
    return records


def compute_base(
    conn: Connection, holder: str, on: date | None = None
) -> ReportedBase | None:
    """The holder's latest reported compute base as of ``on`` (latest if None)."""
    query = select(BASES).where(BASES.c.holder == holder)
    if on is not None:
        query = query.where(BASES.c.as_of <= on.isoformat())
    row = conn.execute(
        query.order_by(BASES.c.as_of.desc(), BASES.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return ReportedBase(
        holder=row.holder,
        tpp=row.tpp,
        as_of=date.fromisoformat(row.as_of),
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )
