"""Tables of the review workflow: cases and the steps of their history.

On the shared ``chipgate.ledger.db.Base``; created by the ``service`` migration branch
(``service/migrations``) together with the service's own tables.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Boolean, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from chipgate.ledger.db import Base

_STAMP = 40


class Case(Base):
    """A decision waiting for a person: its state, owner and what it needs."""

    __tablename__ = "service_cases"
    __table_args__ = (Index("ix_service_cases_status", "status"),)

    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(200), index=True)
    decision_id: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of triggers
    four_eyes: Mapped[bool] = mapped_column(Boolean)
    committed: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(24))
    """The approval stage (``model.Status``); escalation is the flag beside it."""
    escalated: Mapped[bool] = mapped_column(Boolean)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    first_approver: Mapped[str | None] = mapped_column(String(200), nullable=True)
    opened_at: Mapped[str] = mapped_column(String(_STAMP))
    updated_at: Mapped[str] = mapped_column(String(_STAMP))
    version: Mapped[int] = mapped_column(Integer)


class CaseEvent(Base):
    """One step of a case's history; the same step is an entry of the audit chain."""

    __tablename__ = "service_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[str] = mapped_column(String(_STAMP))
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    audit_seq: Mapped[int] = mapped_column(Integer)


CASES = cast(Table, Case.__table__)
EVENTS = cast(Table, CaseEvent.__table__)
