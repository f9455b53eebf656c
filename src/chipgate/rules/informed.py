"""'Is-informed' letters: license requirements BIS imposed on named makers by letter.

Source: NVIDIA Form 8-K of April 9, 2025 (H20) and AMD's filings of April 2025
(MI308). The letters bind the makers that received them, not the rule text, so for
anyone else shipping these items they are a red flag: confirm the maker's license.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.rules.base import Effect, Finding, RuleContext, rule
from chipgate.rules.helpers import parties_headquartered_in


@rule("INFORMED.LETTERS", "Items under is-informed letters")
def informed_letters(ctx: RuleContext) -> Iterator[Finding]:
    """Flag items a maker was told need a license to the letter's destinations."""
    item = ctx.item
    if item is None:
        return
    for letter in ctx.view.value_or("informed.letters", ()):
        if item.chip.name not in letter["items"]:
            continue
        scope = letter["scope"]
        to_scope = ctx.country_matches(ctx.destination, scope)
        if not to_scope and not any(parties_headquartered_in(ctx, scope)):
            continue
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message=(
                f"{letter['holder']} was informed by BIS that {item.chip.name} needs a "
                f"license to {letter['scope_text']}: confirm that the supplier holds one"
            ),
        )
