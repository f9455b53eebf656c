"""Keeping Python's cyclic garbage collector off the many acyclic objects a book builds."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector while many acyclic objects are built.

    Parsed records and the tables a book builds hold no reference cycles (they are
    freed by reference counting), but every few hundred allocations the collector
    would rescan all of them; that doubled the cost of parsing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_LOCK = threading.Lock()
_DEPTH = 0
_FROZEN_BEFORE = 0


@contextmanager
def thawed_after() -> Iterator[None]:
    """Give what a run froze back to the collector when the outermost run ends.

    A run freezes each finished stage (``gc.freeze``) so the collector's full
    collections stop walking it. In a long-lived process (a cluster worker running
    partition after partition) those objects must be given back at the end, or the
    frozen heap would only grow; runs may nest (a book's check stages its chunks)
    or overlap (worker threads), so only the last to end gives them back. Python
    cannot give back only some: when the process had frozen objects of its own
    before (the screening index), they all stay frozen.
    """
    global _DEPTH, _FROZEN_BEFORE
    with _LOCK:
        if _DEPTH == 0:
            _FROZEN_BEFORE = gc.get_freeze_count()
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0 and not _FROZEN_BEFORE:
                gc.unfreeze()
