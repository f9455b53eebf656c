"""Location verification on real RTTs: leave-one-out over the shared WonderNetwork mesh.

`python -m bench location_real` checks the mesh, shows the tuning-half sweep that chose
the bound parameters and the site tolerance, then reports on the evaluation half (the
figures that count), the curve by distance moved, what each landmark count buys, the
deployment rule, and the fitted network model beside the real data. The figures are
copied into docs/benchmarks.md and docs/location.md.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import SHARED_DATA
from bench.machine import describe
from chipgate.location import geolocate as geolocate_module
from chipgate.location.borders import Borders, load_borders
from chipgate.location.calibration import (
    FIBRE_KM_PER_MS,
    MESH_EFFICIENCY_FLOOR,
    MESH_SLACK_KM,
)
from chipgate.location.geolocate import SITE_TOLERANCE_KM, Verdict
from chipgate.location.landmarks import load_landmarks
from chipgate.location.meshcheck import check_mesh
from chipgate.location.netmodel import NetworkModel, fit_network_model
from chipgate.location.plot import plot_real_beside_model
from chipgate.location.realeval import (
    RealEvaluation,
    disc_misses,
    evaluate,
    landmark_candidates,
    tuning_half,
)
from chipgate.location.reallimits import (
    escape_limits,
    pair_efficiencies,
    pair_excess_ms,
    ring_misses,
    verify_limits,
)
from chipgate.location.rttmesh import Mesh, read_mesh
from chipgate.location.scoring import run_simulation
from chipgate.location.simulate import SimulationConfig

DATA = SHARED_DATA / "rtt"
SWEEP = ((0.8, 100.0), (0.85, 0.0), (0.85, 100.0), (0.9, 50.0), (1.0, 0.0))
"""Bound parameters compared on the tuning half (efficiency floor, slack km)."""
TOLERANCES = (50.0, 100.0, 150.0)
SIM_CHIPS = 3_000
PLOT = Path(__file__).resolve().parents[1] / "docs" / "location_real.png"
TUNING_MOVES = 20
"""Licensed sites per moved tuning target (the sweep stays short)."""


def wilson_upper(hits: int, n: int, z: float = 1.96) -> float:
    """Upper end of the 95 % Wilson interval of a proportion."""
    if n == 0:
        return float("nan")
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre + spread) / (1 + z * z / n)


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:.1f} %"


def _summary(r: RealEvaluation) -> str:
    alarms = round(r.false_alarm * len(r.honest))
    outside = round(r.outside * len(r.honest))
    spare = min((o.spare_km for o in r.honest), default=math.nan)
    return (
        f"honest {len(r.honest)}: false alarms {alarms} ({_pct(r.false_alarm)}, 95 % "
        f"upper {_pct(wilson_upper(alarms, len(r.honest)))}), truth outside region "
        f"{outside} ({_pct(r.outside)}; closest call {spare:,.0f} km), verified "
        f"{_pct(r.honest_rate(Verdict.VERIFIED))}"
        f"; moved ≥ 1,000 km {r.moved_count():,}: caught {_pct(r.caught())}, "
        f"diverted {_pct(r.diverted())}"
    )


def tuning_sweep(mesh: Mesh, flagged: frozenset[str], borders: Borders) -> None:
    """The sweep the shipped parameters were chosen from (tuning half only)."""
    print(f"-- tuning half, {TUNING_MOVES} licensed sites per moved target")
    variants: list[tuple[str, dict[str, Any]]] = [
        (
            f"floor {floor:.2f}, slack {slack:.0f} km",
            {"floor": floor, "slack_km": slack},
        )
        for floor, slack in SWEEP
    ]
    variants.append(
        ("landmarks chosen by disc edge beyond the site", {"selection": "edge"})
    )
    for label, options in variants:
        r = evaluate(
            mesh,
            flagged,
            borders,
            half="tuning",
            moves_per_target=TUNING_MOVES,
            **options,
        )
        print(f"{label}: {_summary(r)}")
    r = evaluate(mesh, flagged, borders, half="tuning")
    print(f"shipped, every licensed site (not only 20): {_summary(r)}")
    for tol in TOLERANCES:
        geolocate_module.SITE_TOLERANCE_KM = tol
        try:
            r = evaluate(
                mesh, flagged, borders, half="tuning", moves_per_target=TUNING_MOVES
            )
        finally:
            geolocate_module.SITE_TOLERANCE_KM = SITE_TOLERANCE_KM
        print(
            f"site tolerance {tol:.0f} km: {_summary(r)}; moved 500–1,000 km caught "
            f"{_pct(r.caught(500.0, 1000.0))}"
        )


def coverage(mesh: Mesh, flagged: frozenset[str], r: RealEvaluation) -> None:
    """Detection by how fast the destination's nearest landmark answers, and
    verification by how far the licensed site's nearest landmark is."""
    index = mesh.index()
    usable = landmark_candidates(mesh, flagged)
    fastest: dict[str, float] = {}
    nearest: dict[str, float] = {}
    for target in {o.target for o in r.honest} | {o.target for o in r.moved}:
        t = index[target]
        pool = usable.copy()
        pool[t] = False
        fastest[target] = float(np.nanmin(np.where(pool, mesh.rtt_ms[t], np.nan)))
        nearest[target] = float(np.min(mesh.distance_km[t, pool]))
    print("-- moved ≥ 1,000 km, by the RTT of the landmark fastest to the destination")
    for low, high in ((0, 10), (10, 20), (20, 40), (40, math.inf)):
        chosen = [
            o
            for o in r.moved
            if o.moved_km >= 1000.0 and low <= fastest[o.target] < high
        ]
        caught = sum(o.verdict in (Verdict.DIVERTED, Verdict.RELOCATED) for o in chosen)
        print(
            f"fastest landmark {low}–{high} ms: {len(chosen):,} moves, caught "
            f"{_pct(caught / len(chosen) if chosen else math.nan)}"
        )
    ruled = [o for o in r.moved if o.moved_km >= 1000.0 and fastest[o.target] < 20.0]
    caught = sum(o.verdict in (Verdict.DIVERTED, Verdict.RELOCATED) for o in ruled)
    print(
        f"deployment rule (a landmark answers within 20 ms of where the chip went): "
        f"{len(ruled):,} moves, caught {_pct(caught / len(ruled) if ruled else math.nan)}"
    )
    print("-- honest targets, by the distance of the nearest landmark")
    for low, high in ((0, 50), (50, 150), (150, 300), (300, math.inf)):
        chosen = [o for o in r.honest if low <= nearest[o.target] < high]
        verified = sum(o.verdict is Verdict.VERIFIED for o in chosen)
        print(
            f"nearest landmark {low}–{high} km: {len(chosen)} targets, verified "
            f"{_pct(verified / len(chosen) if chosen else math.nan)}"
        )


