"""The OpenAPI document and its browsable pages, for holders of a key only.

FastAPI's own ``/openapi.json``, ``/docs`` and ``/redoc`` answer anyone; the
application switches them off and serves them here behind a viewer key, so that
nothing but ``/healthz`` and ``/readyz`` answers a request without one. The key comes
as ``Authorization: Bearer <key>`` (scripts, schema tools) or in the console's
session cookie, so a person signed in to the console can browse the API in the same
browser (the Swagger page fetches the document with that cookie). No OAuth2 flow is
offered, so there is no ``/docs/oauth2-redirect``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from chipgate.console.web import session_of
from chipgate.service.deps import bearer, bearer_key, principal_of
from chipgate.service.keys import Principal, Role

OPENAPI_URL = "/openapi.json"

router = APIRouter(include_in_schema=False)


def reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """A viewer key or above, from the header or else the console's session."""
    key = bearer_key(credentials)
    if key is None:
        session = session_of(request)
        key = session.key if session is not None else None
    return principal_of(request, key, Role.VIEWER)


Reader = Annotated[Principal, Depends(reader)]


@router.get(OPENAPI_URL)
def openapi(request: Request, who: Reader) -> JSONResponse:
    """The OpenAPI document (built once per worker)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def swagger(request: Request, who: Reader) -> HTMLResponse:
    """The document, browsable and callable (Swagger UI)."""
    return get_swagger_ui_html(
        openapi_url=OPENAPI_URL, title=f"{request.app.title} - API"
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request, who: Reader) -> HTMLResponse:
    """The document as a reference page (ReDoc)."""
    return get_redoc_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API")
