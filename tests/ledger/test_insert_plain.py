"""``ledger.db.insert_plain`` stores what SQLAlchemy's own insert stores, in the
caller's transaction, and raises the driver's errors as SQLAlchemy's. On SQLite and
PostgreSQL, on the service's decision table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from chipgate.cases.writes import write
from chipgate.ledger.db import insert_plain, make_engine, write_transaction
from chipgate.ledger.migrate import ensure_current
from chipgate.service.tables import DECISIONS
from chipgate.settings import Settings


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    made = make_engine(settings.resolved_database_url())
    ensure_current(made)
    yield made
    made.dispose()


def _row(decision_id: str, committed: bool) -> dict[str, Any]:
    return {
        "decision_id": decision_id,
        "order_id": "ORD-ü'1",
        "outcome": "license_required",
        "regime": "post-rescission-2025",
        "created_at": "2026-12-03T10:00:00.000000+00:00",
        "principal": 'order desk "A" (key 3fa9)',
        "committed": committed,
        "order": '{"id":"ORD-ü\'1","quantity":256}',
        "record": "{}",
        "reasoning": '{"findings":[]}' + "x" * 5000,  # longer than a page
    }


def _stored(engine: Engine, decision_id: str) -> tuple[Any, ...]:
    with engine.connect() as conn:
        row = conn.execute(
            select(DECISIONS).where(DECISIONS.c.decision_id == decision_id)
        ).one()
    return tuple(row)


def test_rows_are_stored_as_sqlalchemys_insert_stores_them(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        conn.execute(
            insert(DECISIONS), [_row("theirs-1", True), _row("theirs-2", False)]
        )
        insert_plain(conn, DECISIONS, [_row("ours-1", True), _row("ours-2", False)])
        insert_plain(conn, DECISIONS, [])
    for number in ("1", "2"):
        theirs = _stored(engine, f"theirs-{number}")
        ours = _stored(engine, f"ours-{number}")
        assert ours[1:] == theirs[1:]
    assert _stored(engine, "ours-1")[6] is True  # read back as the column's type


def test_a_failed_insert_is_sqlalchemys_error_and_rolls_back(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        insert_plain(conn, DECISIONS, [_row("kept", False)])

    def both(conn: Connection) -> None:
        insert_plain(conn, DECISIONS, [_row("new", False)])
        insert_plain(conn, DECISIONS, [_row("kept", False)])

    with pytest.raises(IntegrityError):
        write(engine, both)
    with engine.connect() as conn:
        ids = conn.execute(select(DECISIONS.c.decision_id)).scalars().all()
    assert ids == ["kept"]
