"""Alembic environment: run migrations on the connection handed over by the ledger.

``chipgate.ledger.migrate`` builds the Alembic configuration in code and passes an
open connection (inside a write transaction holding the migration lock) through
``config.attributes["connection"]``. Run from the ``alembic`` command line instead,
the URL comes from ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import chipgate.ledger.models  # noqa: F401  (registers the tables on Base.metadata)
from chipgate.ledger.db import Base, make_engine, write_transaction

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the given connection, or open one from the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url given to Alembic")
    engine = make_engine(url)
    try:
        with write_transaction(engine) as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
