"""The service's tables match their migration branch, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import chipgate.cases.tables
import chipgate.service.tables  # noqa: F401  (register the tables on Base.metadata)
from chipgate.ledger import Ledger
from chipgate.ledger.db import Base
from chipgate.ledger.migrate import head_revisions
from chipgate.settings import Settings


def _ours(obj: Any, name: str | None, kind: str, *_: Any) -> bool:
    table = (
        name if kind == "table" else getattr(getattr(obj, "table", None), "name", "")
    )
    return str(table).startswith("service_")


def test_the_service_tables_match_their_migration(settings: Settings) -> None:
    assert "service_0002" in head_revisions()
    with Ledger.open(settings) as ledger, ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert compare_metadata(context, Base.metadata) == []
