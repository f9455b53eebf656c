"""``export-sample``: a records file from the simulator, with everything it needs.

Writes ``records.jsonl`` (one signed measurement per line, format 2 unless asked for
format 1: one session per chip round, one batch per landmark), ``fleet.jsonl`` (the
registry entries of the chips), ``landmark_keys.json`` (the landmarks' public keys)
and ``calibration.json`` (efficiency bounds fitted on the simulated landmark mesh). A few
chips are moved abroad, one signs with a key the registry does not hold, and one
round is replayed, so that breaches and refusals show up.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.calibration import calibration_to_json
from chipgate.location.landmarks import Landmark
from chipgate.location.protocol import encode_public_key
from chipgate.location.sample import LandmarkKeys, PlannedRound, SimChip, measure_rounds
from chipgate.location.simulate import SimulationConfig, build_world, choose_landmarks
from chipgate.outputs import check_output_path

SAMPLE_OWNERS = ("Example Compute Ltd", "Demo AI Cloud GmbH", "Sample Research Lab")
SAMPLE_MODEL = "H100"


@dataclass(frozen=True)
class SampleFiles:
    """Paths written and what they hold."""

    records: Path
    fleet: Path
    landmark_keys: Path
    calibration: Path
    chips: int
    moved: int


def export_sample(
    out_dir: Path,
    landmarks: tuple[Landmark, ...],
    *,
    chips: int,
    landmarks_per_chip: int,
    seed: int,
    now: datetime,
    version: int = 2,
) -> SampleFiles:
    """Simulate ``chips`` chips and write the four sample files into ``out_dir``.

    ``version`` is the record format (1 or 2).
    """
    world = build_world(
        SimulationConfig(chips=chips, seed=seed, moved_fraction=0.3), landmarks
    )
    rng = np.random.default_rng(seed)
    keys = LandmarkKeys.generate(landmarks)
    position = {lm.id: j for j, lm in enumerate(landmarks)}
    fleet = world.fleet
    entries: list[dict[str, object]] = []
    plans: list[PlannedRound] = []
    measured_at = now - timedelta(minutes=10)
    for i, chip_id in enumerate(fleet.chip_ids):
        device = Ed25519PrivateKey.generate()
        site = str(fleet.home_name[i])
        entries.append(
            {
                "chip_id": chip_id,
                "model": SAMPLE_MODEL,
                "public_key": encode_public_key(device.public_key()),
                "owner": SAMPLE_OWNERS[int(rng.integers(len(SAMPLE_OWNERS)))],
                "licensed_country": str(fleet.home_country[i]),
                "licensed_site": site,
                "site_lat": float(fleet.home_lat[i]),
                "site_lon": float(fleet.home_lon[i]),
                "license_ref": f"SAMPLE-LIC-{i % 7 + 1:04d}",
            }
        )
        chosen = choose_landmarks(world, i, world.rtts_ms[i], landmarks_per_chip)
        rtts = [float(world.rtts_ms[i, position[lm.id]]) for lm in chosen]
        signer = Ed25519PrivateKey.generate() if i == 1 else device  # chip 1 forges
        plans.append(
            PlannedRound(SimChip(chip_id, signer, site), chosen, rtts, measured_at)
        )
    rounds = measure_rounds(plans, keys, version=version)
    rounds[2].append(rounds[2][0])  # chip 2 replays a record of its round
    records = [record for round_ in rounds for record in round_]
    files = SampleFiles(
        records=out_dir / "records.jsonl",
        fleet=out_dir / "fleet.jsonl",
        landmark_keys=out_dir / "landmark_keys.json",
        calibration=out_dir / "calibration.json",
        chips=chips,
        moved=int(fleet.moved.sum()),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(files.records, b"".join(r.to_json() + b"\n" for r in records))
    write_atomic(files.fleet, b"".join(orjson.dumps(e) + b"\n" for e in entries))
    write_atomic(
        files.landmark_keys, orjson.dumps(keys.public(), option=orjson.OPT_INDENT_2)
    )
    write_atomic(
        files.calibration,
        orjson.dumps(
            calibration_to_json(world.calibration), option=orjson.OPT_INDENT_2
        ),
    )
    return files


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it.

    Raises:
        InputError: ``path`` is a folder, a FIFO or a symbolic link
            (``outputs.check_output_path``).
        OSError: the folder cannot be made or written.
    """
    check_output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
