"""The fleet registry and the verification of signed location records."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import ValidationError

from chipgate.cases.writes import write
from chipgate.errors import InputError, Problem
from chipgate.ledger import audit
from chipgate.service.deps import Officer, Viewer, documented, runtime_of
from chipgate.service.schemas import ChipsRequest, VerifyRequest

router = APIRouter(prefix="/v1/fleet", tags=["fleet"])

CHIP = {
    "chip_id": "GPU-0001",
    "model": "NVIDIA H100 SXM5",
    "owner": "Nordlicht Rechenzentrum GmbH",
    "licensed_country": "DE",
    "licensed_site": "Frankfurt",
    "license_ref": "NLR",
    "public_key": "MCowBQYDK2VwAyEA...",
}
_geo_lock = threading.Lock()


@cache
def _geography() -> tuple[Any, Any]:
    """Landmarks and borders, loaded on the first verification of this worker."""
    from chipgate.location.borders import load_borders
    from chipgate.location.landmarks import load_landmarks

    return load_landmarks(None), load_borders()


@router.get("/chips", responses=documented([CHIP]))
def chips(request: Request, who: Viewer) -> list[dict[str, Any]]:
    """Every registered chip."""
    from chipgate.location.registry import FleetRegistry

    registry = FleetRegistry(runtime_of(request).ledger.engine)
    return [
        {
            "chip_id": c.chip_id,
            "model": c.model,
            "owner": c.owner,
            "licensed_country": c.licensed_country,
            "licensed_site": c.licensed_site,
            "license_ref": c.license_ref,
            "public_key": c.public_key,
        }
        for c in registry.chips().values()
    ]


@router.post("/chips", responses=documented({"registered": 1}))
def register(body: ChipsRequest, request: Request, who: Officer) -> dict[str, Any]:
    """Register chips (all of them or none); ``replace`` updates known chips."""
    from chipgate.location.registry import ChipEntry, FleetRegistry

    entries = []
    problems = []
    for index, chip in enumerate(body.chips):
        try:
            entries.append(ChipEntry.model_validate(chip.model_dump()))
        except ValidationError as exc:
            for err in exc.errors():
                field = "/".join(str(p) for p in err["loc"])
                problems.append(
                    Problem(err["msg"], "request", index + 1, f"chips/{index}/{field}")
                )
    if problems:
        raise InputError(problems)
    engine = runtime_of(request).ledger.engine
    count = FleetRegistry(engine).register(entries, replace=body.replace)

    def work(conn: Any) -> None:
        audit.append(
            conn,
            [
                audit.PendingEntry(
                    "fleet.registered",
                    who.who,
                    {"chips": [e.chip_id for e in entries], "replace": body.replace},
                )
            ],
        )

    write(engine, work)
    return {"registered": count}


@router.post(
    "/verify",
    responses=documented(
        [
            {
                "chip_id": "GPU-0001",
                "verdict": "verified",
                "owner": "Nordlicht Rechenzentrum GmbH",
                "licensed_country": "DE",
                "countries": ["DE"],
                "area_km2": 81234.5,
                "valid_records": 12,
                "observed_at": "2026-12-02T09:59:00+00:00",
                "explanation": "...",
                "region": "POLYGON ((...))",
                "settle_with": [],
                "problems": [],
            }
        ]
    ),
)
def verify(body: VerifyRequest, request: Request, who: Officer) -> list[dict[str, Any]]:
    """Check signed records and give each chip a verdict with its region outline.

    Diversion alerts found are stored (``store``), and then hold the owner's orders.
    """
    from chipgate.location.alerts import known_nonces
    from chipgate.location.bulk import verify_lines
    from chipgate.location.calibration import calibration_from_json
    from chipgate.location.inputs import named_keys
    from chipgate.location.protocol import decode_public_key
    from chipgate.location.registry import FleetRegistry, shared_with
    from chipgate.location.service import (
        flag_shared,
        judge_checks,
        persist_outcome,
        usable_landmark_keys,
    )

    runtime = runtime_of(request)
    for lid, key in body.landmark_keys.items():
        try:
            decode_public_key(key)
        except ValueError as exc:
            raise InputError.single(
                str(exc), source="request", field=f"landmark_keys/{lid}"
            ) from None
    try:
        lines = calibration_from_json(body.calibration) if body.calibration else None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError.single(
            f"bad calibration entry: {exc}", source="request", field="calibration"
        ) from None
    raw = [orjson.dumps(r) for r in body.records]
    clock = body.now or datetime.now(UTC)
    if clock.tzinfo is None:
        clock = clock.replace(tzinfo=UTC)
    engine = runtime.ledger.engine
    registry = FleetRegistry(engine)
    chip_ids, pairs = named_keys(raw)
    known = registry.chips(chip_ids)
    with _geo_lock:
        sites, borders = _geography()
    checks = verify_lines(
        raw,
        {cid: chip.public_key for cid, chip in known.items()},
        usable_landmark_keys(body.landmark_keys, sites),
        now=clock,
        max_age=timedelta(seconds=runtime.settings.location_max_age_seconds),
        seen=known_nonces(engine, pairs),
    )
    outcome = judge_checks(checks, known, sites, borders, lines)
    outcome = flag_shared(outcome, shared_with(engine, known))
    verdicts = sorted(outcome.verdicts, key=lambda v: v.chip_id)
    if body.store:
        alerts = persist_outcome(engine, outcome, known)

        def work(conn: Any) -> None:
            audit.append(
                conn,
                [
                    audit.PendingEntry(
                        "location.verified",
                        who.who,
                        {
                            "records": len(raw),
                            "alerts": alerts,
                            "verdicts": {v.chip_id: v.verdict.value for v in verdicts},
                        },
                    )
                ],
            )

        write(engine, work)
    return [v.as_json() for v in verdicts]
