"""The FastAPI application: state per worker, problem documents, the v1 routers.

``create_app`` is what ``chipgate serve`` runs (uvicorn's factory mode, once per
worker). The store is opened and migrated before the first request; the engine, the
regime packs and the screening index load on a background thread, so ``/healthz``
answers at once and ``/readyz`` turns ready when decisions can be made.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import Engine

from chipgate import __version__
from chipgate.console.pages import install as install_console
from chipgate.ledger.db import is_sqlite, make_engine
from chipgate.ledger.migrate import ensure_current
from chipgate.service import problems
from chipgate.service.deps import State
from chipgate.service.heap import CountRequests, HeapKeeper
from chipgate.service.keys import key_lookup
from chipgate.service.limits import MIB, BodyLimit
from chipgate.service.routers import (
    alerts,
    books,
    cases,
    customers,
    docs,
    fleet,
    health,
    keys,
    law,
    ledger,
    orders,
    screening,
    usage,
)
from chipgate.service.runtime import Runtime
from chipgate.service.timing import TimingMiddleware, Timings
from chipgate.service.writer import GroupWriter, Writes
from chipgate.service.writer_process import SOCKET_ENV, RemoteWriter
from chipgate.settings import Settings

logger = logging.getLogger(__name__)

ROUTERS = (
    health.router,
    orders.router,
    books.router,
    screening.router,
    law.router,
    ledger.router,
    fleet.router,
    alerts.router,
    cases.router,
    customers.router,
    usage.router,
    keys.router,
    docs.router,
)

DESCRIPTION = """\
Export-control decisions for AI chips, AI compute and model weights, as a service.

Every route but `/healthz` and `/readyz` needs an API key (`Authorization: Bearer
<key>`, from `chipgate keys create --role R`). Roles: **viewer** reads; **analyst**
also checks orders, screens names, classifies chips and uploads books; **officer**
also commits draws, decides cases, imports licences, registers chips and maintains
the customer register; **admin** also manages keys. Errors are RFC 9457 problem documents naming the field (and the
line of an uploaded file).
"""


SWITCH_INTERVAL = 0.001
"""Seconds a thread may keep the interpreter while another waits for it, in a worker
(Python's default: 0.005). The group writer's thread comes back from the disk's flush
holding the writers' turn lock, which every worker's commits wait for, and needs the
interpreter to release it and answer its requests; behind requests being decided on
the event loop it waited up to the whole interval."""


AUTO_TELEMETRY_ENV = "FASTAPI_OTEL_AUTO_CONFIGURE"


def telemetry() -> TelemetryConfig | None:
    """FastAPI's own OpenTelemetry: its defaults when ``FASTAPI_OTEL_AUTO_CONFIGURE``
    asks FastAPI to set it up, else off.

    With its defaults FastAPI asks OpenTelemetry on every request whether a tracer,
    meter or logger provider has been set up (reading the environment each time):
    about 4 % of a worker's CPU on a one-order check. The service sets none up, and
    an ``opentelemetry-instrument`` run instruments through its own middleware (which
    FastAPI's own telemetry then leaves alone), so only FastAPI's automatic set-up
    can make it record anything; without it, nothing is lost.
    """
    if os.environ.get(AUTO_TELEMETRY_ENV, "").lower() == "true":
        return None
    return {"tracing": False, "metrics": False, "logs": False}


def _load(
    state: State, timings: Timings | None, heap: HeapKeeper, records: Writes | None
) -> None:
    """Load the runtime off the event loop; record why it failed, if it does."""
    try:
        runtime = Runtime.load(state.settings, state.store, records)
        runtime.records.timings = timings
        heap.start()  # what is loaded is frozen before the first decision
        state.runtime = runtime
    except Exception as exc:  # any failure must show in /readyz, not kill the worker
        state.failure = f"loading failed: {exc}"
    finally:
        state.loaded.set()


def _writer_process(store: Engine) -> Writes | None:
    """The client of the service's writer process, when ``chipgate serve`` started
    one (SQLite); None: this worker commits with a group writer of its own."""
    path = os.environ.get(SOCKET_ENV)
    if not path or not is_sqlite(store):
        return None
    try:
        return RemoteWriter(Path(path), lambda: GroupWriter(store))
    except OSError as exc:
        logger.warning(
            "no writer process at %s (%s): writing from this worker", path, exc
        )
        return None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application over the configured store (``CHIPGATE_*`` settings)."""
    settings = settings or Settings()
    timings = Timings(settings.service_timings) if settings.service_timings else None
    heap = HeapKeeper()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = make_engine(settings.resolved_database_url())
        ensure_current(store)
        state = State(settings, store, key_lookup(store))
        app.state.chipgate = state
        heap.attach(asyncio.get_running_loop())
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        records = _writer_process(store)
        threading.Thread(
            target=_load, args=(state, timings, heap, records), daemon=True
        ).start()
        if timings is not None:
            timings.start()
        try:
            yield
        finally:
            state.loaded.wait(timeout=60)
            if state.runtime is not None:
                state.runtime.records.close()  # commit what is queued, then stop
            if state.keys is not None:
                state.keys.close()
            store.dispose()
            heap.stop()
            sys.setswitchinterval(switch_interval)
            if timings is not None:
                timings.heap = {
                    "compactions": heap.compactions,
                    "idle_collections": heap.idle_collections,
                    "kept_by_freezing": heap.kept_by_freezing(),
                }
                timings.write()

    app = FastAPI(
        title="chipgate",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry=telemetry(),
        # the document and its pages need a key: served by routers.docs instead
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    install_console(app)  # the web console at /
    if timings is not None:
        app.add_middleware(TimingMiddleware, timings=timings)
    # a body past the bound is refused before any of it is read
    app.add_middleware(BodyLimit, limit=settings.service_max_body_mb * MIB)
    # outermost: a request counts from the moment uvicorn hands it over
    app.add_middleware(CountRequests, keeper=heap)
    return app
