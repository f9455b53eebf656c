"""Request bodies past ``service_max_body_mb`` are refused before they are read:
announced by their length, or counted as their chunks arrive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI, Request

from chipgate.service import problems
from chipgate.service.limits import BodyLimit
from chipgate.settings import Settings

LIMIT = 1000


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.post("/parsed")
    async def parsed(body: dict[str, str]) -> dict[str, int]:
        # a route whose body FastAPI reads and parses itself, as the API's do
        return {"read": len(body)}

    problems.install(app)  # the service's problem documents
    app.add_middleware(BodyLimit, limit=LIMIT)
    return app


def _post(content: bytes | AsyncIterator[bytes], path: str = "/echo") -> httpx.Response:
    """POST in a thread and event loop of its own (whatever loop another test of
    the process left behind)."""

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.post(path, content=content)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, post()).result()


async def _chunks(size: int, count: int) -> AsyncIterator[bytes]:
    """A body sent in chunks, with no length announced."""
    for _ in range(count):
        yield b"x" * size


def test_a_body_within_the_bound_is_read() -> None:
    assert _post(b"x" * LIMIT).json() == {"read": LIMIT}
    assert _post(_chunks(100, 10)).json() == {"read": LIMIT}


@pytest.mark.parametrize("path", ["/echo", "/parsed"])
@pytest.mark.parametrize("announced", [True, False])
def test_a_body_past_the_bound_is_refused_with_413(announced: bool, path: str) -> None:
    body = b"x" * (LIMIT + 1) if announced else _chunks(100, 11)
    response = _post(body, path)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert "CHIPGATE_SERVICE_MAX_BODY_MB" in problem["detail"]


def test_the_service_bound_is_a_setting() -> None:
    assert Settings().service_max_body_mb == 512
    assert Settings(service_max_body_mb=8).service_max_body_mb == 8
