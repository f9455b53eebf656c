"""Tables of the service: API keys, recorded decisions, book jobs.

They live on the shared ``chipgate.ledger.db.Base`` so that one store (SQLite by
default, PostgreSQL for several users) holds the ledger, the fleet registry and the
service, migrated together (the ``service`` Alembic branch, ``service/migrations``).
JSON columns are canonical text, as in the audit chain, so both dialects store them
alike.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Boolean, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from chipgate.ledger.db import Base

_STAMP = 40


class ApiKey(Base):
    """An API key: only the SHA-256 of the secret is kept, never the key itself."""

    __tablename__ = "service_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(_STAMP))
    created_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[str | None] = mapped_column(String(_STAMP), nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class RecordedDecision(Base):
    """A decision the service made, kept so that it can be fetched by its id."""

    __tablename__ = "service_decisions"

    decision_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(200), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    regime: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(_STAMP))
    principal: Mapped[str] = mapped_column(String(200))
    committed: Mapped[bool] = mapped_column(Boolean, default=False)
    order: Mapped[str] = mapped_column(Text)  # canonical JSON of the order
    record: Mapped[str] = mapped_column(Text)  # the output record
    reasoning: Mapped[str] = mapped_column(Text)  # findings, facts, case reasons


class BookJob(Base):
    """An uploaded order book decided in the background, with its progress."""

    __tablename__ = "service_jobs"

    job_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # queued|running|done|failed
    filename: Mapped[str] = mapped_column(String(300))
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    options: Mapped[str] = mapped_column(Text, default="{}")
    outcomes: Mapped[str] = mapped_column(Text, default="{}")
    problems: Mapped[str] = mapped_column(Text, default="[]")
    principal: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(_STAMP))
    finished_at: Mapped[str | None] = mapped_column(String(_STAMP), nullable=True)


KEYS = cast(Table, ApiKey.__table__)
DECISIONS = cast(Table, RecordedDecision.__table__)
JOBS = cast(Table, BookJob.__table__)
