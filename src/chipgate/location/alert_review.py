"""An officer's work on location alerts: list them, close one with who, when and why.

Closing is a person's act, never the software's: a later clean verification is
written on the alert (``latest_*``) for the officer to weigh, and only
:func:`close_alert` closes it. The closure is one transaction with its entry in the
audit chain (``location.alert_closed``), so the two are committed together or not
at all. Closed alerts are kept: an order dated before the closure, replayed, is
still held by the alert (``chipgate.facts.LocationAlert.in_force_on``).

A breach that repeats an open alert's verdict is folded into that alert's
``latest_*`` rather than stored (``chipgate.location.alerts.record_alerts``). So
closing an alert whose latest verdict is itself a breach, newer than the alert's
own, opens a fresh alert at that verdict's time carrying its evidence, in the same
transaction: the officer closes what was reviewed, and the newer diversion keeps
holding the owner's orders until it is reviewed in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, insert, or_, select, update

from chipgate.cases.writes import write
from chipgate.errors import ChipgateError, InputError
from chipgate.facts import LocationAlert
from chipgate.ledger import audit
from chipgate.ledger.migrate import ensure_current
from chipgate.limits import USER_MAX, too_long
from chipgate.location.alerts import covers, utc
from chipgate.location.geolocate import BREACHES
from chipgate.location.geometry import EMPTY_REGION
from chipgate.location.models import DiversionAlert
from chipgate.location.registry import owner_key

REASON_MAX = 4_000
"""Characters of a closing reason, as of a case action's."""

_ALERTS = cast(Table, DiversionAlert.__table__)
ID_MAX = 2**31 - 1
"""The largest id an alert can have (a 32-bit integer column on PostgreSQL)."""


class UnknownAlert(ChipgateError, LookupError):
    """No alert has the id asked for."""


class AlertAlreadyClosed(ChipgateError, ValueError):
    """The alert was closed before: a closure is recorded once."""


class AlertStatus(StrEnum):
    """Which alerts a list shows."""

    open = "open"
    closed = "closed"
    all = "all"


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert as an officer reads it; ``status`` is as of the list's date."""

    id: int
    chip_id: str
    owner: str
    licensed_country: str
    verdict: str
    observed_at: datetime
    status: str
    region: str
    evidence: str
    latest_verdict: str | None
    latest_at: datetime | None
    latest_evidence: str | None
    closed_at: datetime | None
    closed_by: str | None
    close_reason: str | None

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict, times in ISO 8601 UTC."""
        return {
            "id": self.id,
            "chip_id": self.chip_id,
            "owner": self.owner,
            "licensed_country": self.licensed_country,
            "verdict": self.verdict,
            "observed_at": self.observed_at.isoformat(),
            "status": self.status,
            "latest_verdict": self.latest_verdict,
            "latest_at": _iso(self.latest_at),
            "latest_evidence": self.latest_evidence,
            "closed_at": _iso(self.closed_at),
            "closed_by": self.closed_by,
            "close_reason": self.close_reason,
            "region": self.region,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Closure:
    """An alert closed, and the fresh alert its latest breach opened (if any)."""

    closed: AlertView
    reopened: AlertView | None = None

    def as_json(self) -> dict[str, Any]:
        """The closed alert's dict, with ``reopened``: the fresh alert or None."""
        fresh = None if self.reopened is None else self.reopened.as_json()
        return {**self.closed.as_json(), "reopened": fresh}


def list_alerts(
    engine: Engine,
    *,
    status: AlertStatus = AlertStatus.open,
    owner: str | None = None,
    chip_id: str | None = None,
    as_of: date | None = None,
) -> list[AlertView]:
    """Alerts, oldest observation first, filtered by status, owner and chip.

    With ``as_of``, the list is the one of that day: alerts observed on or before
    it, each ``open`` when it held orders of that date and ``closed`` when it had
    been closed before (the rule the engine applies to an order of that date).
    Owners match as the engine matches them (case, spaces, punctuation ignored).
    """
    ensure_current(engine)
    query = select(_ALERTS)
    if owner is not None:
        query = query.where(_ALERTS.c.owner_key == owner_key(owner))
    if chip_id is not None:
        query = query.where(_ALERTS.c.chip_id == chip_id)
    with engine.connect() as conn:
        rows = conn.execute(
            query.order_by(_ALERTS.c.observed_at, _ALERTS.c.id)
        ).mappings()
        views = [_view(row, as_of) for row in rows]
    return [
        v
        for v in views
        if v is not None and (status is AlertStatus.all or v.status == status.value)
    ]


