"""Where a request's time goes: phase timings, group-commit batches and GC pauses.

Off by default; ``CHIPGATE_SERVICE_TIMINGS`` (a folder) turns it on for a run of
``chipgate serve``, and the benchmark (``python -m bench service``) reads what each
worker wrote there when it stopped (``timings-<pid>.json``). Measured, per worker:

- each request's start (``at``, seconds of the system's monotonic clock, which
  ``time.perf_counter`` reads on Linux: the benchmark picks its run's requests by
  it) and its time inside the application (``app``: from the moment uvicorn
  hands it over to the last byte of the answer given back), and within it the
  phases the routes mark (``auth``, ``parse``, ``decide``, ``record``, ``wait``,
  ``encode``); what is left (body reading and validation, routing) is the
  framework's share;
- each group-commit batch of ``service.writer``: its size, how long its first job
  queued, how long it waited for the other workers' turn lock, and its transaction
  (the statements, the commit and the disk's flush);
- each garbage collection: its generation and how long it held the interpreter.

The time a request spends before uvicorn hands it over (in the socket, or behind
other work of the event loop) is not in ``app``: the load generator's latency minus
``app`` shows it. When off, a phase costs one context-variable read.
"""

from __future__ import annotations

import contextvars
import gc
import json
import os
import threading
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Any
Send = Any
App = Any

_CURRENT: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
    "chipgate_request_phases", default=None
)


class Timings:
    """What one worker measured, kept in memory and written out at its end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[dict[str, float]] = []
        self.batches: list[tuple[float, int, float, float, float]] = []
        self.gc_pauses: list[tuple[float, int, float]] = []
        self._lock = threading.Lock()
        self._gc_started = 0.0
        self.heap: dict[str, int] = {}
        """Counts of the heap keeper (``service.heap``), set when the worker stops."""

    def batch(self, size: int, queued: float, lock_wait: float, commit: float) -> None:
        """One group-commit batch, ending now (durations in seconds)."""
        with self._lock:
            self.batches.append((time.perf_counter(), size, queued, lock_wait, commit))

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pauses.append(
                (
                    self._gc_started,
                    info["generation"],
                    time.perf_counter() - self._gc_started,
                )
            )

    def start(self) -> None:
        """Begin counting garbage collections."""
        gc.callbacks.append(self._on_gc)

    def write(self) -> Path:
        """Stop counting and write ``timings-<pid>.json`` (milliseconds)."""
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"timings-{os.getpid()}.json"
        ms = 1000.0
        with self._lock:
            data = {
                "requests": [
                    {k: v if k == "at" else v * ms for k, v in r.items()}
                    for r in self.requests
                ],
                "batches": [
                    {
                        "at": at,
                        "size": size,
                        "queued": queued * ms,
                        "lock_wait": lock_wait * ms,
                        "commit": commit * ms,
                    }
                    for at, size, queued, lock_wait, commit in self.batches
                ],
                "heap": {  # objects the collector walks, and those it skips
                    "generations": [len(gc.get_objects(g)) for g in range(3)],
                    "frozen": gc.get_freeze_count(),
                    **self.heap,
                },
                "gc": [
                    {"at": at, "generation": gen, "pause": pause * ms}
                    for at, gen, pause in self.gc_pauses
                ],
            }
        path.write_text(json.dumps(data), encoding="utf-8")
        return path


class phase:
    """Count the enclosed time to ``name`` of the current request (if timed).

    A class rather than a ``contextmanager`` generator: a request enters six of
    these, and a generator's context manager costs several times the clock reads.
    """

    __slots__ = ("_name", "_phases", "_start")

    def __init__(self, name: str) -> None:
        self._name = name
        self._phases = _CURRENT.get()
        self._start = 0.0

    def __enter__(self) -> None:
        if self._phases is not None:
            self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        phases = self._phases
        if phases is not None:
            name = self._name
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - self._start


def mark(name: str, seconds: float) -> None:
    """Add ``seconds`` to ``name`` of the current request (if timed)."""
    phases = _CURRENT.get()
    if phases is not None:
        phases[name] = phases.get(name, 0.0) + seconds


class TimingMiddleware:
    """Time each HTTP request inside the application, with its phases."""

    def __init__(self, app: App, timings: Timings) -> None:
        self.app = app
        self.timings = timings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        phases: dict[str, float] = {}
        token = _CURRENT.set(phases)
        start = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            _CURRENT.reset(token)
            phases["app"] = time.perf_counter() - start
            phases["at"] = start  # the system's monotonic clock, in seconds
            self.timings.requests.append(phases)
