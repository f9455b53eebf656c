"""A route class that serves a well-formed JSON request without FastAPI's generic
request machinery, and hands every other request to that machinery.

FastAPI decides each request's arguments by walking the route's dependency tree
(the key dependency, its bearer scheme, the request, the body), and reads a JSON
body through the standard library: for a one-order check this cost about as much
CPU as deciding the order. :class:`DirectRoute` serves the one shape the hot routes
have, ``async def route(body: Model, request: Request, who: <role dependency>) ->
Response``, directly: the bearer key from the header, the principal from
``deps.principal_of``, the body read by orjson and validated by the model (Python
mode, as FastAPI validates it), and the endpoint awaited with the three.

Nothing is decided differently. The direct path serves a request only when every
check passes (a key of a role high enough, an ``application/json`` body that parses
and validates); before the endpoint runs nothing has been written, so on anything
else it hands the same request (its body kept by Starlette) to FastAPI's own
handler, which answers as it always did: the same 401, 403 or 422 problem document,
in the same order of checks. Errors raised by the endpoint take the usual way to the
problem handlers. The route's OpenAPI entry is FastAPI's, unchanged. A route of any
other shape gets FastAPI's handler alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

import fastapi.routing
import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from chipgate.service.deps import principal_of
from chipgate.service.keys import Role
from chipgate.service.timing import phase

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def bearer_key_of(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, read as FastAPI's
    ``HTTPBearer`` reads it (None: no header, no credentials, or another scheme)."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    credentials = credentials.strip()
    if not scheme or not credentials or scheme.lower() != "bearer":
        return None
    return credentials


def _is_json(content_type: str | None) -> bool:
    """Whether the body is declared plain JSON (other types: FastAPI's handler)."""
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json"


class _Shape:
    """What the direct path needs of a route: the endpoint, its parameters' names,
    the body's model and the role its key dependency requires."""

    def __init__(
        self,
        endpoint: Callable[..., Coroutine[Any, Any, Response]],
        body: str,
        model: type[BaseModel],
        request: str,
        who: str,
        role: Role,
    ) -> None:
        self.endpoint = endpoint
        self.body = body
        self.model = model
        self.request = request
        self.who = who
        self.role = role


def _effective(route: APIRoute) -> Any:
    """The route as FastAPI serves it where it is being included: its dependant and
    dependencies then hold those the including router adds (FastAPI builds each
    inclusion's handler with that context set; the route itself otherwise)."""
    var = getattr(fastapi.routing, "_effective_route_context_var", None)
    context = var.get() if var is not None else None
    if context is not None and getattr(context, "original_route", None) is route:
        return context
    return route


def _shape(route: Any) -> _Shape | None:
    """The route's shape when it is the direct path's, else None (a dependency
    added by an including router, for one, leaves the route to FastAPI)."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    call = dependant.call
    if (
        call is None
        or not inspect.iscoroutinefunction(call)
        or dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or len(dependant.body_params) != 1
        or len(dependant.dependencies) != 1
        or dependant.request_param_name is None
        or dependant.response_param_name is not None
        or dependant.background_tasks_param_name is not None
        or dependant.http_connection_param_name is not None
        or dependant.security_scopes_param_name is not None
        or route.dependencies
    ):
        return None
    body = dependant.body_params[0]
    model = body.field_info.annotation
    key = dependant.dependencies[0]
    role = getattr(key.call, "required_role", None)
    if (
        not isinstance(model, type)
        or not issubclass(model, BaseModel)
        or not isinstance(role, Role)
        or key.name is None
        or inspect.signature(call).return_annotation not in (Response, "Response")
    ):
        return None
    return _Shape(call, body.name, model, dependant.request_param_name, key.name, role)


class DirectRoute(APIRoute):
    """An ``APIRoute`` whose well-formed requests skip FastAPI's generic handling
    (see the module's docstring); its OpenAPI entry is the same."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        route = _effective(self)
        shape = _shape(route)
        if shape is None:
            return standard
        overrides = getattr(route, "dependency_overrides_provider", None)

        async def direct(request: Request) -> Response:
            if getattr(overrides, "dependency_overrides", None):
                return await standard(request)  # a dependency replaced (tests)
            key = bearer_key_of(request)
            if key is None:
                return await standard(request)
            try:
                with phase("auth"):
                    who = principal_of(request, key, shape.role)
            except Exception:  # refused: FastAPI's handler answers, in its order
                return await standard(request)
            if not _is_json(request.headers.get("content-type")):
                return await standard(request)
            try:  # kept on the request for FastAPI's handler, if it answers
                raw = await request.body()
            except Exception:  # e.g. the client left: answered as FastAPI does
                return await standard(request)
            try:
                body = shape.model.model_validate(orjson.loads(raw))
            except (orjson.JSONDecodeError, ValidationError):
                return await standard(request)
            return await shape.endpoint(
                **{shape.body: body, shape.request: request, shape.who: who}
            )

        return direct
