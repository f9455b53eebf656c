"""Reading what compute monitoring stored, without changing it: the usage batches,
each customer's last compute estimate, and the flags raised from usage.

``usage_api.usage_report`` writes these (it replaces each customer's estimate and
flags); these functions only read them, for the service's GET routes and any
caller that must not recompute.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, exists, select

from chipgate.diligence.models import COMPUTE, FLAGS, USAGE_BATCHES


def _batch(row: Any) -> dict[str, Any]:
    return {
        "batch": int(row.id),
        "source": row.source,
        "rows": int(row.rows),
        "sha256": row.sha256,
        "at": row.at,
        "who": row.who,
    }


def batches(conn: Connection, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """The ingested usage batches, newest first (where each is kept is left out:
    a path on the host, not something a reader acts on)."""
    query = (
        select(USAGE_BATCHES)
        .order_by(USAGE_BATCHES.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [_batch(r) for r in conn.execute(query)]


def batch(conn: Connection, batch_id: int) -> dict[str, Any] | None:
    """One ingested batch by id, or None."""
    row = conn.execute(
        select(USAGE_BATCHES).where(USAGE_BATCHES.c.id == batch_id)
    ).first()
    return None if row is None else _batch(row)


def _usage_flagged(customer: Any) -> Any:
    """Whether a customer has a flag raised from usage (SQL condition)."""
    return exists().where(FLAGS.c.customer_id == customer, FLAGS.c.origin == "usage")


def compute(
    conn: Connection, *, limit: int, offset: int = 0, flagged: bool = False
) -> list[dict[str, Any]]:
    """Each customer's last compute estimate by customer id, as the usage report
    stored it (with its flags, method and day), and when it was stored.

    With ``flagged``, only customers that have a flag raised from usage.
    """
    query = select(COMPUTE).order_by(COMPUTE.c.customer_id)
    if flagged:
        query = query.where(_usage_flagged(COMPUTE.c.customer_id))
    return [
        {**orjson.loads(r.summary), "customer": r.customer_id, "stored_at": r.at}
        for r in conn.execute(query.limit(limit).offset(offset))
    ]


def usage_flags(
    conn: Connection,
    *,
    limit: int,
    offset: int = 0,
    code: str | None = None,
) -> list[dict[str, Any]]:
    """The stored flags raised from usage (compute flags and the red flags that
    read usage), by customer, each with its citations and when it was raised."""
    query = select(FLAGS).where(FLAGS.c.origin == "usage")
    if code is not None:
        query = query.where(FLAGS.c.code == code)
    query = query.order_by(FLAGS.c.customer_id, FLAGS.c.id).limit(limit).offset(offset)
    return [
        {
            "customer": f.customer_id,
            "code": f.code,
            "message": f.message,
            "citations": orjson.loads(f.citations),
            "at": f.at,
        }
        for f in conn.execute(query)
    ]
