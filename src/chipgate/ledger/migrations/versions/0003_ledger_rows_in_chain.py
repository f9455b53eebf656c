"""Audit entries carry the images of the ledger rows they wrote.

Adds ``audit_entries.rows`` (canonical JSON of ``[table, key, digest]`` per row,
hashed with the entry; entries before it keep their hashes). A store that already
holds ledger rows gets one ``audit.rows_covered`` entry with the image of every row
as it stands, so verification compares later changes with that baseline: rows
edited before this migration cannot be told apart from genuine ones.

Revision ID: ledger_0003
Revises: ledger_0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0003"
down_revision: str | Sequence[str] | None = "ledger_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASELINE_KIND = "audit.rows_covered"


def upgrade() -> None:
    from chipgate.ledger import audit, coverage

    op.add_column("audit_entries", sa.Column("rows", sa.Text, nullable=True))
    conn = op.get_bind()
    # the tables as this revision leaves them: later revisions add model columns
    rows = coverage.all_images(conn, coverage.stored_tables(conn))
    if rows:
        entry = audit.PendingEntry(
            BASELINE_KIND,
            "chipgate db upgrade",
            {"rows": len(rows), "note": "ledger rows as they stood when covered"},
            rows=tuple(rows),
        )
        audit.append(conn, [entry])


def downgrade() -> None:
    op.drop_column("audit_entries", "rows")
