"""The ledger: balances, history, releases, licences, and the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from chipgate.ledger import Ledger
from chipgate.service.deps import Officer, Viewer, documented, runtime_of
from chipgate.service.schemas import ReleaseRequest
from chipgate.service.uploads import uploaded

router = APIRouter(prefix="/v1", tags=["ledger"])

BALANCE = {
    "account": "aid/lpp/DE/nordlicht-rechenzentrum-gmbh/2025",
    "kind": "lpp",
    "unit": "tpp",
    "committed": 1013904.0,
    "reserved": 0.0,
    "limit": 26000000.0,
    "h100e": 64.0,
    "citation": "90 FR 4544",
    "used": 1013904.0,
    "remaining": 24986096.0,
}


def _ledger(request: Request) -> Ledger:
    return runtime_of(request).ledger


@router.get("/ledger/balances", responses=documented([BALANCE]))
def balances(request: Request, who: Viewer) -> list[dict[str, Any]]:
    """Every account: used, limit, what is left, in its unit and H100-equivalents."""
    return [b.to_dict() for b in _ledger(request).balances()]


@router.get(
    "/ledger/history",
    responses=documented(
        [
            {
                "order_id": "ORD-001",
                "unit": "tpp",
                "amount": 1013904.0,
                "limit": 26000000.0,
                "used_before": 0.0,
                "h100e": 64.0,
                "status": "committed",
                "at": "2026-12-02T10:00:00.000000+00:00",
                "citation": "90 FR 4544",
            }
        ],
        404,
    ),
)
def history(
    request: Request,
    who: Viewer,
    account: Annotated[str, Query(min_length=1, max_length=200)],
) -> list[dict[str, Any]]:
    """Every draw on one account, oldest first."""
    return [line.to_dict() for line in _ledger(request).history(account)]


@router.post(
    "/ledger/release",
    responses=documented(
        {
            "order_id": "ORD-001",
            "released": 1,
            "already_released": False,
            "audit_seq": 13,
        }
    ),
)
def release(body: ReleaseRequest, request: Request, who: Officer) -> dict[str, Any]:
    """Give a committed order's draws back to their accounts (audited)."""
    result = _ledger(request).release(body.order_id, body.reason, who.who)
    return {
        "order_id": result.order_id,
        "released": len(result.released),
        "already_released": result.already_released,
        "audit_seq": result.audit_seq,
    }


LICENSE = {
    "number": "D1234567",
    "destination": "AE",
    "consignee": "Gulf Compute LLC",
    "items": ["NVIDIA H100 SXM5"],
    "quantity": 1000,
    "quantity_used": 256,
    "value_usd": None,
    "value_used": 0.0,
    "tpp": None,
    "tpp_used": 0.0,
    "valid_from": "2025-01-01",
    "expires": "2027-01-01",
    "conditions": "",
}


@router.get("/licenses", responses=documented([LICENSE]))
def licenses(request: Request, who: Viewer) -> list[dict[str, Any]]:
    """Imported licences with what is used of each."""
    return [asdict(lic) for lic in _ledger(request).licenses()]


@router.post("/licenses", responses=documented({"imported": 3}))
def import_licenses(
    request: Request,
    who: Officer,
    file: Annotated[UploadFile, File(description="CSV or JSONL licence file")],
) -> dict[str, Any]:
    """Import a licence file: all of it, or nothing when any line is wrong."""
    with uploaded(file, "licenses") as (upload, _):
        count = _ledger(request).import_licenses(upload, who.who)
    return {"imported": count}


@router.get(
    "/audit/verify",
    responses=documented(
        {
            "ok": True,
            "entries": 42,
            "head_hash": "3b1f...",
            "first_bad_seq": None,
            "reason": "",
            "balance_mismatches": [],
        }
    ),
)
def verify(request: Request, who: Viewer) -> dict[str, Any]:
    """Walk the hash chain and replay it against every balance."""
    report = _ledger(request).verify()
    return {
        "ok": report.ok,
        "entries": report.entries,
        "head_hash": report.head_hash,
        "first_bad_seq": report.first_bad_seq,
        "reason": report.reason,
        "balance_mismatches": list(report.balance_mismatches),
    }


@router.get(
    "/audit/export",
    response_class=StreamingResponse,
    responses=documented(
        '{"at":"...","hash":"...","kind":"order.committed","order_id":"ORD-001",'
        '"payload":{},"prev_hash":"...","seq":1,"who":"..."}\n',
        media_type="application/x-ndjson",
    ),
)
def export(request: Request, who: Viewer) -> StreamingResponse:
    """Every audit entry in chain order, as JSON lines (for an auditor)."""
    entries = list(_ledger(request).export())

    def lines() -> Iterator[bytes]:
        for entry in entries:
            yield orjson.dumps(entry, option=orjson.OPT_SORT_KEYS) + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")
