"""Usage in, compute and flags out: the library API of compute monitoring.

Each write enters the audit chain in its own transaction (``usage.ingest``,
``usage.report``, named after ``settings.user``: the CLI's user marked `` (cli)``, or
the service key's principal), so a stored batch or report has its entry whichever channel
made it, and neither is committed without the other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import orjson
import polars as pl
from sqlalchemy import Connection, Engine, delete, insert, select

from chipgate.diligence.compute_flags import (
    CustomerLaw,
    threshold_flags,
    training_flags,
)
from chipgate.diligence.flags_store import refresh_flags
from chipgate.diligence.law import view_on
from chipgate.diligence.models import COMPUTE, CUSTOMERS, USAGE_BATCHES
from chipgate.diligence.redflags import flags_file
from chipgate.diligence.store import open_store, register_write
from chipgate.diligence.usage import (
    Method,
    aggregate,
    as_of,
    early_peaks,
    file_sha256,
    ingest,
    remove_batch,
)
from chipgate.diligence.usage_held import Kept, leave_out_held
from chipgate.errors import AlreadyIngested, InputError, Problem
from chipgate.ledger import audit
from chipgate.ledger.audit import utc_now
from chipgate.settings import Settings

_CHUNK = 500
DEFAULT_REPLAYS = ("aid-2025",)
"""Regimes read besides the one in force: the AI Diffusion rule's threshold for
controlled model weights, replayed as a what-if (not enforced since 2025-05-13)."""


def usage_dir(settings: Settings) -> Path:
    """Where ingested usage batches are kept (Parquet)."""
    return settings.data_dir / "diligence" / "usage"


@dataclass
class IngestSummary:
    """One ingested usage file: the batch kept, and the records it left out
    because stored batches hold them already (``usage_held``)."""

    batch: int
    rows: int
    stored: str
    seconds: float
    sent: int = 0
    """Records in the file."""
    held: int = 0
    """Records left out, held already by the batches ``held_in``."""
    held_in: list[int] = field(default_factory=list)


def _refuse_known(conn: Connection, digest: str, path: Path) -> None:
    """Refuse a file whose bytes were ingested already: the report sums every
    batch, so the same records kept twice would count their compute twice.

    Raises:
        AlreadyIngested: naming the earlier batch.
    """
    known = conn.execute(
        select(USAGE_BATCHES.c.id, USAGE_BATCHES.c.source, USAGE_BATCHES.c.at)
        .where(USAGE_BATCHES.c.sha256 == digest)
        .limit(1)
    ).first()
    if known is not None:
        raise AlreadyIngested(
            [
                Problem(
                    f"this file was ingested already as batch {known.id} (from "
                    f"{known.source}, at {known.at}; same SHA-256): its records "
                    "would count twice; nothing stored",
                    str(path),
                )
            ],
            batches=(int(known.id),),
        )


def _stored_batches(conn: Connection) -> dict[int, Path]:
    """Every recorded batch's file, by batch id."""
    return {
        int(r.id): Path(r.stored)
        for r in conn.execute(select(USAGE_BATCHES.c.id, USAGE_BATCHES.c.stored))
    }


def _entered(
    conn: Connection, settings: Settings, kind: str, payload: dict[str, Any]
) -> None:
    """The write's entry in the audit chain, in the write's own transaction."""
    audit.append(conn, [audit.PendingEntry(kind, settings.user, payload)])


def _all_held(path: Path, kept: Kept) -> AlreadyIngested:
    where = ", ".join(str(b) for b in kept.held_in)
    return AlreadyIngested(
        [
            Problem(
                f"all {kept.held} records of this file were ingested already (in "
                f"batch(es) {where}): they would count twice; nothing stored",
                str(path),
            )
        ],
        batches=kept.held_in,
        sent=kept.held,
    )


def ingest_usage(
    settings: Settings, path: Path, *, source: str | None = None
) -> IngestSummary:
    """Validate a usage file and keep its new records as a batch (all or nothing).

    Records that stored batches hold already are left out (``usage_held``): sent
    again, they would count twice. Batches stored while this one was validated
    are checked inside the write, under the register's lock.

    Args:
        settings: the store and data folder.
        path: the CSV or Parquet file.
        source: the name the batch records as its origin (default: ``path``); a
            service gives the name of the file it was sent, not its own copy.

    Raises:
        AlreadyIngested: a file whose bytes, or all of whose records, were
            ingested already (nothing stored).
        InputError: bad records (line and field named); nothing is stored.
    """
    started = time.perf_counter()
    name = f"batch-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
    engine = open_store(settings)
    try:
        try:
            early = file_sha256(path)
        except OSError as exc:
            raise InputError.single(
                f"cannot read file: {exc.strerror or exc}", source=path
            ) from exc
        with engine.connect() as conn:
            _refuse_known(conn, early, path)
            held = _stored_batches(conn)
        stored, sent, digest = ingest(path, usage_dir(settings), name)
    except BaseException:
        engine.dispose()
        raise
    try:
        kept = leave_out_held(stored, held)
        with register_write(engine) as conn:
            _refuse_known(conn, digest, path)  # another ingest of it meanwhile
            newer = {i: p for i, p in _stored_batches(conn).items() if i not in held}
            if newer:  # stored while this one was read: their records count once
                kept = kept.then(leave_out_held(stored, newer))
            if kept.rows == 0:
                raise _all_held(path, kept)
            row = conn.execute(
                insert(USAGE_BATCHES).returning(USAGE_BATCHES.c.id),
                [
                    {
                        "source": source or str(path),
                        "stored": str(stored),
                        "sha256": digest,
                        "rows": kept.rows,
                        "at": utc_now(),
                        "who": settings.user,
                    }
                ],
            ).one()
            entry = {
                "batch": int(row[0]),
                "source": source or str(path),
                "rows": kept.rows,
                "sha256": digest,
                "sent": sent,
                "held": kept.held,
                "held_in": list(kept.held_in),
            }
            _entered(conn, settings, "usage.ingest", entry)
    except Exception:
        remove_batch(stored)
        raise
    finally:
        engine.dispose()
    return IngestSummary(
        int(row[0]),
        kept.rows,
        str(stored),
        time.perf_counter() - started,
        sent=sent,
        held=kept.held,
        held_in=list(kept.held_in),
    )


