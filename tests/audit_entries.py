"""The audit chain's entries of one kind, read from a store as a test checks them."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import text

from chipgate.ledger.db import make_engine
from chipgate.settings import Settings


def audit_entries(settings: Settings, kind: str) -> list[dict[str, Any]]:
    """The payloads of the entries of ``kind``, oldest first, each with its ``who``."""
    engine = make_engine(settings.resolved_database_url())
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT who, payload FROM audit_entries WHERE kind = :k"
                    " ORDER BY seq"
                ),
                {"k": kind},
            ).all()
    finally:
        engine.dispose()
    return [{"who": who, **orjson.loads(payload)} for who, payload in rows]
