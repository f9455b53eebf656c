"""Cases in the store: opened with their decision, acted on, listed, shown.

Every step is a row of ``service_case_events`` and an entry of the audit chain,
written in one transaction with the case's new state. A rejected case of a committed
order gives the order's draws back (``ledger.commit.release_in``) in the transaction
that records the rejection, after the case is found unchanged: a rejection on record
always means the draws are released, and a rejection that lost to another officer's
action releases nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from chipgate.cases.model import (
    Action,
    CaseConflict,
    CaseState,
    Status,
    UnknownCase,
    transition,
)
from chipgate.cases.tables import CASES, EVENTS
from chipgate.cases.triggers import Review
from chipgate.cases.writes import write
from chipgate.ledger import audit
from chipgate.ledger.db import read_transaction
from chipgate.ledger.results import ReleaseResult

Release = Callable[[Connection, str, str, str], ReleaseResult]
"""``release(conn, order_id, reason, who)``: give a committed order's draws back
inside the caller's write transaction (``ledger.commit.release_in``)."""


@dataclass(frozen=True, slots=True)
class NewCase:
    """A decision that needs a person, about to get its case."""

    order_id: str
    decision_id: str
    outcome: str
    review: Review
    committed: bool


@dataclass(frozen=True, slots=True)
class CaseEventView:
    """One step of a case's history."""

    at: str
    who: str
    action: str
    status: str
    reason: str
    evidence: str | None
    audit_seq: int


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as listed and shown."""

    case_id: str
    order_id: str
    decision_id: str
    outcome: str
    reasons: tuple[str, ...]
    four_eyes: bool
    committed: bool
    status: str
    escalated: bool
    assignee: str | None
    first_approver: str | None
    opened_at: str
    updated_at: str
    history: tuple[CaseEventView, ...] = ()


def new_case_id() -> str:
    """A random case id (no order can be guessed from it)."""
    return secrets.token_hex(8)


def open_cases(conn: Connection, cases: Sequence[NewCase], who: str) -> list[str]:
    """Open a case for each decision, inside the caller's transaction.

    Each opening is an event and an audit entry. Returns the case ids, in order.
    """
    if not cases:
        return []
    at = audit.utc_now()
    ids = [new_case_id() for _ in cases]
    conn.execute(
        insert(CASES),
        [
            {
                "case_id": case_id,
                "order_id": case.order_id,
                "decision_id": case.decision_id,
                "outcome": case.outcome,
                "reasons": json.dumps([t.value for t in case.review.triggers]),
                "four_eyes": case.review.four_eyes,
                "committed": case.committed,
                "status": Status.OPEN.value,
                "escalated": False,
                "assignee": None,
                "first_approver": None,
                "opened_at": at,
                "updated_at": at,
                "version": 1,
            }
            for case_id, case in zip(ids, cases, strict=True)
        ],
    )
    entries = [
        audit.PendingEntry(
            "case.opened",
            who,
            {
                "case_id": case_id,
                "decision_id": case.decision_id,
                "outcome": case.outcome,
                "reasons": [t.value for t in case.review.triggers],
                "four_eyes": case.review.four_eyes,
            },
            case.order_id,
        )
        for case_id, case in zip(ids, cases, strict=True)
    ]
    seqs = audit.append(conn, entries)
    conn.execute(
        insert(EVENTS),
        [
            {
                "case_id": case_id,
                "at": at,
                "who": who,
                "action": "open",
                "status": Status.OPEN.value,
                "reason": ", ".join(t.value for t in case.review.triggers),
                "evidence": None,
                "audit_seq": seq,
            }
            for case_id, case, seq in zip(ids, cases, seqs, strict=True)
        ],
    )
    return ids


def _view(row: Any, history: Sequence[CaseEventView] = ()) -> CaseView:
    return CaseView(
        case_id=row.case_id,
        order_id=row.order_id,
        decision_id=row.decision_id,
        outcome=row.outcome,
        reasons=tuple(json.loads(row.reasons)),
        four_eyes=bool(row.four_eyes),
        committed=bool(row.committed),
        status=row.status,
        escalated=bool(row.escalated),
        assignee=row.assignee,
        first_approver=row.first_approver,
        opened_at=row.opened_at,
        updated_at=row.updated_at,
        history=tuple(history),
    )


def _unknown(case_id: str) -> UnknownCase:
    return UnknownCase(f"no case with id {case_id!r}")


def get_case(engine: Engine, case_id: str) -> CaseView:
    """One case with its whole history.

    Raises:
        UnknownCase: no case has that id.
    """
    with read_transaction(engine) as conn:
        row = conn.execute(select(CASES).where(CASES.c.case_id == case_id)).first()
        if row is None:
            raise _unknown(case_id)
        events = conn.execute(
            select(EVENTS).where(EVENTS.c.case_id == case_id).order_by(EVENTS.c.id)
        ).all()
    return _view(
        row,
        [
            CaseEventView(
                e.at, e.who, e.action, e.status, e.reason, e.evidence, e.audit_seq
            )
            for e in events
        ],
    )


def list_cases(
    engine: Engine,
    *,
    status: Status | None = None,
    escalated: bool | None = None,
    order_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseView]:
    """Cases, oldest first, optionally of one stage, escalated or not, or of one
    order (an escalated case keeps its stage: ``model``)."""
    query = select(CASES).order_by(CASES.c.opened_at, CASES.c.case_id)
    if status is not None:
        query = query.where(CASES.c.status == status.value)
    if escalated is not None:
        query = query.where(CASES.c.escalated.is_(escalated))
    if order_id is not None:
        query = query.where(CASES.c.order_id == order_id)
    with read_transaction(engine) as conn:
        rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [_view(r) for r in rows]


def _state(row: Any) -> CaseState:
    return CaseState(
        Status(row.status),
        bool(row.four_eyes),
        row.assignee,
        row.first_approver,
        bool(row.escalated),
    )


def act(
    engine: Engine,
    case_id: str,
    action: Action,
    who: str,
    *,
    reason: str,
    evidence: str | None = None,
    assignee: str | None = None,
    release: Release | None = None,
) -> CaseView:
    """Take ``action`` on a case as ``who``; returns the case afterwards.

    Raises:
        UnknownCase: no case has that id.
        InputError: a reason, evidence or assignee missing.
        CaseConflict: the action does not fit the case (see ``model.transition``),
            or another officer changed the case meanwhile.
    """
    current = get_case(engine, case_id)
    state = CaseState(
        Status(current.status),
        current.four_eyes,
        current.assignee,
        current.first_approver,
        current.escalated,
    )
    after = transition(
        state, action, who, reason=reason, evidence=evidence, assignee=assignee
    )
    releases = after.status is Status.REJECTED and current.committed

    def work(conn: Connection) -> None:
        row = conn.execute(
            select(CASES).where(CASES.c.case_id == case_id).with_for_update()
        ).one()
        if _state(row) != state:
            raise CaseConflict(
                f"case {case_id} changed meanwhile (now {row.status}); read it again"
            )
        released: ReleaseResult | None = None
        if releases and release is not None:
            # only now: an approval sent at the same moment may have won, and
            # its approved order keeps its draws
            released = release(
                conn, current.order_id, f"case {case_id} rejected: {reason}", who
            )
        at = audit.utc_now()
        conn.execute(
            update(CASES)
            .where(CASES.c.case_id == case_id)
            .values(
                status=after.status.value,
                escalated=after.escalated,
                assignee=after.assignee,
                first_approver=after.first_approver,
                updated_at=at,
                version=row.version + 1,
            )
        )
        payload: dict[str, Any] = {
            "case_id": case_id,
            "action": action.value,
            "status": after.status.value,
            "escalated": after.escalated,
            "reason": reason,
        }
        if evidence:
            payload["evidence"] = evidence
        if assignee:
            payload["assignee"] = assignee
        if released is not None:
            # an order released before (``/v1/ledger/release``) gives nothing back
            # now: the entry says so rather than claim this rejection released it
            payload["draws_released"] = not released.already_released
        [seq] = audit.append(
            conn,
            [audit.PendingEntry(f"case.{action.value}", who, payload, row.order_id)],
        )
        conn.execute(
            insert(EVENTS),
            [
                {
                    "case_id": case_id,
                    "at": at,
                    "who": who,
                    "action": action.value,
                    "status": after.status.value,
                    "reason": reason,
                    "evidence": evidence,
                    "audit_seq": seq,
                }
            ],
        )

    write(engine, work)
    return get_case(engine, case_id)
