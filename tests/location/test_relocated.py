"""A chip far from its licensed site but not provably abroad is ``relocated``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.borders import load_borders
from chipgate.location.calibration import FIBRE_KM_PER_MS
from chipgate.location.geolocate import (
    SITE_TOLERANCE_KM,
    Measurement,
    Verdict,
    geolocate,
    site_gap_km,
)
from chipgate.location.geometry import Disc, distance_km
from chipgate.location.landmarks import load_landmarks
from chipgate.location.provider import StoreLocationSource
from chipgate.location.registry import FleetRegistry
from tests.location.test_registry import _entry

ASHBURN = (39.04372, -77.48749)
PHOENIX = (33.44838, -112.07404)


def _honest(lat: float, lon: float, ids: list[str]) -> list[Measurement]:
    """Measurements of a chip at (lat, lon) over straight fibre plus 0.4 ms."""
    by_id = {lm.id: lm for lm in load_landmarks()}
    return [
        Measurement(
            by_id[i],
            2 * distance_km(lat, lon, by_id[i].lat, by_id[i].lon) / FIBRE_KM_PER_MS
            + 0.4,
        )
        for i in ids
    ]


def test_site_gap_is_the_largest_margin_by_which_a_disc_leaves_the_site_out() -> None:
    discs = [Disc(0.0, 0.0, 100.0), Disc(0.0, 1.0, 50.0)]
    far_site = (0.0, 10.0)
    gap = site_gap_km(discs, far_site)
    expected = max(
        distance_km(0.0, 10.0, 0.0, 0.0) - 100.0,
        distance_km(0.0, 10.0, 0.0, 1.0) - 50.0,
    )
    assert abs(gap - expected) < 1e-6
    assert site_gap_km(discs, (0.0, 0.7)) == 0.0  # inside both discs


def test_a_chip_moved_across_its_licensed_country_is_relocated() -> None:
    """Licensed for Ashburn, answering from Phoenix: the US, but not the site."""
    measured = _honest(*PHOENIX, ["phx", "lax", "den", "dfw", "sjc"])
    located = geolocate(measured, "US", load_borders(), site=ASHBURN)
    assert located.verdict is Verdict.RELOCATED
    assert located.site_gap_km is not None
    assert located.site_gap_km > SITE_TOLERANCE_KM
    assert "not at its licensed site" in located.explanation
    without_site = geolocate(measured, "US", load_borders())
    assert without_site.verdict is Verdict.VERIFIED


def test_a_chip_at_its_site_is_not_relocated() -> None:
    measured = _honest(*ASHBURN, ["iad", "nyc", "chi", "atl", "bos"])
    located = geolocate(measured, "US", load_borders(), site=ASHBURN)
    assert located.verdict is Verdict.VERIFIED
    assert located.site_gap_km == 0.0


def test_diverted_outranks_relocated() -> None:
    """A chip in Mexico City licensed for Ashburn is diverted, not merely moved."""
    mexico = (19.42847, -99.12766)
    measured = _honest(*mexico, ["mex", "mty", "dfw"])
    located = geolocate(measured, "US", load_borders(), site=ASHBURN)
    assert located.verdict is Verdict.DIVERTED
    assert located.site_gap_km is not None
    assert located.site_gap_km > SITE_TOLERANCE_KM


def test_relocated_alerts_reach_the_engine_with_their_verdict(engine: Engine) -> None:
    registry = FleetRegistry(engine)
    registry.register([_entry("C1")])
    chip = registry.chips()["C1"]
    seen_at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    alert = NewAlert(chip, seen_at, "POLYGON EMPTY", "far from site", "relocated")
    assert record_alerts(engine, [alert]) == 1
    (found,) = StoreLocationSource(engine).alerts_for(chip.owner)
    assert found.verdict == "relocated"


def test_a_licensed_country_without_its_own_border_is_never_diverted() -> None:
    """Réunion (RE) is part of France's polygon on the map: no country verdict."""
    saint_denis = (-20.88231, 55.4504)
    measured = _honest(*saint_denis, ["ams", "fra", "lon"])
    located = geolocate(measured, "RE", load_borders(), site=saint_denis)
    assert load_borders().country("RE") is None
    assert located.verdict is Verdict.INCONCLUSIVE
    assert "no polygon of its own for RE" in located.explanation
