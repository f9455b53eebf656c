"""The item's classification, stated as a finding so the decision cites it.

Source: ECCN 3A090 and 4A090 and their Technical Notes in Supplement No. 1 to 15 CFR
part 774, as set by 87 FR 62186 (2022) and revised by 88 FR 73458 (2023).
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.findings import ItemFacts
from chipgate.rules.base import Effect, Finding, RuleContext, rule
from chipgate.rules.helpers import tpp


def _undetermined_message(item: ItemFacts) -> str:
    """The red flag of an item its figures do not classify, saying how it is decided.

    The item is decided as the strictest paragraph its known figures allow (the
    licence rules read that assumed ECCN), so the flag names the assumption and the
    way to settle it rather than leaving "treat it as controlled" to the reader.
    """
    chip = item.chip
    assumed = item.classification
    if assumed.paragraph is None:
        return (
            f"{chip.name}: classification undetermined for want of published "
            "figures; treat it as controlled until its maker classifies it"
        )
    return (
        f"{chip.name}: classification undetermined for want of published figures; "
        f"{'; '.join(assumed.reasons)}; the license rules decide it as {item.eccn} "
        "until its maker classifies it or the order states its figures"
    )


@rule("ITEM.CLASSIFY", "ECCN classification of the item", item_only=True)
def classification(ctx: RuleContext) -> Iterator[Finding]:
    """Say what the item is, with the numbers and the test that decided it."""
    item = ctx.item
    if item is None:
        return
    ctx.view.param("eccn.3a090_tests")  # the tests the engine classified with
    listing = ""
    if item.listed_under is not None:
        ctx.view.param("eccn.z_paragraphs")  # the .z paragraphs of the day
        listing = (
            f"listed under {item.listed_under}; "
            + (
                f"meets the 3A090/4A090 parameters -> {item.eccn}"
                if item.eccn != item.listed_under
                else "no .z paragraph of that entry on this date"
            )
            if item.eccn is not None
            else f"listed under {item.listed_under}, below the 3A090/4A090 parameters"
        )
    chip = item.chip
    density = chip.performance_density
    below = (
        f"below 3A090/4A090: {chip.eccn_below_3a090}"
        if chip.eccn_below_3a090
        else "below 3A090/4A090, ECCN not in the catalog"
    )
    eccn = item.eccn or below
    what = (
        f"{item.name}: {item.chips_per_unit} x {chip.name}, "
        if item.is_system
        else f"{item.name}: "
    )
    pd_text = f"{density:.2f}" if density is not None else "unknown"
    tpp_text = tpp(chip.tpp) if chip.tpp is not None else "unknown"
    message = (
        f"{what}TPP {tpp_text} per chip ({chip.tpp_basis}), performance density "
        f"{pd_text}, {'datacenter' if chip.datacenter else 'not designed for datacenters'}"
        f" -> {eccn} ({'; '.join(item.classification.reasons)})"
    )
    if listing:
        message += f"; {listing}"
    if item.classification.undetermined:
        message += f"; undetermined: {', '.join(item.classification.undetermined)}"
    if chip.unconfirmed:
        message += f"; unconfirmed figures: {', '.join(chip.unconfirmed)}"
    unconfirmed = tuple(f"catalog {chip.name}: {u}" for u in chip.unconfirmed)
    if (chip.tpp is None and not chip.hbm) or item.classification.undetermined:
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message=_undetermined_message(item),
            unconfirmed=unconfirmed,
        )
    yield ctx.finding(
        effect=Effect.NOTE,
        message=message,
        numbers={
            "tpp_per_chip": chip.tpp,
            "performance_density": density,
            "eccn": item.eccn,
            "paragraph": item.classification.paragraph,
            "h100e_per_unit": item.h100e_per_unit,
            "sources": list(chip.sources),
        },
        unconfirmed=unconfirmed,
    )
