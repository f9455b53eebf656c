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

_OUT_OF_REACH = 2**30


class HeapKeeper:
    """The worker's full collections: on its event loop, each followed by a freeze."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._young = 0
        self._pending = False
        self._thresholds: tuple[int, int, int] | None = None
        self.compactions = 0

    def start(self) -> None:
        """Collect and freeze what is loaded; from now on run the full collections."""
        gc.collect()
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        self._thresholds = gc.get_threshold()
        gc.set_threshold(young, middle, _OUT_OF_REACH)
        gc.callbacks.append(self._counted)

    def stop(self) -> None:
        """Give the collections back to Python."""
        if self._counted in gc.callbacks:
            gc.callbacks.remove(self._counted)
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

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
        with suppress(RuntimeError):  # the loop has closed: the worker is stopping
            self._loop.call_soon_threadsafe(self.compact)

    def compact(self) -> None:
        """Freeze what reached the oldest generation (no object is walked)."""
        gc.freeze()
        with self._lock:
            self._young = 0
            self._pending = False
        self.compactions += 1
