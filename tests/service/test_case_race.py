"""A repeated check and an officer closing the same case at the same moment, each in
its own transaction on its own connection: the check joins the case only while it is
still open (its step comes before the closing one), and otherwise opens a case of its
own; never a closed case. On the real PostgreSQL (row locks, READ COMMITTED) and on
SQLite (one writer at a time).

The transaction that goes first is held open at its end, before its commit, while
the other starts and waits for it: both orders are forced, then both race freely.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from chipgate.cases import store
from chipgate.cases.model import Action, Status
from chipgate.cases.store import CaseView, act, get_case
from chipgate.cases.writes import write
from chipgate.ledger import Ledger
from chipgate.ledger.db import is_sqlite
from chipgate.service.decisions import CHECKED_AGAIN, keep_decisions
from chipgate.settings import Settings

WAIT = 30.0
"""Seconds a test waits for the other transaction at most (a hang fails, not blocks)."""

ORDER = '{"destination": "IR", "id": "%s", "item": "H100", "quantity": 8}'
RECORD = '{"outcome": "prohibited", "rules": ["EMBARGO.IR"]}'


def _check(order_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The decision row and case of one check of ``order_id`` (always the same
    order and the same decision: a repeat of the last check)."""
    decision_id = uuid.uuid4().hex[:16]
    row = {
        "decision_id": decision_id,
        "order_id": order_id,
        "outcome": "prohibited",
        "regime": "EAR",
        "created_at": "2026-12-07T10:00:00.000000+00:00",
        "principal": "analyst (key 0a1b2c3d4e5f)",
        "committed": False,
        "order": ORDER % order_id,
        "record": RECORD,
        "reasoning": "{}",
    }
    case = {
        "order_id": order_id,
        "decision_id": decision_id,
        "outcome": "prohibited",
        "triggers": ["prohibited"],
        "committed": False,
    }
    return [row], [case]


def _checked(engine: Engine, order_id: str, *, hold: Callable[[], None]) -> str:
    """Check ``order_id`` again in one write transaction; ``hold`` runs at its end,
    before the commit. The case the check joined or opened."""
    rows, cases = _check(order_id)

    def work(conn: Connection) -> list[str]:
        ids = keep_decisions(rows, cases, "analyst (key 0a1b2c3d4e5f)", conn)
        hold()
        return ids

    [case_id] = write(engine, work)
    return case_id


def _reject(engine: Engine, case_id: str) -> CaseView:
    return act(
        engine, case_id, Action.REJECT, "officer (key 9f8e7d6c5b4a)", reason="no"
    )


class _Gate:
    """Holds the first transaction at its end until the second is waiting for it."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.go_on = threading.Event()

    def hold(self) -> None:
        self.inside.set()
        assert self.go_on.wait(WAIT), "the test never let the transaction commit"


@contextmanager
def _held_officer(monkeypatch: pytest.MonkeyPatch, gate: _Gate) -> Iterator[None]:
    """The officer's case action holds its transaction open at its end."""
    real = store.write

    def held(engine: Engine, work: Callable[[Connection], Any], **kw: Any) -> Any:
        def then_hold(conn: Connection) -> Any:
            done = work(conn)
            gate.hold()
            return done

        return real(engine, then_hold, **kw)

    monkeypatch.setattr(store, "write", held)
    try:
        yield
    finally:
        monkeypatch.undo()


def _waiting(engine: Engine, second: Future[Any]) -> None:
    """Return once ``second`` waits for the first transaction's lock."""
    if is_sqlite(engine):  # it waits in SQLite's busy handler, not observable
        time.sleep(0.5)
        assert not second.done(), second.result()
        return
    deadline = time.monotonic() + WAIT
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE NOT granted")
            ).scalar()
            conn.rollback()
            if waiting:
                return
            assert not second.done(), second.result()
            time.sleep(0.01)
    pytest.fail("the second transaction never waited for the first")


def _open_case(engine: Engine, order_id: str) -> str:
    return _checked(engine, order_id, hold=lambda: None)


def _steps(engine: Engine, case_id: str) -> list[tuple[str, str]]:
    return [(e.action, e.status) for e in get_case(engine, case_id).history]


def test_a_check_waiting_for_the_closing_officer_opens_its_own_case(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.open(settings) as ledger, ThreadPoolExecutor(2) as pool:
        engine = ledger.engine
        closed = _open_case(engine, "RACE-1")
        gate = _Gate()
        with _held_officer(monkeypatch, gate):
            officer = pool.submit(_reject, engine, closed)
            assert gate.inside.wait(WAIT)
            check = pool.submit(_checked, engine, "RACE-1", hold=lambda: None)
            _waiting(engine, check)
            gate.go_on.set()
            assert officer.result(WAIT).status == "rejected"
        joined = check.result(WAIT)
        assert joined != closed
        assert get_case(engine, joined).status == "open"
        assert _steps(engine, closed) == [("open", "open"), ("reject", "rejected")]


def test_an_officer_waiting_for_the_check_closes_the_case_it_joined(
    settings: Settings,
) -> None:
    with Ledger.open(settings) as ledger, ThreadPoolExecutor(2) as pool:
        engine = ledger.engine
        case_id = _open_case(engine, "RACE-2")
        gate = _Gate()
        check = pool.submit(_checked, engine, "RACE-2", hold=gate.hold)
        assert gate.inside.wait(WAIT)
        officer = pool.submit(_reject, engine, case_id)
        _waiting(engine, officer)
        gate.go_on.set()
        assert check.result(WAIT) == case_id
        assert officer.result(WAIT).status == "rejected"
        assert _steps(engine, case_id) == [
            ("open", "open"),
            (CHECKED_AGAIN, "open"),
            ("reject", "rejected"),
        ]


ROUNDS = 12


def test_racing_freely_a_check_never_joins_a_closed_case(settings: Settings) -> None:
    with Ledger.open(settings) as ledger, ThreadPoolExecutor(2) as pool:
        engine = ledger.engine
        for n in range(ROUNDS):
            order_id = f"FREE-{n}"
            case_id = _open_case(engine, order_id)
            start = threading.Barrier(2, timeout=WAIT)

            def after_start(job: Callable[[], Any], start: threading.Barrier) -> Any:
                start.wait()
                return job()

            officer = pool.submit(after_start, partial(_reject, engine, case_id), start)
            check = pool.submit(
                after_start,
                partial(_checked, engine, order_id, hold=lambda: None),
                start,
            )
            assert officer.result(WAIT).status == Status.REJECTED.value
            found = check.result(WAIT)
            steps = _steps(engine, case_id)
            if found == case_id:  # joined while open: its step before the closing
                assert steps == [
                    ("open", "open"),
                    (CHECKED_AGAIN, "open"),
                    ("reject", "rejected"),
                ]
            else:
                assert steps == [("open", "open"), ("reject", "rejected")]
                assert get_case(engine, found).status == "open"
