"""Specific licenses named on an order, checked against what the ledger holds.

A license the user never imported cannot be checked, so it lifts nothing: the
decision says how to import it. A license covers the parties and end use it was
granted for: the end user it names (else its consignee) and the declared end uses
it names; an order declaring a further use the license leaves out is held for the
officer. Source: 15 CFR part 750 (license conditions), 748.5 (parties to the
transaction) and 758.1 (export clearance records).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from chipgate import money
from chipgate.accounts import license_account
from chipgate.chips.catalog import normalize_item_name
from chipgate.citations import Citation
from chipgate.draws import Draw, DrawTiming
from chipgate.facts import LicenseFacts
from chipgate.orders.model import AuthorizationKind
from chipgate.rules.base import Effect, Finding, Phase, RuleContext, rule
from chipgate.rules.deals import arrangement_draws
from chipgate.rules.helpers import same_name


def _stranger(ctx: RuleContext, lic: LicenseFacts) -> str | None:
    """An end user the license was not granted for.

    A license names the parties of the transaction it was granted for (15 CFR
    748.5, 750.7): its end user, or, when its record names none, its consignee as
    the end user. An order whose end user is another party is no transaction of
    the license. An order that names no end user has its consignee as end user.
    """
    order = ctx.order
    if lic.end_user is None:
        end_user = order.end_user.name
        if lic.consignee and end_user and not same_name(lic.consignee, end_user):
            return (
                f"the license names consignee {lic.consignee!r} and no end user; the "
                f"order's end user {end_user!r} is not a party to it"
            )
        return None
    if order.end_user.name:
        role, end_user = "end user", order.end_user.name
    else:
        role, end_user = "consignee (it names no other end user)", order.consignee.name
    if end_user is None:
        return f"the license names end user {lic.end_user!r}; the order names none"
    if not same_name(lic.end_user, end_user):
        return (
            f"the license names end user {lic.end_user!r}; the order's {role} "
            f"{end_user!r} is not that party"
        )
    return None


def _end_user_matched(ctx: RuleContext, lic: LicenseFacts) -> str | None:
    """Which license field the order's end user matched, for the explanation."""
    order = ctx.order
    if lic.end_user is not None:
        role = "end user" if order.end_user.name else "consignee (its end user)"
        return f"its end_user field names the order's {role} {lic.end_user!r}"
    if lic.consignee and order.end_user.name:
        return (
            f"its consignee field names the order's end user {lic.consignee!r} "
            "(it names no end user, so its consignee is the end user)"
        )
    return None


def _other_end_uses(
    ctx: RuleContext, lic: LicenseFacts, held: Mapping[str, str]
) -> str | None:
    """Declared end uses of the order that a license recording its end uses does
    not name, or None; those that raised a requirement it leaves (``held``) have
    their own red flag already.

    A license authorizes the transaction its application described (15 CFR
    750.7), end use included. An order that also declares a use the license's
    ``end_use`` leaves out is not plainly that transaction, even when the extra use
    needs no license of its own: the license still lifts what it was granted for,
    and the officer confirms the application covered the rest.
    """
    if not lic.end_use:
        return None
    flagged = set().union(*(r.end_uses for r in ctx.requirements if r.code in held))
    extra = sorted(
        str(use)
        for use in ctx.order.end_use
        if use not in lic.end_use and use not in flagged
    )
    if not extra:
        return None
    return (
        f"license {lic.number} was granted for end use {', '.join(lic.end_use)}; the "
        f"order also declares {', '.join(extra)}, which it does not name: confirm "
        "that the license application described that use (15 CFR 750.7)"
    )


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


def _end_use_held(ctx: RuleContext, lic: LicenseFacts, code: str) -> str | None:
    """Why the license does not lift the end-use requirement ``code``, or None.

    A requirement a declared end use raises is lifted only by a license granted
    for that end use: its end_use field must name every declared end use that
    raised it (``Finding.end_uses``).
    """
    if not lic.end_use:
        return "it records no end use, so it was not granted for the declared one"
    raised = set().union(*(r.end_uses for r in ctx.requirements if r.code == code))
    if not raised:
        return "the requirement names no declared end use its end_use could cover"
    missing = sorted(raised - set(lic.end_use))
    if missing:
        return (
            f"it was granted for end use {', '.join(lic.end_use)}, not for the "
            f"declared {', '.join(missing)}"
        )
    return None


def _not_lifted(ctx: RuleContext, lic: LicenseFacts) -> dict[str, str]:
    """Requirement codes the license cannot lift, with the reason for each."""
    end_use = set(ctx.view.value("licenses.end_use_codes"))
    item = set(ctx.view.value("licenses.item_codes"))
    held: dict[str, str] = {}
    for code in sorted({r.code for r in ctx.requirements}):
        if code in end_use:
            why = _end_use_held(ctx, lic, code)
            if why is not None:
                held[code] = why
        elif code in item and not _names_item(ctx, lic):
            held[code] = f"it does not name {ctx.item.name if ctx.item else 'the item'}"
    return held


def _end_uses_matched(
    ctx: RuleContext, lic: LicenseFacts, covers: tuple[str, ...]
) -> str | None:
    """Which declared end uses the license's end_use field covered, for the
    explanation (only those that raised a requirement it lifts)."""
    end_use = set(ctx.view.value("licenses.end_use_codes"))
    raised = sorted(
        set().union(
            *(
                r.end_uses
                for r in ctx.requirements
                if r.code in covers and r.code in end_use
            )
        )
    )
    if not raised:
        return None
    cite = "; ".join(c.cite for c in ctx.view.param("licenses.end_use_codes").citations)
    return (
        f"its end_use field ({', '.join(lic.end_use)}) covers the declared "
        f"{', '.join(raised)} end use that needs a license ({cite})"
    )


def _covered_because(
    ctx: RuleContext, lic: LicenseFacts, covers: tuple[str, ...]
) -> str:
    """The license fields the order matched beyond destination, item and balance."""
    reasons = [
        r
        for r in (_end_user_matched(ctx, lic), _end_uses_matched(ctx, lic, covers))
        if r
    ]
    return f": {'; '.join(reasons)}" if reasons else ""


def _imported_from(lic: LicenseFacts) -> tuple[Citation, ...]:
    """The license record the finding rests on, as a fact's citation."""
    if not lic.source:
        return ()
    return (Citation(cite=f"license {lic.number}, imported from {lic.source}"),)


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
    requirements it can: not those of a declared end use it was not granted for, nor
    item-bound ones (GP10) for an item it does not name. Its finding says which
    license fields the order matched and cites the file it was imported from."""
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
        other_uses = _other_end_uses(ctx, lic, held)
        if other_uses:
            yield ctx.finding(effect=Effect.RED_FLAG, message=other_uses)
        yield ctx.finding(
            effect=Effect.AUTHORIZATION,
            message=f"license {lic.number} covers this order{_covered_because(ctx, lic, covers)}{'; conditions: ' + lic.conditions if lic.conditions else ''}",
            citations=_imported_from(lic),
            covers=covers,
            authorization=f"License {lic.number}",
            priority=10,
            draws=_draws(ctx, lic) + arrangement_draws(ctx),
            obligations=(f"observe the conditions of license {lic.number}",)
            if lic.conditions
            else (),
        )
