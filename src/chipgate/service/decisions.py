"""Decisions the service made, kept by id, and the cases they open.

A decision is recorded with the order it answered, its output record and its
reasoning chain (findings with citations, and the facts gathered: screening matches,
licences, location alerts). A decision that needs a person opens a case in the same
transaction, so no such decision is ever on record without its case. Records go
through the worker's group writer (``service.writer``): a request is answered once
its decisions are committed.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select, update

from chipgate.cases.model import Status
from chipgate.cases.store import NewCase, open_cases
from chipgate.cases.tables import CASES, EVENTS
from chipgate.cases.triggers import Review, Trigger, review_of
from chipgate.errors import ChipgateError
from chipgate.ledger import CommitStatus
from chipgate.ledger.audit import PendingEntry, append, utc_now
from chipgate.ledger.canonical import stored_json
from chipgate.ledger.db import insert_plain, read_transaction
from chipgate.service.tables import DECISIONS

if TYPE_CHECKING:  # the writer process imports this module, not the engine
    from chipgate.service.runtime import Decided
    from chipgate.service.writer import Writes


CHECKED_AGAIN = "checked_again"
"""The step a repeated check adds to the case it joins (``keep_decisions``)."""


class UnknownDecision(ChipgateError, LookupError):
    """No decision has the id asked for."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """Where a decision was kept, and the case it opened (if it needed one)."""

    decision_id: str
    case_id: str | None
    triggers: tuple[str, ...]
    four_eyes: bool


def _committed(item: Decided) -> bool:
    return item.commit is not None and item.commit.status is CommitStatus.COMMITTED


def _opens_case(item: Decided) -> bool:
    """A commit that drew nothing new (refused, or committed before) opens none."""
    return item.commit is None or _committed(item)


def record(
    writer: Writes, items: Sequence[Decided], who: str, *, review: bool = True
) -> Future[list[Recorded]]:
    """Keep the decisions; open a case for each that needs a person (``review``).

    The rows go to the worker's group writer: the future resolves once the
    transaction holding them (and their cases) has committed, and only then may the
    caller answer.
    """
    at = utc_now()
    ids = [secrets.token_hex(8) for _ in items]
    reviews = [review_of(item.record, item.screening) for item in items]
    rows = []
    for decision_id, item, found in zip(ids, items, reviews, strict=True):
        reasoning = {
            **item.reasoning,
            "review": {
                "triggers": [t.value for t in found.triggers],
                "four_eyes": found.four_eyes,
            },
        }
        rows.append(
            {
                "decision_id": decision_id,
                "order_id": item.order.id,
                "outcome": item.record["outcome"],
                "regime": item.record["regime"],
                "created_at": at,
                "principal": who,
                "committed": _committed(item),
                "order": stored_json(item.order_payload),
                "record": stored_json(item.record),
                "reasoning": stored_json(reasoning),
            }
        )
    wanted = [
        (
            index,
            NewCase(
                item.order.id,
                ids[index],
                item.record["outcome"],
                reviews[index],
                _committed(item),
            ),
        )
        for index, item in enumerate(items)
        if review and reviews[index].needed and _opens_case(item)
    ]

    if not rows:
        done: Future[list[Recorded]] = Future()
        done.set_result([])
        return done
    kept: Future[list[Recorded]] = Future()

    def recorded(written: Future[list[str]]) -> None:
        error = written.exception()
        if error is not None:
            kept.set_exception(error)
            return
        by_index = {
            index: case_id
            for (index, _), case_id in zip(wanted, written.result(), strict=True)
        }
        kept.set_result(
            [
                Recorded(
                    ids[i],
                    by_index.get(i),
                    tuple(t.value for t in reviews[i].triggers),
                    reviews[i].four_eyes,
                )
                for i in range(len(items))
            ]
        )

    cases = [
        {
            "order_id": case.order_id,
            "decision_id": case.decision_id,
            "outcome": case.outcome,
            "triggers": [t.value for t in case.review.triggers],
            "committed": case.committed,
        }
        for _, case in wanted
    ]
    writer.submit(partial(keep_decisions, rows, cases, who)).add_done_callback(recorded)
    return kept


def keep_decisions(
    rows: list[dict[str, Any]], cases: list[dict[str, Any]], who: str, conn: Connection
) -> list[str]:
    """Insert decision rows and open their cases, in the writer's transaction; the
    case ids, in order. (A module function of JSON values, so that the write can
    travel to the writer process: ``service.writer_process``.)

    A check that repeats one still waiting for an officer (the same order, the
    same decision, nothing committed) joins that case as a step of its history
    instead of opening another: a system that checks an order on every edit
    would otherwise fill the queue with copies of one question, and an officer
    could approve one copy while another stayed open. (One request never holds
    an order id twice: ``routers.orders`` refuses it.)
    """
    insert_plain(conn, DECISIONS, rows)
    by_id = {row["decision_id"]: row for row in rows}
    ids: list[str | None] = [
        None
        if case["committed"]
        else waiting_case(conn, case, by_id[case["decision_id"]])
        for case in cases
    ]
    joined = [
        (case_id, case) for case_id, case in zip(ids, cases, strict=True) if case_id
    ]
    if joined:
        checked_again(conn, joined, who)
    fresh = [case for case_id, case in zip(ids, cases, strict=True) if not case_id]
    opened = iter(
        open_cases(
            conn,
            [
                NewCase(
                    case["order_id"],
                    case["decision_id"],
                    case["outcome"],
                    Review(tuple(Trigger(t) for t in case["triggers"])),
                    case["committed"],
                )
                for case in fresh
            ],
            who,
        )
    )
    return [case_id or next(opened) for case_id in ids]


def waiting_case(
    conn: Connection, case: dict[str, Any], row: dict[str, Any]
) -> str | None:
    """The open case of a check that ``row`` repeats: its order, as written, and
    its decision record the same, nothing committed, the case not yet closed."""
    candidates = conn.execute(
        select(CASES.c.case_id, DECISIONS.c.order, DECISIONS.c.record)
        .join(DECISIONS, DECISIONS.c.decision_id == CASES.c.decision_id)
        .where(
            CASES.c.order_id == case["order_id"],
            CASES.c.committed.is_(False),
            CASES.c.outcome == case["outcome"],
            CASES.c.reasons == json.dumps(case["triggers"]),
            CASES.c.status.not_in([s.value for s in Status if s.final]),
        )
        .order_by(CASES.c.opened_at, CASES.c.case_id)
        # held until this write commits: an officer closing the case meanwhile
        # waits, or has closed it first and the case is not found (PostgreSQL
        # re-reads a row it waited for; SQLite has one writer at a time)
        .with_for_update(of=CASES)
    ).all()
    return next(
        (
            found.case_id
            for found in candidates
            if found.order == row["order"] and found.record == row["record"]
        ),
        None,
    )


def checked_again(
    conn: Connection, joined: list[tuple[str, dict[str, Any]]], who: str
) -> None:
    """Each repeated check as a step of the case it joins, and in the audit chain."""
    at = utc_now()
    statuses = dict(
        conn.execute(
            select(CASES.c.case_id, CASES.c.status).where(
                CASES.c.case_id.in_([case_id for case_id, _ in joined])
            )
        ).all()
    )
    reason = "checked again: the same order and the same decision"
    seqs = append(
        conn,
        [
            PendingEntry(
                "case.checked_again",
                who,
                {"case_id": case_id, "decision_id": case["decision_id"]},
                case["order_id"],
            )
            for case_id, case in joined
        ],
    )
    conn.execute(
        insert(EVENTS),
        [
            {
                "case_id": case_id,
                "at": at,
                "who": who,
                "action": CHECKED_AGAIN,
                "status": statuses[case_id],
                "reason": reason,
                "evidence": case["decision_id"],
                "audit_seq": seq,
            }
            for (case_id, case), seq in zip(joined, seqs, strict=True)
        ],
    )
    conn.execute(
        update(CASES)
        .where(CASES.c.case_id.in_([case_id for case_id, _ in joined]))
        .values(updated_at=at)
    )


def get_decision(engine: Engine, decision_id: str) -> dict[str, Any]:
    """A recorded decision with its order, reasoning chain and cases.

    Raises:
        UnknownDecision: no decision has that id.
    """
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(DECISIONS).where(DECISIONS.c.decision_id == decision_id)
        ).first()
        if row is None:
            raise UnknownDecision(f"no decision with id {decision_id!r}")
        cases = (
            conn.execute(
                select(CASES.c.case_id)
                .where(CASES.c.decision_id == decision_id)
                .union(
                    select(EVENTS.c.case_id).where(
                        EVENTS.c.action == CHECKED_AGAIN,
                        EVENTS.c.evidence == decision_id,
                    )
                )
            )
            .scalars()
            .all()
        )
    return {
        "decision_id": row.decision_id,
        "order_id": row.order_id,
        "created_at": row.created_at,
        "principal": row.principal,
        "committed": bool(row.committed),
        "order": json.loads(row.order),
        "decision": json.loads(row.record),
        "reasoning": json.loads(row.reasoning),
        "cases": list(cases),
    }
