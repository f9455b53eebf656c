"""Persisting what verification found: breach alerts and the nonces it consumed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, Engine, select, tuple_
from sqlalchemy.orm import Session

from chipgate.cases.writes import write
from chipgate.facts import LocationAlert
from chipgate.location.models import DiversionAlert, FleetChip, SeenNonce
from chipgate.location.registry import owner_key

_NONCE_BATCH = 400
"""Keys per IN query: well below SQLite's bound-variable limit."""


@dataclass(frozen=True, slots=True)
class NewAlert:
    """A verdict on a registered chip: an alert when ``diverted`` or ``relocated``,
    and the newest word on the chip's open alerts whatever it is."""

    chip: FleetChip
    observed_at: datetime
    region_wkt: str
    evidence: str
    verdict: str = "diverted"


def record_alerts(
    engine: Engine,
    alerts: Sequence[NewAlert],
    later: Sequence[NewAlert] = (),
    *,
    nonces: Mapping[tuple[str, str], str] | None = None,
) -> int:
    """Store breach verdicts as alerts, note every verdict on open alerts and
    remember the run's ``nonces`` (``(landmark, nonce)`` to record digest), in one
    transaction; returns how many alerts were opened.

    ``alerts`` are the ``diverted``/``relocated`` verdicts, ``later`` the chip's
    other verdicts of the run (``verified``, ``inconclusive``, ...). Each verdict
    observed after an open alert of its chip is written on that alert
    (``latest_*``): a clean one never closes it, closing is an officer's act, but
    the officer reads it when deciding. A breach already stored (same chip and
    observation) is skipped, and so is one that repeats the verdict of an open
    alert observed before it: it is that alert's latest verdict, not a new alert.

    The open alerts are read locked (``FOR UPDATE``, ordered by chip and id, the
    order :func:`chipgate.location.alert_review.close_alert` locks in; SQLite:
    ``BEGIN IMMEDIATE``), so an officer closing one meanwhile either closes it
    before the run reads (the breach then is an alert of its own) or after the
    run has written on it (the closure then carries it). Nonces and alerts are
    committed together: a run that fails stores neither, and can be run again.
    """

    def work(conn: Connection) -> int:
        with Session(bind=conn) as session:
            if nonces:
                _remember(session, nonces)
            created = _record(session, alerts, later)
            session.flush()
        return created

    return write(engine, work)


def _record(
    session: Session, alerts: Sequence[NewAlert], later: Sequence[NewAlert]
) -> int:
    breaches = {id(a) for a in alerts}
    seen = sorted([*alerts, *later], key=lambda a: a.observed_at)
    created = 0
    now = datetime.now(UTC)
    chip_ids = sorted({a.chip.chip_id for a in seen})
    # rows are locked in code-point order of chip ids, the order Python sorts the
    # batches in: PostgreSQL's own collation (en_US puts "a" before "B") would let
    # two runs over overlapping chips lock them in opposite orders
    by_chip: ColumnElement[str] = DiversionAlert.chip_id.expression
    if session.get_bind().dialect.name == "postgresql":
        by_chip = by_chip.collate("C")
    open_rows: dict[str, list[DiversionAlert]] = {}
    for start in range(0, len(chip_ids), _NONCE_BATCH):
        for row in session.scalars(
            select(DiversionAlert)
            .where(
                DiversionAlert.status == "open",
                DiversionAlert.chip_id.in_(chip_ids[start : start + _NONCE_BATCH]),
            )
            .order_by(by_chip, DiversionAlert.id)
            .with_for_update()
        ):
            open_rows.setdefault(row.chip_id, []).append(row)
    for alert in seen:
        mine = open_rows.setdefault(alert.chip.chip_id, [])
        _note_latest(mine, alert)
        if id(alert) not in breaches or _already_alerted(session, mine, alert):
            continue
        row = _new_row(alert, now)
        session.add(row)
        mine.append(row)
        created += 1
    return created


def _note_latest(rows: list[DiversionAlert], alert: NewAlert) -> None:
    """Write ``alert`` as the latest verdict of each open alert observed before it."""
    for row in rows:
        if utc(row.observed_at) >= alert.observed_at:
            continue
        if row.latest_at is not None and utc(row.latest_at) >= alert.observed_at:
            continue
        row.latest_verdict = str(alert.verdict)
        row.latest_at = alert.observed_at
        row.latest_evidence = alert.evidence


