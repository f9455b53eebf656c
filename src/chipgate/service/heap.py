"""Keeping the cyclic garbage collector's full collections short in a worker.

A full collection walks every object of the oldest generation with the interpreter
held. The screening index is frozen when it loads (``Screener``), but what the
worker keeps afterwards (the engine's shared decisions, the screener's memo, the
store's statement caches) piles up there, and Python collects it again each time it
grows by a quarter: in the benchmark a dozen full collections a minute per worker,
each 50 to 400 ms while every request of that worker waited, which made the
service's latency tail.

Here the worker takes the full collections over. Python's own are switched off (the
oldest generation's threshold is set out of reach); the younger generations are
collected as before. After every ``COMPACT_AFTER`` collections of the middle
generation (Python's own rhythm for a full one), the event loop freezes what reached
the oldest generation (``gc.freeze``, which moves a list: no object is walked), so
that no request ever waits for a walk of it. (Until 2026-12-03 the loop ran a full
collection first: 10,000 to 25,000 objects walked each time, 4 to 120 ms at a
machine load of 4, 12.5 ms at p99 on an idle machine; in 19 of 19 such
collections measured at 500 checks a second it freed nothing, since what reaches
the oldest generation is what the worker keeps: its caches, and requests in
flight.)

Garbage is still reclaimed: every object that dies is freed by reference counting
(frozen or not), and every cycle that dies young is found by a young collection.
What freezing keeps is a cycle that reached the oldest generation and died there,
or later. A timed worker (``service.timing``) counts those when it stops (a full
collection of everything, frozen or not), and the benchmark prints them: 23 to
104 objects a worker after runs of 5 to 15 s at 250 and 500 checks a second, with
and without the full collections, the count not growing with the run's length: they
come from the start and do not pile up.

The young collections are moved out of the requests too. Python runs one whenever
the youngest generation has grown by 700 objects, wherever that happens: inside a
request, holding it (and the requests waiting behind it on the event loop) for
0.2 to 0.7 ms, and every tenth one a collection of the middle generation, which
walked every object that had survived the last ten (the requests in flight then,
the connections' last requests: 3,000 to 10,000 objects), 1.4 to 4 ms at p99 on
an idle machine, 50 a run at 500 checks a second. Here a middleware counts the
requests in the application (``CountRequests``); when the last one has answered
and the youngest generation has grown past Python's threshold, the loop collects
the young generations at once (``gc.collect(1)``: both, so that the middle one never
holds more than what survived since the last such collection, which the oldest
generation takes over). Python's own young collections stay as a safety net, at
``SAFETY_FACTOR`` times their threshold, for a worker that is never idle (a
sustained overload, or a thread that allocates on its own; at 10 times, a run
overloaded by other work on the machine got collections of 8 ms at p50 from it);
the worker's collections keep counting towards the compactions above. The writer
process does the same between two batches (``collect_young_between``).
"""

from __future__ import annotations

import asyncio
import gc
import threading
from contextlib import suppress
from typing import Any

COMPACT_AFTER = 5
"""Collections of the middle generation between two full collections (half of Python's
default threshold for the oldest generation)."""

SAFETY_FACTOR = 4
"""Python's own young collections, while the worker collects between requests: at
this many times their threshold (a worker never idle still collects)."""

_OUT_OF_REACH = 2**30


def collect_young_between(after: int) -> bool:
    """Collect the young generations if the youngest grew by ``after`` objects or
    more since the last collection (call between two units of work); whether it
    did."""
    if gc.get_count()[0] < after:
        return False
    gc.collect(1)
    return True


def take_young_collections() -> tuple[int, int, int]:
    """Move Python's own young collections to ``SAFETY_FACTOR`` times their
    threshold (and its full ones out of reach); the thresholds it had."""
    thresholds = gc.get_threshold()
    young, middle, _ = thresholds
    gc.set_threshold(max(young, 1) * SAFETY_FACTOR, middle, _OUT_OF_REACH)
    return thresholds


class HeapKeeper:
    """The worker's collections: the full ones on its event loop, each followed by a
    freeze; the young ones on its event loop when no request is in the application."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._young = 0
        self._pending = False
        self._thresholds: tuple[int, int, int] | None = None
        self._in_flight = 0
        self._idle_pending = False
        self.compactions = 0
        self.idle_collections = 0
        """Young collections the loop ran between requests."""

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run the collections on ``loop`` (the worker's, once it runs)."""
        self._loop = loop

    def start(self) -> None:
        """Collect and freeze what is loaded; from now on run the full collections,
        and the young ones between requests (on the loop attached)."""
        gc.collect()
        gc.freeze()
        self._thresholds = take_young_collections()
        gc.callbacks.append(self._counted)

    def stop(self) -> None:
        """Give the collections back to Python."""
        if self._counted in gc.callbacks:
            gc.callbacks.remove(self._counted)
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def request_started(self) -> None:
        """A request entered the application (on the loop)."""
        self._in_flight += 1

    def request_finished(self) -> None:
        """A request left it (on the loop): the young generations are collected
        once none is left, if they grew past Python's threshold."""
        self._in_flight -= 1
        thresholds = self._thresholds
        if (
            self._in_flight
            or self._idle_pending
            or thresholds is None
            or self._loop is None
        ):
            return
        if gc.get_count()[0] >= thresholds[0]:
            self._idle_pending = True
            self._loop.call_soon(self._collect_young)

    def _collect_young(self) -> None:
        # after what was ready on the loop: a request that came in since waits
        # for its answer, not for a collection
        self._idle_pending = False
        thresholds = self._thresholds
        if self._in_flight or thresholds is None:
            return
        if collect_young_between(thresholds[0]):
            self.idle_collections += 1

    @staticmethod
    def kept_by_freezing() -> int:
        """Objects that only a collection of the frozen ones frees: cycles that
        died while frozen (measured when a timed worker stops; it walks the whole
        heap, the loaded index too, so it takes a second or more)."""
        gc.collect()
        gc.unfreeze()
        kept = gc.collect()
        gc.freeze()  # what lives stays out of the collector's way
        return kept

    def _counted(self, phase: str, info: dict[str, Any]) -> None:
        # runs inside the collector, on whichever thread triggered it: count only,
        # the collection itself is scheduled on the loop
        if phase != "stop" or info["generation"] != 1:
            return
        with self._lock:
            self._young += 1
            if self._young < COMPACT_AFTER or self._pending:
                return
            self._pending = True
        if self._loop is None:  # no loop yet: frozen at the next collection
            with self._lock:
                self._pending = False
            return
        with suppress(RuntimeError):  # the loop has closed: the worker is stopping
            self._loop.call_soon_threadsafe(self.compact)

    def compact(self) -> None:
        """Freeze what reached the oldest generation (no object is walked)."""
        gc.freeze()
        with self._lock:
            self._young = 0
            self._pending = False
        self.compactions += 1


class CountRequests:
    """ASGI middleware: tells the heap keeper when each HTTP request enters and
    leaves the application (its answer given back)."""

    def __init__(self, app: Any, keeper: HeapKeeper) -> None:
        self.app = app
        self.keeper = keeper

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.keeper.request_started()
        try:
            await self.app(scope, receive, send)
        finally:
            self.keeper.request_finished()
