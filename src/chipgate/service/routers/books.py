"""Order books uploaded as jobs: progress while they run, results to download."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse

from chipgate.errors import InputError
from chipgate.service import jobs
from chipgate.service.deps import Analyst, Viewer, documented, runtime_of, state_of
from chipgate.service.schemas import Day, JobOut

router = APIRouter(prefix="/v1/books", tags=["books"])

JOB_EXAMPLE = {
    "job_id": "a1b2c3d4e5f60718",
    "status": "running",
    "filename": "orders.csv",
    "total": 120000,
    "done": 60000,
    "outcomes": {},
    "problems": [],
    "created_at": "2026-12-02T10:00:00.000000+00:00",
    "finished_at": None,
    "results": None,
}
JobId = Annotated[str, Path(min_length=1, max_length=32)]


@router.post(
    "",
    response_model=JobOut,
    status_code=202,
    responses=documented(JOB_EXAMPLE, status=202),
)
def upload_book(
    request: Request,
    who: Analyst,
    file: Annotated[UploadFile, File(description="CSV, JSONL or Parquet order book")],
    regime: Annotated[str | None, Form()] = None,
    as_of: Annotated[Day | None, Form()] = None,
) -> dict[str, Any]:
    """Upload an order book; it is decided in the background (poll the job).

    A book with any bad line fails whole; the job's problems name each line and field.
    """
    runtime = runtime_of(request)
    if regime is not None:
        # refused now (422), not by the job after it was accepted with 202
        runtime.engine.library.regime(regime)
    filename = FilePath(file.filename or "book").name
    suffix = FilePath(filename).suffix.lower()
    if not suffix:
        raise InputError.single(
            "the file name needs its type (.csv, .jsonl, .parquet)",
            source=filename,
            field="file",
        )
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as handle:
        shutil.copyfileobj(file.file, handle)
        upload = FilePath(handle.name)
    job_id = jobs.submit(
        runtime.ledger.engine,
        runtime.settings.data_dir,
        upload,
        filename,
        who.who,
        {"regime": regime, "as_of": as_of.isoformat() if as_of else None},
    )
    jobs.start(runtime, job_id)
    return jobs.job_view(runtime.ledger.engine, job_id)


@router.get("/{job_id}", response_model=JobOut, responses=documented(JOB_EXAMPLE, 404))
def job(job_id: JobId, request: Request, who: Viewer) -> dict[str, Any]:
    """A job's state and progress (orders decided of the total)."""
    return jobs.job_view(state_of(request).store, job_id)


@router.get(
    "/{job_id}/results",
    response_class=FileResponse,
    responses=documented(
        '{"id":"ORD-001","outcome":"no_license_required", ...}\n',
        404,
        409,
        media_type="application/x-ndjson",
    )
    | {200: {"content": {m: {"example": "..."} for m in jobs.FORMATS.values()}}},
)
def results(
    job_id: JobId,
    request: Request,
    who: Viewer,
    fmt: Annotated[str, Query(alias="format", pattern="^(jsonl|csv)$")] = "jsonl",
) -> FileResponse:
    """The decisions of a finished job, as JSONL or CSV (the CLI's output contract)."""
    from chipgate.service.problems import ServiceProblem

    state = state_of(request)
    view = jobs.job_view(state.store, job_id)
    if view["status"] != "done":
        raise ServiceProblem(
            409,
            "job-not-done",
            "The job has no results yet",
            f"job {job_id} is {view['status']}",
        )
    path = jobs.result_path(state.settings.data_dir, job_id, fmt)
    return FileResponse(
        path,
        media_type=jobs.FORMATS[fmt],
        filename=f"{FilePath(view['filename']).stem}-decisions.{fmt}",
    )
