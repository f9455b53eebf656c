"""Leave-one-out evaluation on a measured RTT mesh: how verification fares on real
paths.

Each server of the mesh in turn plays the target: its own RTTs to the others are what
the landmarks would measure, and the landmarks' bounds are fitted on the mesh *without
it* (its pings never calibrate anyone). As an honest target it is licensed to its own
country and site; as a moved one, to the site and country of another server, while
answering from where it is. Landmarks are the other servers outside countries of
concern that the mesh check did not flag; each target gets ``count`` of them, chosen
as the simulator does: half nearest the claimed site, half fastest to answer.

The servers are split in two halves by a hash of their id (:func:`tuning_half`).
Bounds, margins and the site tolerance were chosen on targets of the tuning half; the
figures that count are those of the evaluation half.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from chipgate.location.assess import (
    RawMeasurement,
    SitePoint,
    TargetMeasurements,
    assess_target,
    mesh_bounds,
    mesh_landmarks,
)
from chipgate.location.borders import Borders
from chipgate.location.calibration import (
    FIBRE_KM_PER_MS,
    MESH_EFFICIENCY_FLOOR,
    MESH_SLACK_KM,
    PHYSICAL,
    Bound,
    EfficiencyBound,
)
from chipgate.location.geolocate import Verdict
from chipgate.location.geometry import distance_km
from chipgate.location.landmarks import Landmark
from chipgate.location.rttmesh import Mesh
from chipgate.location.simulate import DISTANCE_EDGES_KM, bin_labels

CONCERN = frozenset({"CN", "RU", "VE", "IR", "KP", "SY", "CU", "BY", "MO"})
"""Countries where a verifier could not vouch for a landmark: never used as one."""
FAR_KM = 1000.0


def tuning_half(server_id: str) -> bool:
    """True for servers of the tuning half: the first byte of SHA-256 of the id is
    even. Deterministic, and blind to where the server is."""
    return hashlib.sha256(server_id.encode()).digest()[0] % 2 == 0


@dataclass
class Outcome:
    """One judged target."""

    target: str
    licensed_as: str
    moved_km: float
    verdict: Verdict
    truth_inside: bool
    area_km2: float
    spare_km: float = float("inf")
    """Least margin by which a disc holds the true position (negative: left out)."""


@dataclass
class RealEvaluation:
    """Everything a leave-one-out run measured."""

    half: str
    landmarks_per_target: int
    honest: list[Outcome] = field(default_factory=list)
    moved: list[Outcome] = field(default_factory=list)

    def honest_rate(self, *verdicts: Verdict) -> float:
        """Share of honest targets with one of these verdicts."""
        return _share(self.honest, verdicts)

    @property
    def false_alarm(self) -> float:
        """Honest targets judged diverted or relocated."""
        return self.honest_rate(Verdict.DIVERTED, Verdict.RELOCATED)

    @property
    def outside(self) -> float:
        """Honest targets whose true position lies outside the drawn region."""
        if not self.honest:
            return float("nan")
        return sum(not o.truth_inside for o in self.honest) / len(self.honest)

    def caught(self, low: float = FAR_KM, high: float = float("inf")) -> float:
        """Moved targets (moved in [low, high) km) judged diverted or relocated."""
        chosen = [o for o in self.moved if low <= o.moved_km < high]
        return _share(chosen, (Verdict.DIVERTED, Verdict.RELOCATED))

    def diverted(self, low: float = FAR_KM, high: float = float("inf")) -> float:
        """Moved targets (moved in [low, high) km) judged diverted."""
        chosen = [o for o in self.moved if low <= o.moved_km < high]
        return _share(chosen, (Verdict.DIVERTED,))

    def moved_count(self, low: float = FAR_KM, high: float = float("inf")) -> int:
        """How many moved targets fall in [low, high) km."""
        return sum(low <= o.moved_km < high for o in self.moved)

    def curve(self) -> list[tuple[str, int, float, float]]:
        """(bin label, targets, diverted, caught) by distance moved."""
        rows = []
        edges = itertools.pairwise(DISTANCE_EDGES_KM)
        for label, (low, high) in zip(bin_labels()[1:], edges, strict=True):
            rows.append(
                (
                    label,
                    self.moved_count(low, high),
                    self.diverted(low, high),
                    self.caught(low, high),
                )
            )
        return rows


def _share(outcomes: list[Outcome], verdicts: Collection[Verdict]) -> float:
    if not outcomes:
        return float("nan")
    return sum(o.verdict in verdicts for o in outcomes) / len(outcomes)


SELECTIONS = ("fastest", "edge")
"""How the second half of a target's landmarks is chosen: the fastest to answer
(shipped, as the simulator does), or those whose physical disc passes farthest
beyond the claimed site (compared on the real data and not shipped: it picks the
very discs most likely to leave an honest target out; docs/location.md)."""


def choose_landmarks(
    mesh: Mesh,
    candidates: np.ndarray,
    target: int,
    site: int,
    count: int,
    selection: str = "fastest",
) -> np.ndarray:
    """Half the landmarks nearest the claimed site, half the fastest to answer (or,
    with ``selection="edge"``, half those whose physical disc lies farthest beyond
    the site: distance to the site minus physical radius, largest first)."""
    if selection not in SELECTIONS:
        raise ValueError(f"unknown selection {selection!r}")
    usable = candidates & np.isfinite(mesh.rtt_ms[target])
    usable[target] = False
    pool = np.flatnonzero(usable)
    near = pool[np.argsort(mesh.distance_km[site, pool], kind="stable")][
        : (count + 1) // 2
    ]
    taken = set(near.tolist())
    key = mesh.rtt_ms[target, pool]
    if selection == "edge":
        key = key * FIBRE_KM_PER_MS / 2.0 - mesh.distance_km[site, pool]
    rest = [int(j) for j in pool[np.argsort(key, kind="stable")] if int(j) not in taken]
    return np.concatenate([near, np.array(rest[: count - len(near)], dtype=int)])


def measured_target(
    mesh: Mesh,
    candidates: np.ndarray,
    t: int,
    site: int,
    count: int,
    selection: str = "fastest",
) -> TargetMeasurements:
    """Server ``t`` as a target licensed to server ``site``'s place, measured by
    ``count`` landmarks (its own RTTs to them)."""
    picked = choose_landmarks(mesh, candidates, t, site, count, selection)
    return TargetMeasurements(
        id=f"{mesh.ids[t]}@{mesh.ids[site]}",
        licensed_country=mesh.country[site],
        licensed_site=SitePoint(lat=float(mesh.lat[site]), lon=float(mesh.lon[site])),
        measurements=[
            RawMeasurement(landmark=mesh.ids[j], rtt_ms=float(mesh.rtt_ms[t, j]))
            for j in picked
        ],
    )


def landmark_candidates(mesh: Mesh, flagged: Collection[str]) -> np.ndarray:
    """Servers that may serve as landmarks: not flagged, not in a country of
    concern."""
    return np.array(
        [
            lid not in flagged and country not in CONCERN
            for lid, country in zip(mesh.ids, mesh.country, strict=True)
        ]
    )


def evaluate(
    mesh: Mesh,
    flagged: Collection[str],
    borders: Borders,
    *,
    half: str = "evaluation",
    count: int = 20,
    targets: Collection[str] | None = None,
    moves_per_target: int | None = None,
    floor: float | None = None,
    slack_km: float | None = None,
    selection: str = "fastest",
    uniform_efficiency: float | None = None,
) -> RealEvaluation:
    """Run the leave-one-out evaluation over one half of the mesh.

    Args:
        mesh: the measured mesh (all servers; flagged ones are never used).
        flagged: ids the mesh check flagged.
        borders: country polygons.
        half: "tuning", "evaluation" or "all".
        count: landmarks per target.
        targets: only these target ids (a slice, for tests).
        moves_per_target: at most this many licensed sites per moved target
            (evenly spaced through the mesh's order), None for every server in
            another country.
        floor, slack_km: efficiency bound parameters (defaults: the shipped ones).
        selection: how half the landmarks are chosen (:data:`SELECTIONS`).
        uniform_efficiency: draw every landmark's bound at this share of the
            physical one, no slack, whatever the mesh shows (to show what a bound
            tight enough for a target would cost; never shipped).
    """
    ids = mesh.ids
    good = np.array([lid not in flagged for lid in ids])
    candidates = landmark_candidates(mesh, flagged)
    in_half = np.array(
        [half == "all" or (tuning_half(lid) == (half == "tuning")) for lid in ids]
    )
    chosen = good & in_half
    if targets is not None:
        chosen &= np.array([lid in targets for lid in ids])
    landmarks = {lm.id: lm for lm in mesh_landmarks(mesh)}
    result = RealEvaluation(half, count)
    for t in np.flatnonzero(chosen):
        bounds = mesh_bounds(
            mesh,
            exclude={*flagged, ids[t]},
            floor=MESH_EFFICIENCY_FLOOR if floor is None else floor,
            slack_km=MESH_SLACK_KM if slack_km is None else slack_km,
        )
        if uniform_efficiency is not None:
            bounds = dict.fromkeys(bounds, EfficiencyBound(uniform_efficiency, 0.0))
        sites = [int(t), *_moved_sites(mesh, good, int(t), moves_per_target)]
        for site in sites:
            target = measured_target(mesh, candidates, int(t), site, count, selection)
            judged = assess_target(target, landmarks, borders, bounds)
            spare = truth_margin_km(
                mesh, int(t), target, bounds if judged.calibrated else {}, landmarks
            )
            outcome = Outcome(
                ids[t],
                ids[site],
                float(mesh.distance_km[t, site]),
                judged.verdict,
                spare >= 0.0,
                judged.area_km2,
                spare,
            )
            (result.honest if site == t else result.moved).append(outcome)
    return result


def truth_margin_km(
    mesh: Mesh,
    t: int,
    target: TargetMeasurements,
    bounds: Mapping[str, Bound],
    landmarks: Mapping[str, Landmark],
) -> float:
    """The least margin by which the target's discs hold its listed position, in km;
    negative when a disc leaves it out (exact on the ellipsoid: the region is the
    discs' intersection). Landmarks without a bound, and every landmark when the
    verdict fell back to physics, use the physical bound."""
    margin = float("inf")
    for m in target.measurements:
        lm = landmarks[m.landmark]
        radius = bounds.get(m.landmark, PHYSICAL).radius_km(m.rtt_ms)
        gap = distance_km(float(mesh.lat[t]), float(mesh.lon[t]), lm.lat, lm.lon)
        margin = min(margin, radius - gap)
    return margin


def _moved_sites(mesh: Mesh, good: np.ndarray, t: int, limit: int | None) -> list[int]:
    others = [
        int(u)
        for u in np.flatnonzero(good)
        if u != t and mesh.country[u] != mesh.country[t]
    ]
    if limit is None or len(others) <= limit:
        return others
    picks = np.linspace(0, len(others) - 1, limit).round().astype(int)
    return [others[i] for i in sorted(set(picks.tolist()))]


def disc_misses(
    mesh: Mesh, flagged: Collection[str], half: str = "evaluation"
) -> tuple[int, int, float]:
    """Every (landmark, target) pair of a half, not only the chosen landmarks:
    how many leave-one-out bounds leave the target's listed position out, of how
    many, and the largest overshoot in km (negative: the closest call)."""
    candidates = landmark_candidates(mesh, flagged)
    misses, pairs, worst = 0, 0, -np.inf
    for t, lid in enumerate(mesh.ids):
        if lid in flagged or (half != "all" and tuning_half(lid) != (half == "tuning")):
            continue
        bounds = mesh_bounds(mesh, exclude={*flagged, lid})
        for j in np.flatnonzero(candidates & np.isfinite(mesh.rtt_ms[t])):
            if j == t:
                continue
            over = mesh.distance_km[t, j] - bounds[mesh.ids[j]].radius_km(
                float(mesh.rtt_ms[t, j])
            )
            misses += over > 0
            pairs += 1
            worst = max(worst, float(over))
    return misses, pairs, worst