@dataclass
class UsageReport:
    """Per-customer compute and flags, with the method and law read."""

    day: str
    method: dict[str, Any]
    regimes: list[str]
    rates: dict[str, str]
    customers: list[dict[str, Any]]
    unregistered: list[str] = field(default_factory=list)
    records: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        return dict(self.__dict__)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()
    }


def _early_peaks(
    engine: Engine, records: pl.LazyFrame, summary: pl.DataFrame, method: Method
) -> dict[str, int]:
    """Early peaks of the customers whose first usage came soon after opening."""
    days = flags_file().method["new_account_days"]
    firsts = dict(zip(summary["customer"], summary["first_start"], strict=True))
    young: dict[str, datetime] = {}
    with engine.connect() as conn:
        ids = sorted(firsts)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(CUSTOMERS.c.id, CUSTOMERS.c.opened).where(
                CUSTOMERS.c.id.in_(chunk), CUSTOMERS.c.opened.is_not(None)
            )
            for cid, opened in conn.execute(query):
                first = firsts[cid]
                if (first.date() - date.fromisoformat(opened)).days <= days:
                    young[cid] = first
    return early_peaks(records, young, method)


def usage_report(
    settings: Settings,
    *,
    day: date | None = None,
    method: Method | None = None,
    replays: tuple[str, ...] = DEFAULT_REPLAYS,
) -> UsageReport:
    """Aggregate every ingested batch, flag each customer, store the results.

    Raises:
        InputError: no usage has been ingested.
    """
    started = time.perf_counter()
    method = method or Method()
    day = day or datetime.now(UTC).date()
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            files = [r.stored for r in conn.execute(select(USAGE_BATCHES.c.stored))]
        present = [f for f in files if Path(f).is_file()]
        if not present:
            raise InputError.single(
                "no usage ingested yet: run 'chipgate usage ingest FILE'",
                source=str(usage_dir(settings)),
            )
        end_of_day = datetime.combine(day + timedelta(days=1), dt_time(), UTC)
        records = as_of(pl.scan_parquet(present), end_of_day)
        summary, rates = aggregate(records, method)
        early = _early_peaks(engine, records, summary, method)
        count = int(summary["records"].sum())
        views = [view_on(day)] + [view_on(day, r) for r in replays]
        in_force = views[0]
        rows = [_jsonable(r) for r in summary.to_dicts()]
        by_id = {r["customer"]: r for r in rows}
        at = utc_now()
        with register_write(engine) as conn:
            known: dict[str, Any] = {}
            ids = sorted(by_id)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                for c in conn.execute(
                    select(CUSTOMERS).where(CUSTOMERS.c.id.in_(chunk))
                ):
                    known[c.id] = c
            for cid, row in by_id.items():
                customer = known.get(cid)
                if customer is None:
                    continue
                facts = CustomerLaw(
                    customer.headquarters,
                    customer.parent_headquarters,
                    customer.parent_share,
                    frozenset(
                        p.strip().lower()
                        for p in (customer.declared_use or "").split(";")
                        if p.strip()
                    ),
                )
                row["flags"] = training_flags(row, facts, in_force) + threshold_flags(
                    row, views
                )
                if cid in early:
                    row["early_max_chips"] = early[cid]
                row["method"] = method.as_dict()
                row["day"] = day.isoformat()
            stored = [r for cid, r in by_id.items() if cid in known]
            registered = [r["customer"] for r in stored]
            for start in range(0, len(registered), _CHUNK):
                conn.execute(
                    delete(COMPUTE).where(
                        COMPUTE.c.customer_id.in_(registered[start : start + _CHUNK])
                    )
                )
            for start in range(0, len(stored), _CHUNK):
                conn.execute(
                    insert(COMPUTE),
                    [
                        {
                            "customer_id": r["customer"],
                            "summary": orjson.dumps(r).decode(),
                            "at": at,
                        }
                        for r in stored[start : start + _CHUNK]
                    ],
                )
            refresh_flags(conn, registered, settings)
            entry = {
                "day": day.isoformat(),
                "method": method.as_dict(),
                "regimes": [v.label for v in views],
                "records": count,
                "customers": len(stored),
                "flagged": sorted(r["customer"] for r in stored if r.get("flags")),
                "unregistered": len(set(by_id) - set(known)),
            }
            _entered(conn, settings, "usage.report", entry)
    finally:
        engine.dispose()
    return UsageReport(
        day=day.isoformat(),
        method=method.as_dict(),
        regimes=[v.label for v in views],
        rates=rates,
        customers=[by_id[c] for c in sorted(by_id) if c in known],
        unregistered=sorted(set(by_id) - set(known)),
        records=count,
        seconds=time.perf_counter() - started,
    )
