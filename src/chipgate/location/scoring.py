"""Running the simulator and scoring it: rates by landmark count and distance moved.

Distance moved is not what detection hangs on: a chip moved 1,000 km may stop a few km
past its licensed country's border. The run also scores the moved chips that ended at
least ``BEYOND_BORDER_KM`` beyond that border.

Detection is the share of moved chips judged ``diverted`` (proved outside the licensed
country); caught, the share judged ``diverted`` or ``relocated`` (proved not where the
license says: abroad, or far from the licensed site); flagged, the share not judged
``verified`` (what the delaying and relaying adversaries can at best reduce detection
to). The false-alarm rate is the share of chips never moved that are judged
``diverted`` or ``relocated``: either verdict raises an alert against an honest owner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from chipgate.location.adversaries import RecordAttackResult, record_attacks
from chipgate.location.borders import load_borders
from chipgate.location.geolocate import Verdict
from chipgate.location.landmarks import Landmark
from chipgate.location.simulate import (
    ADVERSARIES,
    VERDICT_CODES,
    SimulationConfig,
    adversary_rtts,
    bin_index,
    bin_labels,
    border_gaps_km,
    build_world,
    landmark_count_ok,
    locate_all,
    make_pool,
)

FAR_MOVE_KM = 1000.0
BEYOND_BORDER_KM = 500.0
BEYOND_LABEL = "moved ≥ 1,000 km, now ≥ 500 km beyond the licensed border"
DIVERTED = VERDICT_CODES.index(Verdict.DIVERTED)
RELOCATED = VERDICT_CODES.index(Verdict.RELOCATED)
VERIFIED = VERDICT_CODES.index(Verdict.VERIFIED)
INCONCLUSIVE = VERDICT_CODES.index(Verdict.INCONCLUSIVE)


@dataclass(frozen=True)
class RateRow:
    """Rates for one group of chips (landmark count and distance bin, or attack)."""

    group: str
    landmarks: int
    chips: int
    diverted: float
    flagged: float
    inconclusive: float
    median_area_km2: float
    bin: int = -1
    relocated: float = 0.0

    @property
    def caught(self) -> float:
        """Share judged ``diverted`` or ``relocated``: not where the license says."""
        return self.diverted + self.relocated


@dataclass
class SimulationResult:
    """Everything a run measured."""

    config: SimulationConfig
    sweep: list[RateRow] = field(default_factory=list)
    adversaries: list[RateRow] = field(default_factory=list)
    record_attacks: list[RecordAttackResult] = field(default_factory=list)
    beyond_border: list[RateRow] = field(default_factory=list)
    seconds: float = 0.0
    geolocations: int = 0

    def false_alarm(self, landmarks: int) -> float:
        """Share of never-moved chips judged diverted or relocated."""
        return next(
            r.caught for r in self.sweep if r.landmarks == landmarks and r.bin == 0
        )

    def detection_beyond(
        self, landmarks: int, min_bin: int, *, caught: bool = False
    ) -> tuple[float, int]:
        """Detection over the moved chips in bins ≥ ``min_bin`` (rate, count).

        ``caught`` counts ``relocated`` verdicts too; by default only ``diverted``.
        """
        rows = [r for r in self.sweep if r.landmarks == landmarks and r.bin >= min_bin]
        n = sum(r.chips for r in rows)
        hits = sum((r.caught if caught else r.diverted) * r.chips for r in rows)
        return (hits / n if n else float("nan")), n


def total_work(config: SimulationConfig) -> int:
    """Geolocations a run performs (for a progress bar)."""
    attack_chips = min(config.adversary_chips, config.chips)
    return config.chips * len(config.landmark_counts) + attack_chips * (
        len(ADVERSARIES) - 1
    )


def run_simulation(
    config: SimulationConfig,
    landmarks: tuple[Landmark, ...],
    on_progress: Callable[[int], None] = lambda _n: None,
) -> SimulationResult:
    """Build the world, sweep landmark counts, then play the adversaries."""
    landmark_count_ok(
        [*config.landmark_counts, config.adversary_landmarks], len(landmarks)
    )
    started = time.perf_counter()
    world = build_world(config, landmarks)
    result = SimulationResult(config)
    bins = bin_index(world.fleet.moved, world.moved_km)
    labels = bin_labels()
    everyone = np.arange(config.chips)
    pool = make_pool(world, config.workers)
    try:
        far = world.fleet.moved & (world.moved_km >= FAR_MOVE_KM)
        gaps = border_gaps_km(world, load_borders(), np.flatnonzero(far))
        beyond = far & (gaps >= BEYOND_BORDER_KM)
        for count in config.landmark_counts:
            codes, areas = locate_all(
                world, world.rtts_ms, everyone, count, pool, on_progress
            )
            result.geolocations += len(everyone)
            result.beyond_border.append(
                _rates(BEYOND_LABEL, count, codes[beyond], areas[beyond])
            )
            for b, label in enumerate(labels):
                mask = bins == b
                if mask.any():
                    result.sweep.append(
                        _rates(label, count, codes[mask], areas[mask], b)
                    )
        rng = np.random.default_rng(config.seed + 1)
        moved = np.flatnonzero(world.fleet.moved)
        chosen = rng.choice(
            moved, min(config.adversary_chips, len(moved)), replace=False
        )
        chosen.sort()
        k = config.adversary_landmarks
        for kind in ADVERSARIES:
            if kind == "moved":
                codes, areas = locate_all(world, world.rtts_ms, chosen, k, pool)
            else:
                codes, areas = locate_all(
                    world,
                    adversary_rtts(world, kind, config.network),
                    chosen,
                    k,
                    pool,
                    on_progress,
                )
                result.geolocations += len(chosen)
            far = world.moved_km[chosen] >= 1000.0
            result.adversaries.append(_rates(_NAMES[kind], k, codes, areas))
            result.adversaries.append(
                _rates(f"{_NAMES[kind]}, moved ≥ 1,000 km", k, codes[far], areas[far])
            )
    finally:
        if pool is not None:
            pool.shutdown()
    now = datetime.now(UTC)
    result.record_attacks = record_attacks(
        world,
        min(200, config.chips),
        config.adversary_landmarks,
        now,
        timedelta(hours=24),
        np.random.default_rng(config.seed + 2),
    )
    result.seconds = time.perf_counter() - started
    return result


_NAMES = {
    "moved": "moved, answers honestly",
    "delay": "moved, adds delay to look like home",
    "relay": "moved, relays via a proxy at home",
}


def _rates(
    group: str, count: int, codes: np.ndarray, areas: np.ndarray, bin_: int = -1
) -> RateRow:
    n = len(codes)
    if n == 0:
        return RateRow(
            group,
            count,
            0,
            float("nan"),
            float("nan"),
            float("nan"),
            float("nan"),
            bin_,
            float("nan"),
        )
    return RateRow(
        group,
        count,
        n,
        float(np.mean(codes == DIVERTED)),
        float(np.mean(codes != VERIFIED)),
        float(np.mean(codes == INCONCLUSIVE)),
        float(np.median(areas)),
        bin_,
        float(np.mean(codes == RELOCATED)),
    )
