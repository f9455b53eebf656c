"""The console's pages: sign-in, review queue and cases, books, screening, the law as
a map, caps burn-down, fleet, dashboard and audit log.

Every page reads and acts through the v1 API with the session's key (``api.call``),
so a page never allows what the key's role could not do through HTTP; buttons a
role may not use are not drawn at all.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import desc, select

from chipgate.console import charts, law_map
from chipgate.console import session as sessions
from chipgate.console.api import ApiError, call, get_json, post_json
from chipgate.console.geo import VIEWBOX, centroid, world_paths
from chipgate.console.names import parties_of
from chipgate.console.web import NotSignedIn, User, render, see_other, user_of
from chipgate.countries.registry import default_registry
from chipgate.dates import parse_day
from chipgate.ledger.db import read_transaction
from chipgate.service.deps import state_of
from chipgate.service.keys import authenticate
from chipgate.service.tables import DECISIONS, JOBS

router = APIRouter(include_in_schema=False)

EXCEL = (".xlsx", ".xls")
DOWNLOADS = ("csv", "jsonl", "xlsx", "parquet")


def _check_csrf(user: User, token: str) -> None:
    if not sessions.same(user.csrf, token):
        raise ApiError(403, "the form is stale or forged (CSRF token mismatch): reload")


# ---- sign in ------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: str = "") -> Response:
    """The sign-in form (a pre-session CSRF token in its own cookie)."""
    token = sessions.new_token()
    page = render(request, "login.html", None, error=error, csrf=token)
    page.set_cookie(
        sessions.LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=900
    )
    return page


@router.post("/login")
def login(
    request: Request,
    key: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Check the key; on success seal it in the session cookie."""
    if not sessions.same(request.cookies.get(sessions.LOGIN_COOKIE) or "", csrf):
        return login_page(request, "The form expired: sign in again.")
    state = state_of(request)
    if authenticate(state.store, key.strip()) is None:
        return login_page(request, "That key is unknown or revoked.")
    value, _ = sessions.seal(sessions.secret(state.settings.data_dir), key.strip())
    # draw the world map's borders while the user looks at the first page
    threading.Thread(target=world_paths, daemon=True).start()
    response = see_other("/")
    response.set_cookie(
        sessions.COOKIE,
        value,
        httponly=True,
        samesite="strict",
        max_age=sessions.MAX_AGE,
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(sessions.LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    user = user_of(request)
    _check_csrf(user, csrf)
    response = see_other("/login")
    response.delete_cookie(sessions.COOKIE)
    return response


def _open_alerts(request: Request) -> dict[str, list[Any]]:
    """Open location alerts by owner (the API has no route listing them)."""
    from chipgate.location.alerts import open_alerts_by_owner

    return open_alerts_by_owner(state_of(request).store)


# ---- dashboard ------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    """Decisions by outcome over time, open cases by age, list freshness."""
    user = user_of(request)
    store = state_of(request).store
    with read_transaction(store) as conn:
        rows = conn.execute(
            select(DECISIONS.c.created_at, DECISIONS.c.outcome)
            .order_by(desc(DECISIONS.c.created_at))
            .limit(20000)
        ).all()
    open_cases = await get_json(request, user.key, "/v1/cases?status=open&limit=1000")
    now = datetime.now(UTC)
    ages: dict[str, int] = {label: 0 for _, label in charts.AGE_BUCKETS}
    ages["over 30 days"] = 0
    for case in open_cases:
        ages[charts.age_bucket(case["opened_at"], now)] += 1
    alerts = [a for found in _open_alerts(request).values() for a in found]
    try:
        lists = await get_json(request, user.key, "/v1/screening/lists")
    except ApiError:
        lists = []
    return render(
        request,
        "dashboard.html",
        user,
        outcomes=json.dumps(charts.outcomes_spec((r[0], r[1]) for r in rows)),
        decisions=len(rows),
        ages=ages,
        open_count=len(open_cases),
        lists=lists,
        alerts=alerts,
    )


# ---- review queue and cases -------------------------------------------------------


STATUSES = ("open", "assigned", "escalated", "awaiting_second", "approved", "rejected")
"""The queue's views: the approval stages, and ``escalated`` (a flag beside them)."""


@router.get("/queue", response_class=HTMLResponse)
async def queue(
    request: Request, status: Annotated[str, Query(max_length=20)] = "open"
) -> Response:
    """The cases waiting for an officer, oldest first."""
    user = user_of(request)
    wanted = status if status in STATUSES else "open"
    by = "escalated=true" if wanted == "escalated" else f"status={wanted}"
    found = await get_json(request, user.key, f"/v1/cases?{by}&limit=500")
    return render(
        request, "queue.html", user, cases=found, status=wanted, statuses=STATUSES
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: str, error: str = "") -> Response:
    """A case: the decision, its reasoning chain and citations, history, actions."""
    user = user_of(request)
    try:
        case = await get_json(request, user.key, f"/v1/cases/{case_id}")
    except ApiError as exc:
        return render(request, "error.html", user, exc.status, error=exc.detail)
    decision = await get_json(request, user.key, f"/v1/decisions/{case['decision_id']}")
    return render(
        request,
        "case.html",
        user,
        case=case,
        decision=decision,
        record=decision["decision"],
        reasoning=decision.get("reasoning") or {},
        error=error,
    )


@router.post("/cases/{case_id}")
async def case_act(
    request: Request,
    case_id: str,
    action: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    evidence: Annotated[str, Form(max_length=500)] = "",
    assignee: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Assign, approve, reject or escalate, through the API (which enforces four eyes)."""
    user = user_of(request)
    try:
        _check_csrf(user, csrf)
        body: dict[str, Any] = {"action": action, "reason": reason}
        if evidence:
            body["evidence"] = evidence
        if assignee:
            body["assignee"] = assignee
        await post_json(request, user.key, f"/v1/cases/{case_id}/actions", json=body)
    except ApiError as exc:
        return await case_page(request, case_id, error=exc.detail)
    return see_other(f"/cases/{case_id}")


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    request: Request, kind: Annotated[str, Query(max_length=60)] = ""
) -> Response:
    """The audit chain, newest first, with its verification."""
    user = user_of(request)
    response = await call(request, user.key, "GET", "/v1/audit/export")
    entries = [json.loads(line) for line in response.text.splitlines() if line]
    kinds = sorted({e.get("kind", "") for e in entries})
    if kind:
        entries = [e for e in entries if e.get("kind") == kind]
    verified = await get_json(request, user.key, "/v1/audit/verify")
    return render(
        request,
        "audit.html",
        user,
        entries=list(reversed(entries))[:500],
        kinds=kinds,
        kind=kind,
        verified=verified,
    )


# ---- books ------------------------------------------------------------------------


@router.get("/books", response_class=HTMLResponse)
def books(request: Request, error: str = "") -> Response:
    """Upload form and the books decided so far."""
    user = user_of(request)
    with read_transaction(state_of(request).store) as conn:
        jobs = conn.execute(
            select(JOBS).order_by(desc(JOBS.c.created_at)).limit(100)
        ).all()
    return render(request, "books.html", user, jobs=jobs, error=error)


def _as_parquet(data: bytes, filename: str) -> tuple[bytes, str]:
    """An Excel book read into Parquet (the API takes CSV, JSONL and Parquet)."""
    import polars as pl

    try:
        frame = pl.read_excel(io.BytesIO(data), infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own error types
        raise ApiError(
            422, f"{filename}: not a readable Excel workbook ({exc})"
        ) from exc
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue(), f"{Path(filename).stem}.parquet"


def _destinations(data: bytes, filename: str) -> dict[str, str]:
    """Each order's destination, read from the book (the output records omit it)."""
    import polars as pl

    suffix = Path(filename).suffix.lower()
    source = io.BytesIO(data)
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(source, columns=["id", "destination"])
        elif suffix in (".jsonl", ".ndjson"):
            frame = pl.read_ndjson(source).select("id", "destination")
        else:
            frame = pl.read_csv(source, infer_schema_length=0).select(
                "id", "destination"
            )
    except Exception:  # the API has already accepted the book; filters just lose it
        return {}
    return {
        str(i): str(d).strip().upper()
        for i, d in frame.iter_rows()
        if i is not None and d is not None
    }


def _countries_file(request: Request, job_id: str) -> Path:
    return state_of(request).settings.data_dir / "jobs" / f"{job_id}.countries.json"


@router.post("/books")
async def upload_book(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
    as_of: Annotated[str, Form(max_length=10)] = "",
    regime: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Send the book to the API as a job; the browser follows its progress."""
    user = user_of(request)
    filename = Path(file.filename or "book").name
    data = await file.read()
    form = {k: v for k, v in {"as_of": as_of, "regime": regime}.items() if v}
    try:
        _check_csrf(user, csrf)
        if Path(filename).suffix.lower() in EXCEL:
            data, filename = _as_parquet(data, filename)
        job = await post_json(
            request, user.key, "/v1/books", files={"file": (filename, data)}, data=form
        )
        countries = _countries_file(request, job["job_id"])
        countries.parent.mkdir(parents=True, exist_ok=True)
        countries.write_text(
            json.dumps(_destinations(data, filename)), encoding="utf-8"
        )
    except ApiError as exc:
        if request.headers.get("accept") == "application/json":
            return JSONResponse({"error": exc.detail}, status_code=exc.status)
        return books(request, error=exc.detail)
    if request.headers.get("accept") == "application/json":
        return JSONResponse({"job_id": job["job_id"], "url": f"/books/{job['job_id']}"})
    return see_other(f"/books/{job['job_id']}")


def compare_rows(
    books: list[list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """One row per order id across books, with each book's outcome and rules, and
    whether the books disagree (different outcome or rules).

    >>> a = [{"id": "O1", "outcome": "authorized", "rules": ["X"]}]
    >>> b = [{"id": "O1", "outcome": "license_required", "rules": ["Y"]}]
    >>> compare_rows([a, b])[0]["differs"], compare_rows([a, a])[0]["differs"]
    (True, False)
    """
    ids: dict[str, None] = {}
    indexed = []
    for records in books:
        by_id = {str(r.get("id")): r for r in records}
        ids.update(dict.fromkeys(by_id))
        indexed.append(by_id)
    rows = []
    for order_id in ids:
        cells = [
            (
                (found.get("outcome"), tuple(found.get("rules") or ()))
                if (found := book.get(order_id))
                else None
            )
            for book in indexed
        ]
        rows.append({"id": order_id, "cells": cells, "differs": len(set(cells)) > 1})
    return rows


@router.get("/books/compare", response_class=HTMLResponse)
async def compare_books(
    request: Request,
    jobs: Annotated[list[str], Query(max_length=3)],
    only: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The same book decided under two or three regimes, the differences marked."""
    user = user_of(request)
    if not 2 <= len(jobs) <= 3:
        raise ApiError(422, "choose two or three decided books to compare")
    views = [await get_json(request, user.key, f"/v1/books/{j}") for j in jobs]
    books_ = [await _results(request, user, j) for j in jobs]
    regimes = [
        ", ".join(sorted({str(r.get("regime")) for r in b})) or "?" for b in books_
    ]
    rows = compare_rows(books_)
    shown = [r for r in rows if r["differs"]] if only == "diff" else rows
    return render(
        request,
        "compare.html",
        user,
        views=views,
        regimes=regimes,
        rows=shown,
        differing=sum(r["differs"] for r in rows),
        total=len(rows),
        jobs=jobs,
        only=only,
    )


@router.get("/books/{job_id}/status")
async def book_status(request: Request, job_id: str) -> Response:
    """The job's progress, polled by the page."""
    user = user_of(request)
    job = await get_json(request, user.key, f"/v1/books/{job_id}")
    return JSONResponse(
        {k: job[k] for k in ("status", "done", "total", "outcomes", "problems")}
    )


async def _results(request: Request, user: User, job_id: str) -> list[dict[str, Any]]:
    response = await call(
        request, user.key, "GET", f"/v1/books/{job_id}/results?format=jsonl"
    )
    return [orjson.loads(line) for line in response.content.splitlines() if line]


def _with_countries(
    request: Request, job_id: str, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The records with the destination of their order, when the console saw the book."""
    path = _countries_file(request, job_id)
    known: dict[str, str] = (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    )
    return [{**r, "destination": known.get(str(r.get("id")), "")} for r in records]


def _country(record: dict[str, Any]) -> str:
    return str(record.get("destination") or "")


@router.get("/books/{job_id}", response_class=HTMLResponse)
async def book(
    request: Request,
    job_id: str,
    outcome: Annotated[str, Query(max_length=40)] = "",
    rule: Annotated[str, Query(max_length=80)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    """A book's progress, then its decisions with filters."""
    user = user_of(request)
    try:
        job = await get_json(request, user.key, f"/v1/books/{job_id}")
    except ApiError as exc:
        return render(request, "error.html", user, exc.status, error=exc.detail)
    records: list[dict[str, Any]] = []
    shown: list[dict[str, Any]] = []
    if job["status"] == "done":
        records = _with_countries(
            request, job_id, await _results(request, user, job_id)
        )
        shown = [
            r
            for r in records
            if (not outcome or r.get("outcome") == outcome)
            and (not rule or rule in (r.get("rules") or []))
            and (not country or _country(r) == country.upper())
        ]
    return render(
        request,
        "book.html",
        user,
        job=job,
        records=shown,
        total=len(records),
        outcomes=sorted({str(r.get("outcome")) for r in records}),
        rules=sorted({str(x) for r in records for x in (r.get("rules") or [])}),
        countries=sorted({_country(r) for r in records} - {""}),
        filters={"outcome": outcome, "rule": rule, "country": country},
        downloads=DOWNLOADS,
    )


@router.get("/books/{job_id}/download")
async def download(
    request: Request, job_id: str, fmt: Annotated[str, Query(alias="format")] = "csv"
) -> Response:
    """The decisions as CSV or JSONL (from the API) or Excel or Parquet (converted)."""
    user = user_of(request)
    if fmt not in DOWNLOADS:
        return render(request, "error.html", user, 422, error=f"no format {fmt!r}")
    job = await get_json(request, user.key, f"/v1/books/{job_id}")
    stem = Path(job["filename"]).stem
    if fmt in ("csv", "jsonl"):
        answer = await call(
            request, user.key, "GET", f"/v1/books/{job_id}/results?format={fmt}"
        )
        body, media = answer.content, answer.headers["content-type"]
    else:
        import polars as pl

        frame = pl.DataFrame(
            await _results(request, user, job_id), infer_schema_length=None
        )
        frame = frame.with_columns(
            [
                pl.col(c).map_elements(
                    lambda v: json.dumps(v) if v is not None else None,
                    return_dtype=pl.String,
                )
                for c, t in frame.schema.items()
                if isinstance(t, pl.List | pl.Struct | pl.Object)
            ]
        )
        out = io.BytesIO()
        if fmt == "parquet":
            frame.write_parquet(out)
            media = "application/vnd.apache.parquet"
        else:
            frame.write_excel(out, worksheet="decisions")
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = out.getvalue()
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{stem}-decisions.{fmt}"'
        },
    )


# ---- screening --------------------------------------------------------------------


@router.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request) -> Response:
    """The search box."""
    user = user_of(request)
    return render(request, "screening.html", user, result=None, error="", query={})


@router.post("/screening", response_class=HTMLResponse)
async def screening(
    request: Request,
    name: Annotated[str, Form(max_length=500)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    as_of: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Screen one name on a day (an order's date; default today): matches,
    scores and why they matched, and the near misses."""
    user = user_of(request)
    query = {"name": name, "country": country, "as_of": as_of}
    try:
        _check_csrf(user, csrf)
        body: dict[str, Any] = {"name": name, "near_misses": True}
        if country:
            body["country"] = country.upper()
        if as_of:
            body["as_of"] = as_of
        result = await post_json(request, user.key, "/v1/screening/name", json=body)
    except ApiError as exc:
        return render(
            request, "screening.html", user, result=None, error=exc.detail, query=query
        )
    return render(request, "screening.html", user, result=result, error="", query=query)


def _utf8(data: bytes, name: str) -> str:
    """An uploaded file's text; one that is not UTF-8 is refused with its line,
    not read with replacement characters in the names screened."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ApiError(
            422, f"{name}, line {line}: not UTF-8 text (save the file as UTF-8)"
        ) from None


@router.post("/screening/batch", response_class=HTMLResponse)
async def screening_batch(
    request: Request,
    names: Annotated[str, Form(max_length=200_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    as_of: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Screen many names at once (typed, or a text/CSV file of name[,country]
    lines), on a day (default today)."""
    user = user_of(request)
    try:
        _check_csrf(user, csrf)
        parties = parties_of(names)
        if file is not None and file.filename:
            parties += parties_of(_utf8(await file.read(), file.filename))
        if not parties:
            raise ApiError(422, "give at least one name, one a line")
        body = {"parties": parties, **({"as_of": as_of} if as_of else {})}
        batch = await post_json(request, user.key, "/v1/screening/batch", json=body)
    except ApiError as exc:
        return render(
            request, "screening.html", user, result=None, error=exc.detail, query={}
        )
    return render(
        request, "screening.html", user, result=None, batch=batch, error="", query={}
    )


# ---- the law as a map ---------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return parse_day(text) if text else datetime.now(UTC).date()
    except ValueError:
        return datetime.now(UTC).date()


@router.get("/map", response_class=HTMLResponse)
def world_map(
    request: Request,
    layer: Annotated[str, Query(max_length=10)] = law_map.TIER_LAYER,
    day: Annotated[str, Query(alias="date", max_length=10)] = "",
) -> Response:
    """The world coloured by AI Diffusion tier or by a country group on a day."""
    user = user_of(request)
    registry = default_registry()
    on = _day(day)
    if layer not in law_map.layers(registry):
        layer = law_map.TIER_LAYER
    today = datetime.now(UTC).date()
    countries = [
        (code, path, law_map.shade(registry, layer, code, on))
        for code, path in sorted(world_paths().items())
    ]
    return render(
        request,
        "map.html",
        user,
        countries=countries,
        viewbox=VIEWBOX,
        legend=law_map.legend(layer),
        layer=layer,
        layers=law_map.layers(registry),
        day=on.isoformat(),
        first=law_map.FIRST_DAY.isoformat(),
        today=today.isoformat(),
        timeline=[d.isoformat() for d in law_map.timeline(registry, today)],
    )


@router.get("/map/{code}", response_class=HTMLResponse)
async def country(
    request: Request,
    code: str,
    day: Annotated[str, Query(alias="date", max_length=10)] = "",
) -> Response:
    """The groups, tier and rules that apply to one country on a day, with citations."""
    user = user_of(request)
    registry = default_registry()
    on = _day(day)
    code = code.upper()[:2]
    treated = registry.treated_as(code)
    sources = registry.groups_file.sources
    groups = [
        {
            "code": g,
            "title": registry.group(g).title,
            "citation": sources[registry.group(g).source],
            "unconfirmed": registry.unconfirmed(treated, g),
        }
        for g in sorted(registry.groups_of(code, on))
    ]
    # doubts of the day, an unconfirmed end of a membership included: on the days
    # it may still have lasted, the group is not listed above but the doubt is
    doubts = registry.doubtful(
        code, tuple(g.code for g in registry.groups_file.groups), on
    )
    tier = registry.tier_of(code, on)
    law = await get_json(request, user.key, f"/v1/regimes/law?as_of={on.isoformat()}")
    balances = await get_json(request, user.key, "/v1/ledger/balances")
    caps = [b for b in balances if f"/{code}/" in f"/{b['account']}/"]
    return render(
        request,
        "country.html",
        user,
        code=code,
        treated=treated,
        day=on.isoformat(),
        groups=groups,
        doubts=doubts,
        tier=law_map.tier_name(tier),
        tier_sources=registry.tiers_file.sources,
        law=law,
        caps=caps,
    )


# ---- caps ---------------------------------------------------------------------------


@router.get("/caps", response_class=HTMLResponse)
async def caps(
    request: Request,
    account: Annotated[str, Query(max_length=200)] = "",
    unit: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Each account's use against its cap; the burn-down of the chosen one."""
    user = user_of(request)
    balances = await get_json(request, user.key, "/v1/ledger/balances")
    chosen = next(
        (
            b
            for b in balances
            if b["account"] == account and (not unit or b["unit"] == unit)
        ),
        None,
    )
    if chosen is None and balances:
        chosen = max(balances, key=lambda b: b["used"] / (b["limit"] or 1))
    spec = None
    if chosen is not None:
        history = await get_json(
            request,
            user.key,
            "/v1/ledger/history",
            params={"account": chosen["account"]},
        )
        points = charts.burn_down(chosen["unit"], chosen["limit"], history)
        spec = json.dumps(
            charts.burn_down_spec(chosen["account"], chosen["unit"], points)
        )
    return render(
        request, "caps.html", user, balances=balances, chosen=chosen, spec=spec
    )


# ---- fleet -----------------------------------------------------------------------


@router.get("/fleet", response_class=HTMLResponse)
async def fleet(request: Request) -> Response:
    """Registered chips at their licensed country, with their latest verdict."""
    user = user_of(request)
    chips = await get_json(request, user.key, "/v1/fleet/chips")
    alerts = {a.chip_id: a for found in _open_alerts(request).values() for a in found}
    chips = [
        {
            **chip,
            "verdict": alerts[chip["chip_id"]].verdict
            if chip["chip_id"] in alerts
            else "no open alert",
            "region": alerts[chip["chip_id"]].region
            if chip["chip_id"] in alerts
            else "",
        }
        for chip in chips
    ]
    markers = []
    for chip in chips:
        point = centroid(str(chip.get("licensed_country", "")))
        if point is not None:
            markers.append({"chip": chip, "x": point[0], "y": point[1]})
    return render(
        request,
        "fleet.html",
        user,
        chips=chips,
        markers=markers,
        countries=sorted(world_paths().items()),
        viewbox=VIEWBOX,
    )


async def _sign_in(request: Request, exc: Exception) -> Response:
    """A page asked without a valid session: to the sign-in form."""
    return see_other("/login")


async def _refused(request: Request, exc: Exception) -> Response:
    """The API refused what a page asked: say why, on a page."""
    assert isinstance(exc, ApiError)
    try:
        user = user_of(request)
    except NotSignedIn:
        return see_other("/login")
    return render(request, "error.html", user, exc.status, error=exc.detail)


def install(app: FastAPI) -> None:
    """Mount the console on the service's application."""
    app.add_exception_handler(NotSignedIn, _sign_in)
    app.add_exception_handler(ApiError, _refused)
    static = resources.files("chipgate.console") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="console-static")
    app.include_router(router)
