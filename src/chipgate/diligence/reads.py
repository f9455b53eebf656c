"""Reading the register for people: each customer with its hits, flags and alerts.

Plain dictionaries, ready for JSON, tables and the auditor's HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, select

from chipgate.diligence.models import (
    ALERTS,
    COMPUTE,
    CUSTOMERS,
    DECISIONS,
    FLAGS,
    MATCHES,
    PARTIES,
    RUNS,
)

_CHUNK = 500


def _customer(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "aliases": orjson.loads(row.aliases),
        "country": row.country,
        "headquarters": row.headquarters,
        "parent": row.parent,
        "parent_headquarters": row.parent_headquarters,
        "parent_share": row.parent_share,
        "owners": orjson.loads(row.owners),
        "opened": row.opened,
        "declared_use": row.declared_use,
        "payment_country": row.payment_country,
        "hq_class": row.hq_class,
        "hq": orjson.loads(row.hq_detail),
        "imported_at": row.imported_at,
        "hits": [],
        "possible_matches": [],
        "flags": [],
        "open_alerts": [],
    }


def customers(
    conn: Connection,
    ids: Sequence[str] | None = None,
    *,
    review: float,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Customers with their hits, possible matches, flags and open alerts, by id
    (without ``ids``: ``limit`` of them from the ``offset``-th, all by default).

    Matches below ``review`` (kept only to follow re-weighting) are not shown.
    """
    query = select(CUSTOMERS).order_by(CUSTOMERS.c.id)
    if ids is not None:
        rows: list[Any] = []
        for start in range(0, len(ids), _CHUNK):
            rows.extend(
                conn.execute(
                    query.where(CUSTOMERS.c.id.in_(ids[start : start + _CHUNK]))
                )
            )
    else:
        page = query.limit(limit) if limit else query
        rows = list(conn.execute(page.offset(offset) if offset else page))
    found = {r.id: _customer(r) for r in rows}
    keys = sorted(found)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        matches = (
            select(
                PARTIES.c.customer_id,
                PARTIES.c.role,
                PARTIES.c.name,
                MATCHES.c.entry_key,
                MATCHES.c.list_code,
                MATCHES.c.matched_name,
                MATCHES.c.score,
                MATCHES.c.is_hit,
                MATCHES.c.explanation,
            )
            .join(MATCHES, MATCHES.c.party_id == PARTIES.c.id)
            .where(PARTIES.c.customer_id.in_(chunk), MATCHES.c.score >= review)
            .order_by(PARTIES.c.id, MATCHES.c.score.desc(), MATCHES.c.entry_key)
        )
        for m in conn.execute(matches):
            item = {
                "role": m.role,
                "name": m.name,
                "entry": m.entry_key,
                "list": m.list_code,
                "matched_name": m.matched_name,
                "score": m.score,
                "explanation": m.explanation,
            }
            found[m.customer_id]["hits" if m.is_hit else "possible_matches"].append(
                item
            )
        for f in conn.execute(
            select(FLAGS).where(FLAGS.c.customer_id.in_(chunk)).order_by(FLAGS.c.id)
        ):
            found[f.customer_id]["flags"].append(
                {
                    "code": f.code,
                    "origin": f.origin,
                    "message": f.message,
                    "citations": orjson.loads(f.citations),
                }
            )
        for a in conn.execute(
            select(ALERTS)
            .where(ALERTS.c.customer_id.in_(chunk), ALERTS.c.status == "open")
            .order_by(ALERTS.c.id)
        ):
            found[a.customer_id]["open_alerts"].append(_alert(a))
    return [found[k] for k in keys]


def _alert(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "run": a.run_id,
        "kind": a.kind,
        "role": a.role,
        "name": a.party_name,
        "entry": a.entry_key,
        "list": a.list_code,
        "matched_name": a.matched_name,
        "score": a.score,
        "cause": a.cause,
        "at": a.at,
    }


def run_alerts(conn: Connection, run_id: int) -> list[dict[str, Any]]:
    """The alerts one import or re-screen raised (hits that appeared or cleared),
    each with its customer."""
    return [
        {"customer_id": a.customer_id, **_alert(a)}
        for a in conn.execute(
            select(ALERTS).where(ALERTS.c.run_id == run_id).order_by(ALERTS.c.id)
        )
    ]


def customer_file(
    conn: Connection, customer_id: str, *, review: float
) -> dict[str, Any] | None:
    """One customer with everything an auditor reads: screening history (every alert
    with the run and list change that caused it), compute, flags and decisions."""
    found = customers(conn, [customer_id], review=review)
    if not found:
        return None
    record = found[0]
    alerts = list(
        conn.execute(
            select(ALERTS)
            .where(ALERTS.c.customer_id == customer_id)
            .order_by(ALERTS.c.id)
        )
    )
    run_ids = sorted({a.run_id for a in alerts})
    runs = {
        r.id: r
        for r in conn.execute(select(RUNS).where(RUNS.c.id.in_(run_ids or [-1])))
    }
    record["history"] = [
        {
            **_alert(a),
            "run_kind": runs[a.run_id].kind,
            "list_change": {
                "added": runs[a.run_id].added,
                "removed": runs[a.run_id].removed,
                "changed": runs[a.run_id].changed,
                "lists": orjson.loads(runs[a.run_id].lists),
            },
        }
        for a in alerts
    ]
    compute = conn.execute(
        select(COMPUTE.c.summary).where(COMPUTE.c.customer_id == customer_id)
    ).first()
    record["compute"] = orjson.loads(compute[0]) if compute else None
    record["decisions"] = [
        {
            "order_id": d.order_id,
            "kind": d.kind,
            "outcome": d.outcome,
            "at": d.at,
            "record": orjson.loads(d.record),
        }
        for d in conn.execute(
            select(DECISIONS)
            .where(DECISIONS.c.customer_id == customer_id)
            .order_by(DECISIONS.c.id)
        )
    ]
    return record


def runs(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The latest screening runs of the register."""
    return [
        {k: v for k, v in r._mapping.items() if k != "lists"}
        for r in conn.execute(select(RUNS).order_by(RUNS.c.id.desc()).limit(limit))
    ]