def limits(
    mesh: Mesh, flagged: frozenset[str], r: RealEvaluation, borders: Borders
) -> None:
    """Why moves escape and honest targets stay unverified: what every landmark of
    the mesh, with the shipped bounds, could show, and what tighter bounds would
    cost (chipgate.location.reallimits)."""
    escapes = escape_limits(mesh, flagged, r, borders)
    index = mesh.index()
    print(f"-- moves ≥ 1,000 km not caught: {len(escapes):,} of {r.moved_count():,}")
    by_target: dict[str, int] = {}
    for e in escapes:
        by_target[e.target] = by_target.get(e.target, 0) + 1
    usable = landmark_candidates(mesh, flagged)
    for target, n in sorted(by_target.items(), key=lambda kv: -kv[1])[:12]:
        t = index[target]
        pool = usable.copy()
        pool[t] = False
        fastest = float(np.nanmin(np.where(pool, mesh.rtt_ms[t], np.nan)))
        moves = sum(o.target == target and o.moved_km >= 1000.0 for o in r.moved)
        print(
            f"  {mesh.names[t]} ({mesh.country[t]}): {n} of {moves} escape; fastest "
            f"landmark {fastest:.1f} ms"
        )
    short = sum(e.best_gap_km <= SITE_TOLERANCE_KM for e in escapes)
    print(
        f"  no landmark of the whole mesh bounds the chip beyond the site tolerance: "
        f"{short} of {len(escapes)}"
    )
    inside = sum(e.site_in_region for e in escapes)
    print(
        f"  licensed site inside the region the target's own landmarks drew: "
        f"{inside} of {len(escapes)}"
    )
    needed = np.sort([e.needed_efficiency for e in escapes])[::-1]
    real = pair_efficiencies(mesh, flagged)
    missing = math.ceil(0.95 * r.moved_count()) - round(r.caught() * r.moved_count())
    for label, eff in (
        ("median escape", float(np.median(needed))),
        (f"the {missing} more catches 95 % needs", float(needed[max(missing - 1, 0)])),
    ):
        print(
            f"  bound efficiency needed ({label}): {eff:.3f}; real pairs ≥ 100 km "
            f"more direct than that: {_pct(float(np.mean(real > eff)))} of {len(real):,}"
        )
    e95 = float(needed[max(missing - 1, 0)])
    uniform = evaluate(mesh, flagged, borders, uniform_efficiency=e95)
    print(f"  every bound drawn at {e95:.3f} of physics, no slack: {_summary(uniform)}")
    edge = evaluate(mesh, flagged, borders, selection="edge")
    print(f"  landmarks chosen by disc edge beyond the site: {_summary(edge)}")
    excess = np.array([e.excess_ms for e in escapes])
    honest_excess = pair_excess_ms(mesh, flagged, within_km=1000.0)
    p5, p50 = np.percentile(excess, [5, 50])
    print(
        f"  moved chip's RTT above what light needs from the licensed site, best "
        f"landmark: p5 {p5:.1f} ms, median {p50:.1f} ms; real pairs < 1,000 km with "
        f"at least that much delay: {_pct(float(np.mean(honest_excess >= p5)))} / "
        f"{_pct(float(np.mean(honest_excess >= p50)))}"
    )
    for half in ("tuning", "evaluation"):
        holes, pairs, hit, targets = ring_misses(mesh, flagged, half)
        print(
            f"  rings from each landmark's own mesh, {half} half: truth in the hole for "
            f"{holes:,} of {pairs:,} pairs ({_pct(holes / pairs)}), {hit} of "
            f"{targets} targets"
        )
    honest = verify_limits(mesh, flagged, r, borders)
    blocked = [h for h in honest if not h.verified and h.ball_km > h.foreign_km]
    unverified = sum(not h.verified for h in honest)
    cuts = np.array([h.cut_ms for h in blocked])
    near_excess = pair_excess_ms(mesh, flagged, within_km=500.0)
    print(
        f"-- honest targets not verified: {unverified} of {len(honest)}; their region "
        f"holds a ball around the truth reaching foreign land whatever landmarks "
        f"measure: {len(blocked)}"
    )
    if len(cuts):
        print(
            f"  RTT the tightest landmark would have to take off: median "
            f"{np.median(cuts):.1f} ms (p25 {np.percentile(cuts, 25):.1f}); real pairs "
            f"< 500 km with less delay than the median: "
            f"{_pct(float(np.mean(near_excess < np.median(cuts))))} of {len(near_excess)}"
        )


