"""``DirectRoute`` serves a well-formed request without FastAPI's dependency solving,
and answers every other request exactly as FastAPI's own handler does.

Two applications carry the same endpoint on the same path, one with ``DirectRoute``
and one with FastAPI's ``APIRoute``; each request is sent to both and the answers
compared byte for byte (status, content type, body). The direct path is shown to be
taken by breaking FastAPI's dependency solver: the direct application still answers
a good request, the plain one cannot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import fastapi.routing
import httpx
import orjson
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from chipgate.ledger.db import make_engine
from chipgate.ledger.migrate import ensure_current
from chipgate.service import problems
from chipgate.service.deps import Analyst, State
from chipgate.service.direct import DirectRoute, bearer_key_of
from chipgate.service.keys import Principal, Role, create_key, key_lookup
from chipgate.settings import Settings


class Body(BaseModel):
    """A request body with the constraints the real ones have."""

    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(min_length=1, max_length=3)
    day: str | None = None


async def echo(body: Body, request: Request, who: Analyst) -> Response:
    """Answer with what the route was given."""
    return Response(
        orjson.dumps({"names": body.names, "day": body.day, "who": who.who}),
        media_type="application/json",
    )


def _app(store: Any, route_class: type[APIRoute], settings: Settings) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    router = APIRouter(prefix="/v1", route_class=route_class)
    router.post("/echo")(echo)
    app.include_router(router)
    app.state.chipgate = State(settings, store, key_lookup(store))
    return app


class Client:
    """Posts to an application in process (no server; its state set above)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def post(
        self, path: str, content: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://test"
            ) as client:
                return await client.post(path, content=content, headers=headers)

        # on a thread of its own: an earlier test may leave a loop running here
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, send()).result()


