"""Calls from the console to the v1 API, in process, with the session's key.

Going through the API (not around it) keeps one place deciding who may do what:
a page never shows data or performs an action the key's role could not through HTTP.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request


class ApiError(Exception):
    """The API refused: its status and the problem document's detail."""

    def __init__(self, status: int, detail: str, errors: list[Any] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


async def call(
    request: Request, key: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """One API request as the key's holder; problem documents raise ``ApiError``."""
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://console.internal",
        headers={"Authorization": f"Bearer {key}"},
        timeout=120,
    ) as client:
        response = await client.request(method, path, **kwargs)
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {"detail": response.text}
        raise ApiError(
            response.status_code,
            str(body.get("detail") or body.get("title") or response.reason_phrase),
            body.get("errors"),
        )
    return response


async def get_json(request: Request, key: str, path: str, **kwargs: Any) -> Any:
    """GET a JSON answer."""
    return (await call(request, key, "GET", path, **kwargs)).json()


async def post_json(request: Request, key: str, path: str, **kwargs: Any) -> Any:
    """POST and read the JSON answer."""
    return (await call(request, key, "POST", path, **kwargs)).json()
