"""The HTTP protocol of ``chipgate serve``: a response's head is written together
with its body (one write, not two); a head alone still goes out by the next turn
of the event loop or on closing; every byte arrives, in order, over a real
uvicorn server (keep-alive, HEAD, a streamed body)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from uvicorn.importer import import_from_string

from chipgate.cli.service import ONE_WRITE_HTTP
from chipgate.service.wire import HeadWithBody, OneWriteHttp
from tests.service.loops import fresh_loop

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


class Recording(asyncio.Transport):
    """A transport that records its writes and whether it was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 0

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5)}.get(name, default)


def test_a_head_is_written_with_the_body_in_one_write() -> None:
    async def run() -> list[bytes]:
        inner = Recording()
        wire = HeadWithBody(inner, asyncio.get_running_loop())
        wire.write(HEAD)
        assert inner.writes == []  # held
        assert wire.get_write_buffer_size() == len(HEAD)
        wire.write(b"hello")
        await asyncio.sleep(0)  # the flush finds nothing held
        return inner.writes

    assert fresh_loop(run()) == [HEAD + b"hello"]


def test_a_head_alone_is_written_at_the_next_turn_of_the_loop() -> None:
    async def run() -> tuple[list[bytes], list[bytes]]:
        inner = Recording()
        wire = HeadWithBody(inner, asyncio.get_running_loop())
        wire.write(HEAD)
        before = list(inner.writes)
        await asyncio.sleep(0)
        wire.write(b"later")
        return before, inner.writes

    before, after = fresh_loop(run())
    assert before == []
    assert after == [HEAD, b"later"]


def test_closing_writes_the_held_head_first_and_abort_drops_it() -> None:
    async def run() -> tuple[Recording, Recording]:
        loop = asyncio.get_running_loop()
        closed, aborted = Recording(), Recording()
        for inner in (closed, aborted):
            wire = HeadWithBody(inner, loop)
            wire.write(HEAD)
            if inner is closed:
                wire.close()
            else:
                wire.abort()
        await asyncio.sleep(0)
        return closed, aborted

    closed, aborted = fresh_loop(run())
    assert closed.writes == [HEAD]
    assert closed.closed
    assert aborted.writes == []
    assert aborted.aborted


def test_a_head_held_when_the_client_went_away_is_not_written() -> None:
    async def run() -> list[bytes]:
        inner = Recording()
        wire = HeadWithBody(inner, asyncio.get_running_loop())
        wire.write(HEAD)
        inner.closed = True  # the connection was lost meanwhile
        await asyncio.sleep(0)
        return inner.writes

    assert fresh_loop(run()) == []


def test_what_is_not_a_head_is_written_at_once() -> None:
    async def run() -> tuple[list[bytes], Any]:
        inner = Recording()
        wire = HeadWithBody(inner, asyncio.get_running_loop())
        wire.write(b"HTTP/ but no blank line at its end")
        wire.write(b"body")
        return inner.writes, wire.get_extra_info("peername")

    writes, peer = fresh_loop(run())
    assert writes == [b"HTTP/ but no blank line at its end", b"body"]
    assert peer == ("127.0.0.1", 5)


def test_serve_names_the_protocol_uvicorn_imports() -> None:
    assert import_from_string(ONE_WRITE_HTTP) is OneWriteHttp


async def _chunks() -> AsyncIterator[bytes]:
    for part in (b"one ", b"two ", b"three"):
        await asyncio.sleep(0.01)
        yield part


async def _plain(request: Request) -> Response:
    return Response(b'{"ok": true}', media_type="application/json")


async def _streamed(request: Request) -> StreamingResponse:
    return StreamingResponse(_chunks(), media_type="text/plain")


async def _echo(request: Request) -> Response:
    return Response(await request.body(), media_type="text/plain")


@pytest.fixture
def server() -> Iterator[str]:
    """A uvicorn server on loopback over ``OneWriteHttp``, serving two routes."""
    app = Starlette(
        routes=[
            Route("/plain", _plain, methods=["GET", "HEAD"]),
            Route("/streamed", _streamed),
            Route("/echo", _echo, methods=["POST"]),
        ]
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=OneWriteHttp, log_level="warning"
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert served.started
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=30)


def test_answers_arrive_whole_over_a_real_server(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        first = client.get("/plain")
        second = client.get("/plain")  # the same connection, kept alive
        head = client.head("/plain")
        streamed = client.get("/streamed")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"ok": True}
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == "12"
    assert streamed.text == "one two three"


def test_a_client_that_expects_100_continue_gets_it_before_sending(
    server: str,
) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
            b"Expect: 100-continue\r\n\r\n"
        )
        interim = sock.recv(1 << 16)  # the body is not sent until this arrives
        sock.sendall(b"hello")
        answer = b""
        while not answer.endswith(b"hello"):
            chunk = sock.recv(1 << 16)
            assert chunk, answer
            answer += chunk
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
