"""Persisting what verification found: breach alerts and the nonces it consumed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select, tuple_
from sqlalchemy.orm import Session

from chipgate.facts import LocationAlert
from chipgate.location.models import DiversionAlert, FleetChip, SeenNonce
from chipgate.location.registry import owner_key

_NONCE_BATCH = 400
"""Keys per IN query: well below SQLite's bound-variable limit."""


@dataclass(frozen=True, slots=True)
class NewAlert:
    """A diverted or relocated verdict to store."""

    chip: FleetChip
    observed_at: datetime
    region_wkt: str
    evidence: str
    verdict: str = "diverted"


def record_alerts(engine: Engine, alerts: Sequence[NewAlert]) -> int:
    """Store alerts in one transaction, skipping stored ones; returns the new count."""
    created = 0
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for alert in alerts:
            exists = session.scalar(
                select(DiversionAlert.id).where(
                    DiversionAlert.chip_id == alert.chip.chip_id,
                    DiversionAlert.observed_at == alert.observed_at,
                )
            )
            if exists is not None:
                continue
            session.add(
                DiversionAlert(
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
            )
            created += 1
    return created


def open_alerts(engine: Engine, party: str) -> list[LocationAlert]:
    """Open alerts for chips owned by ``party`` (name matched loosely)."""
    key = owner_key(party)
    if not key:
        return []
    return open_alerts_by_owner(engine, key).get(key, [])


def open_alerts_by_owner(
    engine: Engine, key: str | None = None
) -> dict[str, list[LocationAlert]]:
    """Open alerts grouped by owner key: of one owner, or of all in one query."""
    query = select(DiversionAlert).where(DiversionAlert.status == "open")
    if key is not None:
        query = query.where(DiversionAlert.owner_key == key)
    grouped: dict[str, list[LocationAlert]] = {}
    with Session(engine) as session:
        rows = session.scalars(
            query.order_by(DiversionAlert.observed_at, DiversionAlert.chip_id)
        ).all()
        for row in rows:
            grouped.setdefault(row.owner_key, []).append(
                LocationAlert(
                    chip_id=row.chip_id,
                    owner=row.owner,
                    licensed_country=row.licensed_country,
                    verdict=row.verdict,
                    observed_at=_utc(row.observed_at),
                    region=row.region_wkt,
                    evidence=row.evidence,
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


def remember_nonces(engine: Engine, entries: dict[tuple[str, str], str]) -> None:
    """Store newly seen nonces with their record digests (one transaction)."""
    if not entries:
        return
    now = datetime.now(UTC)
    already = known_nonces(engine, list(entries))
    with Session(engine) as session, session.begin():
        session.add_all(
            SeenNonce(landmark_id=lid, nonce=nonce, record_digest=digest, seen_at=now)
            for (lid, nonce), digest in entries.items()
            if (lid, nonce) not in already
        )


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
