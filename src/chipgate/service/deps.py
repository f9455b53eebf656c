"""What every route shares: the worker's state, the caller's key and role, and the
documentation of the problems a route may answer with.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from chipgate.errors import StoreError
from chipgate.ledger.db import KeptReader
from chipgate.service.keys import Principal, Role, authenticate
from chipgate.service.problems import MEDIA_TYPE, Problem, ServiceProblem
from chipgate.service.runtime import Runtime
from chipgate.service.timing import phase
from chipgate.settings import Settings


@dataclass
class State:
    """One worker's state: the store at once, the runtime when it has loaded."""

    settings: Settings
    store: Engine
    keys: KeptReader | None = None
    """The key lookup of the worker's event loop (``keys.key_lookup``)."""
    runtime: Runtime | None = None
    failure: str | None = None
    loaded: threading.Event = field(default_factory=threading.Event)


def state_of(request: Request) -> State:
    """The worker's state."""
    state: State = request.app.state.chipgate
    return state


def runtime_of(request: Request) -> Runtime:
    """The loaded runtime, or 503 while the engine and index are still loading."""
    state = state_of(request)
    if state.runtime is None:
        detail = state.failure or "the engine and the screening index are loading"
        raise ServiceProblem(
            503, "not-ready", "Not ready", detail, headers={"Retry-After": "1"}
        )
    return state.runtime


bearer = HTTPBearer(
    auto_error=False,
    description="An API key from `chipgate keys create --role R`.",
)


def _unauthorized(detail: str) -> ServiceProblem:
    return ServiceProblem(
        401,
        "unauthorized",
        "Unauthorized",
        detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def principal_of(request: Request, key: str | None, role: Role) -> Principal:
    """The principal of ``key`` if its role reaches ``role`` (401 without a valid
    key, 403 with a role too low)."""
    if key is None:
        raise _unauthorized("send an API key as 'Authorization: Bearer <key>'")
    state = state_of(request)
    principal = authenticate(state.store, key, state.keys)
    if principal is None:
        raise _unauthorized("the API key is unknown or revoked")
    if not principal.role.allows(role):
        raise ServiceProblem(
            403,
            "forbidden",
            "Forbidden",
            f"this needs the {role.value} role; the key is {principal.role.value}",
        )
    return principal


def bearer_key(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, if one was sent."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    return credentials.credentials


def require(role: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting keys of ``role`` or above (401 without, 403 below)."""

    async def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        # on the event loop: one indexed read, cheaper than a hop to a thread
        with phase("auth"):
            return principal_of(request, bearer_key(credentials), role)

    check.required_role = role  # type: ignore[attr-defined]
    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Analyst = Annotated[Principal, Depends(require(Role.ANALYST))]
Officer = Annotated[Principal, Depends(require(Role.OFFICER))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]

_TITLES = {
    400: "Bad request",
    401: "No valid API key",
    403: "The key's role is too low",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Too large",
    422: "Invalid input (the field, and the line of an uploaded file, are named)",
    503: "Not ready, or the store is unavailable",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem documents a route may return."""
    return {
        code: {
            "description": _TITLES[code],
            "model": Problem,
            "content": {
                MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for code in codes
    }


def documented(
    example: Any, *codes: int, status: int = 200, media_type: str = "application/json"
) -> dict[int | str, dict[str, Any]]:
    """The success example and the problems of a route that needs a key."""
    return {
        status: {"content": {media_type: {"example": example}}},
        **problems(400, 401, 403, 422, 503, *codes),
    }


def acting_settings(settings: Settings, who: Principal) -> Settings:
    """The settings with the key's principal as the user a library run records
    (a customer import, a usage batch): the run names the key, not the server."""
    return settings.model_copy(update={"user": who.who})


def store_refused(exc: SQLAlchemyError) -> StoreError:
    """The store's refusal of a write, as the error the service answers with."""
    return StoreError(
        f"the store cannot be written: {getattr(exc, 'orig', None) or exc}"
    )