def close_alert(engine: Engine, alert_id: int, *, reason: str, by: str) -> Closure:
    """Close an open alert, recording who, when and why, with its audit entry.

    When the alert's latest verdict is a breach observed after the alert's own
    (a repeat folded into it), a fresh open alert is stored at that verdict's time
    with its evidence, unless an alert of the chip at that time exists already; the
    audit entry names it (``reopened``).

    Raises:
        InputError: an empty or too long reason or name.
        UnknownAlert: no alert has this id.
        AlertAlreadyClosed: the alert is closed already (when, by whom, is said).
    """
    reason, by = reason.strip(), by.strip()
    if too_long(reason, REASON_MAX):
        raise InputError.single(
            f"a closing reason must be 1-{REASON_MAX} characters", field="reason"
        )
    if too_long(by, USER_MAX):
        raise InputError.single(
            f"who closes must be named in 1-{USER_MAX} characters", field="by"
        )
    if not 1 <= alert_id <= ID_MAX:  # no row has it; the store would overflow
        raise UnknownAlert(f"no location alert has id {alert_id}")
    ensure_current(engine)

    def work(conn: Connection) -> Closure:
        chip_id = conn.execute(
            select(_ALERTS.c.chip_id).where(_ALERTS.c.id == alert_id)
        ).scalar()
        if chip_id is None:
            raise UnknownAlert(f"no location alert has id {alert_id}")
        # the chip's open alerts and this one, locked in the order a verification
        # run locks them (chipgate.location.alerts.record_alerts): a run and a
        # closure touching one chip take turns, never deadlock
        locked = (
            conn.execute(
                select(_ALERTS)
                .where(
                    _ALERTS.c.chip_id == chip_id,
                    or_(_ALERTS.c.status == "open", _ALERTS.c.id == alert_id),
                )
                .order_by(_ALERTS.c.id)
                .with_for_update()
            )
            .mappings()
            .all()
        )
        row = next(r for r in locked if r["id"] == alert_id)
        if row["status"] != "open":
            raise AlertAlreadyClosed(_closed_text(row))
        at = datetime.now(UTC)
        changed = conn.execute(
            update(_ALERTS)
            .where(_ALERTS.c.id == alert_id, _ALERTS.c.status == "open")
            .values(status="closed", closed_at=at, closed_by=by, close_reason=reason)
        ).rowcount
        if changed != 1:  # closed meanwhile by another writer
            raise AlertAlreadyClosed(f"location alert {alert_id} is already closed")
        closed = {
            **row,
            "status": "closed",
            "closed_at": at,
            "closed_by": by,
            "close_reason": reason,
        }
        view = _view(closed, None)
        assert view is not None
        others = [r for r in locked if r["id"] != alert_id and r["status"] == "open"]
        fresh = _reopen(conn, row, others, at)
        payload = {
            k: v
            for k, v in view.as_json().items()
            if k not in ("region", "evidence", "latest_evidence")
        }
        payload["reopened"] = None if fresh is None else _brief(fresh)
        audit.append(conn, [audit.PendingEntry("location.alert_closed", by, payload)])
        return Closure(view, fresh)

    return write(engine, work)


def _reopen(
    conn: Connection, row: Any, others: Sequence[Any], at: datetime
) -> AlertView | None:
    """The fresh alert for a newer breach folded into ``row`` (None: there is none,
    the chip has an alert at that time already, or one of the chip's ``others``
    open alerts stands for that breach: of its verdict, observed before it).

    The breach's own region was not kept when it was folded, so the fresh alert's
    region is the empty one (``POLYGON EMPTY``, as of any alert with no region);
    its evidence (the verification's explanation) says where.
    """
    latest_at = row["latest_at"]
    if row["latest_verdict"] not in BREACHES or latest_at is None:
        return None
    if utc(latest_at) <= utc(row["observed_at"]):
        return None
    if any(
        covers(o["verdict"], o["observed_at"], row["latest_verdict"], latest_at)
        for o in others
    ):
        return None  # still held by that alert, reviewed in its turn
    stored = conn.execute(
        select(_ALERTS.c.id).where(
            _ALERTS.c.chip_id == row["chip_id"], _ALERTS.c.observed_at == latest_at
        )
    ).first()
    if stored is not None:  # a breach of another verdict: stored as its own alert
        return None
    values = {
        "chip_id": row["chip_id"],
        "owner": row["owner"],
        "owner_key": row["owner_key"],
        "licensed_country": row["licensed_country"],
        "verdict": row["latest_verdict"],
        "observed_at": latest_at,
        "region_wkt": EMPTY_REGION,
        "evidence": row["latest_evidence"] or "",
        "status": "open",
        "created_at": at,
    }
    new_id = conn.execute(insert(_ALERTS).values(**values)).inserted_primary_key
    assert new_id is not None
    fresh = {
        **{c.name: None for c in _ALERTS.columns},
        **values,
        "id": new_id[0],
    }
    return _view(fresh, None)


def _brief(view: AlertView) -> dict[str, Any]:
    """What the audit entry says of a fresh alert: which, what and when."""
    return {
        "id": view.id,
        "verdict": view.verdict,
        "observed_at": view.observed_at.isoformat(),
    }


def _view(row: Any, as_of: date | None) -> AlertView | None:
    """The alert as read on ``as_of`` (None: today); None if not yet observed."""
    closed_at = None if row["closed_at"] is None else utc(row["closed_at"])
    fact = LocationAlert(
        row["chip_id"],
        row["owner"],
        row["licensed_country"],
        row["verdict"],
        utc(row["observed_at"]),
        closed_at=closed_at,
    )
    # closed before closures were recorded (no time): never read, so closed all along
    untimed = row["status"] != "open" and closed_at is None
    if as_of is None:
        status = row["status"]
    elif fact.observed_at.date() > as_of:
        return None
    else:
        status = "open" if fact.in_force_on(as_of) and not untimed else "closed"
    return AlertView(
        id=int(row["id"]),
        chip_id=row["chip_id"],
        owner=row["owner"],
        licensed_country=row["licensed_country"],
        verdict=row["verdict"],
        observed_at=fact.observed_at,
        status=status,
        region=row["region_wkt"],
        evidence=row["evidence"],
        latest_verdict=row["latest_verdict"],
        latest_at=None if row["latest_at"] is None else utc(row["latest_at"]),
        latest_evidence=row["latest_evidence"],
        closed_at=closed_at,
        closed_by=row["closed_by"],
        close_reason=row["close_reason"],
    )


def _closed_text(row: Any) -> str:
    when = "" if row["closed_at"] is None else f" on {_iso(utc(row['closed_at']))}"
    who = f" by {row['closed_by']}" if row["closed_by"] else ""
    return f"location alert {row['id']} is already closed{when}{who}"


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()
