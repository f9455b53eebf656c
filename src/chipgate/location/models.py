"""Tables of the fleet registry, its diversion alerts and the nonces already seen.

All live on the shared ``chipgate.ledger.db.Base`` so one store (SQLite by default,
PostgreSQL by URL) holds the ledger and the fleet; the Alembic branch ``location`` in
``migrations/`` creates them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chipgate.ledger.db import Base
from chipgate.limits import USER_MAX


class FleetChip(Base):
    """A chip the operator must keep where its license says."""

    __tablename__ = "location_chips"

    chip_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    model: Mapped[str] = mapped_column(String(128))
    public_key: Mapped[str] = mapped_column(String(64), index=True)
    """Base64 of the 32 raw key bytes; one device key belongs to one chip."""
    owner: Mapped[str] = mapped_column(String(256))
    owner_key: Mapped[str] = mapped_column(String(256), index=True)
    licensed_country: Mapped[str] = mapped_column(String(2))
    licensed_site: Mapped[str] = mapped_column(String(256))
    site_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    site_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    license_ref: Mapped[str] = mapped_column(String(128))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DiversionAlert(Base):
    """A ``diverted`` or ``relocated`` verdict: the chip left its licensed place.

    ``latest_*`` carry the newest verdict on the chip verified since (a clean one
    too: it never closes the alert, but the officer deciding to close reads it);
    ``closed_*`` say who closed the alert, when and why (only a person does).
    """

    __tablename__ = "location_alerts"
    __table_args__ = (UniqueConstraint("chip_id", "observed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chip_id: Mapped[str] = mapped_column(ForeignKey("location_chips.chip_id"))
    owner: Mapped[str] = mapped_column(String(256))
    owner_key: Mapped[str] = mapped_column(String(256), index=True)
    licensed_country: Mapped[str] = mapped_column(String(2))
    verdict: Mapped[str] = mapped_column(String(16))
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    region_wkt: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    latest_verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    latest_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    latest_evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    closed_by: Mapped[str | None] = mapped_column(String(USER_MAX), nullable=True)
    close_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class SeenNonce(Base):
    """A landmark nonce already used in a verified record, with that record's digest.

    Verifying the same record again is harmless; a different record that reuses the
    nonce is a replay.
    """

    __tablename__ = "location_nonces"

    landmark_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    record_digest: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
