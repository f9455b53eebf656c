"""A case's action and what it does to the ledger happen together or not at all:
a rejection that loses to an approval sent at the same moment releases nothing.
On SQLite and PostgreSQL (the ``settings`` fixture)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection

from chipgate.cases import store
from chipgate.cases.model import Action, CaseConflict
from chipgate.cases.store import CaseView, NewCase, act, get_case, open_cases
from chipgate.cases.triggers import Review, Trigger
from chipgate.cases.writes import write
from chipgate.ledger import Ledger, audit
from chipgate.ledger.results import ReleaseResult
from chipgate.settings import Settings


class Releases:
    """The releases a case action asked for, each with the transaction it ran in;
    ``before``: the order was released before (by ``/v1/ledger/release``)."""

    def __init__(self, *, before: bool = False) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.before = before

    def __call__(
        self, conn: Connection, order_id: str, reason: str, who: str
    ) -> ReleaseResult:
        assert conn.in_transaction()  # inside the action's own write
        self.calls.append((order_id, reason, who))
        return ReleaseResult(order_id, (), already_released=self.before)


def _committed_case(ledger: Ledger, order_id: str) -> str:
    case = NewCase(
        order_id, f"d-{order_id}", "authorized", Review((Trigger.RED_FLAG,)), True
    )
    [case_id] = write(ledger.engine, lambda conn: open_cases(conn, [case], "system"))
    return case_id


def _reject(ledger: Ledger, case_id: str, releases: Releases) -> CaseView:
    return act(
        ledger.engine,
        case_id,
        Action.REJECT,
        "officer two",
        reason="no",
        release=releases,
    )


def test_a_rejection_releases_the_draws_in_its_own_write(settings: Settings) -> None:
    releases = Releases()
    with Ledger.open(settings) as ledger:
        case_id = _committed_case(ledger, "R-1")
        after = _reject(ledger, case_id, releases)
    assert after.status == "rejected"
    assert releases.calls == [("R-1", f"case {case_id} rejected: no", "officer two")]


def test_a_rejection_that_lost_to_an_approval_releases_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    releases = Releases()
    with Ledger.open(settings) as ledger:
        case_id = _committed_case(ledger, "R-2")
        # the rejecting officer read the case while it was open ...
        seen = get_case(ledger.engine, case_id)
        # ... and another officer approved it before the rejection was written
        act(
            ledger.engine,
            case_id,
            Action.APPROVE,
            "officer one",
            reason="ok",
            evidence="D9000002",
        )
        stale: Any = lambda engine, wanted: seen  # noqa: E731
        monkeypatch.setattr(store, "get_case", stale)
        with pytest.raises(CaseConflict, match="changed meanwhile"):
            _reject(ledger, case_id, releases)
        monkeypatch.undo()
        assert get_case(ledger.engine, case_id).status == "approved"
    assert releases.calls == []


def _rejection_entry(ledger: Ledger, case_id: str) -> dict[str, Any]:
    with ledger.engine.connect() as conn:
        [entry] = [
            e
            for e in audit.export(conn)
            if e["kind"] == "case.reject" and e["payload"]["case_id"] == case_id
        ]
    return entry["payload"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("before", [False, True])
def test_a_rejection_records_whether_it_released_the_draws(
    settings: Settings, before: bool
) -> None:
    """An order an officer released before (a cancelled shipment) gives nothing
    back when its case is rejected: the audit entry does not claim it did."""
    with Ledger.open(settings) as ledger:
        case_id = _committed_case(ledger, f"R-3{before}")
        _reject(ledger, case_id, Releases(before=before))
        assert _rejection_entry(ledger, case_id)["draws_released"] is not before
