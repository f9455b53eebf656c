"""Columns that fit every value the validators let through.

``ledger_orders.regime`` was VARCHAR(80), but a regime label is a regime plus every
overlay active on the day (95 characters from 2026-06-01 on): it becomes TEXT, since
new overlay packs lengthen it. ``ledger_licenses.quantity`` was a 32-bit INTEGER on
PostgreSQL while the license reader accepts any whole number a double holds exactly:
it becomes BIGINT. SQLite ignores lengths but keeps the declared type, so it gets the
same declarations (column added, copied, old one dropped, since SQLite cannot alter a
column's type in place and the orders table is referenced by the draws).

Revision ID: ledger_0002
Revises: ledger_0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0002"
down_revision: str | Sequence[str] | None = "ledger_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _retype(
    table: str,
    column: str,
    old: sa.types.TypeEngine[Any],
    new: sa.types.TypeEngine[Any],
    *,
    nullable: bool,
) -> None:
    """Change a column's declared type, keeping its values and nullability."""
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            table, column, type_=new, existing_type=old, existing_nullable=nullable
        )
        return
    parked = f"{column}_before_ledger_0002"
    op.execute(sa.text(f'ALTER TABLE {table} RENAME COLUMN "{column}" TO "{parked}"'))
    op.add_column(
        table,
        sa.Column(
            column, new, nullable=nullable, server_default=None if nullable else ""
        ),
    )
    copy = f'UPDATE {table} SET "{column}" = "{parked}"'  # noqa: S608 (names above)
    op.execute(sa.text(copy))
    op.execute(sa.text(f'ALTER TABLE {table} DROP COLUMN "{parked}"'))


def upgrade() -> None:
    _retype("ledger_orders", "regime", sa.String(80), sa.Text(), nullable=False)
    _retype("ledger_licenses", "quantity", sa.Integer(), sa.BigInteger(), nullable=True)


def downgrade() -> None:
    _retype("ledger_licenses", "quantity", sa.BigInteger(), sa.Integer(), nullable=True)
    _retype("ledger_orders", "regime", sa.Text(), sa.String(80), nullable=False)
