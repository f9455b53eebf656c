"""Ledger accounts, orders, draws, licenses, compute bases and the audit chain.

Revision ID: ledger_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from chipgate.ledger.db import append_only_sql, drop_append_only_sql

revision: str = "ledger_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ledger",)
depends_on: str | Sequence[str] | None = None

_STAMP = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("unit", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("committed", sa.Float, nullable=False),
        sa.Column("reserved", sa.Float, nullable=False),
        sa.Column("h100e", sa.Float, nullable=False),
        sa.Column("last_limit", sa.Float, nullable=True),
        sa.Column("last_citation", sa.Text, nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
    )
    op.create_table(
        "ledger_orders",
        sa.Column("order_id", sa.String(200), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("regime", sa.String(80), nullable=False),
        sa.Column("rules_version", sa.String(200), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("committed_at", _STAMP, nullable=False),
        sa.Column("released_at", _STAMP, nullable=True),
        sa.Column("release_reason", sa.Text, nullable=True),
    )
    op.create_table(
        "ledger_draws",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "order_id",
            sa.String(200),
            sa.ForeignKey("ledger_orders.order_id"),
            nullable=False,
        ),
        sa.Column("account_key", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("limit", sa.Float, nullable=True),
        sa.Column("used_before", sa.Float, nullable=False),
        sa.Column("h100e", sa.Float, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
    )
    op.create_index("ix_ledger_draws_order_id", "ledger_draws", ["order_id"])
    op.create_index("ix_ledger_draws_account", "ledger_draws", ["account_key", "unit"])
    op.create_table(
        "ledger_licenses",
        sa.Column("number", sa.String(64), primary_key=True),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=True),
        sa.Column("value_usd", sa.Float, nullable=True),
        sa.Column("tpp", sa.Float, nullable=True),
        sa.Column("destination", sa.String(2), nullable=True),
        sa.Column("consignee", sa.Text, nullable=True),
        sa.Column("valid_from", sa.String(10), nullable=True),
        sa.Column("expires", sa.String(10), nullable=True),
        sa.Column("conditions", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("imported_at", _STAMP, nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "ledger_compute_bases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("tpp", sa.Float, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("recorded_at", _STAMP, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index(
        "ix_ledger_compute_bases_holder", "ledger_compute_bases", ["holder"]
    )
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_entries_order_id", "audit_entries", ["order_id"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.execute(
        sa.text(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :genesis)"
        ).bindparams(genesis="0" * 64)
    )
    for statement in append_only_sql(op.get_bind().dialect.name, "audit_entries"):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_sql(op.get_bind().dialect.name, "audit_entries"):
        op.execute(statement)
    for table in (
        "audit_head",
        "audit_entries",
        "ledger_compute_bases",
        "ledger_licenses",
        "ledger_draws",
        "ledger_orders",
        "ledger_accounts",
    ):
        op.drop_table(table)
