"""The simulator: a synthetic fleet, modelled RTTs and adversaries, scored.

Every chip is measured once by all landmarks (one RTT draw per pair); a run with K
landmarks uses the K nearest the chip's claimed site, the verifier's natural choice.
Moved chips that answer honestly make the main sweep; the delaying and relaying
adversaries are scored on the same fleet with ``adversary_landmarks`` landmarks; the
replaying and forging adversaries go through the signed-record path
(:mod:`chipgate.location.adversaries`).
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from shapely.geometry import Point
from shapely.ops import nearest_points

from chipgate.location.borders import Borders, load_borders
from chipgate.location.calibration import Bound, fit_efficiency
from chipgate.location.fleet import Fleet, make_fleet, nearest_landmarks
from chipgate.location.geolocate import Measurement, Verdict, geolocate
from chipgate.location.geometry import GEOD, distance_km
from chipgate.location.landmarks import Landmark
from chipgate.location.netmodel import NetworkModel

DISTANCE_EDGES_KM = (0.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, math.inf)
VERDICT_CODES = tuple(Verdict)
ADVERSARIES = ("moved", "delay", "relay")


@dataclass(frozen=True)
class SimulationConfig:
    """What to simulate (see docs/location.md for the network model's defaults)."""

    chips: int = 10_000
    landmark_counts: tuple[int, ...] = (5, 10, 20, 40)
    seed: int = 0
    moved_fraction: float = 0.6
    adversary_landmarks: int = 20
    adversary_chips: int = 500
    network: NetworkModel = field(default_factory=NetworkModel)
    workers: int | None = None


@dataclass(frozen=True)
class World:
    """Everything drawn for one run: fleet, per-pair RTTs, calibration."""

    landmarks: tuple[Landmark, ...]
    fleet: Fleet
    distances_km: np.ndarray  # chips × landmarks, from the true position
    home_distances_km: np.ndarray  # chips × landmarks, from the licensed site
    rtts_ms: np.ndarray  # chips × landmarks, honest answers from the true position
    calibration: dict[str, Bound]
    moved_km: np.ndarray


def build_world(config: SimulationConfig, landmarks: tuple[Landmark, ...]) -> World:
    """Draw the fleet, the landmark mesh calibration and every chip's RTTs."""
    rng = np.random.default_rng(config.seed)
    model = config.network
    fleet = make_fleet(config.chips, landmarks, rng, config.moved_fraction)
    lm_lat = np.array([lm.lat for lm in landmarks])
    lm_lon = np.array([lm.lon for lm in landmarks])
    lm_access = model.access(rng, len(landmarks))
    lm_inflation = model.inflation(rng, len(landmarks))
    mesh = _pair_distances(lm_lat, lm_lon, lm_lat, lm_lon)
    mesh_rtt = model.rtt(
        rng,
        mesh,
        lm_access[:, None],
        lm_access[None, :],
        lm_inflation[:, None] * lm_inflation[None, :],
    )
    # One path per pair: both directions of a real pair share their route.
    mesh_rtt = np.triu(mesh_rtt, 1) + np.triu(mesh_rtt, 1).T
    calibration: dict[str, Bound] = {}
    for i, lm in enumerate(landmarks):
        others = np.arange(len(landmarks)) != i
        calibration[lm.id] = fit_efficiency(mesh[i, others], mesh_rtt[i, others])
    dist = _pair_distances(fleet.true_lat, fleet.true_lon, lm_lat, lm_lon)
    home = _pair_distances(fleet.home_lat, fleet.home_lon, lm_lat, lm_lon)
    chip_access = model.access(rng, config.chips)
    chip_inflation = model.inflation(rng, config.chips)
    rtts = model.rtt(
        rng,
        dist,
        chip_access[:, None],
        lm_access[None, :],
        chip_inflation[:, None] * lm_inflation[None, :],
    )
    _, _, moved_m = GEOD.inv(
        fleet.home_lon, fleet.home_lat, fleet.true_lon, fleet.true_lat
    )
    return World(
        landmarks, fleet, dist, home, rtts, calibration, np.asarray(moved_m) / 1000.0
    )


def _pair_distances(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Geodesic distances (km) between every point of set 1 and set 2."""
    a_lat, b_lat = np.meshgrid(lat1, lat2, indexing="ij")
    a_lon, b_lon = np.meshgrid(lon1, lon2, indexing="ij")
    _, _, metres = GEOD.inv(a_lon.ravel(), a_lat.ravel(), b_lon.ravel(), b_lat.ravel())
    return np.asarray(metres).reshape(a_lat.shape) / 1000.0


def border_gaps_km(world: World, borders: Borders, indices: np.ndarray) -> np.ndarray:
    """How far each chip at ``indices`` is from its licensed country's land, in km.

    The nearest point is found in degrees (approximate at high latitude); the
    distance to it is geodesic. Other chips get NaN.
    """
    gaps = np.full(len(world.fleet.chip_ids), np.nan)
    fleet = world.fleet
    for i in indices:
        home = borders.country(str(fleet.home_country[i]))
        if home is None:
            continue
        here = Point(float(fleet.true_lon[i]), float(fleet.true_lat[i]))
        there = nearest_points(home, here)[0]
        gaps[i] = distance_km(here.y, here.x, there.y, there.x)
    return gaps


def adversary_rtts(world: World, kind: str, model: NetworkModel) -> np.ndarray:
    """RTTs the landmarks measure when every chip plays adversary ``kind``.

    ``moved``: honest answers from where the chip is. ``delay``: each RTT padded up
    to what the licensed site would typically show (it can add, never remove).
    ``relay``: a proxy at the licensed site answers via the chip, so each RTT is the
    landmark-to-proxy trip plus the proxy-to-chip trip.
    """
    if kind == "moved":
        return world.rtts_ms
    if kind == "delay":
        expected = model.typical_rtt_ms(world.home_distances_km)
        return np.asarray(np.maximum(world.rtts_ms, expected))
    if kind == "relay":
        proxy_leg = model.typical_rtt_ms(world.moved_km)
        to_proxy = model.typical_rtt_ms(world.home_distances_km)
        return np.asarray(to_proxy + proxy_leg[:, None])
    raise ValueError(f"unknown adversary '{kind}'; known: {ADVERSARIES}")


_WORKER: dict[str, Any] = {}


def _init_worker(world: World) -> None:
    _WORKER["world"] = world
    _WORKER["borders"] = load_borders()


def _locate_chunk(
    job: tuple[np.ndarray, np.ndarray, int],
) -> tuple[np.ndarray, np.ndarray]:
    """Pool entry point: :func:`locate_chunk` with the worker's world and borders."""
    return locate_chunk(_WORKER["world"], _WORKER["borders"], *job)


def locate_chunk(
    world: World, borders: Borders, indices: np.ndarray, rtts: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Verdict codes and region areas of some chips with K landmarks."""
    position = {lm.id: j for j, lm in enumerate(world.landmarks)}
    codes = np.empty(len(indices), dtype=np.int8)
    areas = np.empty(len(indices))
    fleet = world.fleet
    for n, i in enumerate(indices):
        chosen = choose_landmarks(world, int(i), rtts[n], count)
        measured = [Measurement(lm, float(rtts[n, position[lm.id]])) for lm in chosen]
        located = geolocate(
            measured,
            str(fleet.home_country[i]),
            borders,
            world.calibration,
            site=(float(fleet.home_lat[i]), float(fleet.home_lon[i])),
        )
        codes[n] = VERDICT_CODES.index(located.verdict)
        areas[n] = located.area_km2
    return codes, areas


def choose_landmarks(
    world: World, chip: int, rtts: np.ndarray, count: int
) -> list[Landmark]:
    """The verifier's choice: half nearest the claimed site, half fastest to answer.

    Landmarks near the claimed site confirm an honest chip tightly; the ones that
    answer fastest sit near wherever the chip really is, and cut a moved chip's
    region down. (A first, unsigned ping round from every landmark finds them; a chip
    can slow its answers but never speed them, so it cannot pull a far landmark in.)
    """
    fleet = world.fleet
    near = nearest_landmarks(
        float(fleet.home_lat[chip]),
        float(fleet.home_lon[chip]),
        world.landmarks,
        (count + 1) // 2,
    )
    taken = {lm.id for lm in near}
    fastest = [
        world.landmarks[int(j)]
        for j in np.argsort(rtts)
        if world.landmarks[int(j)].id not in taken
    ]
    return near + fastest[: count - len(near)]


def locate_all(
    world: World,
    rtts: np.ndarray,
    indices: np.ndarray,
    count: int,
    pool: ProcessPoolExecutor | None,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> tuple[np.ndarray, np.ndarray]:
    """Geolocate the chips at ``indices`` with ``count`` landmarks each."""
    chunks = np.array_split(indices, max(1, len(indices) // 250))
    jobs = [(chunk, rtts[chunk], count) for chunk in chunks if len(chunk)]
    if pool is None:
        borders = load_borders()
        results: Iterable[tuple[np.ndarray, np.ndarray]] = (
            locate_chunk(world, borders, *job) for job in jobs
        )
    else:
        results = pool.map(_locate_chunk, jobs)
    codes, areas = [], []
    for (chunk, _, _), (c, a) in zip(jobs, results, strict=True):
        codes.append(c)
        areas.append(a)
        on_progress(len(chunk))
    return np.concatenate(codes), np.concatenate(areas)


def make_pool(world: World, workers: int | None) -> ProcessPoolExecutor | None:
    """A pool whose workers hold the world and the borders, or None for one core."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(
        count, mp_context=context, initializer=_init_worker, initargs=(world,)
    )


def bin_labels() -> list[str]:
    """Human labels of the distance bins (the first is 'not moved')."""
    labels = ["not moved"]
    for low, high in itertools.pairwise(DISTANCE_EDGES_KM):
        labels.append(
            f"≥ {low:,.0f} km" if math.isinf(high) else f"{low:,.0f}–{high:,.0f} km"
        )
    return labels


def bin_index(moved: np.ndarray, moved_km: np.ndarray) -> np.ndarray:
    """Bin of each chip: 0 for chips not moved, then by distance moved."""
    edges = np.array(DISTANCE_EDGES_KM[1:-1])
    return np.where(moved, 1 + np.searchsorted(edges, moved_km, side="right"), 0)


def landmark_count_ok(counts: Sequence[int], available: int) -> None:
    """Refuse counts that the landmark list cannot serve.

    Raises:
        ValueError: a count is below 1 or above the number of landmarks.
    """
    bad = [k for k in counts if k < 1 or k > available]
    if bad:
        raise ValueError(f"landmark counts must be 1..{available}, got {bad}")
