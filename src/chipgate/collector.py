"""Pausing Python's cyclic garbage collector while many acyclic objects are built."""

from __future__ import annotations

import gc
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
