"""Location branch base: fleet registry, diversion alerts, seen nonces.

Revision ID: 5c1a0e7d2b41
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "5c1a0e7d2b41"
down_revision = None
branch_labels = ("location",)
depends_on = None


def upgrade() -> None:
    """Create the three location tables."""
    op.create_table(
        "location_chips",
        sa.Column("chip_id", sa.String(128), primary_key=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(256), nullable=False),
        sa.Column("owner_key", sa.String(256), nullable=False),
        sa.Column("licensed_country", sa.String(2), nullable=False),
        sa.Column("licensed_site", sa.String(256), nullable=False),
        sa.Column("site_lat", sa.Float, nullable=True),
        sa.Column("site_lon", sa.Float, nullable=True),
        sa.Column("license_ref", sa.String(128), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_location_chips_owner_key", "location_chips", ["owner_key"])
    op.create_table(
        "location_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "chip_id",
            sa.String(128),
            sa.ForeignKey("location_chips.chip_id"),
            nullable=False,
        ),
        sa.Column("owner", sa.String(256), nullable=False),
        sa.Column("owner_key", sa.String(256), nullable=False),
        sa.Column("licensed_country", sa.String(2), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_wkt", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("chip_id", "observed_at"),
    )
    op.create_index("ix_location_alerts_owner_key", "location_alerts", ["owner_key"])
    op.create_table(
        "location_nonces",
        sa.Column("landmark_id", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(128), primary_key=True),
        sa.Column("record_digest", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the three location tables."""
    op.drop_table("location_nonces")
    op.drop_index("ix_location_alerts_owner_key", "location_alerts")
    op.drop_table("location_alerts")
    op.drop_index("ix_location_chips_owner_key", "location_chips")
    op.drop_table("location_chips")