def _already_alerted(
    session: Session, rows: list[DiversionAlert], alert: NewAlert
) -> bool:
    """The breach is stored, or an open alert of its verdict was observed before."""
    if any(
        covers(row.verdict, row.observed_at, str(alert.verdict), alert.observed_at)
        for row in rows
    ):
        return True
    stored = session.scalar(
        select(DiversionAlert.id).where(
            DiversionAlert.chip_id == alert.chip.chip_id,
            DiversionAlert.observed_at == alert.observed_at,
        )
    )
    return stored is not None


def covers(
    verdict: str, observed_at: datetime, breach: str, breach_at: datetime
) -> bool:
    """An open alert (``verdict`` observed at ``observed_at``) already stands for
    a breach of that verdict observed then or later: the breach is its repeat."""
    return verdict == breach and utc(observed_at) <= utc(breach_at)


def _new_row(alert: NewAlert, now: datetime) -> DiversionAlert:
    return DiversionAlert(
        chip_id=alert.chip.chip_id,
        owner=alert.chip.owner,
        owner_key=alert.chip.owner_key,
        licensed_country=alert.chip.licensed_country,
        verdict=str(alert.verdict),
        observed_at=alert.observed_at,
        region_wkt=alert.region_wkt,
        evidence=alert.evidence,
        status="open",
        created_at=now,
    )


def alerts_for_owner(
    engine: Engine, party: str, *, closed: bool = True
) -> list[LocationAlert]:
    """Alerts on chips owned by ``party`` (name matched loosely), the closed ones
    too unless ``closed`` is False."""
    key = owner_key(party)
    if not key:
        return []
    return alerts_by_owner(engine, key, closed=closed).get(key, [])


def open_alerts_by_owner(
    engine: Engine, key: str | None = None
) -> dict[str, list[LocationAlert]]:
    """Open alerts grouped by owner key: of one owner, or of all in one query."""
    return alerts_by_owner(engine, key, closed=False)


def alerts_by_owner(
    engine: Engine, key: str | None = None, *, closed: bool = True
) -> dict[str, list[LocationAlert]]:
    """Alerts grouped by owner key (of one owner, or of all in one query); with
    ``closed``, the closed ones too, each with its ``closed_at``, so an order dated
    before a closure is still decided on the alert."""
    query = select(DiversionAlert)
    if not closed:
        query = query.where(DiversionAlert.status == "open")
    if key is not None:
        query = query.where(DiversionAlert.owner_key == key)
    grouped: dict[str, list[LocationAlert]] = {}
    with Session(engine) as session:
        rows = session.scalars(
            query.order_by(DiversionAlert.observed_at, DiversionAlert.chip_id)
        ).all()
        for row in rows:
            if row.status != "open" and row.closed_at is None:
                continue  # closed with no time recorded: never read, as before
            grouped.setdefault(row.owner_key, []).append(
                LocationAlert(
                    chip_id=row.chip_id,
                    owner=row.owner,
                    licensed_country=row.licensed_country,
                    verdict=row.verdict,
                    observed_at=utc(row.observed_at),
                    region=row.region_wkt,
                    evidence=row.evidence,
                    closed_at=None if row.closed_at is None else utc(row.closed_at),
                )
            )
    return grouped


def known_nonces(
    engine: Engine, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Digests of records already seen for these (landmark, nonce) pairs."""
    found: dict[tuple[str, str], str] = {}
    with Session(engine) as session:
        for start in range(0, len(keys), _NONCE_BATCH):
            chunk = keys[start : start + _NONCE_BATCH]
            rows = session.execute(
                select(
                    SeenNonce.landmark_id, SeenNonce.nonce, SeenNonce.record_digest
                ).where(tuple_(SeenNonce.landmark_id, SeenNonce.nonce).in_(chunk))
            ).all()
            found.update({(r[0], r[1]): r[2] for r in rows})
    return found


def _remember(session: Session, entries: Mapping[tuple[str, str], str]) -> None:
    """Store newly seen nonces with their record digests."""
    now = datetime.now(UTC)
    keys = list(entries)
    already: set[tuple[str, str]] = set()
    for start in range(0, len(keys), _NONCE_BATCH):
        rows = session.execute(
            select(SeenNonce.landmark_id, SeenNonce.nonce).where(
                tuple_(SeenNonce.landmark_id, SeenNonce.nonce).in_(
                    keys[start : start + _NONCE_BATCH]
                )
            )
        ).all()
        already.update((r[0], r[1]) for r in rows)
    session.add_all(
        SeenNonce(landmark_id=lid, nonce=nonce, record_digest=digest, seen_at=now)
        for (lid, nonce), digest in entries.items()
        if (lid, nonce) not in already
    )


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
