"""Reading and writing the register in the store, one transaction per operation.

Every write (an import, a re-screen, a usage report) happens inside one write
transaction that also serializes register writers (PostgreSQL: an advisory lock;
SQLite: ``BEGIN IMMEDIATE``), so a failure leaves the register as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import polars as pl
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from chipgate.diligence.delta import EntryState, ListChange, Matches
from chipgate.diligence.matching import StoredMatch
from chipgate.diligence.models import (
    ALERTS,
    CUSTOMERS,
    LIST_STATE,
    MATCHES,
    PARTIES,
    RUNS,
)
from chipgate.ledger.audit import utc_now
from chipgate.ledger.db import make_engine, write_transaction
from chipgate.ledger.migrate import ensure_current
from chipgate.settings import Settings

REGISTER_LOCK_KEY = 0x44494C49  # advisory-lock key ("DILI") for register writers
_CHUNK = 500
"""Ids per IN clause, well below SQLite's bound-variable limit."""


def open_store(settings: Settings) -> Engine:
    """The configured store, migrated (the diligence branch included)."""
    engine = make_engine(settings.resolved_database_url())
    ensure_current(engine)
    return engine


@contextmanager
def register_write(engine: Engine) -> Iterator[Connection]:
    """One write transaction that queues behind any other register writer."""
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:k)"), {"k": REGISTER_LOCK_KEY}
            )
        yield conn


def dumps(value: Any) -> str:
    """JSON text for a column."""
    return orjson.dumps(value).decode()


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def list_key(conn: Connection) -> str | None:
    """The list key of the last screening of the register (None: never screened)."""
    row = conn.execute(
        select(RUNS.c.list_key).order_by(RUNS.c.id.desc()).limit(1)
    ).first()
    return None if row is None else str(row[0])


def stored_state(conn: Connection) -> dict[str, EntryState]:
    """The list entries the register was last screened against."""
    return {
        r.entry_key: EntryState(r.fingerprint, r.list_code, r.name)
        for r in conn.execute(select(LIST_STATE))
    }


def save_state(conn: Connection, state: Mapping[str, EntryState]) -> None:
    """Replace the remembered list entries with ``state``."""
    conn.execute(delete(LIST_STATE))
    rows = [
        {
            "entry_key": k,
            "fingerprint": s.fingerprint,
            "list_code": s.list_code,
            "name": s.name,
        }
        for k, s in state.items()
    ]
    for chunk in _chunks(rows):
        conn.execute(insert(LIST_STATE), list(chunk))


def add_run(conn: Connection, **values: Any) -> int:
    """Record one screening run; returns its id."""
    values.setdefault("at", utc_now())
    row = conn.execute(insert(RUNS).returning(RUNS.c.id), [values]).first()
    assert row is not None
    return int(row[0])


def customer_count(conn: Connection) -> int:
    """How many customers the register holds."""
    return int(conn.execute(select(func.count()).select_from(CUSTOMERS)).scalar_one())


def load_parties(
    conn: Connection, customer_ids: Iterable[str] | None = None
) -> pl.DataFrame:
    """Register names as a frame: ``id, customer_id, role, name, country, keys``."""
    columns = [PARTIES.c[c] for c in ("id", "customer_id", "role", "name", "country")]
    query = select(*columns, PARTIES.c["keys"]).order_by(PARTIES.c.id)
    rows: list[Any] = []
    if customer_ids is None:
        rows = list(conn.execute(query))
    else:
        for chunk in _chunks(sorted(set(customer_ids))):
            rows.extend(conn.execute(query.where(PARTIES.c.customer_id.in_(chunk))))
    schema = {
        "id": pl.Int64,
        "customer_id": pl.Utf8,
        "role": pl.Utf8,
        "name": pl.Utf8,
        "country": pl.Utf8,
        "keys": pl.Utf8,
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row").sort(
        "id"
    )


def _match(row: Any) -> StoredMatch:
    return StoredMatch(
        entry_key=row.entry_key,
        list_code=row.list_code,
        entry_id=row.entry_id,
        matched_name=row.matched_name,
        score=float(row.score),
        is_hit=bool(row.is_hit),
        explanation=row.explanation,
    )


def load_matches(conn: Connection, party_ids: Iterable[int] | None = None) -> Matches:
    """Stored matches by register name id (names without matches left out)."""
    found: Matches = {}
    query = select(MATCHES)
    if party_ids is None:
        rows: Iterable[Any] = conn.execute(query)
    else:
        rows = []
        for chunk in _chunks(sorted(set(party_ids))):
            rows.extend(conn.execute(query.where(MATCHES.c.party_id.in_(chunk))))
    for row in rows:
        found.setdefault(int(row.party_id), {})[row.entry_key] = _match(row)
    return found


def replace_matches(
    conn: Connection, matches: Matches, run_id: int, *, clear: bool = True
) -> None:
    """Store the match sets of the names in ``matches`` in place of their old ones."""
    ids = list(matches)
    if clear:
        for chunk in _chunks(ids):
            conn.execute(delete(MATCHES).where(MATCHES.c.party_id.in_(chunk)))
    rows = [
        {
            "party_id": pid,
            "entry_key": m.entry_key,
            "list_code": m.list_code,
            "entry_id": m.entry_id,
            "matched_name": m.matched_name,
            "score": m.score,
            "is_hit": m.is_hit,
            "explanation": m.explanation,
            "run_id": run_id,
        }
        for pid, found in matches.items()
        for m in found.values()
    ]
    for chunk in _chunks(rows):
        conn.execute(insert(MATCHES), list(chunk))


def hit_alerts(
    old: Matches,
    new: Matches,
    parties: pl.DataFrame,
    change: ListChange | None,
    default_cause: str,
) -> list[dict[str, Any]]:
    """Alert rows for every hit that appeared or cleared between ``old`` and ``new``."""
    wanted = set(new)
    info = {
        row[0]: row[1:]
        for row in parties.filter(pl.col("id").is_in(list(wanted)))
        .select("id", "customer_id", "role", "name")
        .iter_rows()
    }
    at = utc_now()
    alerts: list[dict[str, Any]] = []
    for pid, found in new.items():
        before = old.get(pid, {})
        for key in sorted(set(before) | set(found)):
            was, now = before.get(key), found.get(key)
            was_hit = was is not None and was.is_hit
            now_hit = now is not None and now.is_hit
            if was_hit == now_hit:
                continue
            shown = now if now_hit else was
            assert shown is not None
            customer_id, role, name = info[pid]
            alerts.append(
                {
                    "customer_id": customer_id,
                    "role": role,
                    "party_name": name,
                    "kind": "new_hit" if now_hit else "cleared_hit",
                    "entry_key": key,
                    "list_code": shown.list_code,
                    "matched_name": shown.matched_name,
                    "score": (now or shown).score if now is not None else 0.0,
                    "cause": change.cause(key) if change else default_cause,
                    "status": "open",
                    "at": at,
                }
            )
    return alerts


def add_alerts(conn: Connection, run_id: int, alerts: list[dict[str, Any]]) -> None:
    """Store alerts of one run."""
    for chunk in _chunks([{**a, "run_id": run_id} for a in alerts]):
        conn.execute(insert(ALERTS), list(chunk))


def set_run_counts(conn: Connection, run_id: int, **values: Any) -> None:
    """Fill in a run's counts once they are known."""
    conn.execute(update(RUNS).where(RUNS.c.id == run_id).values(**values))
