"""Rich tables for the location simulator's results."""

from __future__ import annotations

import math

from rich import box
from rich.console import Console
from rich.table import Table

from chipgate.location.geolocate import SITE_TOLERANCE_KM
from chipgate.location.scoring import SimulationResult


def _pct(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f} %"


def _km2(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f}"


def _compact(title: str) -> Table:
    """A table that fits 80 columns: no outer frame, one space between columns."""
    return Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )


def render_simulation(result: SimulationResult, console: Console) -> None:
    """Print the sweep, the adversaries and the headline figures."""
    sweep = _compact(
        "Detection by landmark count and distance moved (moved chips answer honestly)"
    )
    for column in (
        "land-\nmarks",
        "distance\nmoved",
        "chips",
        "diverted",
        "relo-\ncated",
        "caught",
        "not\nverified",
        "median\nregion km²",
    ):
        sweep.add_column(column, justify="right", no_wrap=True)
    for row in result.sweep:
        sweep.add_row(
            str(row.landmarks),
            row.group,
            f"{row.chips:,}",
            _pct(row.diverted),
            _pct(row.relocated),
            _pct(row.caught),
            _pct(row.flagged),
            _km2(row.median_area_km2),
        )
    console.print(sweep)
    console.print(
        "caught = diverted (proved outside the licensed country) + relocated (proved "
        f"over {SITE_TOLERANCE_KM:,.0f} km from the licensed site); for chips not "
        "moved, caught is the false-alarm rate; not verified - caught = inconclusive"
    )
    adv = _compact("Adversaries on the physics")
    adv.add_column("adversary", min_width=24)
    for column in (
        "land-\nmarks",
        "chips",
        "diverted",
        "caught",
        "not\nverified",
        "median\nregion km²",
    ):
        adv.add_column(column, justify="right", no_wrap=True)
    for row in result.adversaries:
        adv.add_row(
            row.group,
            str(row.landmarks),
            f"{row.chips:,}",
            _pct(row.diverted),
            _pct(row.caught),
            _pct(row.flagged),
            _km2(row.median_area_km2),
        )
    console.print(adv)
    rec = _compact("Adversaries on the records (signed-record path)")
    rec.add_column("adversary", min_width=22)
    rec.add_column("refused", justify="right", no_wrap=True)
    rec.add_column("example reason")
    for attack in result.record_attacks:
        rec.add_row(
            attack.name,
            f"{attack.caught}/{attack.chips}",
            attack.example,
        )
    console.print(rec)
    if result.record_attacks:
        first = result.record_attacks[0]
        console.print(f"honest rounds accepted: {first.honest_passed}/{first.chips}")
    for count in result.config.landmark_counts:
        rate, n = result.detection_beyond(count, min_bin=4)
        caught, _ = result.detection_beyond(count, min_bin=4, caught=True)
        console.print(
            f"{count} landmarks, moves ≥ 1,000 km ({n:,} chips): caught {_pct(caught)}, "
            f"of which proved abroad (diverted) {_pct(rate)}; "
            f"false alarms {_pct(result.false_alarm(count))}"
        )
    for row in result.beyond_border:
        console.print(
            f"{row.landmarks} landmarks: diverted for chips {row.group}: "
            f"{_pct(row.diverted)} ({row.chips:,} chips)"
        )
    console.print(f"{result.geolocations:,} geolocations in {result.seconds:.1f} s")
