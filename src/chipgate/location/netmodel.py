"""The simulator's model of Internet round-trip times, fitted to measured ones.

``rtt = 2 × d × stretch / v + access_a + access_b + queueing``, where

* ``d`` is the geodesic distance and ``v`` the speed of light in fibre (≈ 200 km/ms);
* ``stretch`` ≥ ``stretch_floor`` is how much longer the cable route is than the
  great circle: ``floor + (median - floor) × exp(sigma × z) × inflation_a ×
  inflation_b`` with z standard normal. Each host carries a lognormal ``inflation``
  (``host_sigma``): some regions are reached only by roundabout routes, and every
  path to or from them is slower (the regional inflation of the measured data);
* ``access`` is each host's fixed delay (stack, last metres, peering detours):
  lognormal with median ``access_median_ms`` and log-spread ``access_sigma``;
* ``queueing`` ≥ 0 is the jitter left after taking the minimum of several probes:
  exponential with mean ``jitter_mean_ms``.

The defaults are :func:`fit_network_model` applied to the shared WonderNetwork RTTs
(one day of 2020, 157 servers that pass the mesh check; docs/location.md gives the
model's figures beside the real ones). Every term is non-negative and the stretch is
at least 1, so a modelled RTT never beats physics: the property the verifier's hard
bound relies on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from chipgate.location.calibration import FIBRE_KM_PER_MS

FAR_PAIR_KM = 300.0
"""Pairs at least this far apart fit the stretch (fixed delays are small there)."""
NEAR_PAIR_KM = 100.0
"""Pairs closer than this fit the fixed delays (propagation is small there)."""
Z90 = 1.2816
Z95 = 1.6449


@dataclass(frozen=True, slots=True)
class NetworkModel:
    """Parameters of the RTT model (fitted values; see :func:`fit_network_model`)."""

    stretch_floor: float = 1.26
    stretch_median: float = 1.97
    stretch_sigma: float = 0.67
    host_sigma: float = 0.37
    access_median_ms: float = 1.68
    access_sigma: float = 0.77
    jitter_mean_ms: float = 0.3

    def stretch(
        self, rng: np.random.Generator, size: int | tuple[int, ...]
    ) -> np.ndarray:
        """Route stretch factors before host inflation, all at least the floor."""
        extra = rng.lognormal(
            np.log(self.stretch_median - self.stretch_floor), self.stretch_sigma, size
        )
        return np.asarray(np.maximum(self.stretch_floor, 1.0) + extra)

    def access(
        self, rng: np.random.Generator, size: int | tuple[int, ...]
    ) -> np.ndarray:
        """Per-host fixed delays."""
        return rng.lognormal(np.log(self.access_median_ms), self.access_sigma, size)

    def inflation(
        self, rng: np.random.Generator, size: int | tuple[int, ...]
    ) -> np.ndarray:
        """Per-host factors on the stretch beyond the floor (regional inflation)."""
        return rng.lognormal(0.0, self.host_sigma, size)

    def rtt(
        self,
        rng: np.random.Generator,
        distance_km: np.ndarray,
        access_a: np.ndarray,
        access_b: np.ndarray,
        inflation: np.ndarray | float = 1.0,
    ) -> np.ndarray:
        """Round-trip times for paths of the given lengths, end delays and host
        inflation (the product of both ends' factors)."""
        d = np.asarray(distance_km, dtype=float)
        floor = max(self.stretch_floor, 1.0)
        stretch = floor + (self.stretch(rng, d.shape) - floor) * inflation
        propagation = 2.0 * d * stretch / FIBRE_KM_PER_MS
        queueing = rng.exponential(self.jitter_mean_ms, d.shape)
        return np.asarray(propagation + access_a + access_b + queueing)

    def typical_rtt_ms(self, distance_km: np.ndarray | float) -> np.ndarray:
        """The median-ish RTT over a distance: median stretch, median access."""
        d = np.asarray(distance_km, dtype=float)
        return np.asarray(
            2.0 * d * self.stretch_median / FIBRE_KM_PER_MS + 2 * self.access_median_ms
        )


def fit_network_model(distance_km: np.ndarray, rtt_ms: np.ndarray) -> NetworkModel:
    """Fit the model to a measured mesh (square matrices; NaN where unmeasured).

    * stretch (pairs ≥ ``FAR_PAIR_KM``): the floor at the 1st percentile of RTT ÷
      fibre minimum, the median at its median; host inflation from a least-squares
      fit of ``log(stretch - floor) = mu + h_a + h_b``; the pair spread is what is
      left of the 95th percentile's spread;
    * fixed delays (pairs < ``NEAR_PAIR_KM``): RTT less propagation at the median
      stretch is the sum of two hosts' delays; each host's median is half the
      sum's (less the lognormal sum's skew), its log-spread the one that puts the
      sum's 90th percentile where it is.
    """
    d = np.asarray(distance_km, dtype=float)
    r = np.asarray(rtt_ms, dtype=float)
    n = d.shape[0]
    a, b = np.triu_indices(n, 1)
    usable = np.isfinite(r[a, b]) & (r[a, b] > 0)
    a, b = a[usable], b[usable]
    dist, rtt = d[a, b], r[a, b]
    far = dist >= FAR_PAIR_KM
    ratio = rtt[far] / (2.0 * dist[far] / FIBRE_KM_PER_MS)
    floor = max(1.0, float(np.percentile(ratio, 1)) * 0.95)
    median = float(np.median(ratio))
    spread = (
        math.log(float(np.percentile(ratio, 95)) - floor) - math.log(median - floor)
    ) / Z95
    excess = np.log(np.maximum(ratio - floor, 1e-3))
    design = np.zeros((len(ratio), n + 1))
    rows = np.arange(len(ratio))
    design[rows, a[far]] = 1.0
    design[rows, b[far]] = 1.0
    design[:, n] = 1.0
    solution, *_ = np.linalg.lstsq(design, excess, rcond=None)
    seen = np.zeros(n, dtype=bool)
    seen[a[far]] = seen[b[far]] = True
    host = float(np.std(solution[:n][seen]))
    pair = math.sqrt(max(spread**2 - 2 * host**2, 0.01))
    near = dist < NEAR_PAIR_KM
    fixed = np.maximum(rtt[near] - 2.0 * dist[near] * median / FIBRE_KM_PER_MS, 0.05)
    fixed_median = float(np.median(fixed))
    access_sigma = math.log(float(np.percentile(fixed, 90)) / fixed_median) / Z90
    # The median of a sum of two lognormal delays is about exp(sigma² / 4) times
    # the sum of their medians.
    access_median = fixed_median / (2.0 * math.exp(access_sigma**2 / 4.0))
    return NetworkModel(
        stretch_floor=round(floor, 2),
        stretch_median=round(median, 2),
        stretch_sigma=round(pair, 2),
        host_sigma=round(host, 2),
        access_median_ms=round(access_median, 2),
        access_sigma=round(access_sigma, 2),
    )
