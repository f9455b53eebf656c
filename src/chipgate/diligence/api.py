"""The register's library API: import, re-screen, read. The CLI (and, later, the HTTP
routes) call these functions; they take the settings and return plain summaries.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from chipgate.diligence.delta import (
    DRIFT_MARGIN,
    Matches,
    delta_rescreen,
    diff_lists,
    full_rescreen,
    keep_floor,
    list_state,
)
from chipgate.diligence.flags_store import refresh_flags
from chipgate.diligence.law import classify_hq, view_on
from chipgate.diligence.matching import RegisterMatcher, party_keys
from chipgate.diligence.models import CUSTOMERS, MATCHES, PARTIES
from chipgate.diligence.register import Customer, read_customers
from chipgate.diligence.store import (
    add_alerts,
    add_run,
    customer_count,
    dumps,
    hit_alerts,
    list_key,
    load_matches,
    load_parties,
    open_store,
    register_write,
    replace_matches,
    save_state,
    set_run_counts,
    stored_state,
)
from chipgate.ledger.audit import utc_now
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.provider import active_lists_dir, load_index
from chipgate.settings import Settings

_CHUNK = 500
WORKERS = os.cpu_count() or 1
"""Processes that score names in a re-screen (forked, read-only)."""


@dataclass(frozen=True)
class Lists:
    """The active lists: their index, key and description."""

    index: ScreeningIndex
    key: str
    described: list[dict[str, Any]]


def describe_lists(index: ScreeningIndex) -> Lists:
    """Key the lists by the hashes of their files."""
    files = [f"{i.source}:{f.path}:{f.sha256}" for i in index.infos for f in i.files]
    key = hashlib.sha256("|".join(files).encode()).hexdigest()
    described = [
        {
            "source": i.source,
            "list_date": i.list_date,
            "entries": i.entries,
            "files": [{"path": f.path, "sha256": f.sha256} for f in i.files],
        }
        for i in index.infos
    ]
    return Lists(index, key, described)


def active_lists(settings: Settings) -> Lists:
    """The lists in use (the last ``lists update``, else the configured folder)."""
    folder = active_lists_dir(settings.data_dir, settings.lists_dir)
    return describe_lists(load_index(folder, settings.data_dir))


@dataclass
class RunSummary:
    """What one import or re-screen did."""

    kind: str
    run_id: int | None
    customers: int = 0
    screened: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    candidates: int = 0
    new_hits: int = 0
    cleared_hits: int = 0
    max_drift: float = 0.0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        return dict(self.__dict__)


def _party_rows(customer: Customer) -> list[dict[str, Any]]:
    country = customer.headquarters or customer.country
    named = [("customer", customer.name, country)]
    named += [("alias", a, country) for a in customer.aliases]
    if customer.parent:
        named.append(("parent", customer.parent, customer.parent_headquarters))
    named += [("owner", o, None) for o in customer.owners]
    return [
        {
            "customer_id": customer.id,
            "role": role,
            "name": name,
            "country": where,
            "keys": party_keys(name),
        }
        for role, name, where in named
    ]


def _customer_row(
    customer: Customer, day: date, run_id: int, at: str
) -> dict[str, Any]:
    view = view_on(day)
    hq = classify_hq(
        customer.headquarters,
        customer.parent_headquarters,
        customer.parent_share,
        view,
    )
    return {
        "id": customer.id,
        "name": customer.name,
        "aliases": dumps(list(customer.aliases)),
        "country": customer.country,
        "headquarters": customer.headquarters,
        "parent": customer.parent,
        "parent_headquarters": customer.parent_headquarters,
        "parent_share": customer.parent_share,
        "owners": dumps(list(customer.owners)),
        "opened": customer.opened.isoformat() if customer.opened else None,
        "declared_use": customer.declared_use,
        "payment_country": customer.payment_country,
        "hq_class": hq.code,
        "hq_detail": dumps(
            {
                "reason": hq.reason,
                "citations": list(hq.citations),
                "regime": hq.regime,
                "day": hq.day,
            }
        ),
        "imported_at": at,
        "import_run": run_id,
    }


def _remove_customers(conn: Connection, ids: list[str]) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        party_ids = select(PARTIES.c.id).where(PARTIES.c.customer_id.in_(chunk))
        conn.execute(delete(MATCHES).where(MATCHES.c.party_id.in_(party_ids)))
        conn.execute(delete(PARTIES).where(PARTIES.c.customer_id.in_(chunk)))
        conn.execute(delete(CUSTOMERS).where(CUSTOMERS.c.id.in_(chunk)))


def import_customers(
    settings: Settings,
    customers: list[Customer],
    *,
    day: date | None = None,
    lists: Lists | None = None,
) -> RunSummary:
    """Store ``customers`` (replacing those with the same id), screened and classified.

    The register is first brought to the active lists (a delta re-screen) when it was
    screened against other lists, so that every stored match refers to one list set.
    Everything is written in one transaction.
    """
    started = time.perf_counter()
    lists = lists or active_lists(settings)
    engine = open_store(settings)
    notes: list[str] = []
    try:
        with engine.connect() as conn:
            behind = list_key(conn) not in (None, lists.key)
    finally:
        engine.dispose()
    if behind:
        caught = rescreen(settings, lists=lists)
        notes.append(
            f"register first re-screened against the active lists (run {caught.run_id})"
        )
    day = day or datetime.now(UTC).date()
    matcher = RegisterMatcher(
        lists.index,
        keep_floor(settings.screening_review_threshold),
        settings.screening_threshold,
    )
    party_rows = [row for c in customers for row in _party_rows(c)]
    found = [matcher.match(row["name"]) for row in party_rows]
    at = utc_now()
    engine = open_store(settings)
    try:
        with register_write(engine) as conn:
            fresh = list_key(conn) is None
            run_id = add_run(
                conn,
                kind="import",
                who=settings.user,
                list_key=lists.key,
                lists=dumps(lists.described),
                added=0,
                removed=0,
                changed=0,
                parties_screened=len(party_rows),
                new_hits=0,
                cleared_hits=0,
                seconds=0.0,
            )
            ids = [c.id for c in customers]
            _remove_customers(conn, ids)
            rows = [_customer_row(c, day, run_id, at) for c in customers]
            for start in range(0, len(rows), _CHUNK):
                conn.execute(insert(CUSTOMERS), rows[start : start + _CHUNK])
            party_ids: list[int] = []
            for start in range(0, len(party_rows), _CHUNK):
                result = conn.execute(
                    insert(PARTIES).returning(
                        PARTIES.c.id, sort_by_parameter_order=True
                    ),
                    party_rows[start : start + _CHUNK],
                )
                party_ids.extend(int(r[0]) for r in result)
            matches: Matches = dict(zip(party_ids, found, strict=True))
            replace_matches(conn, matches, run_id, clear=False)
            parties = load_parties(conn, ids)
            alerts = hit_alerts({}, matches, parties, None, "import")
            add_alerts(conn, run_id, alerts)
            if fresh:
                save_state(conn, list_state(lists.index))
            refresh_flags(conn, ids, settings)
            seconds = time.perf_counter() - started
            set_run_counts(conn, run_id, new_hits=len(alerts), seconds=seconds)
    finally:
        engine.dispose()
    return RunSummary(
        kind="import",
        run_id=run_id,
        customers=len(customers),
        screened=len(party_rows),
        new_hits=len(alerts),
        seconds=seconds,
        notes=notes,
    )


def import_file(
    settings: Settings,
    path: Path,
    *,
    day: date | None = None,
    lists: Lists | None = None,
) -> RunSummary:
    """Read, validate, screen, classify and store a customer file (all or nothing),
    against ``lists`` (default: the active lists).

    Raises:
        InputError: any bad row (file, line and field named); nothing is stored.
    """
    return import_customers(settings, read_customers(path), day=day, lists=lists)


def rescreen(
    settings: Settings, *, full: bool = False, lists: Lists | None = None
) -> RunSummary:
    """Bring the register to the active lists: the delta, or everything with ``full``.

    New and cleared hits become alerts naming the list change that caused them.
    """
    started = time.perf_counter()
    lists = lists or active_lists(settings)
    engine = open_store(settings)
    floor = keep_floor(settings.screening_review_threshold)
    threshold = settings.screening_threshold
    try:
        with register_write(engine) as conn:
            previous = list_key(conn)
            if customer_count(conn) == 0 and previous is None:
                return RunSummary(
                    kind="none", run_id=None, notes=["the register is empty"]
                )
            if previous == lists.key and not full:
                return RunSummary(
                    kind="none",
                    run_id=None,
                    notes=["the register is already screened against these lists"],
                )
            new_state = list_state(lists.index)
            change = diff_lists(stored_state(conn), new_state)
            parties = load_parties(conn)
            stored = load_matches(conn)
            if full:
                result = full_rescreen(
                    parties,
                    lists.index,
                    floor=floor,
                    threshold=threshold,
                    workers=WORKERS,
                    stored=stored,
                )
                result.change = change
            else:
                result = delta_rescreen(
                    parties,
                    stored,
                    lists.index,
                    change,
                    floor=floor,
                    threshold=threshold,
                    workers=WORKERS,
                )
            run_id = add_run(
                conn,
                kind="full" if full else "delta",
                who=settings.user,
                list_key=lists.key,
                lists=dumps(lists.described),
                added=len(change.added),
                removed=len(change.removed),
                changed=len(change.changed),
                parties_screened=result.screened,
                new_hits=0,
                cleared_hits=0,
                seconds=0.0,
            )
            alerts = hit_alerts(stored, result.matches, parties, change, "full")
            replace_matches(conn, result.matches, run_id)
            add_alerts(conn, run_id, alerts)
            save_state(conn, new_state)
            touched = {a["customer_id"] for a in alerts} | set(
                parties.filter(parties["id"].is_in(list(result.matches)))[
                    "customer_id"
                ].to_list()
            )
            refresh_flags(conn, sorted(touched), settings)
            new_hits = sum(1 for a in alerts if a["kind"] == "new_hit")
            seconds = time.perf_counter() - started
            set_run_counts(
                conn,
                run_id,
                new_hits=new_hits,
                cleared_hits=len(alerts) - new_hits,
                seconds=seconds,
            )
    finally:
        engine.dispose()
    return RunSummary(
        kind="full" if full else "delta",
        run_id=run_id,
        screened=result.screened,
        added=len(change.added),
        removed=len(change.removed),
        changed=len(change.changed),
        candidates=result.candidates,
        new_hits=new_hits,
        cleared_hits=len(alerts) - new_hits,
        max_drift=result.max_drift,
        seconds=seconds,
        notes=_drift_note(result.max_drift),
    )


def _drift_note(drift: float) -> list[str]:
    if drift < DRIFT_MARGIN / 2:
        return []
    return [
        f"scores of unchanged entries moved by up to {drift:.3f} with the new word "
        f"weights (margin {DRIFT_MARGIN}): run 'chipgate customers rescreen --full'"
    ]


def after_lists_update(settings: Settings, index: ScreeningIndex) -> RunSummary | None:
    """Re-screen the register after ``lists update`` switched to ``index``.

    Does nothing (None) when the register holds no customer.
    """
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            if customer_count(conn) == 0:
                return None
    finally:
        engine.dispose()
    return rescreen(settings, lists=describe_lists(index))
