"""Running a coroutine on an event loop of its own, for tests of loop-bound parts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def fresh_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a new event loop in a thread of its own (whatever loop
    an earlier test left on this one)."""
    done: list[T] = []
    thread = threading.Thread(target=lambda: done.append(asyncio.run(coroutine)))
    thread.start()
    thread.join()
    assert done, "the coroutine failed (its error is printed above)"
    return done[0]
