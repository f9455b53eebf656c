"""Tables of the allocation ledger and its audit chain.

Accounts hold running totals so that a draw is one guarded update; draws, orders and
audit entries are the detail an auditor reads. Amounts are double precision: every
legal limit is a whole number of TPP or units well inside 2**53, and a dollar amount
(to the cent, at most 15 digits) is the float nearest its exact decimal, whose sums
are made in decimals (``chipgate.money``), never by the store.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from chipgate.ledger.db import Base
from chipgate.limits import (
    ACCOUNT_KEY_MAX,
    AUDIT_KIND_MAX,
    DRAW_KIND_MAX,
    HOLDER_MAX,
    LICENSE_NUMBER_MAX,
    ORDER_ID_MAX,
    RULES_VERSION_MAX,
    STAMP_MAX,
    UNIT_MAX,
    USER_MAX,
)


class Account(Base):
    """One balance: a cap, an allocation, a quota or a license, in one unit.

    A license is depleted in several units at once (units, value, TPP), so the key
    of a balance is the account key together with its unit.
    """

    __tablename__ = "ledger_accounts"

    key: Mapped[str] = mapped_column(String(ACCOUNT_KEY_MAX), primary_key=True)
    unit: Mapped[str] = mapped_column(String(UNIT_MAX), primary_key=True)
    kind: Mapped[str] = mapped_column(String(DRAW_KIND_MAX))
    committed: Mapped[float] = mapped_column(Float, default=0.0)
    reserved: Mapped[float] = mapped_column(Float, default=0.0)
    h100e: Mapped[float] = mapped_column(Float, default=0.0)
    last_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_citation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(STAMP_MAX))
    updated_at: Mapped[str] = mapped_column(String(STAMP_MAX))


class Order(Base):
    """An order whose decision was committed; its id makes commits idempotent."""

    __tablename__ = "ledger_orders"

    order_id: Mapped[str] = mapped_column(String(ORDER_ID_MAX), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # committed | released
    regime: Mapped[str] = mapped_column(Text)  # length set by the packs
    rules_version: Mapped[str] = mapped_column(String(RULES_VERSION_MAX))
    who: Mapped[str] = mapped_column(String(USER_MAX))
    committed_at: Mapped[str] = mapped_column(String(STAMP_MAX))
    released_at: Mapped[str | None] = mapped_column(String(STAMP_MAX), nullable=True)
    release_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DrawRow(Base):
    """One ``now`` draw of one committed order on one account balance."""

    __tablename__ = "ledger_draws"
    __table_args__ = (Index("ix_ledger_draws_account", "account_key", "unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(
        String(ORDER_ID_MAX), ForeignKey("ledger_orders.order_id"), index=True
    )
    account_key: Mapped[str] = mapped_column(String(ACCOUNT_KEY_MAX))
    unit: Mapped[str] = mapped_column(String(UNIT_MAX))
    kind: Mapped[str] = mapped_column(String(DRAW_KIND_MAX))
    amount: Mapped[float] = mapped_column(Float)
    limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    used_before: Mapped[float] = mapped_column(Float)
    h100e: Mapped[float] = mapped_column(Float)
    citation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # committed | released
    created_at: Mapped[str] = mapped_column(String(STAMP_MAX))


class License(Base):
    """A license the user imported; its balances are accounts ``license/<number>``."""

    __tablename__ = "ledger_licenses"

    number: Mapped[str] = mapped_column(String(LICENSE_NUMBER_MAX), primary_key=True)
    items: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    quantity: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    value_usd: Mapped[float | None] = mapped_column(Float, nullable=True)
    tpp: Mapped[float | None] = mapped_column(Float, nullable=True)
    destination: Mapped[str | None] = mapped_column(String(2), nullable=True)
    consignee: Mapped[str | None] = mapped_column(Text, nullable=True)
    end_user: Mapped[str | None] = mapped_column(Text, nullable=True)
    """None: the license names no end user, so its consignee is the end user."""
    end_use: Mapped[str | None] = mapped_column(Text, nullable=True)
    """JSON list of the declared end uses it was granted for; None: it records none."""
    valid_from: Mapped[str | None] = mapped_column(String(10), nullable=True)
    expires: Mapped[str | None] = mapped_column(String(10), nullable=True)
    conditions: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[str] = mapped_column(String(STAMP_MAX))
    imported_by: Mapped[str] = mapped_column(String(USER_MAX))


class ComputeBaseReport(Base):
    """A UVEU holder's reported compute base, against which shares are checked."""

    __tablename__ = "ledger_compute_bases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    holder: Mapped[str] = mapped_column(String(HOLDER_MAX), index=True)
    tpp: Mapped[float] = mapped_column(Float)
    as_of: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[str] = mapped_column(String(STAMP_MAX))
    recorded_by: Mapped[str] = mapped_column(String(USER_MAX))


class AuditEntry(Base):
    """One link of the hash chain. Rows are only ever inserted."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(STAMP_MAX))
    kind: Mapped[str] = mapped_column(String(AUDIT_KIND_MAX))
    who: Mapped[str] = mapped_column(String(USER_MAX))
    order_id: Mapped[str | None] = mapped_column(
        String(ORDER_ID_MAX), nullable=True, index=True
    )
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    rows: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Canonical JSON of the images of the ledger rows the entry wrote."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row every append locks, so the chain can never fork."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


ACCOUNTS = cast(Table, Account.__table__)
ORDERS = cast(Table, Order.__table__)
DRAWS = cast(Table, DrawRow.__table__)
LICENSES = cast(Table, License.__table__)
BASES = cast(Table, ComputeBaseReport.__table__)
ENTRIES = cast(Table, AuditEntry.__table__)
HEAD = cast(Table, AuditHead.__table__)