@pytest.fixture(scope="module")
def clients(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Client, Client, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("direct")
    settings = Settings(data_dir=folder)
    store = make_engine(settings.resolved_database_url())
    ensure_current(store)
    keys = {
        role.value: create_key(store, role, role.value, "test")[0]
        for role in (Role.VIEWER, Role.ANALYST)
    }
    yield (
        Client(_app(store, DirectRoute, settings)),
        Client(_app(store, APIRoute, settings)),
        keys,
    )
    store.dispose()


GOOD = b'{"names": ["Nordlicht GmbH"], "day": "2025-03-10"}'
JSON = "application/json"


def _requests(keys: dict[str, str]) -> list[tuple[str, dict[str, str], bytes]]:
    """(what, headers, body): every way the checks can go, and the good request."""
    analyst = {"authorization": f"Bearer {keys['analyst']}"}
    return [
        ("good", {**analyst, "content-type": JSON}, GOOD),
        ("good, charset", {**analyst, "content-type": f"{JSON}; charset=utf-8"}, GOOD),
        (
            "good, scheme in capitals",
            {"authorization": f"BEARER {keys['analyst']}", "content-type": JSON},
            GOOD,
        ),
        ("no key", {"content-type": JSON}, GOOD),
        ("another scheme", {"authorization": "Basic eDp5", "content-type": JSON}, GOOD),
        ("scheme alone", {"authorization": "Bearer", "content-type": JSON}, GOOD),
        ("unknown key", {"authorization": "Bearer cg_0_x", "content-type": JSON}, GOOD),
        (
            "role too low",
            {"authorization": f"Bearer {keys['viewer']}", "content-type": JSON},
            GOOD,
        ),
        ("no key, bad JSON", {"content-type": JSON}, b'{"names": ['),
        ("no content type", analyst, GOOD),
        ("text", {**analyst, "content-type": "text/plain"}, GOOD),
        ("problem JSON", {**analyst, "content-type": "application/problem+json"}, GOOD),
        ("bad JSON", {**analyst, "content-type": JSON}, b'{"names": ['),
        ("empty body", {**analyst, "content-type": JSON}, b""),
        ("NaN", {**analyst, "content-type": JSON}, b'{"names": ["a"], "day": NaN}'),
        ("not an object", {**analyst, "content-type": JSON}, b'["a"]'),
        (
            "too many",
            {**analyst, "content-type": JSON},
            b'{"names": ["a","b","c","d"]}',
        ),
        (
            "extra field",
            {**analyst, "content-type": JSON},
            b'{"names": ["a"], "other": 1}',
        ),
        ("wrong type", {**analyst, "content-type": JSON}, b'{"names": "a"}'),
        ("not UTF-8", {**analyst, "content-type": JSON}, b'{"names": ["\xff"]}'),
        (
            "duplicate key",
            {**analyst, "content-type": JSON},
            b'{"names": ["a"], "names": ["b"]}',
        ),
    ]


def test_every_request_is_answered_as_fastapi_answers_it(
    clients: tuple[Client, Client, dict[str, str]],
) -> None:
    direct, plain, keys = clients
    for what, headers, body in _requests(keys):
        ours = direct.post("/v1/echo", content=body, headers=headers)
        theirs = plain.post("/v1/echo", content=body, headers=headers)
        assert (ours.status_code, ours.headers.get("content-type"), ours.content) == (
            theirs.status_code,
            theirs.headers.get("content-type"),
            theirs.content,
        ), what
    statuses = {
        what: direct.post("/v1/echo", content=body, headers=headers).status_code
        for what, headers, body in _requests(keys)
    }
    assert statuses["good"] == statuses["duplicate key"] == 200
    assert statuses["no key"] == statuses["unknown key"] == 401
    assert statuses["role too low"] == 403
    assert statuses["bad JSON"] == statuses["extra field"] == 422


def test_a_good_request_skips_fastapis_dependency_solving(
    clients: tuple[Client, Client, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    direct, plain, keys = clients

    async def broken(**_: Any) -> Any:
        raise AssertionError("FastAPI's dependency solver was used")

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", broken)
    headers = {"authorization": f"Bearer {keys['analyst']}", "content-type": JSON}
    answer = direct.post("/v1/echo", content=GOOD, headers=headers)
    assert answer.status_code == 200
    assert answer.json() == {
        "names": ["Nordlicht GmbH"],
        "day": "2025-03-10",
        "who": answer.json()["who"],
    }
    assert answer.json()["who"].startswith("analyst (key ")
    with pytest.raises(AssertionError, match="dependency solver"):
        plain.post("/v1/echo", content=GOOD, headers=headers)


def test_the_bearer_key_is_read_as_fastapi_reads_it() -> None:
    def key(header: str | None) -> str | None:
        headers = [] if header is None else [(b"authorization", header.encode())]
        return bearer_key_of(Request({"type": "http", "headers": headers}))

    assert key("Bearer cg_1_x") == "cg_1_x"
    assert key("bearer   cg_1_x  ") == "cg_1_x"
    assert key(None) is None
    assert key("Bearer") is None
    assert key("Bearer ") is None
    assert key("Token cg_1_x") is None


def test_a_dependency_added_by_the_including_router_is_never_skipped(
    clients: tuple[Client, Client, dict[str, str]],
) -> None:
    _, plain, keys = clients
    store = plain.app.state.chipgate.store
    seen: list[str] = []

    def marker(request: Request) -> None:
        seen.append(request.url.path)

    app = FastAPI()
    problems.install(app)
    router = APIRouter(prefix="/v1", route_class=DirectRoute)
    router.post("/echo")(echo)
    app.include_router(router, dependencies=[Depends(marker)])
    app.state.chipgate = plain.app.state.chipgate
    headers = {"authorization": f"Bearer {keys['analyst']}", "content-type": JSON}
    answer = Client(app).post("/v1/echo", content=GOOD, headers=headers)
    assert answer.status_code == 200
    assert seen == ["/v1/echo"]
    assert store is app.state.chipgate.store


def test_replaced_dependencies_are_honoured(
    clients: tuple[Client, Client, dict[str, str]],
) -> None:
    direct, _, keys = clients
    key_check = _key_check(direct.app)
    direct.app.dependency_overrides[key_check] = lambda: Principal(
        "0", "stand-in", Role.ADMIN
    )
    try:
        headers = {"authorization": f"Bearer {keys['analyst']}", "content-type": JSON}
        answer = direct.post("/v1/echo", content=GOOD, headers=headers)
    finally:
        direct.app.dependency_overrides.clear()
    assert answer.status_code == 200
    assert answer.json()["who"] == "stand-in (key 0)"


def _key_check(app: FastAPI) -> Any:
    """The key dependency of the echo route (what a test would override)."""
    for route in app.routes:
        for context in getattr(route, "effective_route_contexts", list)():
            original = context.original_route
            if isinstance(original, APIRoute) and original.path == "/v1/echo":
                return original.dependant.dependencies[0].call
    raise AssertionError("no echo route")
