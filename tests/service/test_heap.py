"""The worker's oldest generation (``service.heap``): Python's full collections
switched off, what reaches it frozen on the event loop after a few young
collections without walking it, cycles that die young still freed."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from chipgate.service.heap import COMPACT_AFTER, HeapKeeper
from tests.service.loops import fresh_loop


@pytest.fixture
def restored() -> Iterator[None]:
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    gc.set_threshold(*thresholds)
    if not frozen:
        gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_survivors_are_frozen_on_the_loop_without_a_full_collection(
    restored: None,
) -> None:
    full: list[int] = []

    def count_full(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    async def scenario() -> tuple[int, int, int, int]:
        keeper = HeapKeeper(asyncio.get_running_loop())
        keeper.start()
        oldest = gc.get_threshold()[2]
        kept = [_Cycle() for _ in range(100)]  # alive: frozen at the next compaction
        gc.callbacks.append(count_full)
        for _ in range(COMPACT_AFTER):
            gc.collect(1)  # what Python does as allocations go on
        await asyncio.sleep(0)  # the loop runs the scheduled freeze
        await asyncio.sleep(0)
        gc.callbacks.remove(count_full)
        frozen = gc.get_freeze_count()
        keeper.stop()
        return keeper.compactions, oldest, frozen, len(kept)

    before = gc.get_threshold()
    compactions, oldest, frozen, _ = fresh_loop(scenario())
    assert compactions == 1
    assert oldest > 10**6  # no full collection of Python's own while serving
    assert frozen >= 100
    assert full == []  # nor of the worker's: nothing is walked while serving
    assert gc.get_threshold() == before  # given back


def test_cycles_that_die_young_are_still_collected(restored: None) -> None:
    async def scenario() -> list[weakref.ref[_Cycle]]:
        keeper = HeapKeeper(asyncio.get_running_loop())
        keeper.start()
        refs = [weakref.ref(_Cycle()) for _ in range(1000)]  # garbage at once
        gc.collect(1)  # a young collection, as Python runs them
        keeper.stop()
        return refs

    assert all(ref() is None for ref in fresh_loop(scenario()))


def test_cycles_frozen_alive_then_dead_are_counted(restored: None) -> None:
    async def scenario() -> int:
        keeper = HeapKeeper(asyncio.get_running_loop())
        keeper.start()
        alive = [_Cycle() for _ in range(10)]
        keeper.compact()  # frozen while alive
        alive.clear()  # now garbage the collector cannot see
        keeper.stop()
        return keeper.kept_by_freezing()

    assert fresh_loop(scenario()) >= 10
