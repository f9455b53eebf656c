"""ledger_0004 both ways: the chain still verifies after the downgrade, and an
upgrade over a chain that does not verify says that it imaged no row again.

A row's image is a digest over every column it has, so adding or dropping the
license columns changes every license row's digest; the migration images the rows
that matched the chain again, in each direction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from ledger_helpers import store_at
from sqlalchemy import text

from chipgate.errors import StoreError
from chipgate.ledger import Ledger, audit, coverage, migrate
from chipgate.ledger.db import write_transaction
from chipgate.settings import Settings

_OLD_LICENSE = (
    "INSERT INTO ledger_licenses (number, items, quantity, consignee, conditions,"
    " source, imported_at, imported_by) VALUES (:n, '[]', :q, 'Acme', '', 'old.csv',"
    " 't', 'me')"
)


def _migrate(engine: Any, step: str, revision: str) -> None:
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        getattr(command, step)(config, revision)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Any]:
    """A store at ledger_0003 holding two licenses imported before ledger_0004."""
    engine = store_at(settings.resolved_database_url(), "ledger_0002")
    try:
        with write_transaction(engine) as conn:
            conn.execute(text(_OLD_LICENSE), {"n": "D1", "q": 5})
            conn.execute(text(_OLD_LICENSE), {"n": "D2", "q": 7})
        _migrate(engine, "upgrade", "ledger_0003")
        yield engine
    finally:
        engine.dispose()


def _license_rows_differing(engine: Any) -> list[tuple[Any, ...]]:
    """License rows whose image, read as the store now holds the table, is not
    the chain's (what verification at that revision reports)."""
    expected = coverage.ExpectedRows()
    with write_transaction(engine) as conn:
        assert audit.verify(conn, expected).ok
        [table] = coverage.stored_tables(conn, ["ledger_licenses"])
        return [
            key
            for name, key, digest in coverage.all_images(conn, [table])
            if expected.digests.get((name, key), (None, 0))[0] != digest
        ]


def test_after_the_downgrade_the_license_rows_still_match_the_chain(
    engine: Any,
) -> None:
    migrate.upgrade(engine)
    assert Ledger(engine).verify().ok
    _migrate(engine, "downgrade", "ledger_0003")
    assert _license_rows_differing(engine) == []
    kinds = [e["kind"] for e in Ledger(engine).export()]
    assert kinds[-2:] == ["audit.rows_reimaged", "audit.rows_reimaged"]
    # and up again: the chain verifies with the columns back
    migrate.upgrade(engine)
    assert Ledger(engine).verify().ok


def test_a_downgrade_that_would_drop_a_license_s_end_user_is_refused(
    engine: Any,
) -> None:
    """Dropping the columns would drop what D1 was granted for; imaging the rows
    again would hide that from verification, so nothing changes."""
    migrate.upgrade(engine)
    with write_transaction(engine) as conn:
        conn.execute(
            text(
                "UPDATE ledger_licenses SET end_user = 'Hanoi Institute' WHERE number = 'D1'"
            )
        )
    with pytest.raises(StoreError, match=r"1 license\(s\) record .* \(D1\)"):
        _migrate(engine, "downgrade", "ledger_0003")
    with write_transaction(engine) as conn:
        held = conn.execute(
            text("SELECT end_user FROM ledger_licenses WHERE number = 'D1'")
        ).scalar_one()
    assert held == "Hanoi Institute"


def test_an_upgrade_over_a_broken_chain_says_it_imaged_no_row_again(
    engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with write_transaction(engine) as conn:  # outside the ledger
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": "0" * 64})
    with caplog.at_level(logging.WARNING, logger="chipgate.ledger.migrations"):
        migrate.upgrade(engine)
    [warned] = [
        r.getMessage() for r in caplog.records if "ledger_0004" in r.getMessage()
    ]
    assert "license rows not imaged again" in warned
    assert "the audit chain does not verify (entry 2: chain ends at entry 1" in warned
    kinds = [e["kind"] for e in Ledger(engine).export()]
    assert "audit.rows_reimaged" not in kinds
