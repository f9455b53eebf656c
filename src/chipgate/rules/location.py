"""Chip location evidence: a chip found outside its licensed country or site.

Sources, all law: the license's own conditions (15 CFR 750.7), what breaching them
is and how it is disclosed (15 CFR 764.2, 764.5), and BIS's "Know Your Customer"
red flags (Supplement No. 3 to part 732), which bid the exporter inquire and not
self-blind. No provision of the EAR makes a *new* order license-required because
another of the owner's chips was found abroad, so both findings are red flags, not
requirements: the order is held for review (the red flag and the ``LOC.`` rule each
open a case, ``cases.triggers``) whatever its outcome, and the officer decides on the
earlier license's breach. A chip shown far from its licensed site, but not provably
abroad, may have been transferred in-country (15 CFR 734.16), which its license or
exception may not cover.

Context only, not a source: the Chip Security Act (S.1705 / H.R.3447), a bill that
would require location verification and reporting of diversion, is not law.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.facts import LocationAlert
from chipgate.rules.base import Effect, Finding, RuleContext, rule


@rule("LOC.DIVERTED", "Chips verified outside their licensed country")
def diverted_chips(ctx: RuleContext) -> Iterator[Finding]:
    """A red flag holding orders for an owner whose chips were located outside
    their license: evidence that its license conditions were breached."""
    for alert in _alerts(ctx, "diverted"):
        yield _finding(
            ctx,
            alert,
            Effect.RED_FLAG,
            f"chip {alert.chip_id} owned by {alert.owner!r}, licensed for "
            f"{alert.licensed_country}, was located outside it "
            f"({alert.region or 'region on file'}, {alert.observed_at:%Y-%m-%d}): "
            "evidence that the conditions of its license were breached; hold this "
            "order for review and do not go ahead until the breach is resolved "
            "(inquire, and consider a voluntary self-disclosure)",
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
    ctx: RuleContext, alert: LocationAlert, effect: Effect, message: str
) -> Finding:
    """A finding on one alert, with the chip and its evidence."""
    return ctx.finding(
        effect=effect,
        message=message,
        numbers={"chip_id": alert.chip_id, "evidence": alert.evidence},
    )
