"""The simulator's model of Internet round-trip times.

``rtt = 2 × d × stretch / v + access_a + access_b + queueing``, where

* ``d`` is the geodesic distance and ``v`` the speed of light in fibre (≈ 200 km/ms);
* ``stretch`` ≥ ``stretch_floor`` is how much longer the cable route is than the
  great circle: ``floor + lognormal(median stretch_median - floor, sigma)``. Measured
  Internet paths run about 1.5-2× the fibre-speed minimum (Singla et al., "The
  Internet at the speed of light", HotNets 2014; Katz-Bassett et al., IMC 2006);
* ``access`` is each end's fixed delay (NIC, stack, signing, last metres), uniform in
  [access_min_ms, access_max_ms] per host; data-centre hosts are fast;
* ``queueing`` ≥ 0 is the jitter left after taking the minimum of several probes:
  exponential with mean ``jitter_mean_ms``.

Every term is non-negative and the stretch is at least 1, so a modelled RTT never
beats physics: the property the verifier's hard bound relies on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chipgate.location.calibration import FIBRE_KM_PER_MS


@dataclass(frozen=True, slots=True)
class NetworkModel:
    """Parameters of the RTT model (defaults are documented in docs/location.md)."""

    stretch_floor: float = 1.15
    stretch_median: float = 1.5
    stretch_sigma: float = 0.5
    access_min_ms: float = 0.1
    access_max_ms: float = 0.6
    jitter_mean_ms: float = 0.3

    def stretch(
        self, rng: np.random.Generator, size: int | tuple[int, ...]
    ) -> np.ndarray:
        """Route stretch factors, all at least ``stretch_floor`` (≥ 1)."""
        extra = rng.lognormal(
            np.log(self.stretch_median - self.stretch_floor), self.stretch_sigma, size
        )
        return np.asarray(np.maximum(self.stretch_floor, 1.0) + extra)

    def access(
        self, rng: np.random.Generator, size: int | tuple[int, ...]
    ) -> np.ndarray:
        """Per-host fixed delays."""
        return rng.uniform(self.access_min_ms, self.access_max_ms, size)

    def rtt(
        self,
        rng: np.random.Generator,
        distance_km: np.ndarray,
        access_a: np.ndarray,
        access_b: np.ndarray,
    ) -> np.ndarray:
        """Round-trip times for paths of the given lengths and end delays."""
        d = np.asarray(distance_km, dtype=float)
        propagation = 2.0 * d * self.stretch(rng, d.shape) / FIBRE_KM_PER_MS
        queueing = rng.exponential(self.jitter_mean_ms, d.shape)
        return np.asarray(propagation + access_a + access_b + queueing)
