"""Licenses record the end user and the end uses they were granted for.

Adds ``ledger_licenses.end_user`` (a party name) and ``ledger_licenses.end_use`` (a
JSON list of declared end uses), both NULL on the licenses already imported: a
license that names no end user keeps today's meaning (its consignee is the end
user) and one that records no end use still lifts no end-use requirement.

A row's image in the audit chain is a digest over every column it has, so the new
columns change the digest of every license row already there. Each row whose image
the chain holds as it stood before the change is imaged again, in one
``audit.rows_reimaged`` entry; a row that already differed from the chain (edited
outside the ledger) is not, so verification still reports it. When the chain itself
does not verify, its images cannot be trusted and no row is imaged again: the
migration says so in a warning (logger ``chipgate.ledger.migrations``), since every
license row will then differ from the chain as well.

The downgrade is the same change the other way, and only while no license records
an end user or end use: dropping the columns would then drop what those licenses were
granted for, and imaging the rows again would hide that loss from verification, so
such a downgrade is refused, naming the licenses, with nothing changed. Otherwise the
rows that match the chain with the two columns are imaged again without them, so the
chain still verifies after it.

Revision ID: ledger_0004
Revises: ledger_0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0004"
down_revision: str | Sequence[str] | None = "ledger_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REIMAGED_KIND = "audit.rows_reimaged"
_TABLE = "ledger_licenses"
_COLUMNS = ("end_user", "end_use")

log = logging.getLogger("chipgate.ledger.migrations")


def upgrade() -> None:
    def add() -> None:
        for column in _COLUMNS:
            op.add_column(_TABLE, sa.Column(column, sa.Text(), nullable=True))

    _reimaging(
        add,
        "license rows imaged again with the new columns end_user and end_use (empty)",
        "upgrade",
    )


def downgrade() -> None:
    _refuse_recorded_parties()

    def drop() -> None:
        for column in reversed(_COLUMNS):
            op.drop_column(_TABLE, column)

    _reimaging(
        drop,
        "license rows imaged again without the columns end_user and "
        "end_use (downgrade)",
        "downgrade",
    )


def _refuse_recorded_parties() -> None:
    """Stop the downgrade when a license records an end user or end use: the
    columns would go with the facts they hold, and a license granted to one end user
    for one use would cover any after the next upgrade."""
    from chipgate.errors import StoreError

    table = sa.table(_TABLE, *(sa.column(c) for c in ("number", *_COLUMNS)))
    numbers = (
        op.get_bind()
        .execute(
            sa.select(table.c.number)
            .where(sa.or_(*(table.c[c].is_not(None) for c in _COLUMNS)))
            .order_by(table.c.number)
        )
        .scalars()
        .all()
    )
    if numbers:
        shown = ", ".join(numbers[:10]) + (" ..." if len(numbers) > 10 else "")
        raise StoreError(
            f"ledger_0004 downgrade refused: {len(numbers)} license(s) record the end "
            f"user or end use they were granted for ({shown}); dropping the columns "
            "would lose it, so this store cannot go below ledger_0004"
        )


def _reimaging(change: Callable[[], None], note: str, step: str) -> None:
    """Make ``change`` to the license table and image again, in one audit entry,
    every row that matched the chain before it.

    A row that differed from the chain (edited outside the ledger) keeps its old
    image, so verification goes on reporting it. A chain that does not verify
    re-images nothing, and the warning says why and what verification will show.
    """
    from chipgate.ledger import audit, coverage

    conn = op.get_bind()
    [before] = coverage.stored_tables(conn, [_TABLE])
    expected = coverage.ExpectedRows()
    report = audit.verify(conn, expected)
    if not report.ok:
        log.warning(
            "ledger_0004 %s: license rows not imaged again, because the audit chain "
            "does not verify (entry %s: %s); every license row will therefore also "
            "differ from the chain, and `chipgate audit verify` will name them",
            step,
            report.first_bad_seq,
            report.reason,
        )
    kept = {
        key
        for _, key, digest in coverage.all_images(conn, [before])
        if report.ok and expected.digests.get((_TABLE, key), (None, 0))[0] == digest
    }
    change()
    [after] = coverage.stored_tables(conn, [_TABLE])
    rows = [r for r in coverage.all_images(conn, [after]) if r[1] in kept]
    if rows:
        entry = audit.PendingEntry(
            REIMAGED_KIND,
            f"chipgate db {step}",
            {"rows": len(rows), "table": _TABLE, "note": note},
            rows=tuple(rows),
        )
        audit.append(conn, [entry])
