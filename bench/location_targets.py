"""Measurement sets for `chipgate location assess`, built from the shared real RTTs.

`python -m bench.location_targets OUT.jsonl [tuning|evaluation|all]` writes, for every
server of the half that the mesh check keeps, one honest target (licensed to its own
place) and one moved target per kept server in another country, each measured by its 20
chosen landmarks, as `bench location_real` judges them (but with the bounds fitted on
the whole mesh, not left one out: `assess --mesh` has no target to leave out). Then:

    chipgate location assess OUT.jsonl --landmarks ../shared/data/rtt/servers.csv \\
        --mesh ../shared/data/rtt/pings.csv --format jsonl --output verdicts.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import orjson

from bench.location_real import DATA
from chipgate.location.borders import load_borders
from chipgate.location.meshcheck import check_mesh
from chipgate.location.realeval import (
    landmark_candidates,
    measured_target,
    tuning_half,
)
from chipgate.location.rttmesh import read_mesh


def main(argv: list[str]) -> int:
    """Write the measurement sets and the tuning pings; returns the exit code."""
    if len(argv) not in (1, 2) or argv[1:] not in ([], ["--score"]):
        print(__doc__)
        return 2
    out_dir = Path(argv[0])
    if argv[1:] == ["--score"]:
        return score(out_dir / "verdicts.jsonl")
    out_dir.mkdir(parents=True, exist_ok=True)
    mesh = read_mesh(DATA / "servers.csv", DATA / "pings.csv")
    flagged = check_mesh(mesh, load_borders()).flagged
    tuning = np.array([tuning_half(lid) for lid in mesh.ids])
    candidates = landmark_candidates(mesh, flagged) & tuning
    kept = [i for i, lid in enumerate(mesh.ids) if lid not in flagged]
    written = 0
    with (out_dir / "targets.jsonl").open("w", encoding="utf-8") as out:
        for t in kept:
            if tuning[t]:
                continue
            others = [s for s in kept if mesh.country[s] != mesh.country[t]]
            for site in [t, *others]:
                target = measured_target(mesh, candidates, t, site, 20)
                out.write(target.model_dump_json() + "\n")
                written += 1
    with (out_dir / "pings_tuning.csv").open("w", encoding="utf-8") as out:
        out.write("source,destination,min\n")
        for a, b in zip(*np.triu_indices(len(mesh.ids), 1), strict=True):
            if tuning[a] and tuning[b] and np.isfinite(mesh.rtt_ms[a, b]):
                out.write(f"{mesh.ids[a]},{mesh.ids[b]},{mesh.rtt_ms[a, b]}\n")
    print(f"wrote {written:,} targets and the tuning-half pings to {out_dir}")
    return 0


def score(verdicts: Path) -> int:
    """Print the figures of an `assess` run over `targets.jsonl`."""
    mesh = read_mesh(DATA / "servers.csv")
    index = mesh.index()
    honest: list[str] = []
    far: list[str] = []
    for line in verdicts.read_bytes().splitlines():
        row = orjson.loads(line)
        target, site = str(row["id"]).split("@")
        if target == site:
            honest.append(row["verdict"])
        elif mesh.distance_km[index[target], index[site]] >= 1000.0:
            far.append(row["verdict"])
    alarms = sum(v in ("diverted", "relocated") for v in honest)
    caught = sum(v in ("diverted", "relocated") for v in far)
    verified = sum(v == "verified" for v in honest)
    print(
        f"honest {len(honest)}: false alarms {alarms}, verified {verified} "
        f"({100 * verified / len(honest):.1f} %); moved ≥ 1,000 km {len(far):,}: "
        f"caught {100 * caught / len(far):.1f} %"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
