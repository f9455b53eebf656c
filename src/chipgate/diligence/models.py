"""Tables of the customer register: customers, screened names, matches, runs, alerts.

They live on the shared ``chipgate.ledger.db.Base`` metadata, so one store holds the
ledger, the fleet and the register; the Alembic branch ``diligence`` (revision
``diligence_0001`` in ``migrations/``) creates them. Written as Core tables because
the register moves rows in bulk (a million customers, their names and matches).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from chipgate.ledger.db import Base

_ID = 200
_STAMP = 40

CUSTOMERS = Table(
    "diligence_customers",
    Base.metadata,
    Column("id", String(_ID), primary_key=True),
    Column("name", Text, nullable=False),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("country", String(2), nullable=True),
    Column("headquarters", String(2), nullable=True),
    Column("parent", Text, nullable=True),
    Column("parent_headquarters", String(2), nullable=True),
    Column("parent_share", Float, nullable=True),
    Column("owners", Text, nullable=False),  # JSON list
    Column("opened", String(10), nullable=True),
    Column("declared_use", Text, nullable=True),
    Column("payment_country", String(2), nullable=True),
    Column("hq_class", String(40), nullable=False),
    Column("hq_detail", Text, nullable=False),  # JSON: reason, citations, day
    Column("imported_at", String(_STAMP), nullable=False),
    Column("import_run", Integer, nullable=False),
)
"""One cloud customer as the provider registered it, with its headquarters class."""

PARTIES = Table(
    "diligence_parties",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "customer_id",
        String(_ID),
        ForeignKey("diligence_customers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("role", String(16), nullable=False),  # customer | alias | parent | owner
    Column("name", Text, nullable=False),
    Column("country", String(2), nullable=True),
    Column("keys", Text, nullable=False),  # normalized words and joined word pairs
)
"""Every name screened for a customer: its own, its aliases, its parent, its owners."""

MATCHES = Table(
    "diligence_matches",
    Base.metadata,
    Column(
        "party_id",
        Integer,
        ForeignKey("diligence_parties.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("entry_key", String(_ID), primary_key=True),
    Column("list_code", String(16), nullable=False),
    Column("entry_id", String(_ID), nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("is_hit", Boolean, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("run_id", Integer, nullable=False),
    Index("ix_diligence_matches_entry", "entry_key"),
)
"""The current matches of each screened name (at the review threshold or above)."""

RUNS = Table(
    "diligence_runs",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # import | delta | full
    Column("at", String(_STAMP), nullable=False),
    Column("who", String(_ID), nullable=False),
    Column("list_key", String(64), nullable=False),
    Column("lists", Text, nullable=False),  # JSON: list sources, files, hashes
    Column("added", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("parties_screened", Integer, nullable=False),
    Column("new_hits", Integer, nullable=False),
    Column("cleared_hits", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
)
"""Each screening of the register, with the list change that caused it."""

LIST_STATE = Table(
    "diligence_list_entries",
    Base.metadata,
    Column("entry_key", String(_ID), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("list_code", String(16), nullable=False),
    Column("name", Text, nullable=False),
)
"""The list entries the register was last screened against, by content hash."""

ALERTS = Table(
    "diligence_alerts",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("diligence_runs.id"), nullable=False),
    Column("customer_id", String(_ID), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("party_name", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # new_hit | cleared_hit
    Column("entry_key", String(_ID), nullable=False),
    Column("list_code", String(16), nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("cause", String(16), nullable=False),  # added | changed | removed | rescored
    Column("status", String(16), nullable=False),  # open | closed
    Column("at", String(_STAMP), nullable=False),
)
"""A hit that appeared or cleared with a list change: the reviewer's work queue."""

USAGE_BATCHES = Table(
    "diligence_usage_batches",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("stored", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("at", String(_STAMP), nullable=False),
    Column("who", String(_ID), nullable=False),
)
"""Each usage file ingested, and where its validated Parquet copy lives."""

COMPUTE = Table(
    "diligence_compute",
    Base.metadata,
    Column("customer_id", String(_ID), primary_key=True),
    Column("summary", Text, nullable=False),  # JSON: GPU-hours, operations, signals
    Column("at", String(_STAMP), nullable=False),
)
"""The last compute estimate of each customer."""

FLAGS = Table(
    "diligence_flags",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(_ID), nullable=False, index=True),
    Column("code", String(60), nullable=False),
    Column("origin", String(16), nullable=False),  # register | usage
    Column("message", Text, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list
    Column("at", String(_STAMP), nullable=False),
)
"""Red flags and compute flags recorded per customer, each explained and cited."""

DECISIONS = Table(
    "diligence_decisions",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(_ID), nullable=True, index=True),
    Column("order_id", String(_ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("record", Text, nullable=False),  # JSON decision record
    Column("at", String(_STAMP), nullable=False),
)
"""Engine decisions taken for the register (transfers of fleet chips)."""

__all__ = [
    "ALERTS",
    "COMPUTE",
    "CUSTOMERS",
    "DECISIONS",
    "FLAGS",
    "LIST_STATE",
    "MATCHES",
    "PARTIES",
    "RUNS",
    "USAGE_BATCHES",
]
