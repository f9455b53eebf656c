"""Bilateral arrangements (e.g. the May 2025 US-UAE and US-Saudi announcements).

They are not regulations: BIS implements them through licenses. An order that names
``DEAL:<id>`` is authorized within the arrangement's reported quotas, drawn per
calendar year; the quotas, partners and dates live in one overlay file per deal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from chipgate.chips.catalog import normalize_item_name
from chipgate.draws import Draw, DrawTiming
from chipgate.orders.model import AuthorizationKind
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, rule
from chipgate.rules.helpers import account_key


def _quota_limits(ctx: RuleContext, deal: Mapping[str, Any]) -> list[tuple[str, float]]:
    """Accounts and limits an order draws on: per year, per consignee and year, total."""
    year = ctx.order.date.year
    limits: list[tuple[str, float]] = []
    if deal.get("total_units_per_year") is not None:
        limits.append(
            (f"deal/{deal['id']}/{year}", float(deal["total_units_per_year"]))
        )
    consignee = normalize_item_name(ctx.order.consignee.name or "")
    per_year = deal.get("consignee_units_per_year") or {}
    total = deal.get("consignee_units_total") or {}
    for name, quota in per_year.items():
        if normalize_item_name(name) == consignee:
            limits.append(
                (f"deal/{deal['id']}/{account_key(name)}/{year}", float(quota))
            )
    for name, quota in total.items():
        if normalize_item_name(name) == consignee:
            limits.append(
                (f"deal/{deal['id']}/{account_key(name)}/total", float(quota))
            )
    return limits


def _quota_draws(
    ctx: RuleContext, deal: Mapping[str, Any], citation: str
) -> tuple[list[Draw], str | None]:
    units = float(ctx.order.quantity * (ctx.item.chips_per_unit if ctx.item else 1))
    limits = _quota_limits(ctx, deal)
    if not limits:
        return (
            [],
            f"{ctx.order.consignee.name!r} has no quota in arrangement {deal['id']}",
        )
    draws: list[Draw] = []
    for account, limit in limits:
        used = ctx.balances.used(account, "units")
        if used + units > limit:
            return (
                [],
                f"quota {account} would be exceeded ({used:,.0f} + {units:,.0f} > {limit:,.0f})",
            )
        draws.append(
            Draw(
                account,
                "deal",
                units,
                "units",
                limit,
                used,
                ctx.quantity_h100e,
                DrawTiming.NOW,
                citation,
            )
        )
    return draws, None


@rule("DEAL.QUOTA", "Bilateral arrangement quotas", Phase.AUTHORIZATIONS)
def arrangement(ctx: RuleContext) -> Iterator[Finding]:
    """Lift DEAL-eligible requirements within an arrangement's quota."""
    named = ctx.order.named(AuthorizationKind.DEAL)
    if not named:
        return
    deals = {
        p.value["id"]: p
        for name, p in ctx.view.params.items()
        if name.startswith("deals.")
    }
    covers = tuple(sorted({r.code for r in ctx.requirements if "DEAL" in r.exceptions}))
    for ref in named:
        resolved = deals.get(ref.reference)
        deal = resolved.value if resolved else None
        citations = ctx.cite("DEAL.QUOTA") + (resolved.citations if resolved else ())
        problem = None
        if deal is None:
            problem = (
                f"no arrangement {ref.reference!r} is in force on {ctx.order.date}"
            )
        elif deal["country"] != ctx.order.destination:
            problem = f"arrangement {ref.reference} is for {deal['country']}"
        elif (
            deal.get("items")
            and ctx.item is not None
            and normalize_item_name(ctx.item.chip.name)
            not in {normalize_item_name(i) for i in deal["items"]}
        ):
            problem = f"arrangement {ref.reference} covers {', '.join(deal['items'])}"
        elif not covers:
            problem = "nothing to lift"
        draws: list[Draw] = []
        if problem is None and deal is not None:
            draws, problem = _quota_draws(
                ctx, deal, citations[-1].render() if citations else ""
            )
        if problem or deal is None:
            yield Finding(
                code="DEAL.QUOTA",
                effect=Effect.NOTE,
                message=f"arrangement {ref.reference} cannot be used: {problem}",
                citations=citations,
            )
            continue
        unconfirmed = resolved is not None and resolved.unconfirmed
        yield Finding(
            code="DEAL.QUOTA",
            effect=Effect.AUTHORIZATION,
            message=(
                f"within the {deal['title']} quota"
                + (" (reported figures, unconfirmed)" if unconfirmed else "")
            ),
            citations=citations,
            covers=covers,
            authorization=f"Arrangement {deal['id']}",
            priority=25,
            draws=tuple(draws),
            obligations=tuple(deal.get("obligations", ())),
        )
