"""Embargoed and sanctioned destinations.

Sources: 15 CFR part 746 (Cuba 746.2, Iran 746.7, North Korea 746.4, Syria 746.9,
Russia and Belarus 746.8) and OFAC's country programs (31 CFR parts 510, 515, 560,
542). Each country is its own parameter (``embargo.comprehensive.<CC>``,
``embargo.denial.<CC>``) with its own sources and dates, so a finding cites only the
sections of the country it is about.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule


@rule("EMBARGO.COMPREHENSIVE", "Comprehensively embargoed destinations")
def comprehensive(ctx: RuleContext) -> Iterator[Finding]:
    """No export, service or transfer to a comprehensively embargoed country."""
    entry = ctx.view.value_or(f"embargo.comprehensive.{ctx.destination}", None)
    if entry is not None:
        yield ctx.finding(
            Effect.PROHIBITION,
            (
                f"{ctx.order.destination} is under a comprehensive embargo "
                f"({entry['program']})"
            ),
        )
        return
    for role, party in ctx.order.parties:
        for country in party.hq_countries:
            where = ctx.treated(country)
            found = ctx.view.value_or(f"embargo.comprehensive.{where}", None)
            if found is None:
                continue
            yield ctx.finding(
                Effect.RED_FLAG,
                (
                    f"{role} (or its parent) is headquartered in embargoed {country} "
                    f"({found['program']}): check OFAC ownership and control before "
                    "dealing"
                ),
            )
            return


@rule("EMBARGO.DENIAL", "Destinations under a license policy of denial for all items")
def policy_of_denial(ctx: RuleContext) -> Iterator[Finding]:
    """Countries where every item on the CCL needs a license reviewed under denial."""
    if ctx.item is None:
        return
    entry = ctx.view.value_or(f"embargo.denial.{ctx.destination}", None)
    if entry is None:
        return
    yield ctx.finding(
        Effect.REQUIREMENT,
        (
            f"{ctx.order.destination}: a license is required for every item on the "
            f"Commerce Control List ({entry['program']})"
        ),
        review_policy=policy(entry["policy"]),
        exceptions=frozenset({"LICENSE"}),
    )
