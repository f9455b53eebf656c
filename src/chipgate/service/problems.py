"""RFC 9457 problem documents: every error the API returns says what and where.

A problem names the field at fault (``errors[].field``, a JSON pointer into the
request or the column of an uploaded file) and, for an uploaded file, its line; a
request body that is not JSON at all is named by its line and column instead.
Chipgate's own errors map to statuses here, in one place.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from chipgate.cases.model import CaseConflict
from chipgate.errors import (
    ChipgateError,
    InputError,
    StoreError,
    UnknownItemError,
    UnknownRegimeError,
)
from chipgate.location.alert_review import AlertAlreadyClosed

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://chipgate.dev/problems/"


class ProblemDetail(BaseModel):
    """One located problem: what is wrong, in which field, on which line."""

    detail: str
    field: str | None = None
    line: int | None = None
    column: int | None = Field(
        default=None, description="The column (1 for the first character) on line"
    )
    source: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=[TYPE_BASE + "invalid-input"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["orders[0], field 'destination': unknown country"])
    instance: str | None = None
    errors: list[ProblemDetail] = Field(default_factory=list)


class ServiceProblem(ChipgateError):
    """An error a route raises on purpose, with its status and kind."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        errors: list[ProblemDetail] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.headers = headers


def problem_response(
    request: Request,
    status: int,
    kind: str,
    title: str,
    detail: str,
    errors: list[ProblemDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The JSON response of one problem."""
    body = Problem(
        type=TYPE_BASE + kind,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _pointer(loc: tuple[Any, ...]) -> str:
    """``("body", "orders", 0, "id")`` -> ``orders/0/id`` (where in the request)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] if parts[0] == "body" else parts
    return "/".join(parts)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    r"""Where character ``offset`` of ``text`` stands, as a person counts: line and
    column, both from 1 (what an editor shows; a character offset is not).

    >>> line_and_column('{"orders": [\n  {"id": 1,,}]}', 24)
    (2, 12)
    """
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _request_problem(error: Any, body: Any) -> ProblemDetail:
    """One problem of a request: its field, or where a body that is no JSON broke."""
    if error.get("type") == "json_invalid" and isinstance(body, str):
        loc = error.get("loc", ())
        offset = loc[-1] if loc and isinstance(loc[-1], int) else 0
        line, column = line_and_column(body, offset)
        why = (error.get("ctx") or {}).get("error") or "not JSON"
        return ProblemDetail(
            detail=f"the body is not valid JSON: {why} (line {line}, column {column})",
            line=line,
            column=column,
        )
    return ProblemDetail(
        detail=str(error.get("msg", "invalid")), field=_pointer(error["loc"])
    )


def _input_problems(error: InputError) -> list[ProblemDetail]:
    return [
        ProblemDetail(detail=p.message, field=p.field, line=p.line, source=p.source)
        for p in error.problems
    ]


_STATUS: list[tuple[type[Exception], int, str, str]] = [
    (UnknownRegimeError, 422, "unknown-regime", "Unknown regime"),
    (UnknownItemError, 422, "unknown-item", "Unknown item"),
    (CaseConflict, 409, "case-conflict", "The case cannot take this action"),
    (AlertAlreadyClosed, 409, "alert-closed", "The alert is closed already"),
    (InputError, 422, "invalid-input", "Invalid input"),
    (StoreError, 503, "store-unavailable", "The store refused the operation"),
    (LookupError, 404, "not-found", "Not found"),
]


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(ServiceProblem)
    async def _service(request: Request, exc: ServiceProblem) -> JSONResponse:
        return problem_response(
            request,
            exc.status,
            exc.kind,
            exc.title,
            exc.detail,
            exc.errors,
            exc.headers,
        )

    @app.exception_handler(ChipgateError)
    async def _chipgate(request: Request, exc: ChipgateError) -> JSONResponse:
        for kind_of, status, kind, title in _STATUS:
            if isinstance(exc, kind_of):
                errors = _input_problems(exc) if isinstance(exc, InputError) else []
                return problem_response(request, status, kind, title, str(exc), errors)
        return problem_response(
            request, 422, "invalid-input", "Invalid input", str(exc)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(
        request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        errors = [_request_problem(e, exc.body) for e in exc.errors()]
        detail = "; ".join(
            f"{e.field}: {e.detail}" if e.field is not None else e.detail
            for e in errors[:5]
        )
        return problem_response(
            request, 422, "invalid-input", "Invalid input", detail, errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not-found", 405: "method-not-allowed"}.get(
            exc.status_code, "http-error"
        )
        return problem_response(
            request,
            exc.status_code,
            kind,
            str(exc.detail),
            str(exc.detail),
            headers=dict(exc.headers) if exc.headers else None,
        )
