"""Service branch base: API keys, recorded decisions, book jobs, review cases.

Revision ID: service_0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "service_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("service",)
depends_on: str | Sequence[str] | None = None

_STAMP = sa.String(40)


def upgrade() -> None:
    """Create the five service tables."""
    op.create_table(
        "service_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", _STAMP, nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
    )
    op.create_table(
        "service_decisions",
        sa.Column("decision_id", sa.String(32), primary_key=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("regime", sa.String(80), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("committed", sa.Boolean, nullable=False),
        sa.Column("order", sa.Text, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("reasoning", sa.Text, nullable=False),
    )
    op.create_index("ix_service_decisions_order_id", "service_decisions", ["order_id"])
    op.create_table(
        "service_jobs",
        sa.Column("job_id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("outcomes", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("finished_at", _STAMP, nullable=True),
    )
    op.create_table(
        "service_cases",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("decision_id", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("four_eyes", sa.Boolean, nullable=False),
        sa.Column("committed", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.Column("first_approver", sa.String(200), nullable=True),
        sa.Column("opened_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_service_cases_order_id", "service_cases", ["order_id"])
    op.create_index("ix_service_cases_status", "service_cases", ["status"])
    op.create_table(
        "service_case_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=True),
        sa.Column("audit_seq", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_service_case_events_case_id", "service_case_events", ["case_id"]
    )


def downgrade() -> None:
    """Drop the service tables."""
    for table in (
        "service_case_events",
        "service_cases",
        "service_jobs",
        "service_decisions",
        "service_keys",
    ):
        op.drop_table(table)
