"""Verdicts on raw RTT measurements, without signatures: planning and audits.

``chipgate location assess`` reads one JSON object per target (its licensed country
and site and the RTTs landmarks measured to it), calibrates the landmarks on a
measured mesh when one is given (after the mesh check has excluded the landmarks
whose listed positions the data contradicts) and judges each target with the same
:func:`chipgate.location.geolocate.geolocate` that ``location verify`` uses.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from chipgate.errors import InputError, Problem
from chipgate.location.borders import Borders
from chipgate.location.calibration import (
    MESH_EFFICIENCY_FLOOR,
    MESH_SLACK_KM,
    Bound,
    fit_efficiency,
)
from chipgate.location.geolocate import Measurement, Verdict, geolocate
from chipgate.location.landmarks import Landmark
from chipgate.location.rttmesh import Mesh, region_country


class SitePoint(BaseModel):
    """A licensed site's coordinates."""

    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90.0, le=90.0, strict=True, allow_inf_nan=False)
    lon: float = Field(ge=-180.0, le=180.0, strict=True, allow_inf_nan=False)


class RawMeasurement(BaseModel):
    """One landmark's RTT to the target: a JSON number (``true`` is no RTT, and
    read leniently it was 1 ms, a chip next to its landmark)."""

    model_config = ConfigDict(extra="forbid")

    landmark: str = Field(min_length=1)
    rtt_ms: float = Field(gt=0.0, lt=10_000.0, strict=True, allow_inf_nan=False)


class TargetMeasurements(BaseModel):
    """One line of a measurements file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    licensed_country: Annotated[str, AfterValidator(region_country)]
    licensed_site: SitePoint | None = None
    measurements: list[RawMeasurement] = Field(min_length=1)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one target and what it rests on."""

    id: str
    verdict: Verdict
    area_km2: float
    countries: tuple[str, ...]
    reason: str
    used: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    site_gap_km: float | None = None
    calibrated: bool = False

    def as_json(self) -> dict[str, object]:
        """One line of ``--format jsonl``."""
        return {
            "id": self.id,
            "verdict": self.verdict.value,
            "region_area_km2": round(self.area_km2, 1),
            "countries": list(self.countries),
            "reason": self.reason,
            "landmarks_used": list(self.used),
            "landmarks_excluded": list(self.excluded),
            "site_gap_km": (
                None if self.site_gap_km is None else round(self.site_gap_km, 1)
            ),
        }


def read_targets(path: Path, known: Collection[str]) -> list[TargetMeasurements]:
    """Read a measurements file; every bad line and unknown landmark is reported.

    Raises:
        InputError: unreadable file, bad JSON or fields, unknown landmark ids,
            repeated target ids, or no target at all.
    """
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise InputError.single(f"cannot read: {exc.strerror}", source=path) from exc
    targets: list[TargetMeasurements] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            target = TargetMeasurements.model_validate_json(raw)
        except ValidationError as exc:
            problems.extend(
                Problem(e["msg"], str(path), number, ".".join(str(p) for p in e["loc"]))
                for e in exc.errors()
            )
            continue
        if target.id in seen:
            problems.append(
                Problem(
                    f"target '{target.id}' already on line {seen[target.id]}",
                    str(path),
                    number,
                    "id",
                )
            )
        seen[target.id] = number
        for k, m in enumerate(target.measurements):
            if m.landmark not in known:
                problems.append(
                    Problem(
                        f"unknown landmark '{m.landmark}'",
                        str(path),
                        number,
                        f"measurements.{k}.landmark",
                    )
                )
        targets.append(target)
    if problems:
        raise InputError(problems[:100])
    if not targets:
        raise InputError.single("no target in file (expected JSON lines)", source=path)
    return targets


def mesh_landmarks(mesh: Mesh) -> list[Landmark]:
    """The mesh's sites as landmarks."""
    return [
        Landmark(
            id=mesh.ids[i],
            city=mesh.names[i],
            country=mesh.country[i],
            continent="",
            lat=float(mesh.lat[i]),
            lon=float(mesh.lon[i]),
        )
        for i in range(len(mesh.ids))
    ]


def mesh_bounds(
    mesh: Mesh,
    *,
    exclude: Collection[str] = (),
    floor: float = MESH_EFFICIENCY_FLOOR,
    slack_km: float = MESH_SLACK_KM,
) -> dict[str, Bound]:
    """Each landmark's efficiency bound, fitted on its RTTs to the other landmarks.

    Landmarks in ``exclude`` (flagged by the mesh check, or the target of a
    leave-one-out run) neither get a bound nor count in anyone else's.
    """
    out = np.array([lid in exclude for lid in mesh.ids])
    bounds: dict[str, Bound] = {}
    for i, lid in enumerate(mesh.ids):
        if out[i]:
            continue
        row = np.where(out, np.nan, mesh.rtt_ms[i])
        row[i] = np.nan
        bounds[lid] = fit_efficiency(mesh.distance_km[i], row, floor, slack_km)
    return bounds


def assess_target(
    target: TargetMeasurements,
    landmarks: Mapping[str, Landmark],
    borders: Borders,
    bounds: Mapping[str, Bound] | None,
    flagged: Mapping[str, str] | None = None,
) -> Assessment:
    """Judge one target as ``location verify`` judges a chip.

    Measurements from landmarks in ``flagged`` (id → why) are left out and named.
    """
    flagged = flagged or {}
    excluded = sorted({m.landmark for m in target.measurements} & set(flagged))
    usable = [
        Measurement(landmarks[m.landmark], m.rtt_ms)
        for m in target.measurements
        if m.landmark not in flagged and math.isfinite(m.rtt_ms)
    ]
    site = (
        (target.licensed_site.lat, target.licensed_site.lon)
        if target.licensed_site is not None
        else None
    )
    located = geolocate(
        usable,
        target.licensed_country,
        borders,
        bounds,
        list(landmarks.values()),
        site,
    )
    reason = located.explanation
    if excluded:
        reason += "; left out (mesh check): " + "; ".join(
            f"{lid}: {flagged[lid]}" for lid in excluded
        )
    return Assessment(
        target.id,
        located.verdict,
        located.area_km2,
        located.countries,
        reason,
        tuple(sorted({m.landmark.id for m in usable})),
        tuple(excluded),
        located.site_gap_km,
        located.calibrated,
    )


def assess_all(
    targets: Sequence[TargetMeasurements],
    landmarks: Mapping[str, Landmark],
    borders: Borders,
    bounds: Mapping[str, Bound] | None,
    flagged: Mapping[str, str] | None = None,
) -> list[Assessment]:
    """Judge every target (input order)."""
    return [assess_target(t, landmarks, borders, bounds, flagged) for t in targets]


def assessments_jsonl(results: Sequence[Assessment]) -> bytes:
    """The JSONL output of ``location assess``."""
    return b"".join(orjson.dumps(r.as_json()) + b"\n" for r in results)
