"""Write transactions of the cases and the service, retried when the store asks.

Each state change is one transaction that ends with its audit entries
(``chipgate.ledger.audit.append`` locks the chain head last), so a change and its
record in the chain are committed together or not at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from chipgate.errors import StoreError
from chipgate.ledger.db import is_retryable, write_transaction

ATTEMPTS = 5
T = TypeVar("T")


def write(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    begin: Callable[[], AbstractContextManager[Connection]] | None = None,
) -> T:
    """Run ``work`` in one write transaction; again on a deadlock or lock timeout.

    ``begin`` opens the transaction (default: ``write_transaction`` on a pooled
    connection; the service's group writer keeps a connection of its own).
    """
    for attempt in range(ATTEMPTS):
        try:
            with (begin or (lambda: write_transaction(engine)))() as conn:
                return work(conn)
        except OperationalError as exc:
            if not is_retryable(exc) or attempt == ATTEMPTS - 1:
                raise StoreError(f"the store failed: {exc.orig}") from exc
            time.sleep(0.01 * 2**attempt)
    raise StoreError("unreachable")  # pragma: no cover
