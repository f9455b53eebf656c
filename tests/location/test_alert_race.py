"""A verification run and an officer's closure on one chip take turns: the
repeat breach the run folds into an open alert is never lost to a closure made
meanwhile, and a run that fails stores nothing (no nonces without the alerts)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select

from chipgate.location import alerts as alerts_mod
from chipgate.location.alert_review import Closure, close_alert, list_alerts
from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.geolocate import Verdict
from chipgate.location.models import SeenNonce
from chipgate.location.provider import StoreLocationSource
from chipgate.location.service import ChipVerdict, Outcome, persist_outcome
from chipgate.location.verify import Measured, RecordCheck
from tests.location import test_alert_review as review
from tests.location.test_alert_review import SEEN, _alert, _chip

store = review.store
"""The fixture of the alerts' tests: a fresh store of each kind with two chips."""

WAIT = 2.0
"""Seconds the run waits, holding its locks, for the closure to get in."""


def test_a_closure_during_a_run_keeps_the_repeat_breach_it_folds(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    chip = _chip(store)
    record_alerts(store, [_alert(chip)])
    (alert,) = list_alerts(store)
    closures: list[Closure] = []
    failures: list[BaseException] = []
    real = alerts_mod._note_latest

    def close() -> None:
        try:
            closures.append(close_alert(store, alert.id, reason="reviewed", by="o"))
        except BaseException as exc:  # reported by the test
            failures.append(exc)

    officer = threading.Thread(target=close)

    def note(rows: list[object], new: NewAlert) -> None:
        # the run has read the open alerts: the officer closes one now, on a
        # connection of its own, and the run goes on after a while
        if not officer.is_alive() and not closures and not failures:
            officer.start()
            officer.join(WAIT)
        real(rows, new)  # type: ignore[arg-type]

    monkeypatch.setattr(alerts_mod, "_note_latest", note)
    again = _alert(chip, SEEN + timedelta(days=3))
    assert record_alerts(store, [again]) == 0  # folded into the open alert
    officer.join(60)
    assert not officer.is_alive(), "the closure never finished"
    assert failures == []
    (closure,) = closures
    assert closure.reopened is not None, "the closure did not carry the repeat"
    assert closure.reopened.observed_at == again.observed_at
    (open_alert,) = list_alerts(store)
    assert open_alert.id == closure.reopened.id
    held = StoreLocationSource(store).alerts_for("Acme Compute, Inc.")
    later = (datetime.now(UTC) + timedelta(days=1)).date()
    assert [a for a in held if a.in_force_on(later)], "the repeat holds nothing"


def test_a_run_that_fails_stores_no_nonces(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    chip = _chip(store)
    record = Measured("LM1", "C1", "n-1", "Frankfurt", 3.0, SEEN, "ab" * 32)
    outcome = Outcome(
        [ChipVerdict("C1", Verdict.DIVERTED, "far away", observed_at=SEEN)],
        [RecordCheck(1, "C1", record, None)],
    )

    def broken(rows: list[object], new: NewAlert) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(alerts_mod, "_note_latest", broken)
    with pytest.raises(RuntimeError):
        persist_outcome(store, outcome, {"C1": chip})
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SeenNonce)).scalar() == 0
    monkeypatch.undo()
    assert persist_outcome(store, outcome, {"C1": chip}) == 1  # run again: stored
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SeenNonce)).scalar() == 1


def test_a_run_locks_open_alerts_in_the_code_point_order_of_their_chips(
    store: Engine,
) -> None:
    """Runs cut their chips into batches in Python's (code-point) order; each batch
    must be locked in that order too, not in the server's collation (en_US puts
    "a" before "B"), or two runs over overlapping chips can deadlock."""
    if store.dialect.name != "postgresql":
        pytest.skip("SQLite locks the whole store; its BINARY order is code points")
    chip = _chip(store)
    record_alerts(store, [_alert(chip)])
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    event.listen(store, "before_cursor_execute", seen)
    try:
        record_alerts(store, [_alert(chip, SEEN + timedelta(days=3))])
    finally:
        event.remove(store, "before_cursor_execute", seen)
    [locking] = [s for s in statements if "FOR UPDATE" in s and "ORDER BY" in s]
    assert 'COLLATE "C"' in locking.split("ORDER BY", 1)[1]
