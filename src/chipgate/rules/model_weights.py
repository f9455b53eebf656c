"""ECCN 4E091: weights of closed models trained with more than a set amount of compute.

Source: 90 FR 4544 (new ECCN 4E091, Red Flag 28 in Supplement No. 3 to part 732).
Thresholds are regime data; the rules only compare. Tier 3 is D:5 and Macau and the
entities headquartered there wherever they are, so the review of a 4E091 license is
that of the worse of the destination's tier and Tier 3 when a party (or its parent)
is headquartered in ``aid.tier3_hq_scope``, as for chips (``rules/aid.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.countries.registry import TIER1, TIER3
from chipgate.orders.model import EndUse, Kind, Party
from chipgate.regimes.ownership import ParentStanding
from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule
from chipgate.rules.helpers import (
    UNSTATED_SHARE,
    headquartered_parties,
    parent_standing_of,
)


def _above_threshold(ctx: RuleContext) -> bool | None:
    operations = ctx.order.training_operations
    if operations is None:
        return None
    return operations > float(ctx.view.value("4e091.training_operations_above"))


@rule("AID.4E091", "Model weights of ECCN 4E091")
def model_weights(ctx: RuleContext) -> Iterator[Finding]:
    """Closed weights above the compute threshold need a license outside the US."""
    order = ctx.order
    if order.kind is not Kind.MODEL_WEIGHTS:
        return
    threshold = float(ctx.view.value("4e091.training_operations_above"))
    above = _above_threshold(ctx)
    if above is None:
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message="model weights without training_operations: cannot tell if 4E091",
        )
        return
    if order.open_weights:
        yield ctx.finding(
            effect=Effect.NOTE,
            message="published (open) weights are not 4E091",
        )
        return
    if not above:
        yield ctx.finding(
            effect=Effect.NOTE,
            message=(
                f"trained with {order.training_operations:.3g} operations, not more than "
                f"{threshold:.3g}: not 4E091"
            ),
        )
        return
    if ctx.destination in ctx.view.value("aid.exempt_destinations"):
        return
    tier = ctx.countries.tier_of(ctx.destination, ctx.day)
    policies = ctx.view.value("4e091.review_policy_by_tier")
    review = policy(policies[f"tier{tier}"])
    numbers: dict[str, object] = {
        "training_operations": order.training_operations,
        "tier": tier,
    }
    by_hq = ""
    who = headquartered_parties(ctx, ctx.view.value("aid.tier3_hq_scope"))
    if who and tier != TIER3:
        # Tier 3 reaches entities headquartered in D:5 or Macau wherever they are
        review = policy(policies[f"tier{TIER3}"])
        numbers["hq_tier"] = TIER3
        by_hq = f"; Tier 3 by headquarters: {who}"
    yield ctx.finding(
        effect=Effect.REQUIREMENT,
        message=(
            f"closed weights trained with {order.training_operations:.3g} > "
            f"{threshold:.3g} operations are 4E091: a license is needed to Tier {tier} "
            f"destination {order.destination}{by_hq}; review: {review.value}"
        ),
        numbers=numbers,
        review_policy=review,
        exceptions=frozenset(ctx.view.value("4e091.exceptions")),
    )


def _outside_tier1(ctx: RuleContext, party: Party) -> str | None:
    """Why ``party`` counts as headquartered outside Tier 1 for Red Flag 28, or
    ``None``: its own headquarters (unknown counts), or an ultimate parent
    headquartered outside Tier 1 (a parent from the regime's share minimum up, or of
    unstated share, as for the headquarters rule: ``regimes.ownership``)."""
    if not party.hq or ctx.countries.tier_of(party.hq, ctx.day) != TIER1:
        return f"a customer headquartered outside Tier 1 ({party.hq or 'HQ unknown'})"
    parent_hq = party.parent_hq
    if not parent_hq or ctx.countries.tier_of(parent_hq, ctx.day) == TIER1:
        return None
    standing = parent_standing_of(ctx, party)
    if standing is ParentStanding.ULTIMATE:
        return (
            f"a customer headquartered in {party.hq} whose ultimate parent is "
            f"headquartered outside Tier 1 ({parent_hq})"
        )
    if standing is ParentStanding.UNSTATED:
        return (
            f"a customer headquartered in {party.hq} whose parent, headquartered "
            f"outside Tier 1 ({parent_hq}), is {UNSTATED_SHARE}"
        )
    return None


@rule("AID.RF28", "Red Flag 28: IaaS training of 4E091-class models")
def iaas_training_red_flag(ctx: RuleContext) -> Iterator[Finding]:
    """IaaS training a 4E091-class model for an entity headquartered, or whose
    ultimate parent is headquartered, outside Tier 1 (Supplement No. 5 to part 740,
    paragraph (a), and the US) is a red flag."""
    order = ctx.order
    if order.kind is not Kind.CLOUD or EndUse.TRAINING not in order.end_use:
        return
    if not _above_threshold(ctx):
        return
    party = (
        order.end_user if order.end_user.name or order.end_user.hq else order.consignee
    )
    who = _outside_tier1(ctx, party)
    if who is None:
        return
    yield ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"IaaS training a model above the 4E091 threshold for {who}: ask whether "
            "the weights will be exported and license or inform accordingly"
        ),
    )
