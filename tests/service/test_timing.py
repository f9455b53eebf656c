"""Where a request's time goes (``service.timing``): phases counted per request,
batches and collections kept, one file per worker; nothing counted when off."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path
from typing import Any

from chipgate.service.timing import TimingMiddleware, Timings, mark, phase
from tests.service.loops import fresh_loop


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    with phase("decide"):
        await asyncio.sleep(0.002)
    with phase("decide"):  # a phase entered twice adds up
        pass
    mark("wait", 0.5)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _call(app: Any, kind: str = "http") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    await app({"type": kind}, receive, send)
    return sent


def test_each_request_gets_its_phases_and_its_time_in_the_app(tmp_path: Path) -> None:
    timings = Timings(tmp_path / "t")
    timings.start()
    fresh_loop(_call(TimingMiddleware(_app, timings)))
    timings.batch(3, 0.001, 0.002, 0.004)
    gc.collect()
    path = timings.write()

    assert path.name.startswith("timings-")
    data = json.loads(path.read_text(encoding="utf-8"))
    (request,) = data["requests"]
    assert request["decide"] >= 2.0  # milliseconds
    assert request["wait"] == 500.0
    assert request["app"] >= request["decide"]
    assert request["at"] > 0  # seconds of the monotonic clock, not converted
    (batch,) = data["batches"]
    assert (batch["size"], batch["queued"], batch["lock_wait"], batch["commit"]) == (
        3,
        1.0,
        2.0,
        4.0,
    )
    assert any(g["generation"] == 2 for g in data["gc"])
    assert timings._on_gc not in gc.callbacks  # written: no longer counting


def test_lifespan_messages_pass_untimed(tmp_path: Path) -> None:
    timings = Timings(tmp_path)
    fresh_loop(_call(TimingMiddleware(_app, timings), kind="lifespan"))
    assert timings.requests == []


def test_phases_outside_a_timed_request_count_nothing() -> None:
    with phase("decide"):
        mark("wait", 1.0)  # no current request: nothing to add to, no error
