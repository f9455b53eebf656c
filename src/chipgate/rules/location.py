"""Chip location evidence: a chip found outside its licensed country.

Source: the license's own conditions (15 CFR 750.7) and the reporting duty the Chip
Security Act would add (S.1705 / H.R.3447, a bill, not law). A verified diversion
means the owner's licenses were breached, so new shipments and services to that owner
are held for review whatever else would authorize them.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.rules.base import Effect, Finding, ReviewPolicy, RuleContext, rule


@rule("LOC.DIVERTED", "Chips verified outside their licensed country")
def diverted_chips(ctx: RuleContext) -> Iterator[Finding]:
    """Hold orders for an owner whose chips were located outside their license."""
    for alert in ctx.facts.location_alerts:
        yield Finding(
            code="LOC.DIVERTED",
            effect=Effect.REQUIREMENT,
            message=(
                f"chip {alert.chip_id} owned by {alert.owner!r}, licensed for "
                f"{alert.licensed_country}, was located outside it "
                f"({alert.region or 'region on file'}, {alert.observed_at:%Y-%m-%d}): "
                "its license conditions are breached; hold for review"
            ),
            citations=ctx.cite("LOC.DIVERTED"),
            numbers={"chip_id": alert.chip_id, "evidence": alert.evidence},
            review_policy=ReviewPolicy.CASE_BY_CASE,
            exceptions=frozenset(),
        )
