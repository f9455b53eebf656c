"""Data Center Validated End Users under the AI Diffusion rule: UVEU and NVEU.

Source: 15 CFR 748.15 and Supplement No. 10 to part 748 as revised by 90 FR 4544.
An order names its VEU as ``UVEU:<holder>`` or ``NVEU:<holder>``; the caps are data.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.accounts import nveu_account, uveu_account
from chipgate.countries.registry import TIER1, TIER3
from chipgate.draws import Draw
from chipgate.orders.model import AuthorizationKind
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, rule
from chipgate.rules.helpers import parties_headquartered_in, role_named, tpp


def _not_the_holder(ctx: RuleContext, kind: str, holder: str) -> Finding | None:
    """A red flag when the VEU named is no party to the order.

    A VEU authorization names its holder (and its validated sites): it lets items go
    to that holder, not to whoever ships naming it (15 CFR 748.15).
    """
    if role_named(ctx, holder) is not None:
        return None
    return ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"{kind} {holder!r} cannot be used: the VEU holder is neither the "
            "consignee nor the end user, and a VEU authorizes shipments only to "
            "its holder"
        ),
    )


def _blocked(ctx: RuleContext) -> str | None:
    if ctx.countries.tier_of(ctx.destination, ctx.day) == TIER3:
        return f"destination {ctx.order.destination} is in Tier 3"
    scope = ctx.view.value("aid.tier3_hq_scope")
    hits = list(parties_headquartered_in(ctx, scope))
    if hits:
        return f"{hits[0][0]} is headquartered in {hits[0][2]}"
    return None


def _uveu_limits(
    ctx: RuleContext, holder: str, limits: dict[str, float]
) -> list[tuple[str, float | None]]:
    """Accounts a UVEU shipment draws on, with their limits from the reported base."""
    base = next((b for b in ctx.facts.compute_bases if b.holder == holder), None)
    dest = ctx.destination
    tier = ctx.countries.tier_of(dest, ctx.day)
    accounts: list[tuple[str, float | None]] = []
    per_country = (
        limits["per_tier2_country_max"] * base.tpp if base and tier == 2 else None
    )
    accounts.append((uveu_account(holder, dest), per_country))
    if tier != TIER1:
        outside = (1 - limits["tier1_min"]) * base.tpp if base else None
        accounts.append((uveu_account(holder, "outside-tier1"), outside))
    return accounts


@rule("AID.UVEU", "Universal Validated End User", Phase.AUTHORIZATIONS)
def universal_veu(ctx: RuleContext) -> Iterator[Finding]:
    """A UVEU headquartered in Tier 1 may take items outside Tier 3 within its shares."""
    covers = tuple(sorted({r.code for r in ctx.requirements if "UVEU" in r.exceptions}))
    for named in ctx.order.named(AuthorizationKind.UVEU):
        stranger = _not_the_holder(ctx, "UVEU", named.reference)
        if stranger is not None:
            yield stranger
            continue
        hq = ctx.order.consignee.hq
        problem = _blocked(ctx)
        if problem is None and (
            hq is None or ctx.countries.tier_of(hq, ctx.day) != TIER1
        ):
            problem = (
                f"a UVEU must be headquartered in Tier 1 (consignee HQ {hq or '?'})"
            )
        limits = ctx.view.value("uveu.share_limits")
        draws: list[Draw] = []
        if problem is None:
            for account, limit in _uveu_limits(ctx, named.reference, limits):
                used = ctx.balances.used(account, "tpp")
                if limit is not None and used + ctx.quantity_tpp > limit:
                    problem = (
                        f"the UVEU share on {account} would be exceeded ({tpp(used)} + "
                        f"{tpp(ctx.quantity_tpp)} > {tpp(limit)} TPP)"
                    )
                    break
                draws.append(
                    ctx.tpp_draw(
                        account,
                        "uveu",
                        limit=limit,
                        used_before=used,
                        citations=ctx.view.param("uveu.share_limits").citations,
                    )
                )
        if problem or not covers:
            yield ctx.finding(
                effect=Effect.NOTE,
                message=f"UVEU {named.reference!r} cannot be used: {problem or 'nothing to lift'}",
            )
            continue
        if not any(b.holder == named.reference for b in ctx.facts.compute_bases):
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=(
                    f"UVEU {named.reference!r} has no reported compute base, so its "
                    "country shares cannot be checked: record it with "
                    "'chipgate ledger report-base'"
                ),
            )
        yield ctx.finding(
            effect=Effect.AUTHORIZATION,
            message=(
                f"UVEU {named.reference!r}: {tpp(ctx.quantity_tpp)} TPP to "
                f"{ctx.order.destination}"
            ),
            covers=covers,
            authorization=f"UVEU {named.reference}",
            priority=20,
            draws=tuple(draws),
            obligations=(
                f"keep at least {limits['tier1_min']:.0%} of the UVEU's AI compute in "
                f"Tier 1 and at most {limits['per_tier2_country_max']:.0%} in any one "
                "Tier-2 country; report inventory semi-annually",
            ),
        )


PHASE_IN_NOT_MODELLED = (
    "the phase-in of the NVEU ceiling is not modelled: the full phase-in figure "
    "(end-2027) is applied from the first day, so an earlier shipment may exceed "
    "the ceiling in force on its date"
)
"""What every NVEU finding says of its cap: 90 FR 4544 phases the installed-base
ceiling in, and the interim phase table was not read (domain.md section 3.2 [U]),
so no phase figures are invented; the full figure is marked unconfirmed."""


@rule("AID.NVEU", "National Validated End User", Phase.AUTHORIZATIONS)
def national_veu(ctx: RuleContext) -> Iterator[Finding]:
    """An NVEU may take items in its Tier-2 country up to a phased cap (the full
    phase-in figure only: see ``PHASE_IN_NOT_MODELLED``)."""
    covers = tuple(sorted({r.code for r in ctx.requirements if "NVEU" in r.exceptions}))
    for named in ctx.order.named(AuthorizationKind.NVEU):
        stranger = _not_the_holder(ctx, "NVEU", named.reference)
        if stranger is not None:
            yield stranger
            continue
        problem = _blocked(ctx)
        if problem is None and ctx.countries.tier_of(ctx.destination, ctx.day) != 2:
            problem = "an NVEU is approved for one Tier-2 country"
        cap = ctx.view.param("nveu.cap_tpp")
        account = nveu_account(named.reference, ctx.destination)
        used = ctx.balances.used(account, "tpp")
        if problem is None and used + ctx.quantity_tpp > float(cap.value):
            problem = (
                f"the NVEU cap would be exceeded ({tpp(used)} used + "
                f"{tpp(ctx.quantity_tpp)} > {tpp(cap.value)})"
            )
        if problem or not covers:
            yield ctx.finding(
                effect=Effect.NOTE,
                message=f"NVEU {named.reference!r} cannot be used: {problem or 'nothing to lift'}",
            )
            continue
        draw = ctx.tpp_draw(
            account,
            "nveu",
            limit=float(cap.value),
            used_before=used,
            citations=cap.citations,
        )
        flag = " (cap figure unconfirmed)" if cap.unconfirmed else ""
        yield ctx.finding(
            effect=Effect.AUTHORIZATION,
            message=(
                f"NVEU {named.reference!r} in {ctx.order.destination}: "
                f"{tpp(used + ctx.quantity_tpp)} of {tpp(cap.value)} TPP{flag}; "
                f"{PHASE_IN_NOT_MODELLED}"
            ),
            numbers={"nveu_used_tpp": used, "nveu_cap_tpp": float(cap.value)},
            covers=covers,
            authorization=f"NVEU {named.reference}",
            priority=20,
            draws=(draw,),
        )
