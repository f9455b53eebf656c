"""Order books uploaded to the service, decided in the background with progress.

A job's state and progress live in the store (any worker can answer for it); its
results are written atomically, as JSONL and CSV, to ``<data_dir>/jobs/`` (a folder
every worker shares). A book with a bad line fails whole, with every problem named
by file, line and field, as ``chipgate check`` does.
"""

from __future__ import annotations

import csv
import json
import secrets
import shutil
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update

from chipgate.book.writer import CSV_COLUMNS, csv_row, write_jsonl
from chipgate.cases.writes import write
from chipgate.errors import ChipgateError, InputError
from chipgate.ledger import audit
from chipgate.ledger.db import read_transaction, write_transaction
from chipgate.orders.model import Order
from chipgate.service.runtime import Runtime
from chipgate.service.tables import JOBS
from chipgate.service.uploads import renamed

PROGRESS_EVERY = 500
"""Orders decided between two progress updates in the store."""
FORMATS = {"jsonl": "application/x-ndjson", "csv": "text/csv"}


class UnknownJob(ChipgateError, LookupError):
    """No job has the id asked for."""


def jobs_dir(data_dir: Path) -> Path:
    """Where job uploads and results are kept."""
    return data_dir / "jobs"


def result_path(data_dir: Path, job_id: str, fmt: str) -> Path:
    """The results file of a job in ``fmt`` (jsonl or csv)."""
    return jobs_dir(data_dir) / f"{job_id}.{fmt}"


def _set(engine: Engine, job_id: str, **values: Any) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(JOBS).where(JOBS.c.job_id == job_id).values(**values))


def submit(
    engine: Engine,
    data_dir: Path,
    upload: Path,
    filename: str,
    who: str,
    options: dict[str, Any],
) -> str:
    """Register a job for the book at ``upload`` (moved into the jobs folder)."""
    job_id = secrets.token_hex(8)
    folder = jobs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(filename).suffix.lower()
    kept = folder / f"{job_id}.upload{suffix}"
    shutil.move(upload, kept)
    row = {
        "job_id": job_id,
        "status": "queued",
        "filename": filename,
        "total": 0,
        "done": 0,
        "options": json.dumps(options),
        "outcomes": "{}",
        "problems": "[]",
        "principal": who,
        "created_at": audit.utc_now(),
        "finished_at": None,
    }

    def work(conn: Any) -> None:
        conn.execute(insert(JOBS), [row])
        audit.append(
            conn,
            [
                audit.PendingEntry(
                    "book.submitted", who, {"job_id": job_id, "filename": filename}
                )
            ],
        )

    write(engine, work)
    return job_id


def run(runtime: Runtime, job_id: str) -> None:
    """Decide the job's book; record progress, counts, problems and results."""
    engine = runtime.ledger.engine
    data_dir = runtime.settings.data_dir
    with read_transaction(engine) as conn:
        row = conn.execute(select(JOBS).where(JOBS.c.job_id == job_id)).one()
    options = json.loads(row.options)
    upload = next(jobs_dir(data_dir).glob(f"{job_id}.upload*"))
    _set(engine, job_id, status="running")
    try:
        as_of = date.fromisoformat(options["as_of"]) if options.get("as_of") else None
        orders = runtime.read_book(upload, options.get("regime"), as_of).orders
        _set(engine, job_id, total=len(orders))
        items = runtime.decide(
            orders,
            regime=options.get("regime"),
            as_of=as_of,
            progress=lambda it: _counting(engine, job_id, it),
        )
    except InputError as exc:
        problems = [
            {"detail": p.message, "source": p.source, "line": p.line, "field": p.field}
            for p in renamed(exc, upload, row.filename)
        ]
        _finish(engine, job_id, "failed", problems=problems)
        return
    except ChipgateError as exc:
        _finish(engine, job_id, "failed", problems=[{"detail": str(exc)}])
        return
    records = [item.record for item in items]
    _write_results(data_dir, job_id, records)
    upload.unlink(missing_ok=True)
    _finish(
        engine,
        job_id,
        "done",
        done=len(records),
        outcomes=dict(Counter(r["outcome"] for r in records)),
    )


def _counting(engine: Engine, job_id: str, orders: Iterable[Order]) -> Iterator[Order]:
    for done, order in enumerate(orders, start=1):
        yield order
        if done % PROGRESS_EVERY == 0:
            _set(engine, job_id, done=done)


def _finish(
    engine: Engine,
    job_id: str,
    status: str,
    *,
    done: int | None = None,
    outcomes: dict[str, int] | None = None,
    problems: list[dict[str, Any]] | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "finished_at": audit.utc_now()}
    if done is not None:
        values["done"] = done
    if outcomes is not None:
        values["outcomes"] = json.dumps(outcomes)
    if problems is not None:
        values["problems"] = json.dumps(problems)
    _set(engine, job_id, **values)


def _write_results(data_dir: Path, job_id: str, records: list[dict[str, Any]]) -> None:
    """JSONL and CSV, each written to a temporary name and renamed into place."""
    jsonl = result_path(data_dir, job_id, "jsonl")
    tmp = jsonl.with_suffix(".jsonl.tmp")
    with tmp.open("wb") as handle:
        write_jsonl(records, handle)
    tmp.replace(jsonl)
    table = result_path(data_dir, job_id, "csv")
    tmp = table.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(r) for r in records)
    tmp.replace(table)


def start(runtime: Runtime, job_id: str) -> threading.Thread:
    """Run the job on a thread of this worker."""
    thread = threading.Thread(
        target=run, args=(runtime, job_id), name=f"job-{job_id}", daemon=True
    )
    thread.start()
    return thread


def job_view(engine: Engine, job_id: str) -> dict[str, Any]:
    """A job's state, progress, counts and problems.

    Raises:
        UnknownJob: no job has that id.
    """
    with read_transaction(engine) as conn:
        row = conn.execute(select(JOBS).where(JOBS.c.job_id == job_id)).first()
    if row is None:
        raise UnknownJob(f"no job with id {job_id!r}")
    return {
        "job_id": row.job_id,
        "status": row.status,
        "filename": row.filename,
        "total": row.total,
        "done": row.done,
        "outcomes": json.loads(row.outcomes),
        "problems": json.loads(row.problems),
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "results": f"/v1/books/{job_id}/results" if row.status == "done" else None,
    }
