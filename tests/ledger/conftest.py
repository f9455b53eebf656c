"""Ledger test fixtures: every store test runs on SQLite and on a real PostgreSQL.

The ``pg_server``, ``pg_url`` and ``settings`` fixtures live in ``tests/conftest.py``
(the service tests use them too); here, a ledger opened on each kind of store.
Nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chipgate.ledger import Ledger
from chipgate.settings import Settings


@pytest.fixture
def ledger(settings: Settings) -> Iterator[Ledger]:
    """An opened (migrated) ledger on a fresh store."""
    with Ledger.open(settings) as opened:
        yield opened