def model_beside_data(mesh: Mesh) -> dict[str, list[float]]:
    """The fitted network model's RTTs beside the real ones, over the same pairs;
    returns both sets of RTT ÷ fibre minimum for the plot."""
    fitted = fit_network_model(mesh.distance_km, mesh.rtt_ms)
    print(f"-- network model fitted on the mesh: {fitted}")
    print(f"   shipped defaults:                  {NetworkModel()}")
    rng = np.random.default_rng(0)
    n = len(mesh.ids)
    model = NetworkModel()
    access = model.access(rng, n)
    inflation = model.inflation(rng, n)
    modelled = model.rtt(
        rng,
        mesh.distance_km,
        access[:, None],
        access[None, :],
        inflation[:, None] * inflation[None, :],
    )
    a, b = np.triu_indices(n, 1)
    real = mesh.rtt_ms[a, b]
    sim = modelled[a, b]
    d = mesh.distance_km[a, b]
    ok = np.isfinite(real)
    ratios: dict[str, list[float]] = {}
    for name, values in (("real", real), ("model", sim)):
        far = ok & (d >= 100.0)
        ratio = values[far] / (2 * d[far] / FIBRE_KM_PER_MS)
        ratios[f"{name} ({far.sum():,} pairs)"] = ratio.tolist()
        p5, p50, p95 = np.percentile(ratio, [5, 50, 95])
        near = [
            f"pairs < {km:.0f} km ({(ok & (d < km)).sum()}) median RTT "
            f"{np.median(values[ok & (d < km)]):.2f} ms, p90 "
            f"{np.percentile(values[ok & (d < km)], 90):.2f} ms"
            for km in (50.0, 100.0)
        ]
        print(
            f"{name:>5}: RTT ÷ fibre minimum (pairs ≥ 100 km) p5 {p5:.2f}, median "
            f"{p50:.2f}, p95 {p95:.2f}; " + "; ".join(near)
        )
    return ratios


