"""The largest request body the service reads (``service_max_body_mb``).

Without a bound a request was read whole before anything looked at it: the key is
checked once the route runs, after FastAPI has read and parsed the body, so anyone
who could reach the port made a worker hold 400 MB (its memory went from 465 MB to
1.5 GB) before hearing 401. A body announced larger than the bound is refused at
once; one sent in chunks without a length is counted as it arrives and refused
when it passes the bound. Either way the answer is a 413 problem document.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.exceptions import HTTPException

from chipgate.service.problems import MEDIA_TYPE, TYPE_BASE

MIB = 1024 * 1024


class BodyTooLarge(HTTPException):
    """A chunked body passed the bound while the route was reading it.

    An HTTP exception with its 413: FastAPI turns any other exception raised while
    it reads a body into a 400 ("error parsing the body"), and passes this one on
    to the application's problem handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class BodyLimit:
    """ASGI middleware: HTTP request bodies of at most ``limit`` bytes."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        announced = _content_length(scope)
        if announced is not None and announced > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def sending(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge:
            if started:  # an answer is on its way: nothing else can be said
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Any, send: Any) -> None:
        body = orjson.dumps(
            {
                "type": TYPE_BASE + "too-large",
                "title": "Too large",
                "status": 413,
                "detail": _too_large(self.limit),
                "instance": scope.get("path"),
                "errors": [],
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return (
        f"the request body is larger than the {limit / MIB:g} MiB this service "
        "reads (CHIPGATE_SERVICE_MAX_BODY_MB); send a large book as a file to "
        "chipgate check, or in parts"
    )


def _content_length(scope: Any) -> int | None:
    """The body's announced length, or None (chunked, or no such header)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
