"""Deciding orders: check (analyst) and commit (officer), and decisions by id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from chipgate.errors import InputError, Problem
from chipgate.orders.model import Order
from chipgate.service.decisions import Recorded, get_decision, record
from chipgate.service.deps import Analyst, Officer, Viewer, documented, runtime_of
from chipgate.service.direct import DirectRoute
from chipgate.service.routers.screening import list_warnings
from chipgate.service.runtime import Decided, Runtime
from chipgate.service.schemas import (
    CheckRequest,
    CheckResponse,
    DecisionOut,
)
from chipgate.service.timing import phase
from chipgate.service.writer_process import committed

router = APIRouter(prefix="/v1", tags=["orders"], route_class=DirectRoute)

_RECORD = {
    "id": "ORD-001",
    "outcome": "no_license_required",
    "authorization": None,
    "review_policy": None,
    "regime": "post-rescission-2025",
    "as_of": "2025-03-10",
    "item": "NVIDIA H100 SXM5",
    "eccn": "3A090.a",
    "quantity": 256,
    "rules": ["AC.DEST"],
    "citations": ["15 CFR 742.6(a)(6)(iii)"],
    "tpp": 4055616.0,
    "h100_equivalents": 256.0,
    "draws": [],
    "red_flags": [],
    "obligations": [],
    "explanation": "no license required: ...",
}
CHECK_EXAMPLE = {
    "count": 1,
    "outcomes": {"no_license_required": 1},
    "results": [
        {
            "decision_id": "5f0c2a9d41e3b7a8",
            "case_id": None,
            "review": [],
            "four_eyes": False,
            "decision": _RECORD,
            "commit": None,
        }
    ],
}
COMMIT_EXAMPLE = {
    **CHECK_EXAMPLE,
    "results": [
        {
            **CHECK_EXAMPLE["results"][0],  # type: ignore[index]
            "commit": {
                "status": "committed",
                "drawn": [],
                "refusal": None,
                "audit_seq": 12,
                "detail": "",
            },
        }
    ],
}
DecisionId = Annotated[str, Path(min_length=1, max_length=32)]
INLINE_ORDERS = 16
"""Orders a check decides on the event loop; a larger one is decided on a thread."""


def _orders(runtime: Runtime, body: CheckRequest) -> list[Order]:
    """Validate every order; a bad one is named by its position and field."""
    try:
        orders = runtime.parse(
            (o.row() for o in body.orders), "orders", body.regime, body.as_of
        )
    except InputError as exc:
        raise InputError(
            [
                Problem(
                    p.message,
                    "request",
                    p.line,
                    f"orders/{(p.line or 1) - 1}/{p.field}" if p.field else None,
                )
                for p in exc.problems
            ]
        ) from None
    seen: dict[str, int] = {}
    for index, order in enumerate(orders):
        if order.id in seen:
            raise InputError.single(
                f"order id {order.id!r} already used by orders/{seen[order.id]}",
                source="request",
                line=index + 1,
                field=f"orders/{index}/id",
            )
        seen[order.id] = index
    return orders


def _response(
    items: Sequence[Decided], kept: Sequence[Recorded], warnings: list[str]
) -> Response:
    """The answer, serialized once by orjson (records are plain JSON already; a
    second validation through the response model cost more than deciding);
    ``warnings``: the screening lists in use that are too old."""
    body = {
        "count": len(items),
        "outcomes": dict(Counter(item.record["outcome"] for item in items)),
        "warnings": warnings,
        "results": [
            {
                "decision_id": rec.decision_id,
                "case_id": rec.case_id,
                "review": list(rec.triggers),
                "four_eyes": rec.four_eyes,
                "decision": item.record,
                "commit": item.commit.to_dict() if item.commit else None,
            }
            for item, rec in zip(items, kept, strict=True)
        ],
    }
    return Response(orjson.dumps(body), media_type="application/json")


@router.post(
    "/orders/check",
    response_model=CheckResponse,
    responses=documented(CHECK_EXAMPLE),
)
async def check(body: CheckRequest, request: Request, who: Analyst) -> Response:
    """Decide one order or up to 10,000 on the ledger's balances; nothing is drawn.

    Each decision is kept (fetch it by ``decision_id``); one that needs a person
    (licence required, red flag, hold, screening match, location alert) opens a case.
    The answer comes once the decisions are committed to the store.
    """
    runtime = runtime_of(request)
    with phase("parse"):
        orders = _orders(runtime, body)
    decide = partial(runtime.decide, orders, regime=body.regime, as_of=body.as_of)
    # a few orders are decided on the event loop (a fraction of a millisecond each;
    # a hop to a thread costs about as much); more go to a thread, not to block it
    with phase("decide"):
        if len(orders) <= INLINE_ORDERS:
            items = decide()
        else:
            items = await run_in_threadpool(decide)
    with phase("record"):
        pending = record(runtime.records, items, who.who, review=body.review)
    with phase("wait"):
        kept = await committed(pending)
    with phase("encode"):
        return _response(items, kept, list_warnings(request))


@router.post(
    "/orders/commit",
    response_model=CheckResponse,
    responses=documented(COMMIT_EXAMPLE),
)
def commit(body: CheckRequest, request: Request, who: Officer) -> Response:
    """Decide and commit orders: each order's draws all or none, never over a cap.

    An order already committed is not drawn again (idempotent by order id). An order
    refused because another request drew meanwhile is decided again on the fresh
    balances. Commits and refusals are entries of the audit chain. Every
    decision that needs a person opens its case: ``"review": false`` is refused.
    """
    if not body.review:
        # a committed prohibition or list hit with no case would never be
        # reviewed by anyone
        raise InputError.single(
            "a commit opens a case for each decision that needs a person; "
            "'review': false is for checks only",
            field="review",
        )
    runtime = runtime_of(request)
    items = runtime.commit(
        _orders(runtime, body), who=who.who, regime=body.regime, as_of=body.as_of
    )
    kept = record(runtime.records, items, who.who, review=body.review).result()
    return _response(items, kept, list_warnings(request))


@router.get(
    "/decisions/{decision_id}",
    response_model=DecisionOut,
    responses=documented(
        {
            "decision_id": "5f0c2a9d41e3b7a8",
            "order_id": "ORD-001",
            "created_at": "2026-12-02T10:00:00.000000+00:00",
            "principal": "order desk (key 3fa9c1d2e4b5)",
            "committed": False,
            "order": {"id": "ORD-001", "date": "2025-03-10", "destination": "DE"},
            "decision": _RECORD,
            "reasoning": {
                "explanation": "no license required: ...",
                "findings": [
                    {
                        "code": "AC.DEST",
                        "effect": "note",
                        "message": "...",
                        "citations": ["15 CFR 742.6(a)(6)(iii)"],
                    }
                ],
                "facts": {"screening": [], "licenses": [], "location_alerts": []},
                "review": {"triggers": [], "four_eyes": False},
            },
            "cases": [],
        },
        404,
    ),
)
def decision(decision_id: DecisionId, request: Request, who: Viewer) -> dict[str, Any]:
    """A recorded decision with its order and its whole reasoning chain."""
    return get_decision(runtime_of(request).ledger.engine, decision_id)