def simulator_curve(chips: int = SIM_CHIPS) -> list[tuple[str, float]]:
    """Caught rate by distance moved in the simulator, 20 landmarks."""
    config = SimulationConfig(chips=chips, landmark_counts=(20,), adversary_chips=10)
    result = run_simulation(config, load_landmarks())
    false_alarm = 100 * result.false_alarm(20)
    caught, n = result.detection_beyond(20, 4, caught=True)
    print(
        f"simulator, {chips:,} chips, 20 landmarks: false alarms {false_alarm:.2f} %, "
        f"moved ≥ 1,000 km caught {_pct(caught)} of {n:,}"
    )
    for row in result.sweep:
        print(
            f"  {row.group}: diverted {_pct(row.diverted)}, caught {_pct(row.caught)}, "
            f"verified {_pct(1 - row.flagged)} ({row.chips:,} chips)"
        )
    return [(r.group, r.caught) for r in result.sweep if r.bin > 0]


def run() -> None:
    """Check the mesh, show the tuning sweep, report on the evaluation half."""
    print(describe())
    started = time.perf_counter()
    mesh = read_mesh(DATA / "servers.csv", DATA / "pings.csv")
    borders = load_borders()
    report = check_mesh(mesh, borders)
    print(
        f"mesh: {report.landmarks} servers, {report.pairs:,} pairs; flagged "
        f"{len(report.flags)}: "
        + ", ".join(f"{f.id} {f.name} ({f.country})" for f in report.flags)
    )
    halves = [tuning_half(lid) for lid in mesh.ids if lid not in report.flagged]
    print(
        f"split by SHA-256 of the server id: tuning {sum(halves)}, evaluation "
        f"{len(halves) - sum(halves)} (unflagged servers)"
    )
    tuning_sweep(mesh, report.flagged, borders)
    print(
        f"-- evaluation half (shipped: floor {MESH_EFFICIENCY_FLOOR}, slack "
        f"{MESH_SLACK_KM:.0f} km, site tolerance {SITE_TOLERANCE_KM:.0f} km)"
    )
    main = None
    for count in (5, 10, 20, 40):
        r = evaluate(mesh, report.flagged, borders, half="evaluation", count=count)
        print(f"{count} landmarks: {_summary(r)}")
        if count == 20:
            main = r
    assert main is not None
    misses, pairs, worst = disc_misses(mesh, report.flagged, "evaluation")
    print(
        f"every landmark-target pair of the evaluation half: {misses} of {pairs:,} "
        f"bounds leave the target out (95 % upper "
        f"{_pct(wilson_upper(misses, pairs))}); "
        + (f"worst by {worst:,.0f} km" if worst > 0 else f"{-worst:,.0f} km to spare")
    )
    print("-- 20 landmarks, by distance moved (targets, diverted, caught)")
    for label, n, diverted, caught in main.curve():
        print(f"{label}: {n:,}, {_pct(diverted)}, {_pct(caught)}")
    coverage(mesh, report.flagged, main)
    limits(mesh, report.flagged, main, borders)
    ratios = model_beside_data(
        mesh.subset(np.array([i not in report.flagged for i in mesh.ids]))
    )
    curves = {
        "real, evaluation half (leave-one-out)": [
            (label, caught) for label, _, _, caught in main.curve()
        ],
        f"simulator ({SIM_CHIPS:,} chips)": simulator_curve(),
    }
    print(f"plot: {plot_real_beside_model(ratios, curves, PLOT)}")
    print(f"location_real: {time.perf_counter() - started:.0f} s")
