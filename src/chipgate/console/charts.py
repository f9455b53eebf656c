"""Vega-Lite specifications of the console's charts, built from API answers.

Pure functions: the page embeds the specification as JSON and the vendored
Vega-Embed draws it (as SVG, so the chart is readable by tests and screen readers
through its title and description).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

COUNTED = frozenset({"committed", "reserved"})
"""Draw statuses that use up an account (released draws gave it back)."""

OUTCOME_COLOURS = {
    "no_license_required": "#1a7f37",
    "authorized": "#1f5fa8",
    "license_required": "#c77c02",
    "prohibited": "#b3261e",
    "hold": "#6f42c1",
}


def burn_down(
    unit: str, limit: float | None, lines: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """What is left of an account, in ``unit``, after each draw, oldest first.

    An account may be drawn in several units (a licence's units and its dollar
    value); the burn-down follows the account's own unit.

    >>> burn_down("units", 10, [{"at": "2025-01-02T00:00:00+00:00", "amount": 4,
    ...     "status": "committed", "order_id": "O1", "unit": "units"},
    ...     {"at": "2025-01-02T00:00:00+00:00", "amount": 9, "status": "committed",
    ...     "order_id": "O1", "unit": "usd"}])[-1]["remaining"]
    6.0
    """
    points: list[dict[str, Any]] = []
    used = 0.0
    for line in lines:
        if line.get("status") not in COUNTED or line.get("unit", unit) != unit:
            continue
        cap = line.get("limit", limit)
        if not points:
            points.append(
                {"at": line["at"], "remaining": float(cap or 0), "order_id": "start"}
            )
        used += float(line["amount"])
        points.append(
            {
                "at": line["at"],
                "remaining": float(cap or 0) - used,
                "order_id": str(line.get("order_id", "")),
            }
        )
    return points


def burn_down_spec(
    account: str, unit: str, points: list[dict[str, Any]]
) -> dict[str, Any]:
    """A step line of what is left of one account over time."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"What is left of {account} after each draw, in {unit}",
        "width": "container",
        "height": 220,
        "data": {"values": points},
        "mark": {"type": "line", "interpolate": "step-after", "point": True},
        "encoding": {
            "x": {
                "field": "at",
                "type": "temporal",
                "title": "drawn at",
                "axis": {"format": "%Y-%m-%d %H:%M", "labelOverlap": True},
            },
            "y": {
                "field": "remaining",
                "type": "quantitative",
                "title": f"left ({unit})",
                "scale": {"zero": True},
            },
            "tooltip": [
                {"field": "order_id", "title": "order"},
                {"field": "remaining", "title": "left", "format": ",.0f"},
                {"field": "at", "type": "temporal", "title": "at"},
            ],
            "color": {"value": "#1f5fa8"},
        },
    }


def outcomes_spec(rows: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Decisions per day, stacked by outcome, from (created_at, outcome) pairs."""
    counts = Counter((created[:10], outcome) for created, outcome in rows)
    values = [
        {"day": day, "outcome": outcome, "decisions": n}
        for (day, outcome), n in sorted(counts.items())
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Decisions per day by outcome",
        "width": "container",
        "height": 200,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": "day"},
            "y": {"field": "decisions", "type": "quantitative", "title": "decisions"},
            "color": {
                "field": "outcome",
                "type": "nominal",
                "scale": {
                    "domain": list(OUTCOME_COLOURS),
                    "range": list(OUTCOME_COLOURS.values()),
                },
            },
            "tooltip": [
                {"field": "day"},
                {"field": "outcome"},
                {"field": "decisions"},
            ],
        },
    }


AGE_BUCKETS = ((1, "under a day"), (7, "1 to 7 days"), (30, "7 to 30 days"))


def age_bucket(opened_at: str, now: datetime) -> str:
    """How long a case has waited, in words.

    >>> from datetime import timezone
    >>> age_bucket("2026-01-01T00:00:00+00:00", datetime(2026, 1, 3, tzinfo=timezone.utc))
    '1 to 7 days'
    """
    days = (now - datetime.fromisoformat(opened_at)).total_seconds() / 86400
    for limit, label in AGE_BUCKETS:
        if days < limit:
            return label
    return "over 30 days"
