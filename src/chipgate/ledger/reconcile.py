"""Balances against the audit log: the accounts must equal what the chain records.

Account rows are running totals, updated in place; the hash chain is the record. An
auditor's check therefore replays the chain (draws taken by committed orders, minus
draws given back by releases) and compares the result with every account, so that a
balance edited directly in the database is found as surely as an edited entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from chipgate.ledger import audit
from chipgate.ledger.models import ACCOUNTS

Key = tuple[str, str]


def replayed_totals(entries: Iterable[dict[str, Any]]) -> dict[Key, float]:
    """Committed amount per (account, unit) according to the audit entries."""
    totals: dict[Key, float] = {}
    for entry in entries:
        payload = entry["payload"]
        if entry["kind"] == "order.committed":
            draws, sign = payload.get("taken", []), 1.0
        elif entry["kind"] == "order.released":
            draws, sign = payload.get("draws", []), -1.0
        else:
            continue
        for draw in draws:
            key = (str(draw["account"]), str(draw["unit"]))
            totals[key] = totals.get(key, 0.0) + sign * float(draw["amount"])
    return totals


def mismatches(conn: Connection) -> list[str]:
    """Every account whose committed total differs from the replayed audit log."""
    expected = replayed_totals(audit.export(conn))
    actual = {
        (row.key, row.unit): float(row.committed)
        for row in conn.execute(
            select(ACCOUNTS.c.key, ACCOUNTS.c.unit, ACCOUNTS.c.committed)
        )
    }
    problems = []
    for key in sorted(set(expected) | set(actual)):
        want, have = expected.get(key, 0.0), actual.get(key, 0.0)
        if abs(want - have) > 1e-6 * max(1.0, abs(want)):
            problems.append(
                f"{key[0]} ({key[1]}): balance {have:,.6g}, audit log says {want:,.6g}"
            )
    return problems
