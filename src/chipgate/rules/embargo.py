"""Embargoed and sanctioned destinations.

Sources: 15 CFR part 746 (Cuba 746.2, Iran 746.7, North Korea 746.4, Syria 746.9,
Russia and Belarus 746.8) and OFAC's country programs (31 CFR parts 510, 515, 560,
542). Which countries, since when, and with which effect is regime data.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule
from chipgate.rules.helpers import parties_headquartered_in


@rule("EMBARGO.COMPREHENSIVE", "Comprehensively embargoed destinations")
def comprehensive(ctx: RuleContext) -> Iterator[Finding]:
    """No export, service or transfer to a comprehensively embargoed country."""
    for entry in ctx.view.value("embargo.comprehensive"):
        countries = entry["countries"]
        if ctx.order.destination in countries:
            yield ctx.finding(
                effect=Effect.PROHIBITION,
                message=(
                    f"{ctx.order.destination} is under a comprehensive embargo "
                    f"({entry['program']})"
                ),
            )
            return
        hits = list(parties_headquartered_in(ctx, {"countries": countries}))
        if hits:
            role, _party, country = hits[0]
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=(
                    f"{role} is headquartered in embargoed {country} ({entry['program']}): "
                    "check OFAC ownership and control before dealing"
                ),
            )


@rule("EMBARGO.DENIAL", "Destinations under a license policy of denial for all items")
def policy_of_denial(ctx: RuleContext) -> Iterator[Finding]:
    """Countries where every item on the CCL needs a license reviewed under denial."""
    for entry in ctx.view.value("embargo.denial"):
        if ctx.order.destination in entry["countries"] and ctx.item is not None:
            yield ctx.finding(
                effect=Effect.REQUIREMENT,
                message=(
                    f"{ctx.order.destination}: a license is required for every item on "
                    f"the Commerce Control List ({entry['program']})"
                ),
                review_policy=policy(entry["policy"]),
                exceptions=frozenset({"LICENSE"}),
            )
            return
