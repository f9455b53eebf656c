"""Diligence branch base: customer register, screened names, matches, runs, alerts,
usage batches, compute estimates, flags and decisions.

Revision ID: diligence_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "diligence_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("diligence",)
depends_on: str | Sequence[str] | None = None

_ID = sa.String(200)
_STAMP = sa.String(40)


def upgrade() -> None:
    """Create the register's tables."""
    op.create_table(
        "diligence_customers",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("headquarters", sa.String(2), nullable=True),
        sa.Column("parent", sa.Text, nullable=True),
        sa.Column("parent_headquarters", sa.String(2), nullable=True),
        sa.Column("parent_share", sa.Float, nullable=True),
        sa.Column("owners", sa.Text, nullable=False),
        sa.Column("opened", sa.String(10), nullable=True),
        sa.Column("declared_use", sa.Text, nullable=True),
        sa.Column("payment_country", sa.String(2), nullable=True),
        sa.Column("hq_class", sa.String(40), nullable=False),
        sa.Column("hq_detail", sa.Text, nullable=False),
        sa.Column("imported_at", _STAMP, nullable=False),
        sa.Column("import_run", sa.Integer, nullable=False),
    )
    op.create_table(
        "diligence_parties",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "customer_id",
            _ID,
            sa.ForeignKey("diligence_customers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("keys", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_diligence_parties_customer_id", "diligence_parties", ["customer_id"]
    )
    op.create_table(
        "diligence_matches",
        sa.Column(
            "party_id",
            sa.Integer,
            sa.ForeignKey("diligence_parties.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entry_key", _ID, primary_key=True),
        sa.Column("list_code", sa.String(16), nullable=False),
        sa.Column("entry_id", _ID, nullable=False),
        sa.Column("matched_name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("is_hit", sa.Boolean, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_diligence_matches_entry", "diligence_matches", ["entry_key"])
    op.create_table(
        "diligence_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("who", _ID, nullable=False),
        sa.Column("list_key", sa.String(64), nullable=False),
        sa.Column("lists", sa.Text, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("parties_screened", sa.Integer, nullable=False),
        sa.Column("new_hits", sa.Integer, nullable=False),
        sa.Column("cleared_hits", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
    )
    op.create_table(
        "diligence_list_entries",
        sa.Column("entry_key", _ID, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("list_code", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_table(
        "diligence_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("diligence_runs.id"), nullable=False
        ),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("party_name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entry_key", _ID, nullable=False),
        sa.Column("list_code", sa.String(16), nullable=False),
        sa.Column("matched_name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", _STAMP, nullable=False),
    )
    op.create_index(
        "ix_diligence_alerts_customer_id", "diligence_alerts", ["customer_id"]
    )
    op.create_table(
        "diligence_usage_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stored", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("who", _ID, nullable=False),
    )
    op.create_table(
        "diligence_compute",
        sa.Column("customer_id", _ID, primary_key=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("at", _STAMP, nullable=False),
    )
    op.create_table(
        "diligence_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", _ID, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("citations", sa.Text, nullable=False),
        sa.Column("at", _STAMP, nullable=False),
    )
    op.create_index(
        "ix_diligence_flags_customer_id", "diligence_flags", ["customer_id"]
    )
    op.create_table(
        "diligence_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", _ID, nullable=True),
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("at", _STAMP, nullable=False),
    )
    op.create_index(
        "ix_diligence_decisions_customer_id", "diligence_decisions", ["customer_id"]
    )


def downgrade() -> None:
    """Drop the register's tables."""
    for table in (
        "diligence_decisions",
        "diligence_flags",
        "diligence_compute",
        "diligence_usage_batches",
        "diligence_alerts",
        "diligence_list_entries",
        "diligence_runs",
        "diligence_matches",
        "diligence_parties",
        "diligence_customers",
    ):
        op.drop_table(table)
