"""The review queue in the store: an escalated case keeps its approval stage (so the
officers looking for second approvals find it) and its first approval (so four eyes
hold), and a store of the previous schema comes up with its escalated cases where
they belong. On SQLite and PostgreSQL (the ``settings`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, column, insert, select, table

from chipgate.cases.model import Action, CaseConflict, Status
from chipgate.cases.store import NewCase, act, get_case, list_cases, open_cases
from chipgate.cases.tables import CASES
from chipgate.cases.triggers import Review, Trigger
from chipgate.cases.writes import write
from chipgate.ledger import Ledger, migrate
from chipgate.ledger.db import write_transaction
from chipgate.settings import Settings
from tests.ledger.ledger_helpers import store_at
from tests.service.conftest import chipgate, cli_env


def _four_eyes_case(engine: Engine, order_id: str) -> str:
    case = NewCase(
        order_id, f"d-{order_id}", "prohibited", Review((Trigger.PROHIBITED,)), False
    )
    [case_id] = write(engine, lambda conn: open_cases(conn, [case], "system"))
    return case_id


def _ids(engine: Engine, **where: object) -> list[str]:
    return [c.case_id for c in list_cases(engine, **where)]  # type: ignore[arg-type]


def test_an_escalated_case_awaiting_its_second_approval_stays_in_that_queue(
    settings: Settings,
) -> None:
    with Ledger.open(settings) as ledger:
        engine = ledger.engine
        case_id = _four_eyes_case(engine, "IR-1")
        act(engine, case_id, Action.APPROVE, "ann", reason="ok", evidence="OFAC-1")
        act(engine, case_id, Action.ESCALATE, "bob", reason="ask the head")
        assert _ids(engine, status=Status.AWAITING_SECOND) == [case_id]
        assert _ids(engine, escalated=True) == [case_id]
        assert _ids(engine, status=Status.AWAITING_SECOND, escalated=False) == []
        with pytest.raises(CaseConflict, match="other than ann"):
            act(engine, case_id, Action.APPROVE, "ann (cli)", reason="x", evidence="y")
        act(engine, case_id, Action.DEESCALATE, "bob", reason="answered")
        with pytest.raises(CaseConflict, match="other than ann"):
            act(engine, case_id, Action.APPROVE, "ann", reason="x", evidence="y")
        shown = get_case(engine, case_id)
        assert (shown.status, shown.escalated, shown.first_approver) == (
            "awaiting_second",
            False,
            "ann",
        )
        act(engine, case_id, Action.ESCALATE, "bob", reason="again")
        done = act(
            engine, case_id, Action.APPROVE, "head", reason="agreed", evidence="OFAC-1"
        )
        assert (done.status, done.escalated) == ("approved", False)
        assert _ids(engine, escalated=True) == []
        assert [(e.action, e.status) for e in done.history] == [
            ("open", "open"),
            ("approve", "awaiting_second"),
            ("escalate", "awaiting_second"),
            ("deescalate", "awaiting_second"),
            ("escalate", "awaiting_second"),
            ("approve", "approved"),
        ]


def _old_case(case_id: str, status: str, **columns: object) -> dict[str, object]:
    return {
        "case_id": case_id,
        "order_id": f"O-{case_id}",
        "decision_id": f"d-{case_id}",
        "outcome": "prohibited",
        "reasons": '["prohibited"]',
        "four_eyes": True,
        "committed": False,
        "status": status,
        "assignee": None,
        "first_approver": None,
        "opened_at": "2026-12-01T10:00:00.000000+00:00",
        "updated_at": "2026-12-01T10:00:00.000000+00:00",
        "version": 2,
        **columns,
    }


def test_service_0002_gives_escalated_cases_back_their_stage(
    settings: Settings,
) -> None:
    """A store made by service_0001 keeps every case, each at its stage."""
    engine = store_at(settings.resolved_database_url(), "service_0001")
    old = CASES.c
    rows = [
        _old_case("awaiting", "escalated", first_approver="ann", assignee="bob"),
        _old_case("assigned", "escalated", assignee="bob"),
        _old_case("open", "escalated"),
        # escalated while awaiting, then assigned: the old assign lost the stage
        _old_case("lost", "assigned", first_approver="ann", assignee="cem"),
        _old_case("plain", "assigned", assignee="cem"),
        _old_case("done", "approved", first_approver="ann"),
    ]
    before = table("service_cases", *(column(name) for name in rows[0]))
    with write_transaction(engine) as conn:
        conn.execute(insert(before), rows)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        found = {
            r.case_id: (r.status, bool(r.escalated), r.first_approver)
            for r in conn.execute(
                select(old.case_id, old.status, old.escalated, old.first_approver)
            )
        }
    assert found == {
        "awaiting": ("awaiting_second", True, "ann"),
        "assigned": ("assigned", True, None),
        "open": ("open", True, None),
        "lost": ("awaiting_second", False, "ann"),
        "plain": ("assigned", False, None),
        "done": ("approved", False, "ann"),
    }
    # the upgraded store works on: four eyes on the case that had been escalated
    with pytest.raises(CaseConflict, match="other than ann"):
        act(engine, "awaiting", Action.APPROVE, "ann", reason="x", evidence="y")
    assert _ids(engine, status=Status.AWAITING_SECOND) == ["awaiting", "lost"]
    engine.dispose()


def test_the_cli_lists_escalated_cases_by_their_stage(
    settings: Settings, tmp_path: Path
) -> None:
    with Ledger.open(settings) as ledger:
        case_id = _four_eyes_case(ledger.engine, "IR-2")
        act(ledger.engine, case_id, Action.ESCALATE, "bob", reason="ask the head")
    env = cli_env(tmp_path, settings.resolved_database_url())
    listed = chipgate(env, "cases", "list", "--status", "open", "--escalated", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(c["case_id"], c["escalated"]) for c in json.loads(listed.stdout)] == [
        (case_id, True)
    ]
    old = chipgate(env, "cases", "list", "--status", "escalated")
    assert old.returncode == 2
    assert "--escalated" in old.stderr
