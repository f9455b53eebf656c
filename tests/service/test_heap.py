"""The worker's oldest generation (``service.heap``): Python's full collections
switched off, what reaches it frozen on the event loop after a few young
collections without walking it, cycles that die young still freed."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from chipgate.service.heap import (
    COMPACT_AFTER,
    SAFETY_FACTOR,
    CountRequests,
    HeapKeeper,
)
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


def _allocate_young(count: int) -> list[list[int]]:
    return [[i] for i in range(count)]  # containers: the youngest generation grows


def test_young_collections_run_between_requests(restored: None) -> None:
    async def scenario() -> tuple[int, int, int, int]:
        keeper = HeapKeeper(asyncio.get_running_loop())
        young = gc.get_threshold()[0]
        keeper.start()
        raised = gc.get_threshold()[0]
        keeper.request_started()
        kept = _allocate_young(2 * young)  # past Python's threshold, not the net
        keeper.request_finished()  # the last request left: collected on the loop
        await asyncio.sleep(0)
        after = gc.get_count()[0]
        keeper.stop()
        del kept
        return young, raised, keeper.idle_collections, after

    young, raised, collections, after = fresh_loop(scenario())
    assert raised == young * SAFETY_FACTOR  # Python's own: only a safety net
    assert collections == 1
    assert after < young


def test_no_young_collection_while_a_request_is_in(restored: None) -> None:
    async def scenario() -> tuple[int, int]:
        keeper = HeapKeeper(asyncio.get_running_loop())
        keeper.start()
        young = gc.get_threshold()[0] // SAFETY_FACTOR
        keeper.request_started()
        keeper.request_started()
        kept = _allocate_young(2 * young)
        keeper.request_finished()  # one is still in the application
        await asyncio.sleep(0)
        during = keeper.idle_collections
        keeper.request_finished()
        await asyncio.sleep(0)
        keeper.stop()
        del kept
        return during, keeper.idle_collections

    assert fresh_loop(scenario()) == (0, 1)


def test_requests_are_counted_by_the_middleware(restored: None) -> None:
    seen: list[int] = []

    async def inner(scope: object, receive: object, send: object) -> None:
        seen.append(keeper._in_flight)

    keeper = HeapKeeper()
    app = CountRequests(inner, keeper)

    async def scenario() -> None:
        keeper.attach(asyncio.get_running_loop())
        await app({"type": "http"}, None, None)
        await app({"type": "lifespan"}, None, None)

    fresh_loop(scenario())
    assert seen == [1, 0]  # an HTTP request counted while in, the lifespan not
    assert keeper._in_flight == 0
