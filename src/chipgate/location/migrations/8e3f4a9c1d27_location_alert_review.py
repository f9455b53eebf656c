"""Location alerts carry the newest verdict and their closure; chip keys indexed.

Revision ID: 8e3f4a9c1d27
Revises: 5c1a0e7d2b41
Create Date: 2026-12-07

Every new column is nullable, so the alerts of an existing store keep their rows:
an open alert has no closure yet, and no later verdict until a verification adds it.
The index on ``location_chips.public_key`` serves the check that one device key is
registered for one chip (not a unique index: a store registered before that check
may hold a shared key, and must still open so an officer can re-register the chip).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "8e3f4a9c1d27"
down_revision = "5c1a0e7d2b41"
branch_labels = None
depends_on = None

_ALERT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("latest_verdict", sa.String(16)),
    ("latest_at", sa.DateTime(timezone=True)),
    ("latest_evidence", sa.Text()),
    ("closed_at", sa.DateTime(timezone=True)),
    ("closed_by", sa.String(200)),
    ("close_reason", sa.Text()),
)


def upgrade() -> None:
    """Add the review columns to alerts and index the chips' public keys."""
    for name, kind in _ALERT_COLUMNS:
        op.add_column("location_alerts", sa.Column(name, kind, nullable=True))
    op.create_index("ix_location_chips_public_key", "location_chips", ["public_key"])


def downgrade() -> None:
    """Drop them again (SQLite rebuilds the table to drop columns)."""
    op.drop_index("ix_location_chips_public_key", "location_chips")
    with op.batch_alter_table("location_alerts") as batch:
        for name, _ in reversed(_ALERT_COLUMNS):
            batch.drop_column(name)
