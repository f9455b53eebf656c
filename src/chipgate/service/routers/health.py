"""Liveness and readiness, for load balancers; the only routes without a key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from chipgate.service.deps import problems, state_of
from chipgate.service.problems import ServiceProblem

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process answers."""

    status: str


class Ready(BaseModel):
    """The worker can decide: engine, regime packs and store loaded."""

    status: str
    screening: bool
    regimes: int


@router.get(
    "/healthz",
    response_model=Health,
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
)
def healthz() -> dict[str, Any]:
    """Alive: the process answers (it may still be loading)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Ready,
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"status": "ready", "screening": True, "regimes": 4}
                }
            }
        },
        **problems(503),
    },
)
def readyz(request: Request) -> dict[str, Any]:
    """Ready: the engine, the regime packs and the screening index are loaded."""
    state = state_of(request)
    runtime = state.runtime
    if runtime is None:
        raise ServiceProblem(
            503,
            "not-ready",
            "Not ready",
            state.failure or "the engine and the screening index are loading",
            headers={"Retry-After": "1"},
        )
    return {
        "status": "ready",
        "screening": runtime.screener is not None,
        "regimes": len(runtime.engine.library.regimes()),
    }
