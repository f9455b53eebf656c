"""Recording each customer's flags: red flags of the guidance and compute flags.

Flags are recomputed from the stored state (register fields, headquarters class,
possible matches, last compute summary) whenever any of it changes, and replace the
customer's previous flags in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select

from chipgate.diligence.models import COMPUTE, CUSTOMERS, FLAGS, MATCHES, PARTIES
from chipgate.diligence.redflags import CustomerFacts, Flag, evaluate_flags
from chipgate.ledger.audit import utc_now
from chipgate.settings import Settings

_CHUNK = 500
ORIGINS = frozenset({"register", "usage"})


def _facts(
    row: Any, possible: tuple[str, ...], compute: dict[str, Any]
) -> CustomerFacts:
    uses = frozenset(
        p.strip().lower() for p in (row.declared_use or "").split(";") if p.strip()
    )
    return CustomerFacts(
        customer_id=row.id,
        country=row.country,
        headquarters=row.headquarters,
        payment_country=row.payment_country,
        declared_uses=uses,
        opened=date.fromisoformat(row.opened) if row.opened else None,
        hq_class=row.hq_class,
        possible_matches=possible,
        compute=compute,
    )


def refresh_flags(
    conn: Connection, customer_ids: Sequence[str], settings: Settings
) -> int:
    """Recompute and store the flags of ``customer_ids``; returns how many were raised."""
    raised = 0
    at = utc_now()
    for start in range(0, len(customer_ids), _CHUNK):
        chunk = list(customer_ids[start : start + _CHUNK])
        customers = list(
            conn.execute(select(CUSTOMERS).where(CUSTOMERS.c.id.in_(chunk)))
        )
        possible: dict[str, list[str]] = {}
        query = (
            select(
                PARTIES.c.customer_id,
                PARTIES.c.role,
                MATCHES.c.matched_name,
                MATCHES.c.list_code,
                MATCHES.c.score,
            )
            .join(MATCHES, MATCHES.c.party_id == PARTIES.c.id)
            .where(
                PARTIES.c.customer_id.in_(chunk),
                MATCHES.c.is_hit.is_(False),
                MATCHES.c.score >= settings.screening_review_threshold,
            )
        )
        for r in conn.execute(query):
            possible.setdefault(r.customer_id, []).append(
                f"{r.role} ~ {r.list_code} '{r.matched_name}' ({r.score:.2f})"
            )
        compute = {
            r.customer_id: orjson.loads(r.summary)
            for r in conn.execute(
                select(COMPUTE).where(COMPUTE.c.customer_id.in_(chunk))
            )
        }
        rows: list[dict[str, Any]] = []
        for customer in customers:
            summary = compute.get(customer.id, {})
            facts = _facts(
                customer, tuple(sorted(possible.get(customer.id, []))), summary
            )
            flags: list[Flag] = evaluate_flags(facts, ORIGINS)
            flags += [
                Flag(f["code"], "usage", f["message"], tuple(f["citations"]))
                for f in summary.get("flags", [])
            ]
            rows += [
                {
                    "customer_id": customer.id,
                    "code": f.code,
                    "origin": f.origin,
                    "message": f.message,
                    "citations": orjson.dumps(list(f.citations)).decode(),
                    "at": at,
                }
                for f in flags
            ]
        conn.execute(delete(FLAGS).where(FLAGS.c.customer_id.in_(chunk)))
        if rows:
            conn.execute(insert(FLAGS), rows)
        raised += len(rows)
    return raised
