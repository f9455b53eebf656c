"""Apply the store's Alembic migrations, configured in code (no alembic.ini needed).

Independent branches live side by side: the ledger's own (``ledger/migrations/
versions``, label ``ledger``), the location area's (``location/migrations``, label
``location``), the customer register's (``diligence/migrations``, label
``diligence``) and the service's (``service/migrations``, label ``service``), when
those folders exist. Upgrading to ``heads`` brings every one up to date.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from chipgate.ledger.db import lock_for_migration, write_transaction

_LEDGER_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = _LEDGER_DIR / "migrations"
VERSION_DIRS = (
    MIGRATIONS_DIR / "versions",
    _LEDGER_DIR.parent / "location" / "migrations",
    _LEDGER_DIR.parent / "diligence" / "migrations",
    _LEDGER_DIR.parent / "service" / "migrations",
)
"""Where revisions live; folders that do not exist are skipped. Alembic does not
search sub-folders: a branch's revisions must sit directly in its folder."""


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at every migration branch that is present."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    locations = [str(p) for p in VERSION_DIRS if p.is_dir()]
    config.set_main_option("version_locations", os.pathsep.join(locations))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions() -> set[str]:
    """The revisions the code expects the store to be at."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the store is at (empty for a fresh store)."""
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine) -> list[str]:
    """Bring the store to every head, safely when several processes start at once.

    Returns:
        The revisions the store is at afterwards.
    """
    config = alembic_config()
    with write_transaction(engine) as conn:
        lock_for_migration(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
        return sorted(MigrationContext.configure(conn).get_current_heads())


def ensure_current(engine: Engine) -> None:
    """Migrate on first use: upgrade only when the store is behind the code."""
    if current_revisions(engine) != head_revisions():
        upgrade(engine)
