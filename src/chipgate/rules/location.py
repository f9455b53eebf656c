"""Chip location evidence: a chip found outside its licensed country or site.

Source: the license's own conditions (15 CFR 750.7) and the reporting duty the Chip
Security Act would add (S.1705 / H.R.3447, a bill, not law). A verified diversion
means the owner's licenses were breached, so new shipments and services to that owner
are held for review whatever else would authorize them. A chip shown far from its
licensed site, but not provably abroad, may have been transferred in-country (15 CFR
734.16), which its license or exception may not cover: a red flag to resolve.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.facts import LocationAlert
from chipgate.rules.base import Effect, Finding, ReviewPolicy, RuleContext, rule


@rule("LOC.DIVERTED", "Chips verified outside their licensed country")
def diverted_chips(ctx: RuleContext) -> Iterator[Finding]:
    """Hold orders for an owner whose chips were located outside their license."""
    for alert in _alerts(ctx, "diverted"):
        yield _finding(
            ctx,
            alert,
            Effect.REQUIREMENT,
            f"chip {alert.chip_id} owned by {alert.owner!r}, licensed for "
            f"{alert.licensed_country}, was located outside it "
            f"({alert.region or 'region on file'}, {alert.observed_at:%Y-%m-%d}): "
            "its license conditions are breached; hold for review",
            ReviewPolicy.CASE_BY_CASE,
        )


@rule("LOC.RELOCATED", "Chips located away from their licensed site")
def relocated_chips(ctx: RuleContext) -> Iterator[Finding]:
    """Flag an owner whose chips left their licensed site for an unknown place."""
    for alert in _alerts(ctx, "relocated"):
        yield _finding(
            ctx,
            alert,
            Effect.RED_FLAG,
            f"chip {alert.chip_id} owned by {alert.owner!r}, licensed for a site in "
            f"{alert.licensed_country}, was located away from that site "
            f"({alert.observed_at:%Y-%m-%d}); where it is cannot be pinned to one "
            "country: confirm the transfer was authorized before going ahead",
        )


def _alerts(ctx: RuleContext, verdict: str) -> Iterator[LocationAlert]:
    """The alerts of ``verdict`` in force on the order's date: observed on or before
    it and not closed before it (``LocationAlert.in_force_on``, UTC days). An order
    is decided on what stood on its day, so a replay of an old order reads the
    same whenever it runs, before or after an officer closed the alert."""
    day = ctx.order.date
    return (
        a
        for a in ctx.facts.location_alerts
        if a.verdict == verdict and a.in_force_on(day)
    )


def _finding(
    ctx: RuleContext,
    alert: LocationAlert,
    effect: Effect,
    message: str,
    review_policy: ReviewPolicy | None = None,
) -> Finding:
    """A finding on one alert; no exception lifts a located breach."""
    return ctx.finding(
        effect=effect,
        message=message,
        numbers={"chip_id": alert.chip_id, "evidence": alert.evidence},
        review_policy=review_policy,
    )
