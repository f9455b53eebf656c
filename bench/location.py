"""Location benchmark: record verifications/s, geolocations/s, simulator figures.

`python -m bench location` prints the figures and the machine; they are copied into
the `## Location` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.machine import describe
from chipgate.location.borders import load_borders
from chipgate.location.bulk import verify_lines
from chipgate.location.landmarks import load_landmarks
from chipgate.location.protocol import encode_public_key
from chipgate.location.sample import (
    LandmarkKeys,
    PlannedRound,
    SimChip,
    measure_rounds,
)
from chipgate.location.scoring import run_simulation
from chipgate.location.simulate import (
    SimulationConfig,
    build_world,
    locate_all,
    make_pool,
)

RECORDS = {1: 20_000, 2: 100_000}
"""Records per format: format 2 is fast enough that 20,000 would mostly time the
start of the worker processes, so it gets a file five times larger."""
BENCH_LANDMARKS = 20
BATCH_CHIPS = 1_000
"""Chips per measurement round: each landmark batches 1,000 records (format 2)."""
TRIALS = 3
"""Each figure is the median of this many runs (a shared machine is noisy)."""
GEOLOCATIONS = 2_000
SIM_CHIPS = 10_000


def _records(
    version: int,
) -> tuple[list[bytes], dict[str, str], dict[str, str], datetime]:
    landmarks = load_landmarks()[:BENCH_LANDMARKS]
    keys = LandmarkKeys.generate(landmarks)
    now = datetime.now(UTC)
    chip_keys: dict[str, str] = {}
    rng = np.random.default_rng(0)
    lines: list[bytes] = []
    chips = RECORDS[version] // len(landmarks)
    for first in range(0, chips, BATCH_CHIPS):
        plans = []
        for c in range(first, min(first + BATCH_CHIPS, chips)):
            key = Ed25519PrivateKey.generate()
            chip = SimChip(f"B-{c:06d}", key, "bench site")
            chip_keys[chip.chip_id] = encode_public_key(key.public_key())
            rtts = list(rng.uniform(1.0, 80.0, len(landmarks)))
            plans.append(
                PlannedRound(chip, landmarks, rtts, now - timedelta(minutes=10))
            )
        rounds = measure_rounds(plans, keys, version=version)
        lines.extend(rec.to_json() for round_ in rounds for rec in round_)
    return lines, chip_keys, keys.public(), now


def _ed25519_rate() -> float:
    """Ed25519 verifications per second on one core, with `cryptography`."""
    key = Ed25519PrivateKey.generate()
    public, message = key.public_key(), b"x" * 200
    signature = key.sign(message)
    start = time.perf_counter()
    for _ in range(2_000):
        public.verify(signature, message)
    return 2_000 / (time.perf_counter() - start)


def bench_verification() -> None:
    """Parse and fully check records end to end, format 1 and format 2, one core
    and all cores (:func:`chipgate.location.bulk.verify_lines`)."""
    print(f"Ed25519 verify (cryptography), 1 core: {_ed25519_rate():,.0f} signatures/s")
    what = {
        1: "2 Ed25519 signatures per record",
        2: (
            f"1 session signature per {BENCH_LANDMARKS} records, 1 batch signature "
            f"per {BATCH_CHIPS:,} records, Merkle path + HMAC each"
        ),
    }
    for version in (1, 2):
        lines, chip_keys, landmark_keys, now = _records(version)
        for workers in sorted({1, os.cpu_count() or 1}):
            rates = []
            for _ in range(TRIALS):
                start = time.perf_counter()
                checks = verify_lines(
                    lines,
                    chip_keys,
                    landmark_keys,
                    now=now,
                    max_age=timedelta(hours=1),
                    workers=workers,
                )
                rates.append(len(checks) / (time.perf_counter() - start))
                assert all(c.valid for c in checks)
            rates.sort()
            print(
                f"format {version} ({what[version]}), parse + check end to end, "
                f"{workers} process(es): {rates[len(rates) // 2]:,.0f} records/s "
                f"median of {TRIALS} runs over {len(lines):,} records "
                f"(range {rates[0]:,.0f}–{rates[-1]:,.0f})"
            )


def bench_geolocation() -> None:
    """Geolocate chips with 20 landmarks each, on one core and on all."""
    landmarks = load_landmarks()
    load_borders()
    world = build_world(SimulationConfig(chips=GEOLOCATIONS, seed=5), landmarks)
    everyone = np.arange(GEOLOCATIONS)
    for workers in sorted({1, os.cpu_count() or 1}):
        pool = make_pool(world, workers)
        start = time.perf_counter()
        locate_all(world, world.rtts_ms, everyone, 20, pool)
        took = time.perf_counter() - start
        if pool is not None:
            pool.shutdown()
        print(
            f"geolocate (20 landmarks), {workers} process(es): "
            f"{GEOLOCATIONS / took:,.0f} chips/s"
        )


def bench_simulator() -> None:
    """Detection and false alarms with 10, 20 and 40 landmarks."""
    config = SimulationConfig(chips=SIM_CHIPS, landmark_counts=(10, 20, 40))
    result = run_simulation(config, load_landmarks())
    for count in config.landmark_counts:
        for min_bin, label in ((4, "≥ 1,000 km"), (5, "≥ 2,000 km")):
            rate, n = result.detection_beyond(count, min_bin)
            caught, _ = result.detection_beyond(count, min_bin, caught=True)
            print(
                f"{count} landmarks, moves {label} ({n:,} chips): caught (diverted or "
                f"relocated) {100 * caught:.1f} %, diverted {100 * rate:.1f} %"
            )
        print(
            f"{count} landmarks: false alarms (never-moved chips judged diverted or "
            f"relocated) {100 * result.false_alarm(count):.2f} %"
        )
    for row in result.beyond_border:
        print(
            f"{row.landmarks} landmarks: detection for chips {row.group}: "
            f"{100 * row.diverted:.1f} % of {row.chips:,}"
        )
    for row in result.sweep:
        if row.landmarks == 20:
            print(
                f"  20 landmarks, {row.group}: diverted {100 * row.diverted:.1f} %, "
                f"relocated {100 * row.relocated:.1f} %, "
                f"not verified {100 * row.flagged:.1f} %, median region "
                f"{row.median_area_km2:,.0f} km² ({row.chips:,} chips)"
            )
    print(f"simulator: {result.geolocations:,} geolocations in {result.seconds:.1f} s")


def run() -> None:
    """Run every location benchmark and name the machine."""
    print(describe())
    bench_verification()
    bench_geolocation()
    bench_simulator()
