"""A case's escalation becomes a flag beside its approval stage.

``service_cases.status`` held ``escalated`` in place of the stage, so a case
escalated while awaiting its second approval was no longer found among the cases
``awaiting_second`` (and assigning it afterwards made it ``assigned`` although its
first approval stood). The new column ``escalated`` holds the flag, and every
escalated row gets back the stage its own columns show: a first approval on a case
not yet closed means ``awaiting_second`` (only a four-eyes case keeps a first
approval open), else an assignee means ``assigned``, else ``open``. A row that lost
its stage to the old assign (``assigned`` with a first approval) is put back to
``awaiting_second`` the same way. The case history is append-only and unchanged.

Revision ID: service_0002
Revises: service_0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "service_0002"
down_revision: str | Sequence[str] | None = "service_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CASES = sa.table(
    "service_cases",
    sa.column("status", sa.String),
    sa.column("escalated", sa.Boolean),
    sa.column("assignee", sa.String),
    sa.column("first_approver", sa.String),
)
_CLOSED = ("approved", "rejected")


def upgrade() -> None:
    """Add the flag, then give escalated cases back their approval stage."""
    op.add_column(
        "service_cases",
        sa.Column("escalated", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    c = _CASES.c
    op.execute(
        _CASES.update()
        .where(c.status == "escalated")
        .values(
            escalated=True,
            status=sa.case(
                (c.first_approver.is_not(None), "awaiting_second"),
                (c.assignee.is_not(None), "assigned"),
                else_="open",
            ),
        )
    )
    op.execute(
        _CASES.update()
        .where(c.status == "assigned", c.first_approver.is_not(None))
        .values(status="awaiting_second")
    )


def downgrade() -> None:
    """Fold the flag back into the status of cases not yet closed."""
    c = _CASES.c
    op.execute(
        _CASES.update()
        .where(c.escalated.is_(True), c.status.not_in(_CLOSED))
        .values(status="escalated")
    )
    op.drop_column("service_cases", "escalated")
