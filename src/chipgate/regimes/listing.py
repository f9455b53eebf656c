"""The regimes as rows: windows, which is in force on a day, overlays and rules.

``chipgate regimes`` and ``GET /v1/regimes`` both list the timeline; they read it
here, so the two cannot drift apart. Each picks the fields it shows.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chipgate.decide.engine import Engine


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def regime_rows(engine: Engine, day: date) -> list[dict[str, Any]]:
    """Every regime by start date: its window, whether it is in force on ``day``, its
    overlays (each ``active`` when it applies on ``day``) and the rules it has at
    its start.

    Raises:
        UnknownRegimeError: no regime is modelled for ``day``.
    """
    library = engine.library
    current = library.in_force_on(day).id
    rows = []
    for pack in library.regimes():
        overlays = sorted(
            library.overlays_for(pack.id), key=lambda o: o.since or date.min
        )
        active = {o.id for o in engine.view(day, pack.id).overlays}
        rows.append(
            {
                "id": pack.id,
                "title": pack.title,
                "status": pack.status.value if pack.status else None,
                "since": _iso(pack.since),
                "until": _iso(pack.until),
                "in_force": pack.id == current,
                "overlays": [
                    {
                        "id": o.id,
                        "title": o.title,
                        "since": _iso(o.since),
                        "until": _iso(o.until),
                        "active": o.id in active,
                    }
                    for o in overlays
                ],
                "rules": sorted(engine.view(pack.since or day, pack.id).rules),
            }
        )
    return rows
