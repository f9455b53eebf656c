"""'Is-informed' letters: license requirements BIS imposed on named makers by letter.

Sources: NVIDIA Form 8-K of April 9, 2025 (H20, and any NVIDIA IC reaching the H20's
memory bandwidth or interconnect bandwidth) and AMD's filings of April 2025 (MI308);
the July 2025 resumption of licensing and the August 2025 revenue-share reports, which
have no regulation text and are marked unconfirmed in the data. A letter binds the
exporter it informed (15 CFR 744.21(b), 744.23(b) "is informed" procedures): that
exporter needs a license. For anyone else shipping such ICs it is a red flag: confirm
the maker's license. Each letter is one dated parameter ``informed.<id>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from chipgate.chips.catalog import normalize_item_name
from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule
from chipgate.rules.helpers import parties_headquartered_in

LETTER_PREFIX = "informed."


def _reached(ctx: RuleContext, letter: Mapping[str, Any]) -> str | None:
    """Why the letter reaches the order's item, or ``None``."""
    item = ctx.item
    if item is None:
        return None
    if item.chip.name in letter["items"]:
        return f"{item.chip.name} is named in the letter"
    like = letter.get("reaches_like")
    if not like or item.chip.vendor != like["vendor"] or ctx.catalog is None:
        return None
    reference = ctx.catalog.figures(like["chip"])
    for attribute, what in (
        ("memory_bandwidth_gbs", "memory bandwidth"),
        ("io_bandwidth_gbs", "interconnect bandwidth"),
    ):
        mine = getattr(item.chip, attribute)
        theirs = getattr(reference, attribute)
        if mine is not None and theirs is not None and mine >= theirs:
            ctx.view.doubt(
                *(f"catalog {reference.name}: {u}" for u in reference.unconfirmed)
            )
            return (
                f"{item.chip.name} reaches the {what} of the {reference.name} "
                f"({mine:,.0f} >= {theirs:,.0f} GB/s)"
            )
    return None


def _is_holder(ctx: RuleContext, holder: str) -> bool:
    exporter = ctx.order.exporter
    if not exporter:
        return False
    return normalize_item_name(exporter).startswith(normalize_item_name(holder))


@rule("INFORMED.LETTERS", "Items under is-informed letters")
def informed_letters(ctx: RuleContext) -> Iterator[Finding]:
    """The informed exporter needs a license; anyone else gets a red flag."""
    if ctx.item is None or ctx.order.kind.value not in ctx.view.value(
        "enduse.item_kinds"
    ):
        return
    for name, letter in ctx.view.candidates(LETTER_PREFIX):
        scope = letter["scope"]
        to_scope = ctx.country_matches(ctx.destination, scope)
        if not to_scope and not any(parties_headquartered_in(ctx, scope)):
            continue
        why = _reached(ctx, letter)
        if why is None:
            continue
        ctx.view.param(name)  # the finding rests on this letter: cite it
        obligations = tuple(letter.get("obligations", ()))
        if _is_holder(ctx, letter["holder"]):
            review = letter.get("review_policy")
            yield ctx.finding(
                Effect.REQUIREMENT,
                (
                    f"{letter['holder']}, the exporter, was informed by BIS that it needs "
                    f"a license to {letter['scope_text']} ({why}); review: "
                    f"{review or 'no published policy'}"
                ),
                review_policy=policy(review) if review else None,
                exceptions=frozenset({"LICENSE"}),
                obligations=obligations,
            )
            continue
        yield ctx.finding(
            Effect.RED_FLAG,
            (
                f"{letter['holder']} was informed by BIS that it needs a license to "
                f"{letter['scope_text']} ({why}): confirm that the supplier holds one"
            ),
        )
