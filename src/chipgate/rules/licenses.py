"""Specific licenses named on an order, checked against what the ledger holds.

A license the user never imported cannot be checked, so it lifts nothing: the
decision says how to import it. Source: 15 CFR part 750 (license conditions) and
758.1 (export clearance records).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from chipgate import money
from chipgate.accounts import license_account
from chipgate.chips.catalog import normalize_item_name
from chipgate.draws import Draw, DrawTiming
from chipgate.facts import LicenseFacts
from chipgate.orders.model import AuthorizationKind
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, rule
from chipgate.rules.deals import arrangement_draws
from chipgate.rules.helpers import same_name


def _stranger(ctx: RuleContext, lic: LicenseFacts) -> str | None:
    """An end user the license was not granted for.

    The license records name no end user: their consignee is the one party the
    license was granted for, and another end user is no party to it (15 CFR 750.7).
    """
    end_user = ctx.order.end_user.name
    if lic.consignee and end_user and not same_name(lic.consignee, end_user):
        return (
            f"the license names consignee {lic.consignee!r} and no end user; the "
            f"order's end user {end_user!r} is not a party to it"
        )
    return None


def _with_book_draws(lic: LicenseFacts, ctx: RuleContext) -> LicenseFacts:
    """The license with what the book's earlier orders drew on it added to what
    the ledger holds: three orders of 80 units on a license of 200 were each
    checked against the ledger alone and all authorized (240 of 200), where a
    commit of the same book refused the third."""
    account = license_account(lic.number)
    drawn = ctx.balances.drawn
    return replace(
        lic,
        quantity_used=lic.quantity_used + int(drawn(account, "units")),
        value_used=money.add(lic.value_used, drawn(account, money.USD)),
        tpp_used=lic.tpp_used + drawn(account, "tpp"),
    )


def _mismatch(ctx: RuleContext, lic: LicenseFacts) -> str | None:
    order = ctx.order
    if lic.valid_from and order.date < lic.valid_from:
        return f"not valid before {lic.valid_from}"
    if lic.expires and order.date > lic.expires:
        return f"expired on {lic.expires}"
    if lic.destination and lic.destination != order.destination:
        return f"licensed destination is {lic.destination}, not {order.destination}"
    if lic.consignee and not same_name(lic.consignee, order.consignee.name):
        return f"licensed consignee is {lic.consignee!r}"
    if lic.items and ctx.item is not None:
        wanted = {normalize_item_name(i) for i in lic.items}
        names = {
            normalize_item_name(ctx.item.name),
            normalize_item_name(ctx.item.eccn or ""),
        }
        if wanted.isdisjoint(names):
            return f"licensed items are {', '.join(lic.items)}"
    if lic.quantity is not None and lic.quantity_used + order.quantity > lic.quantity:
        return f"only {lic.quantity - lic.quantity_used} units left of {lic.quantity}"
    if lic.value_usd is not None and order.value_usd is None:
        # its value limit could be neither checked nor drawn on
        return (
            f"it is limited to USD {lic.value_usd:,.0f} and the order states no "
            "value_usd"
        )
    if (
        lic.value_usd is not None
        and order.value_usd is not None
        and money.over(lic.value_used, order.value_usd, lic.value_usd)
    ):
        # to the cent: "only USD 2,000,000 left" hid why USD 2,000,000.10 was refused
        left = money.exact(lic.value_usd) - money.exact(lic.value_used)
        return f"only USD {left:,.2f} left"
    if lic.tpp is not None and lic.tpp_used + ctx.quantity_tpp > lic.tpp:
        return f"only {lic.tpp - lic.tpp_used:,.0f} TPP left"
    return None


def _names_item(ctx: RuleContext, lic: LicenseFacts) -> bool:
    if not lic.items or ctx.item is None:
        return False
    wanted = {normalize_item_name(i) for i in lic.items}
    return normalize_item_name(ctx.item.name) in wanted


def _not_lifted(ctx: RuleContext, lic: LicenseFacts) -> dict[str, str]:
    """Requirement codes the license cannot lift, with the reason for each."""
    end_use = set(ctx.view.value("licenses.end_use_codes"))
    item = set(ctx.view.value("licenses.item_codes"))
    held: dict[str, str] = {}
    for code in sorted({r.code for r in ctx.requirements}):
        if code in end_use:
            held[code] = (
                "it records no end use, so it was not granted for the declared one"
            )
        elif code in item and not _names_item(ctx, lic):
            held[code] = f"it does not name {ctx.item.name if ctx.item else 'the item'}"
    return held


def _draws(ctx: RuleContext, lic: LicenseFacts) -> tuple[Draw, ...]:
    base = license_account(lic.number)
    cite = f"license {lic.number}"
    draws = [
        Draw(
            base,
            "license",
            float(ctx.order.quantity),
            "units",
            float(lic.quantity) if lic.quantity is not None else None,
            float(lic.quantity_used),
            ctx.quantity_h100e,
            DrawTiming.NOW,
            cite,
        )
    ]
    if ctx.order.value_usd is not None:
        draws.append(
            Draw(
                base,
                "license",
                ctx.order.value_usd,
                "usd",
                lic.value_usd,
                lic.value_used,
                0.0,
                DrawTiming.NOW,
                cite,
            )
        )
    if lic.tpp is not None:
        draws.append(
            Draw(
                base,
                "license",
                ctx.quantity_tpp,
                "tpp",
                lic.tpp,
                lic.tpp_used,
                ctx.quantity_h100e,
                DrawTiming.NOW,
                cite,
            )
        )
    return tuple(draws)


@rule("AUTH.LICENSE", "Specific licenses named on the order", Phase.AUTHORIZATIONS)
def named_licenses(ctx: RuleContext) -> Iterator[Finding]:
    """A valid license matching the order's parties, item and balance lifts the
    requirements it can: not those of a declared end use it records nothing of, nor
    item-bound ones (GP10) for an item it does not name."""
    named = ctx.order.named(AuthorizationKind.LICENSE)
    if not named:
        return
    known = {lic.number: lic for lic in ctx.facts.licenses}
    for ref in named:
        found = known.get(ref.reference)
        if found is None:
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=(
                    f"license {ref.reference} is not in the ledger, so its scope and "
                    "balance cannot be checked: import it with 'chipgate license import'"
                ),
            )
            continue
        lic = _with_book_draws(found, ctx)
        stranger = _stranger(ctx, lic)
        if stranger:
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=f"license {lic.number} does not cover this order: {stranger}",
            )
            continue
        problem = _mismatch(ctx, lic)
        held = _not_lifted(ctx, lic) if problem is None else {}
        for code, why in held.items():
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=(
                    f"license {lic.number} does not lift {code}: {why}; that "
                    "requirement needs a license granted for it"
                ),
            )
        covers = tuple(sorted({r.code for r in ctx.requirements} - set(held)))
        if problem or not covers:
            # a license the order relies on that does not hold (expired, used up,
            # another item) is said where the officer reads; one with nothing to
            # lift is only noted
            yield ctx.finding(
                effect=Effect.RED_FLAG if problem else Effect.NOTE,
                message=f"license {lic.number} does not cover this order: {problem or 'no requirement to lift'}",
            )
            continue
        yield ctx.finding(
            effect=Effect.AUTHORIZATION,
            message=f"license {lic.number} covers this order{'; conditions: ' + lic.conditions if lic.conditions else ''}",
            covers=covers,
            authorization=f"License {lic.number}",
            priority=10,
            draws=_draws(ctx, lic) + arrangement_draws(ctx),
            obligations=(f"observe the conditions of license {lic.number}",)
            if lic.conditions
            else (),
        )
