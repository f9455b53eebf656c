"""Transfers (in-country) of a provider's fleet chips, decided by the engine.

A provider moving or leasing registered chips to another party (often one of its
own cloud customers) makes a transfer: the chips stay in the country their licence
names, the end user changes. Each group of chips of one model and one licensed
country becomes one order of kind ``transfer``, decided with the same rules, facts
(screening, licences, location alerts) and ledger as ``chipgate check``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from chipgate.book.pipeline import Checker
from chipgate.book.sources import load_sources
from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.diligence.models import CUSTOMERS, DECISIONS
from chipgate.diligence.store import dumps, open_store, register_write
from chipgate.errors import InputError
from chipgate.ledger import Ledger
from chipgate.ledger.audit import utc_now
from chipgate.location.models import FleetChip
from chipgate.location.registry import FleetRegistry
from chipgate.orders.model import EndUse, Kind, Order, Party
from chipgate.settings import Settings


@dataclass(frozen=True)
class Transfer:
    """Fleet chips moved or leased to another party.

    Attributes:
        id: the provider's reference; orders are ``<id>/<n>``.
        day: when the chips change hands.
        chip_ids: registered chips that move.
        recipient: the party receiving them (name, headquarters, parent).
        customer_id: the register customer receiving them, when one does.
        end_use: the recipient's declared end uses.
        lease: leased rather than sold (recorded; the rules treat both alike).
    """

    id: str
    day: date
    chip_ids: tuple[str, ...]
    recipient: Party
    customer_id: str | None = None
    end_use: frozenset[EndUse] = frozenset()
    lease: bool = False


def transfer_orders(transfer: Transfer, chips: Mapping[str, FleetChip]) -> list[Order]:
    """One ``transfer`` order per chip model, licensed country and owner, in that
    order. The owner, who holds the chips and hands them over, is the order's
    consignee: it is screened, and its chips' location alerts apply.

    Raises:
        InputError: a chip id is given more than once (it would count twice).
    """
    repeated = sorted(c for c, n in Counter(transfer.chip_ids).items() if n > 1)
    if repeated:
        raise InputError.single(
            f"chip(s) given more than once: {', '.join(repeated[:10])}; each chip "
            "moves once"
        )
    groups = Counter(
        (chips[c].model, chips[c].licensed_country, chips[c].owner)
        for c in transfer.chip_ids
    )
    return [
        Order(
            id=f"{transfer.id}/{n}",
            date=transfer.day,
            kind=Kind.TRANSFER,
            item=model,
            quantity=count,
            destination=country,
            consignee=Party(name=owner),
            end_user=transfer.recipient,
            end_use=transfer.end_use,
        )
        for n, ((model, country, owner), count) in enumerate(
            sorted(groups.items()), start=1
        )
    ]


def decide_orders(settings: Settings, orders: Sequence[Order]) -> list[Decision]:
    """The adapter to the engine: decide orders as ``chipgate check`` does (screening,
    licences, location alerts and ledger balances as facts; nothing committed)."""
    with Ledger.open(settings) as ledger:
        sources = load_sources(settings, ledger=ledger)
        return Checker(Engine(), sources).decide(list(orders))


def recipient_of(settings: Settings, customer_id: str) -> Party:
    """The register customer as the receiving party (headquarters and parent).

    Raises:
        InputError: no such customer.
    """
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                select(CUSTOMERS).where(CUSTOMERS.c.id == customer_id)
            ).first()
    finally:
        engine.dispose()
    if row is None:
        raise InputError.single(f"no customer {customer_id!r} in the register")
    return Party(
        name=row.name,
        hq=row.headquarters,
        parent=row.parent,
        parent_hq=row.parent_headquarters,
        parent_share=row.parent_share,
    )


def decide_transfer(settings: Settings, transfer: Transfer) -> list[dict[str, Any]]:
    """Decide a transfer of fleet chips and record the decisions with the customer.

    Raises:
        InputError: a chip id is not in the fleet registry, or none was given.
    """
    if not transfer.chip_ids:
        raise InputError.single("no chips to transfer")
    engine = open_store(settings)
    try:
        chips = FleetRegistry(engine).chips(transfer.chip_ids)
        missing = sorted(set(transfer.chip_ids) - set(chips))
        if missing:
            raise InputError.single(
                f"chip(s) not in the fleet registry: {', '.join(missing[:10])}"
            )
        orders = transfer_orders(transfer, chips)
        decisions = decide_orders(settings, orders)
        records = [d.to_record() for d in decisions]
        at = utc_now()
        with register_write(engine) as conn:
            conn.execute(
                insert(DECISIONS),
                [
                    {
                        "customer_id": transfer.customer_id,
                        "order_id": r["id"],
                        "kind": "transfer",
                        "outcome": r["outcome"],
                        "record": dumps({**r, "lease": transfer.lease}),
                        "at": at,
                    }
                    for r in records
                ],
            )
    finally:
        engine.dispose()
    return records
