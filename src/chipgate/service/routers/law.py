"""The law as data: chip classification, regimes and overlays as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from chipgate.errors import InputError
from chipgate.service.deps import Analyst, Viewer, documented, runtime_of
from chipgate.service.schemas import ClassifyRequest, Day

router = APIRouter(prefix="/v1", tags=["law"])

AsOf = Annotated[Day | None, Query(description="The day (default: today, UTC).")]


def _today() -> date:
    return datetime.now(UTC).date()


@router.post(
    "/chips/classify",
    responses=documented(
        {
            "name": "NVIDIA H20",
            "tpp": 2368.0,
            "performance_density": 2.9,
            "eccn": "3A090.a",
            "h100_equivalents": 0.15,
            "regime": "post-rescission-2025",
            "as_of": "2025-03-10",
            "citations": ["15 CFR 774 Supp. 1, 3A090"],
        }
    ),
)
def classify(body: ClassifyRequest, request: Request, who: Analyst) -> dict[str, Any]:
    """Classify a chip: TPP, performance density, ECCN, H100-equivalents, sources."""
    if body.name is None and body.tpp is None:
        raise InputError.single(
            "give a catalog name, or tpp (with die_area_mm2) for a chip not in the "
            "catalog",
            field="name",
        )
    return runtime_of(request).classify(
        body.name,
        day=body.as_of or _today(),
        regime=body.regime,
        tpp=body.tpp,
        die_area_mm2=body.die_area_mm2,
        datacenter=body.datacenter,
        memory_bandwidth_gbs=body.memory_bandwidth_gbs,
    )


@router.get(
    "/regimes",
    responses=documented(
        [
            {
                "id": "post-rescission-2025",
                "title": "...",
                "status": "in_force",
                "since": "2025-05-13",
                "until": None,
                "in_force": True,
                "overlays": [
                    {
                        "id": "guidance-2025-05",
                        "title": "...",
                        "since": "2025-05-13",
                        "until": None,
                        "active": True,
                    }
                ],
            }
        ]
    ),
)
def regimes(request: Request, who: Viewer, as_of: AsOf = None) -> list[dict[str, Any]]:
    """Every regime with its window, which is in force, and its overlays on the day."""
    return runtime_of(request).regimes(as_of or _today())


@router.get(
    "/regimes/law",
    responses=documented(
        {
            "regime": "ac-2023",
            "label": "ac-2023",
            "as_of": "2024-01-10",
            "overlays": [],
            "rules": {"AC.DEST": ["15 CFR 742.6(a)(6)(iii)"]},
            "parameters": {
                "eccn.3a090_tests": {
                    "value": {},
                    "citations": ["88 FR 73458"],
                    "unconfirmed": False,
                }
            },
        }
    ),
)
def law(
    request: Request,
    who: Viewer,
    as_of: AsOf = None,
    regime: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    """The law on a day: the regime, its active overlays, its rules and parameters,
    each with its citations."""
    return runtime_of(request).law(as_of or _today(), regime)
