"""Migrations: applied on first use, both branches, safe in parallel."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from chipgate.ledger import Ledger, migrate
from chipgate.ledger.db import Base, make_engine, write_transaction
from chipgate.settings import Settings

LOCATION_REVISION = '''
"""A stand-in for the location area's own branch."""
import sqlalchemy as sa
from alembic import op

revision = "location_0001"
down_revision = None
branch_labels = ("location",)
depends_on = None


def upgrade() -> None:
    op.create_table("location_probe", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("location_probe")
'''


def _versions(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(
                conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )
    finally:
        engine.dispose()


def test_first_open_creates_and_migrates_the_store(settings: Settings) -> None:
    with Ledger.open(settings) as ledger:
        tables = set(inspect(ledger.engine).get_table_names())
    assert {"ledger_accounts", "ledger_draws", "audit_entries", "audit_head"} <= tables
    assert _versions(settings.resolved_database_url()) == migrate.head_revisions()


def test_the_location_branch_is_upgraded_alongside(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = tmp_path / "location_migrations"
    location.mkdir()
    (location / "location_0001_probe.py").write_text(
        LOCATION_REVISION, encoding="utf-8"
    )
    monkeypatch.setattr(
        migrate,
        "VERSION_DIRS",
        (*migrate.VERSION_DIRS[:1], location, tmp_path / "absent"),
    )
    with Ledger.open(settings) as ledger:
        assert "location_probe" in inspect(ledger.engine).get_table_names()
    ledger_head = {r for r in migrate.head_revisions() if r.startswith("ledger_")}
    assert _versions(settings.resolved_database_url()) == {
        *ledger_head,
        "location_0001",
    }


def _open(url: str) -> None:
    Ledger.open(Settings(database_url=url)).close()


def test_several_processes_opening_a_fresh_store_at_once(settings: Settings) -> None:
    url = settings.resolved_database_url()
    fork = multiprocessing.get_context("fork")
    procs = [fork.Process(target=_open, args=(url,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert _versions(url) == migrate.head_revisions()


def _ours(obj: Any, name: str | None, kind: str, *_: object) -> bool:
    """Only the ledger's tables (other areas keep their own branches)."""
    table = (
        name if kind == "table" else getattr(getattr(obj, "table", None), "name", "")
    )
    return str(table).startswith(("ledger_", "audit_"))


def test_the_models_match_the_migrations(settings: Settings) -> None:
    import chipgate.ledger.models  # noqa: F401  (the ledger's tables on Base.metadata)

    with Ledger.open(settings) as ledger, ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(context, Base.metadata) == []


def test_a_model_change_without_migration_is_caught(settings: Settings) -> None:
    with Ledger.open(settings) as ledger:
        with write_transaction(ledger.engine) as conn:
            conn.exec_driver_sql("DROP INDEX ix_ledger_draws_account")
        with ledger.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": _ours})
            [(op, index)] = compare_metadata(context, Base.metadata)
    assert (op, index.name) == ("add_index", "ix_ledger_draws_account")


def test_ledger_0002_widens_the_columns_of_an_existing_store(
    settings: Settings,
) -> None:
    """A store made by ledger_0001 keeps its rows and takes 95-character regimes."""
    from ledger_helpers import draw, request, store_at

    from chipgate.ledger import CommitStatus

    engine = store_at(settings.resolved_database_url(), "ledger_0001")
    with write_transaction(engine) as conn:
        conn.execute(
            text(
                "INSERT INTO ledger_orders (order_id, status, regime, rules_version,"
                " who, committed_at) VALUES ('old', 'committed', :r, 'v1', 'me', 't')"
            ),
            {"r": "r" * 80},
        )
    migrate.upgrade(engine)
    columns = {c["name"]: c for c in inspect(engine).get_columns("ledger_orders")}
    assert not columns["regime"]["nullable"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT regime FROM ledger_orders")).scalar() == (
            "r" * 80
        )
    ledger = Ledger(engine)
    req = request("new", draw("cap", 1.0, 10.0))
    req = type(req)(**{**{f: getattr(req, f) for f in req.__slots__}, "regime": "x" * 95})
    assert ledger.commit_batch([req])[0].status is CommitStatus.COMMITTED
    with write_transaction(engine) as conn:
        conn.execute(
            text(
                "INSERT INTO ledger_licenses (number, items, quantity, conditions,"
                " source, imported_at, imported_by) VALUES ('L1', '[]', :q, '', '',"
                " 't', 'me')"
            ),
            {"q": 2**40},
        )
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
