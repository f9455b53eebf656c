"""Licenses record the end user and the end uses they were granted for.

Adds ``ledger_licenses.end_user`` (a party name) and ``ledger_licenses.end_use`` (a
JSON list of declared end uses), both NULL on the licenses already imported: a
license that names no end user keeps today's meaning (its consignee is the end
user) and one that records no end use still lifts no end-use requirement.

A row's image in the audit chain is a digest over every column it has, so the new
columns change the digest of every license row already there. Each row whose image
the chain holds as it stood before the change is imaged again, in one
``audit.rows_reimaged`` entry; a row that already differed from the chain (edited
outside the ledger) is not, so verification still reports it.

Revision ID: ledger_0004
Revises: ledger_0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0004"
down_revision: str | Sequence[str] | None = "ledger_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REIMAGED_KIND = "audit.rows_reimaged"
_TABLE = "ledger_licenses"
_COLUMNS = ("end_user", "end_use")


def upgrade() -> None:
    from chipgate.ledger import audit, coverage

    conn = op.get_bind()
    [before] = coverage.stored_tables(conn, [_TABLE])
    expected = coverage.ExpectedRows()
    chain_ok = audit.verify(conn, expected).ok
    kept = {
        key
        for _, key, digest in coverage.all_images(conn, [before])
        if chain_ok and expected.digests.get((_TABLE, key), (None, 0))[0] == digest
    }
    for column in _COLUMNS:
        op.add_column(_TABLE, sa.Column(column, sa.Text(), nullable=True))
    [after] = coverage.stored_tables(conn, [_TABLE])
    rows = [r for r in coverage.all_images(conn, [after]) if r[1] in kept]
    if rows:
        entry = audit.PendingEntry(
            REIMAGED_KIND,
            "chipgate db upgrade",
            {
                "rows": len(rows),
                "table": _TABLE,
                "note": "license rows imaged again with the new columns "
                "end_user and end_use (empty)",
            },
            rows=tuple(rows),
        )
        audit.append(conn, [entry])


def downgrade() -> None:
    for column in reversed(_COLUMNS):
        op.drop_column(_TABLE, column)
