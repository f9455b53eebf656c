"""The Framework for Artificial Intelligence Diffusion (90 FR 4544, Jan. 15, 2025).

Worldwide license requirement for 3A090.a / 4A090.a items, the three tiers, the
per-country allocation, License Exceptions AIA and LPP. Published but never enforced
(BIS, May 13, 2025): the engine replays it only when asked with ``--regime aid-2025``.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.accounts import allocation_account, lpp_account
from chipgate.countries.registry import TIER1, TIER3
from chipgate.draws import Draw, DrawTiming
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, policy, rule
from chipgate.rules.helpers import parties_headquartered_in, tpp


def _tier3_parties(ctx: RuleContext) -> list[str]:
    scope = ctx.view.value("aid.tier3_hq_scope")
    return [f"{role} HQ {c}" for role, _p, c in parties_headquartered_in(ctx, scope)]


def _allocation_draw(ctx: RuleContext) -> tuple[Draw, bool]:
    """The draw a license would make on the destination's allocation, and if it fits.

    The allocation is the TPP a Tier-2 country may receive under licenses to non-VEU
    end users (domain.md §3.2); a license beyond it is reviewed under presumption of
    denial (§3.4), so the caller draws only what fits.
    """
    dest = ctx.destination
    period = ctx.view.value("aid.allocation_period")
    partners = ctx.view.value("aid.partner_countries")
    limit_param = (
        "aid.partner_allocation_tpp" if dest in partners else "aid.allocation_tpp"
    )
    limit = float(ctx.view.value(limit_param))
    account = allocation_account(dest, period)
    used = ctx.balances.used(account, "tpp") + ctx.balances.pending(account, "tpp")
    amount = ctx.quantity_tpp
    draw = ctx.tpp_draw(
        account,
        "country_allocation",
        limit=limit,
        used_before=used,
        citations=ctx.view.param(limit_param).citations,
        timing=DrawTiming.ON_LICENSE,
    )
    return draw, used + amount <= limit


def _worldwide_item(ctx: RuleContext) -> str | None:
    """How the order's item falls under the worldwide requirement, or ``None``.

    3A090.a and 4A090.a items by their ECCN; an item listed elsewhere on the CCL is
    its entry's .z item (``eccn.z_paragraphs``) and falls under the requirement only
    when its IC meets a paragraph of ``aid.worldwide_z_families`` (the 3A090.a level;
    a .z item at the 3A090.b level stays outside, as 3A090.b does).
    """
    item = ctx.item
    if item is None or item.eccn is None:
        return None
    if item.eccn in ctx.view.value("aid.worldwide_eccns"):
        return item.eccn
    if item.listed_under is None or item.eccn == item.listed_under:
        return None
    z_entries = ctx.view.value_or("eccn.z_paragraphs", {}).get("entries", {})
    if item.eccn not in z_entries.values():
        return None
    if item.chip_family not in ctx.view.value("aid.worldwide_z_families"):
        return None
    return f"{item.eccn} (at the {item.chip_family} level)"


@rule("AID.WORLDWIDE", "Worldwide license requirement with tiered review")
def worldwide_requirement(ctx: RuleContext) -> Iterator[Finding]:
    """3A090.a / 4A090.a items, and the .z items at their level, need a license to
    every destination but the US."""
    what = _worldwide_item(ctx)
    if what is None:
        return
    if ctx.order.kind.value not in ctx.view.value("aid.license_kinds"):
        return
    if ctx.destination in ctx.view.value("aid.exempt_destinations"):
        return
    tier = ctx.countries.tier_of(ctx.destination, ctx.day)
    policies = ctx.view.value("aid.review_policy_by_tier")
    review = policy(policies[f"tier{tier}"])
    tier3_parties = _tier3_parties(ctx)
    if tier3_parties:
        review = policy(policies["tier3"])
    draws: tuple[Draw, ...] = ()
    numbers: dict[str, object] = {"tier": tier}
    detail = ""
    if tier != TIER1 and tier != TIER3 and not tier3_parties:
        draw, fits = _allocation_draw(ctx)
        left = (draw.limit or 0.0) - draw.used_before
        numbers["allocation_left_tpp"] = left
        where = (
            f"{ctx.order.destination}'s allocation ({tpp(left)} of "
            f"{tpp(draw.limit or 0)} left)"
        )
        if fits:
            draws = (draw,)
            detail = f"; a license would draw {tpp(draw.amount)} TPP from {where}"
        else:
            # an application reviewed under presumption of denial for breaking the
            # allocation does not use it: drawing it would deny later orders that
            # fit, and make the answer depend on the order of the book's lines
            review = policy(ctx.view.value("aid.over_allocation_policy"))
            detail = (
                f"; {tpp(draw.amount)} TPP would exceed {where}: the allocation would "
                "be exceeded; not drawn: over the allocation"
            )
    yield ctx.finding(
        effect=Effect.REQUIREMENT,
        message=(
            f"{what} item to Tier {tier} destination {ctx.order.destination} "
            f"needs a license; review: {review.value}{detail}"
        ),
        numbers=numbers,
        review_policy=review,
        exceptions=frozenset(ctx.view.value("aid.worldwide_exceptions")),
        draws=draws,
    )


@rule("AID.AIA", "License Exception AIA for Tier 1", Phase.AUTHORIZATIONS)
def aia(ctx: RuleContext) -> Iterator[Finding]:
    """Entities headquartered and located in Tier 1 may receive items under AIA."""
    dest = ctx.destination
    if ctx.countries.tier_of(dest, ctx.day) != TIER1:
        return
    consignee_hq = ctx.order.consignee.hq
    if consignee_hq is None or ctx.countries.tier_of(consignee_hq, ctx.day) != TIER1:
        return
    if _tier3_parties(ctx):
        return
    covers = tuple(sorted({r.code for r in ctx.requirements if "AIA" in r.exceptions}))
    if not covers:
        return
    yield ctx.finding(
        effect=Effect.AUTHORIZATION,
        message=(
            f"consignee headquartered in Tier 1 ({consignee_hq}) and located in Tier 1 "
            f"({dest}): License Exception AIA"
        ),
        covers=covers,
        authorization="License Exception AIA (15 CFR 740.27)",
        priority=30,
    )


@rule("AID.LPP", "License Exception LPP per consignee and year", Phase.AUTHORIZATIONS)
def lpp(ctx: RuleContext) -> Iterator[Finding]:
    """Low-processing-performance shipments up to a TPP limit per consignee and year."""
    covers = tuple(sorted({r.code for r in ctx.requirements if "LPP" in r.exceptions}))
    if not covers or ctx.item is None or ctx.item.chip.tpp is None:
        return
    tier = ctx.countries.tier_of(ctx.destination, ctx.day)
    if tier != 2 or _tier3_parties(ctx):
        return
    consignee = ctx.order.consignee.name
    if not consignee:
        yield ctx.finding(
            effect=Effect.NOTE,
            message="LPP counts per consignee: name the consignee to use it",
        )
        return
    limit = float(ctx.view.value("lpp.tpp_per_consignee_year"))
    account = lpp_account(consignee, ctx.order.date.year)
    used = ctx.balances.used(account, "tpp")
    amount = ctx.quantity_tpp
    numbers = {"lpp_used_tpp": used, "lpp_limit_tpp": limit, "order_tpp": amount}
    if used + amount > limit:
        yield ctx.finding(
            effect=Effect.NOTE,
            message=(
                f"LPP not available: {consignee!r} has used {tpp(used)} of {tpp(limit)} "
                f"TPP in {ctx.order.date.year}; this order adds {tpp(amount)}"
            ),
            numbers=numbers,
        )
        return
    draw = ctx.tpp_draw(
        account,
        "lpp",
        limit=limit,
        used_before=used,
        citations=ctx.view.param("lpp.tpp_per_consignee_year").citations,
    )
    obligations = tuple(ctx.view.value("lpp.obligations"))
    yield ctx.finding(
        effect=Effect.AUTHORIZATION,
        message=(
            f"License Exception LPP: {tpp(amount)} TPP to {consignee!r} brings its "
            f"{ctx.order.date.year} total to {tpp(used + amount)} of {tpp(limit)}"
        ),
        numbers=numbers,
        covers=covers,
        authorization="License Exception LPP",
        priority=45,
        draws=(draw,),
        obligations=obligations,
    )
