"""Compute monitoring of cloud customers: usage in, compute estimates and flags out
(``chipgate usage ingest|report``, through ``chipgate.diligence.usage_api``).

Ingesting and reporting are writes, for officers, as the register's import is: a
report replaces each customer's compute estimate and recomputes its flags, so it
is a POST; what it stored is read with GETs that change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from sqlalchemy.exc import SQLAlchemyError

from chipgate.diligence import usage_api, usage_reads
from chipgate.diligence.usage_api import IngestSummary
from chipgate.errors import AlreadyIngested, StoreError
from chipgate.ledger.db import read_transaction
from chipgate.service.deps import (
    Officer,
    State,
    Viewer,
    acting_settings,
    documented,
    state_of,
    store_refused,
)
from chipgate.service.keys import Principal
from chipgate.service.uploads import uploaded
from chipgate.service.usage_input import SOURCE, records_file
from chipgate.service.usage_schemas import (
    RECORD_EXAMPLE,
    BatchOut,
    IngestOut,
    ReportRequest,
    StoredCompute,
    UsageFlag,
    UsageRecordsIn,
    UsageReportOut,
)
from chipgate.settings import Settings

router = APIRouter(prefix="/v1/usage", tags=["usage"])

BATCH = {
    "batch": 12,
    "source": "usage-2026-11.parquet",
    "rows": 66666,
    "sha256": "9f2c0d41" + "0" * 56,
    "at": "2026-12-02T10:00:00.000000+00:00",
    "who": "compute desk (key 3fa9c1d2e4b5)",
}
INGESTED = {"stored": BATCH, "sent": 66670, "held": 4, "held_in": [11]}
REGIME = (
    "post-rescission-2025+affiliates-2025+bis-hq-2026+deal-ksa-2025+deal-uae-2025"
    "+fr26-2026+uae-2026"
)
POLICY = (
    "BIS Policy Statement on Controls that May Apply to Advanced Computing "
    "Integrated Circuits and Other Commodities Used to Train AI Models (May 13, "
    "2025); 15 CFR 744.22, 744.23, 744.6 <https://www.bis.gov/media/documents/"
    "ai-policy-statement-training-ai-models-may-13-2025>"
)
METHOD = {
    "utilisation": 0.4,
    "precisions": ["bf16", "fp16"],
    "training_min_chips": 64,
    "training_min_hours": 24.0,
    "sustained_days": 7.0,
    "sustained_chips": 64.0,
    "early_days": 30.0,
}
COMPUTE = {
    "customer": RECORD_EXAMPLE["customer"],
    "records": 1,
    "gpu_hours": 36864.0,
    "peak_operations": 1.313169408e23,
    "training_peak_operations": 1.313169408e23,
    "estimated_operations": 5.252677632e22,
    "training_estimated_operations": 5.252677632e22,
    "training_jobs": 1,
    "max_job_chips": 512,
    "first_start": "2026-11-02T00:00:00+00:00",
    "last_end": "2026-11-05T00:00:00+00:00",
    "span_hours": 72.0,
    "sustained": False,
    "site_countries": ["SG"],
    "flags": [
        {
            "code": "TRAIN.D5",
            "regime": REGIME,
            "message": "1 training-scale job(s) for a customer (headquartered in CN "
            "(D:5 or MO)): training for a D:5 or MO party is a red flag; with "
            "knowledge of a WMD or military-intelligence nexus a licence is required",
            "citations": [POLICY],
        }
    ],
    "method": METHOD,
    "day": "2026-12-01",
}
REPORT = {
    "day": "2026-12-01",
    "method": METHOD,
    "regimes": [REGIME, "aid-2025"],
    "rates": {"NVIDIA H100 SXM5": "NVIDIA H100 SXM5: bf16 dense 989.5 TOPS"},
    "customers": [COMPUTE],
    "unregistered": [],
    "records": 1,
    "seconds": 0.13,
}
FLAG = {
    "customer": RECORD_EXAMPLE["customer"],
    "code": "RF.UNDECLARED_TRAINING",
    "origin": "usage",
    "message": "Training-scale workloads the customer did not declare: 1 "
    "training-scale job(s); declared use: inference. ...",
    "citations": [POLICY],
    "at": "2026-12-02T10:00:00.000000+00:00",
}
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
_KNOWN: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every record sent was held already: nothing stored "
        "(`stored` null), the batches that hold them named",
        "model": IngestOut,
        "content": {
            "application/json": {
                "example": {"stored": None, "sent": 4, "held": 4, "held_in": [11]}
            }
        },
    }
}
INGEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **documented(INGESTED, 413, status=201),
    **_KNOWN,
}


def _stored_batch(state: State, batch_id: int) -> dict[str, Any]:
    with read_transaction(state.store, snapshot=True) as conn:
        found = usage_reads.batch(conn, batch_id)
    if found is None:  # the library named it; it cannot have gone
        raise StoreError(f"usage batch {batch_id} is not in the store")
    return found


def _ingest(
    state: State,
    who: Principal,
    response: Response,
    run: Callable[[Settings], IngestSummary],
    sent: int | None = None,
) -> dict[str, Any]:
    """Run one ingest: 201 with the new batch (its audit entry committed with it by
    the library), or, when every
    record sent was held already, 200 with the batches that hold them (sending
    again changes nothing)."""
    try:
        summary = run(acting_settings(state.settings, who))
    except AlreadyIngested as exc:
        response.status_code = status.HTTP_200_OK
        count = exc.sent if exc.sent is not None else sent
        return {
            "stored": None,
            "sent": count,
            "held": count,
            "held_in": list(exc.batches),
        }
    except SQLAlchemyError as exc:
        raise store_refused(exc) from exc
    found = _stored_batch(state, summary.batch)
    kept = {"sent": summary.sent, "held": summary.held, "held_in": summary.held_in}
    return {"stored": found, **kept}


@router.post(
    "/records",
    status_code=201,
    response_model=IngestOut,
    responses=INGEST_RESPONSES,
)
def ingest_records(
    body: UsageRecordsIn, request: Request, response: Response, who: Officer
) -> dict[str, Any]:
    """Keep up to 10,000 usage records as one batch, all or none.

    Every bad record is named (``records/<index>/<field>``, and its line: the
    index + 1) and nothing is stored. Records the store holds already (a retry,
    an overlap) are left out, so they count once; when all were held, nothing is
    stored and the answer is 200 with the batches that hold them.
    """
    state = state_of(request)

    def run(settings: Settings) -> IngestSummary:
        with records_file(body.records) as path:
            return usage_api.ingest_usage(settings, path, source=SOURCE)

    return _ingest(state, who, response, run, len(body.records))


@router.post(
    "/batches",
    status_code=201,
    response_model=IngestOut,
    responses=INGEST_RESPONSES,
)
def ingest_file(
    request: Request,
    response: Response,
    who: Officer,
    file: Annotated[UploadFile, File(description="CSV or Parquet usage records")],
) -> dict[str, Any]:
    """Keep a usage file (CSV or Parquet, millions of records) as one batch, all
    or none: every bad line is named by the file sent, line and field, and
    nothing is stored. Records held already are left out (they count once); a
    file all of whose records were held answers 200 and stores nothing."""
    state = state_of(request)

    def run(settings: Settings) -> IngestSummary:
        with uploaded(file, "usage.csv") as (path, filename):
            return usage_api.ingest_usage(settings, path, source=filename)

    return _ingest(state, who, response, run)


@router.get("/batches", response_model=list[BatchOut], responses=documented([BATCH]))
def list_batches(
    request: Request, who: Viewer, limit: Limit = 100, offset: Offset = 0
) -> list[dict[str, Any]]:
    """The ingested usage batches, newest first."""
    with read_transaction(state_of(request).store, snapshot=True) as conn:
        return usage_reads.batches(conn, limit=limit, offset=offset)


@router.post("/report", response_model=UsageReportOut, responses=documented(REPORT))
def compute_report(
    request: Request, who: Officer, body: ReportRequest | None = None
) -> dict[str, Any]:
    """Aggregate every batch up to the end of ``as_of`` (UTC), estimate each
    registered customer's compute, flag it under the law of that day (and the
    replayed regimes' thresholds), and store the estimates and flags in place of
    the last ones: a write, hence a POST (``GET /v1/usage/report`` reads them).

    Nothing ingested yet is a 422.
    """
    state = state_of(request)
    body = body or ReportRequest()
    try:
        report = usage_api.usage_report(
            acting_settings(state.settings, who),
            day=body.as_of,
            method=body.method(),
            replays=tuple(body.replays)
            if body.replays is not None
            else usage_api.DEFAULT_REPLAYS,
        )
    except SQLAlchemyError as exc:
        raise store_refused(exc) from exc
    answer = report.as_dict()
    if body.flagged_only:
        answer["customers"] = [c for c in report.customers if c.get("flags")]
    return answer


@router.get(
    "/report",
    response_model=list[StoredCompute],
    responses=documented([{**COMPUTE, "stored_at": FLAG["at"]}]),
)
def stored_report(
    request: Request,
    who: Viewer,
    limit: Limit = 100,
    offset: Offset = 0,
    flagged: Annotated[
        bool, Query(description="Only customers with a flag raised from usage.")
    ] = False,
) -> list[dict[str, Any]]:
    """Each customer's last compute estimate as the last report covering it
    stored it (with its flags, method and day), by customer id. Reads only."""
    with read_transaction(state_of(request).store, snapshot=True) as conn:
        return usage_reads.compute(conn, limit=limit, offset=offset, flagged=flagged)


@router.get("/flags", response_model=list[UsageFlag], responses=documented([FLAG]))
def usage_flags(
    request: Request,
    who: Viewer,
    limit: Limit = 100,
    offset: Offset = 0,
    code: Annotated[
        str | None, Query(max_length=60, description="Only flags of this code.")
    ] = None,
) -> list[dict[str, Any]]:
    """The stored flags raised from usage (compute flags, and the red flags that
    read usage), by customer, each cited. Reads only."""
    with read_transaction(state_of(request).store, snapshot=True) as conn:
        return usage_reads.usage_flags(conn, limit=limit, offset=offset, code=code)
