"""What the map colours: each country's AI Diffusion tier or group membership on a day.

Pure functions over the country registry (``countries/groups.yaml`` and
``countries/ai_tiers.yaml``), so the map says exactly what the engine reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chipgate.countries.registry import TIER1, TIER2, TIER3, CountryRegistry

TIER_LAYER = "tier"
FIRST_DAY = date(2022, 10, 7)
"""The advanced-computing rule (87 FR 62186, effective 2022-10-07) opens the timeline."""

TIER_COLOURS = {TIER1: "#1a7f37", TIER2: "#c77c02", TIER3: "#b3261e"}
MEMBER, OUTSIDE = "#1f5fa8", "#d0d4da"


@dataclass(frozen=True, slots=True)
class Shade:
    """How one country is drawn, and the words for it."""

    colour: str
    label: str


def legend(layer: str) -> list[Shade]:
    """The legend of a layer."""
    if layer == TIER_LAYER:
        return [Shade(TIER_COLOURS[t], f"Tier {t}") for t in (TIER1, TIER2, TIER3)]
    return [Shade(MEMBER, f"in {layer}"), Shade(OUTSIDE, f"not in {layer}")]


def shade(registry: CountryRegistry, layer: str, code: str, day: date) -> Shade:
    """How ``code`` is drawn on ``day`` in ``layer`` (a tier map or a group code)."""
    if layer == TIER_LAYER:
        tier = registry.tier_of(code, day)
        return Shade(TIER_COLOURS[tier], f"Tier {tier}")
    if registry.in_any(code, (layer,), day):
        return Shade(MEMBER, f"in {layer}")
    return Shade(OUTSIDE, f"not in {layer}")


def layers(registry: CountryRegistry) -> list[str]:
    """The layers offered: the tiers, then each country group."""
    return [TIER_LAYER, *registry.group_codes]


def timeline(registry: CountryRegistry, today: date) -> list[date]:
    """The days on which something on the map changes, from 2022-10-07 to today."""
    points = [d for d in registry.change_points() if FIRST_DAY <= d <= today]
    return [FIRST_DAY, *points] if FIRST_DAY not in points else points


def tier_name(tier: int) -> str:
    """Words for a tier.

    >>> tier_name(TIER2)
    'Tier 2'
    """
    if tier not in (TIER1, TIER2, TIER3):
        raise ValueError(f"no tier {tier}")
    return f"Tier {tier}"
