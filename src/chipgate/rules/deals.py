"""Bilateral arrangements (e.g. the May 2025 US-UAE and US-Saudi announcements).

They are not regulations and not authorizations: BIS implements them through
licenses (15 CFR 750.7). An arrangement may set the quota and the review policy of the
licenses issued under it, and it is drawn against when such a license is used. So an
order naming ``DEAL:<id>`` without a license in the ledger is ``license_required``,
reviewed under the policy the arrangement reports; an order naming a license and the
deal is authorized by the license and draws on the arrangement's quotas. Quotas,
partners, policies and dates live in one overlay file per arrangement, each with its
own sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from chipgate.accounts import deal_account
from chipgate.chips.catalog import normalize_item_name
from chipgate.draws import Draw, DrawTiming
from chipgate.orders.model import AuthorizationKind
from chipgate.regimes.view import Resolved
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, policy, rule

DEAL_PREFIX = "deals."
"""Arrangement parameters are named ``deals.<id>``."""


def _quota_limits(ctx: RuleContext, deal: Mapping[str, Any]) -> list[tuple[str, float]]:
    """Accounts and limits an order draws on: per year, per consignee and year, total."""
    year = ctx.order.date.year
    limits: list[tuple[str, float]] = []
    if deal.get("total_units_per_year") is not None:
        limits.append(
            (deal_account(deal["id"], str(year)), float(deal["total_units_per_year"]))
        )
    consignee = normalize_item_name(ctx.order.consignee.name or "")
    per_year = deal.get("consignee_units_per_year") or {}
    total = deal.get("consignee_units_total") or {}
    for name, quota in per_year.items():
        if normalize_item_name(name) == consignee:
            limits.append((deal_account(deal["id"], name, str(year)), float(quota)))
    for name, quota in total.items():
        if normalize_item_name(name) == consignee:
            limits.append((deal_account(deal["id"], name, "total"), float(quota)))
    return limits


def _quota_draws(ctx: RuleContext, deal: Resolved) -> tuple[list[Draw], str | None]:
    """The draws on the arrangement's quotas, or why the order does not fit them."""
    terms = deal.value
    units = float(ctx.order.quantity * (ctx.item.chips_per_unit if ctx.item else 1))
    limits = _quota_limits(ctx, terms)
    if not limits:
        return (
            [],
            f"{ctx.order.consignee.name!r} has no quota in arrangement {terms['id']}",
        )
    citation = deal.citations[-1].render() if deal.citations else "unconfirmed"
    draws: list[Draw] = []
    for account, limit in limits:
        used = ctx.balances.used(account, "units")
        if used + units > limit:
            return (
                [],
                f"quota {account} would be exceeded ({used:,.0f} + {units:,.0f} > "
                f"{limit:,.0f})",
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


def _deal(ctx: RuleContext, reference: str) -> tuple[Resolved | None, str | None]:
    """The arrangement named ``reference`` in force, or why it does not apply."""
    found = ctx.view.value_or(DEAL_PREFIX + reference, None)
    if found is None:
        return None, f"no arrangement {reference!r} is in force on {ctx.order.date}"
    deal = ctx.view.param(DEAL_PREFIX + reference)
    terms = deal.value
    if terms["country"] != ctx.destination:
        return deal, f"arrangement {reference} is for {terms['country']}"
    if (
        terms.get("items")
        and ctx.item is not None
        and normalize_item_name(ctx.item.chip.name)
        not in {normalize_item_name(i) for i in terms["items"]}
    ):
        return deal, f"arrangement {reference} covers {', '.join(terms['items'])}"
    return deal, None


def arrangement_draws(ctx: RuleContext) -> tuple[Draw, ...]:
    """Draws a license used under the order's named arrangements makes on their quotas.

    Called by the license rule: the quota is drawn when a license is used, not by
    naming the arrangement. An arrangement that does not apply or whose quota would
    be exceeded draws nothing (the arrangement rule says why).
    """
    draws: list[Draw] = []
    for ref in ctx.order.named(AuthorizationKind.DEAL):
        deal, problem = _deal(ctx, ref.reference)
        if deal is None or problem is not None:
            continue
        found, problem = _quota_draws(ctx, deal)
        if problem is None:
            draws.extend(found)
    return tuple(draws)


def _has_license(ctx: RuleContext) -> bool:
    known = {lic.number for lic in ctx.facts.licenses}
    return any(
        ref.reference in known for ref in ctx.order.named(AuthorizationKind.LICENSE)
    )


@rule(
    "DEAL.QUOTA",
    "Bilateral arrangements: quotas and review policy",
    Phase.AUTHORIZATIONS,
)
def arrangement(ctx: RuleContext) -> Iterator[Finding]:
    """Say what a named arrangement does: never lift a requirement by itself."""
    named = ctx.order.named(AuthorizationKind.DEAL)
    if not named:
        return
    covers = tuple(sorted({r.code for r in ctx.requirements if "DEAL" in r.exceptions}))
    licensed = _has_license(ctx)
    for ref in named:
        deal, problem = _deal(ctx, ref.reference)
        if problem is None and not covers:
            problem = "no requirement it reaches"
        draws: list[Draw] = []
        if problem is None and deal is not None:
            draws, problem = _quota_draws(ctx, deal)
        if problem is not None or deal is None:
            yield ctx.finding(
                Effect.RED_FLAG if deal is not None and covers else Effect.NOTE,
                f"arrangement {ref.reference} cannot be used: {problem}",
            )
            continue
        terms = deal.value
        if licensed:
            yield ctx.finding(
                Effect.NOTE,
                (
                    f"the license named on the order is drawn against the {terms['title']} "
                    "quota"
                ),
                obligations=tuple(terms.get("obligations", ())),
            )
            continue
        reported = terms.get("review_policy")
        review = policy(reported) if reported else None
        how = (
            f"such licenses are reviewed {review.value.replace('_', ' ')}"
            if review
            else "the arrangement reports no review policy"
        )
        quota = ", ".join(
            f"{d.account} {d.used_before:,.0f} + {d.amount:,.0f} of {d.limit:,.0f}"
            for d in draws
        )
        yield ctx.finding(
            Effect.NOTE,
            (
                f"the {terms['title']} is not an authorization: ship only under a BIS "
                f"license issued under it (name it as LICENSE:<number>); {how}, within "
                f"the quota ({quota})"
            ),
            covers=covers if review else (),
            review_policy=review,
            obligations=tuple(terms.get("obligations", ())),
        )
