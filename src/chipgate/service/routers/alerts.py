"""Location alerts: list them (viewer), close one after review (officer).

A closure names the officer's key, as every officer act does, and goes into the
audit chain with the alert in the same transaction (``location.alert_closed``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from chipgate.service.deps import Officer, Viewer, documented, runtime_of, state_of

router = APIRouter(prefix="/v1/fleet/alerts", tags=["fleet"])

ALERT = {
    "id": 7,
    "chip_id": "GPU-0001",
    "owner": "Nordlicht Rechenzentrum GmbH",
    "licensed_country": "DE",
    "verdict": "diverted",
    "observed_at": "2026-12-02T09:59:00+00:00",
    "status": "closed",
    "latest_verdict": "verified",
    "latest_at": "2026-12-04T10:00:00+00:00",
    "latest_evidence": "...",
    "closed_at": "2026-12-05T08:12:30.512000+00:00",
    "closed_by": "olga (key 3fa9c1d2e4b5)",
    "close_reason": "site audit 2026-12-04: all chips on the licensed floor",
    "region": "POLYGON ((...))",
    "evidence": "...",
}
CLOSED = {**ALERT, "reopened": None}
"""A closure: the alert, and the fresh alert its newer breach opened (or None)."""
REASON_MAX = 4_000
"""As ``chipgate.location.alert_review.REASON_MAX`` (not imported: it loads the
location tables only when a route is called)."""


class AlertClose(BaseModel):
    """Why an officer closes an alert: the evidence reviewed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reason": "site audit 2026-12-04: chips on the licensed floor"}
            ]
        },
    )

    reason: str = Field(min_length=1, max_length=REASON_MAX)


@router.get("", responses=documented([ALERT]))
def alerts(
    request: Request,
    who: Viewer,
    status: Annotated[str, Query(pattern="^(open|closed|all)$")] = "open",
    owner: Annotated[str | None, Query(max_length=256)] = None,
    chip_id: Annotated[str | None, Query(max_length=128)] = None,
    as_of: Annotated[date | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Alerts, oldest first; ``as_of`` gives them as they stood on that day."""
    from chipgate.location.alert_review import AlertStatus, list_alerts

    found = list_alerts(
        state_of(request).store,
        status=AlertStatus(status),
        owner=owner,
        chip_id=chip_id,
        as_of=as_of,
    )
    return [a.as_json() for a in found]


@router.post("/{alert_id}/close", responses=documented(CLOSED, 404, 409))
def close(
    alert_id: Annotated[int, Path(ge=1)],
    body: AlertClose,
    request: Request,
    who: Officer,
) -> dict[str, Any]:
    """Close an open alert: orders dated after today are no longer held by it.

    When its latest verdict is a newer breach, ``reopened`` is the fresh alert
    that now holds the owner's orders (see ``alert_review.close_alert``).
    """
    from chipgate.location.alert_review import close_alert

    runtime = runtime_of(request)
    closure = close_alert(
        runtime.ledger.engine, alert_id, reason=body.reason, by=who.who
    )
    runtime.forget_alerts()
    return closure.as_json()
