"""The cloud customer register: import, read and re-screen it (``chipgate.diligence``).

Officers maintain the register, as they import licences: an import or a re-screen
raises the alerts reviewers work from, and both are entries of the audit chain.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from chipgate.cases.writes import write
from chipgate.diligence import api, reads
from chipgate.ledger import audit
from chipgate.ledger.db import read_transaction
from chipgate.service.deps import (
    Officer,
    State,
    Viewer,
    acting_settings,
    documented,
    runtime_of,
    state_of,
    store_refused,
)
from chipgate.service.keys import Principal
from chipgate.service.problems import ServiceProblem
from chipgate.service.schemas import (
    CustomerFileOut,
    CustomerOut,
    Day,
    RegisterRun,
    RescreenRequest,
)
from chipgate.service.uploads import uploaded

router = APIRouter(prefix="/v1/customers", tags=["customers"])

HIT = {
    "role": "customer",
    "name": "Huawei Technologies Co. Ltd.",
    "entry": "csl:EL-1234",
    "list": "EL",
    "matched_name": "Huawei Technologies Co., Ltd.",
    "score": 0.98,
    "explanation": "all tokens of the query in the entry name",
}
ALERT = {
    "id": 7,
    "run": 3,
    "kind": "new_hit",
    **{k: v for k, v in HIT.items() if k != "explanation"},
    "cause": "import",
    "at": "2026-12-02T10:00:00.000000+00:00",
}
CUSTOMER = {
    "id": "C-0042",
    "name": "Huawei Technologies Co. Ltd.",
    "aliases": [],
    "country": "SG",
    "headquarters": "CN",
    "parent": None,
    "parent_headquarters": None,
    "parent_share": None,
    "owners": [],
    "opened": "2026-01-15",
    "declared_use": "inference",
    "payment_country": None,
    "hq_class": "headquartered",
    "hq": {
        "reason": "headquartered in CN (D:5)",
        "citations": ["15 CFR 744.23(a)(3)"],
        "regime": "post-rescission-2025",
        "day": "2026-12-02",
    },
    "imported_at": "2026-12-02T10:00:00.000000+00:00",
    "hits": [HIT],
    "possible_matches": [],
    "flags": [
        {
            "code": "RF.HQ_OF_CONCERN",
            "origin": "register",
            "message": "headquartered in a country of concern",
            "citations": ["15 CFR 744.23(a)(3)"],
        }
    ],
    "open_alerts": [ALERT],
}
SUMMARY = {
    "kind": "import",
    "run_id": 3,
    "customers": 120,
    "screened": 310,
    "added": 0,
    "removed": 0,
    "changed": 0,
    "candidates": 0,
    "new_hits": 1,
    "cleared_hits": 0,
    "max_drift": 0.0,
    "seconds": 1.4,
    "notes": [],
}
RUN = {"summary": SUMMARY, "alerts": [{**ALERT, "customer_id": "C-0042"}]}
RESCREEN = {
    "summary": {
        **SUMMARY,
        "kind": "delta",
        "customers": 0,
        "added": 300,
        "candidates": 41,
        "max_drift": 0.004,
    },
    "alerts": [{**ALERT, "cause": "added", "customer_id": "C-0042"}],
}
CustomerId = Annotated[str, Path(min_length=1, max_length=200)]


def _lists(request: Request) -> api.Lists:
    """The active lists: the worker's own index while they have not been updated
    since it loaded them (its tables warm), else read afresh."""
    runtime = runtime_of(request)
    index = runtime.active_index()
    if index is None:
        return api.active_lists(runtime.settings)
    return api.describe_lists(index)


def _ran(
    state: State, who: Principal, summary: api.RunSummary, payload: dict[str, Any]
) -> dict[str, Any]:
    """The run, its alerts, and its entry in the audit chain (when it ran)."""
    alerts: list[dict[str, Any]] = []
    if summary.run_id is not None:
        run_id = summary.run_id
        with read_transaction(state.store, snapshot=True) as conn:
            alerts = reads.run_alerts(conn, run_id)

        def work(conn: Connection) -> None:
            audit.append(
                conn,
                [
                    audit.PendingEntry(
                        f"customers.{summary.kind}",
                        who.who,
                        {
                            **payload,
                            "run_id": run_id,
                            "customers": summary.customers,
                            "new_hits": summary.new_hits,
                            "cleared_hits": summary.cleared_hits,
                        },
                    )
                ],
            )

        write(state.store, work)
    return {"summary": summary.as_dict(), "alerts": alerts}


@router.post(
    "",
    response_model=RegisterRun,
    responses=documented(RUN),
)
def import_customers(
    request: Request,
    who: Officer,
    file: Annotated[
        UploadFile, File(description="CSV, Excel (.xlsx), JSONL or Parquet customers")
    ],
    as_of: Annotated[
        Day | None, Form(description="Read the headquarters rule as of this day.")
    ] = None,
) -> dict[str, Any]:
    """Import a customer file: every row validated, every name screened, each
    customer classified by the headquarters rule and its red flags recorded, all
    in one transaction. A customer imported again replaces its earlier record.

    Any bad row refuses the whole file (422 naming the file, line and field);
    nothing is stored.
    """
    state = state_of(request)
    with uploaded(file, "customers") as (upload, filename):
        try:
            summary = api.import_file(
                acting_settings(state.settings, who),
                upload,
                day=as_of,
                lists=_lists(request),
            )
        except SQLAlchemyError as exc:
            raise store_refused(exc) from exc
    return _ran(state, who, summary, {"filename": filename})


@router.get(
    "",
    response_model=list[CustomerOut],
    responses=documented([CUSTOMER]),
)
def list_customers(
    request: Request,
    who: Viewer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[dict[str, Any]]:
    """Customers by id, each with its hits, possible matches, flags and open
    alerts."""
    state = state_of(request)
    with read_transaction(state.store, snapshot=True) as conn:
        return reads.customers(
            conn,
            review=state.settings.screening_review_threshold,
            limit=limit,
            offset=offset,
        )


@router.post(
    "/rescreen",
    response_model=RegisterRun,
    responses=documented(RESCREEN),
)
def rescreen_register(
    request: Request, who: Officer, body: RescreenRequest | None = None
) -> dict[str, Any]:
    """Bring the register to the active lists: only the names the list change can
    touch (the delta), or every name with ``full``. Hits that appear or clear
    become alerts naming the list change; nothing to do is a run of kind ``none``.
    """
    state = state_of(request)
    full = body.full if body is not None else False
    try:
        summary = api.rescreen(
            acting_settings(state.settings, who), full=full, lists=_lists(request)
        )
    except SQLAlchemyError as exc:
        raise store_refused(exc) from exc
    return _ran(state, who, summary, {"full": full})


@router.get(
    "/{customer_id}",
    response_model=CustomerFileOut,
    responses=documented(
        {**CUSTOMER, "history": [], "compute": None, "decisions": []}, 404
    ),
)
def show_customer(
    customer_id: CustomerId, request: Request, who: Viewer
) -> dict[str, Any]:
    """One customer with what an auditor reads: hits, flags (cited), every alert
    with the run and list change behind it, compute, decisions."""
    state = state_of(request)
    with read_transaction(state.store, snapshot=True) as conn:
        record = reads.customer_file(
            conn, customer_id, review=state.settings.screening_review_threshold
        )
    if record is None:
        raise ServiceProblem(
            404,
            "not-found",
            "Not found",
            f"no customer {customer_id!r} in the register",
        )
    return record
