"""Chip location verification: signed round-trip times bound where a chip can be.

The public names below load on first use, so that importing the package (as the
engine does for :func:`load_location_source`) does not pull in the geometry stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chipgate.location.assess import Assessment, assess_target
    from chipgate.location.batched_records import BatchedRecord
    from chipgate.location.bulk import verify_lines
    from chipgate.location.calibration import (
        Bestline,
        EfficiencyBound,
        fit_bestline,
        fit_efficiency,
    )
    from chipgate.location.geolocate import Geolocation, Measurement, Verdict, geolocate
    from chipgate.location.landmarks import Landmark, load_landmarks
    from chipgate.location.meshcheck import MeshReport, check_mesh
    from chipgate.location.provider import StoreLocationSource, load_location_source
    from chipgate.location.records import ChipResponse, MeasurementRecord
    from chipgate.location.registry import ChipEntry, FleetRegistry
    from chipgate.location.rttmesh import Mesh, read_mesh
    from chipgate.location.service import ChipVerdict, judge_records
    from chipgate.location.verify import RecordCheck, check_records, parse_lines

_EXPORTS = {
    "Assessment": "assess",
    "BatchedRecord": "batched_records",
    "Bestline": "calibration",
    "ChipEntry": "registry",
    "ChipResponse": "records",
    "ChipVerdict": "service",
    "EfficiencyBound": "calibration",
    "FleetRegistry": "registry",
    "Geolocation": "geolocate",
    "Landmark": "landmarks",
    "Measurement": "geolocate",
    "MeasurementRecord": "records",
    "Mesh": "rttmesh",
    "MeshReport": "meshcheck",
    "RecordCheck": "verify",
    "StoreLocationSource": "provider",
    "Verdict": "geolocate",
    "assess_target": "assess",
    "check_mesh": "meshcheck",
    "check_records": "verify",
    "fit_bestline": "calibration",
    "fit_efficiency": "calibration",
    "geolocate": "geolocate",
    "judge_records": "service",
    "load_landmarks": "landmarks",
    "load_location_source": "provider",
    "parse_lines": "verify",
    "read_mesh": "rttmesh",
    "verify_lines": "bulk",
}

__all__ = [
    "Assessment",
    "BatchedRecord",
    "Bestline",
    "ChipEntry",
    "ChipResponse",
    "ChipVerdict",
    "EfficiencyBound",
    "FleetRegistry",
    "Geolocation",
    "Landmark",
    "Measurement",
    "MeasurementRecord",
    "Mesh",
    "MeshReport",
    "RecordCheck",
    "StoreLocationSource",
    "Verdict",
    "assess_target",
    "check_mesh",
    "check_records",
    "fit_bestline",
    "fit_efficiency",
    "geolocate",
    "judge_records",
    "load_landmarks",
    "load_location_source",
    "parse_lines",
    "read_mesh",
    "verify_lines",
]


def __getattr__(name: str) -> object:
    """Load a public name from its module on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chipgate.location' has no attribute '{name}'")
    return getattr(importlib.import_module(f"chipgate.location.{module}"), name)
