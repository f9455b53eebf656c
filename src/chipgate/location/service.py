"""Verification end to end: records in, one verdict per chip out, alerts stored.

I/O stays at the edges: :func:`judge_records` (or :func:`judge_checks` on records
checked elsewhere, e.g. by :func:`chipgate.location.bulk.verify_lines`) is pure given its
inputs; :func:`persist_outcome` writes alerts and consumed nonces in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.borders import Borders
from chipgate.location.calibration import Bound
from chipgate.location.geolocate import BREACHES, Measurement, Verdict, geolocate
from chipgate.location.geometry import EMPTY_REGION
from chipgate.location.landmarks import Landmark
from chipgate.location.models import FleetChip
from chipgate.location.verify import (
    ParsedLine,
    RecordCheck,
    check_records,
    record_digest,
)


@dataclass(frozen=True)
class ChipVerdict:
    """The verdict on one chip, with what it rests on."""

    chip_id: str
    verdict: Verdict
    explanation: str
    owner: str = ""
    licensed_country: str = ""
    region_wkt: str = EMPTY_REGION
    area_km2: float = 0.0
    countries: tuple[str, ...] = ()
    valid_records: int = 0
    problems: tuple[str, ...] = field(default=())
    observed_at: datetime | None = None
    settle_with: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict (one line of ``--format jsonl``)."""
        return {
            "chip_id": self.chip_id,
            "verdict": self.verdict.value,
            "owner": self.owner,
            "licensed_country": self.licensed_country,
            "countries": list(self.countries),
            "area_km2": round(self.area_km2, 1),
            "valid_records": self.valid_records,
            "observed_at": self.observed_at.isoformat() if self.observed_at else None,
            "explanation": self.explanation,
            "region": self.region_wkt,
            "settle_with": list(self.settle_with),
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class Outcome:
    """All verdicts of a run plus what to persist."""

    verdicts: list[ChipVerdict]
    checks: list[RecordCheck]


def judge_records(
    parsed: Sequence[ParsedLine],
    chips: Mapping[str, FleetChip],
    landmarks: Sequence[Landmark],
    landmark_keys: Mapping[str, str],
    borders: Borders,
    *,
    now: datetime,
    max_age: timedelta,
    calibration: Mapping[str, Bound] | None = None,
    seen: Mapping[tuple[str, str], str] | None = None,
    workers: int | None = None,
) -> Outcome:
    """Check records, group them by chip and geolocate each chip."""
    chip_keys = {cid: chip.public_key for cid, chip in chips.items()}
    checks = check_records(
        parsed,
        chip_keys,
        usable_landmark_keys(landmark_keys, landmarks),
        now=now,
        max_age=max_age,
        seen=seen,
        workers=workers,
    )
    return judge_checks(checks, chips, landmarks, borders, calibration)


def usable_landmark_keys(
    landmark_keys: Mapping[str, str], landmarks: Sequence[Landmark]
) -> dict[str, str]:
    """Keys of landmarks whose position is known: a key alone places nothing."""
    known = {lm.id for lm in landmarks}
    return {lid: key for lid, key in landmark_keys.items() if lid in known}


def judge_checks(
    checks: Sequence[RecordCheck],
    chips: Mapping[str, FleetChip],
    landmarks: Sequence[Landmark],
    borders: Borders,
    calibration: Mapping[str, Bound] | None = None,
) -> Outcome:
    """Group checked records by chip and geolocate each chip."""
    sites = {lm.id: lm for lm in landmarks}
    by_chip: dict[str, list[RecordCheck]] = defaultdict(list)
    verdicts: list[ChipVerdict] = []
    for check in checks:
        if check.chip_id is None:
            verdicts.append(
                ChipVerdict(
                    f"<line {check.line}>",
                    Verdict.INVALID,
                    f"line {check.line}: {check.problem}",
                    problems=(f"line {check.line}: {check.problem}",),
                )
            )
        else:
            by_chip[check.chip_id].append(check)
    for chip_id, group in by_chip.items():
        verdicts.append(
            _judge_chip(chip_id, group, chips.get(chip_id), sites, borders, calibration)
        )
    return Outcome(verdicts, list(checks))


def flag_shared(outcome: Outcome, shared: Mapping[str, Sequence[str]]) -> Outcome:
    """``outcome`` with the verdicts on chips whose device key is registered for other chips too
    (``chipgate.location.registry.shared_with``), flagged: the other device could
    have signed the records, so ``verified`` proves nothing and becomes
    ``inconclusive``; a breach stays a breach (an alert errs on the safe side).
    Each such verdict says which chips share the key, and how to end the share."""
    flagged = []
    for v in outcome.verdicts:
        others = shared.get(v.chip_id)
        if not others:
            flagged.append(v)
            continue
        note = (
            f"device key also registered for chip(s) {', '.join(others)}: that "
            "device could have signed these records; give the chip registered in "
            "error its own key (fleet register --file FILE --replace)"
        )
        verdict = Verdict.INCONCLUSIVE if v.verdict is Verdict.VERIFIED else v.verdict
        flagged.append(
            replace(
                v,
                verdict=verdict,
                explanation=f"{note}; {v.explanation}",
                problems=(*v.problems, note),
            )
        )
    return Outcome(flagged, outcome.checks)


def _judge_chip(
    chip_id: str,
    group: list[RecordCheck],
    chip: FleetChip | None,
    sites: Mapping[str, Landmark],
    borders: Borders,
    calibration: Mapping[str, Bound] | None,
) -> ChipVerdict:
    problems = tuple(f"line {c.line}: {c.problem}" for c in group if not c.valid)
    valid = [c.record for c in group if c.valid and c.record is not None]
    if chip is None or not valid:
        reason = problems[0] if problems else "no valid record"
        return ChipVerdict(
            chip_id,
            Verdict.INVALID,
            f"no valid measurement ({reason})",
            owner=chip.owner if chip else "",
            licensed_country=chip.licensed_country if chip else "",
            problems=problems,
        )
    measurements = [Measurement(sites[r.landmark_id], r.rtt_ms) for r in valid]
    site = (
        (chip.site_lat, chip.site_lon)
        if chip.site_lat is not None and chip.site_lon is not None
        else None
    )
    located = geolocate(
        measurements,
        chip.licensed_country,
        borders,
        calibration,
        list(sites.values()),
        site,
    )
    verdict = located.verdict
    explanation = located.explanation
    claimed = {r.claimed_site for r in valid}
    if claimed != {chip.licensed_site}:
        explanation += (
            f"; claims site {', '.join(sorted(claimed))}, licensed site is "
            f"{chip.licensed_site}"
        )
    if problems and verdict not in BREACHES:
        verdict = Verdict.INVALID
        explanation = (
            f"{len(problems)} record(s) failed checks ({problems[0]}); "
            f"valid records alone give: {explanation}"
        )
    return ChipVerdict(
        chip_id,
        verdict,
        explanation,
        owner=chip.owner,
        licensed_country=chip.licensed_country,
        region_wkt=located.outline(),
        area_km2=located.area_km2,
        countries=located.countries,
        valid_records=len(valid),
        problems=problems,
        observed_at=max(r.measured_at for r in valid),
        settle_with=located.settle_with,
    )


def persist_outcome(
    engine: Engine, outcome: Outcome, chips: Mapping[str, FleetChip]
) -> int:
    """Store diversion alerts, note every verdict on its chip's open alerts and
    remember the nonces of valid records, in one transaction; returns the alerts
    opened."""
    nonces = {
        (c.record.landmark_id, c.record.nonce): record_digest(c.record)
        for c in outcome.checks
        if c.valid and c.record is not None
    }
    seen = [
        NewAlert(
            chips[v.chip_id], v.observed_at, v.region_wkt, v.explanation, v.verdict
        )
        for v in outcome.verdicts
        if v.observed_at is not None and v.chip_id in chips
    ]
    breaches = [a for a in seen if a.verdict in BREACHES]
    others = [a for a in seen if a.verdict not in BREACHES]
    return record_alerts(engine, breaches, later=others, nonces=nonces)
