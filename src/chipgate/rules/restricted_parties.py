"""Restricted-party screening hits turned into findings.

Sources: Entity List (15 CFR 744.11, Supplement No. 4 to part 744), Military End-User
List (744.21, Supplement No. 7), Unverified List (744.15), Denied Persons (764.3 and the
denial orders), OFAC SDN (31 CFR chapter V), the affiliates rule (FR Doc
2025-19001). The effect of each list is regime data; the screening index supplies hits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from chipgate.citations import Citation
from chipgate.facts import ScreeningHit
from chipgate.orders.model import Party
from chipgate.rules.base import Effect, Finding, ReviewPolicy, RuleContext, policy, rule


def policy_from_text(text: str | None, default: ReviewPolicy) -> ReviewPolicy:
    """Map the Entity List's policy column to a review policy.

    >>> policy_from_text("Presumption of denial.", ReviewPolicy.CASE_BY_CASE).value
    'presumption_of_denial'
    >>> policy_from_text("Case-by-case review", ReviewPolicy.PRESUMPTION_OF_DENIAL).value
    'case_by_case'
    """
    lowered = (text or "").casefold()
    if "denial" in lowered:
        return ReviewPolicy.PRESUMPTION_OF_DENIAL
    if "case-by-case" in lowered or "case by case" in lowered:
        return ReviewPolicy.CASE_BY_CASE
    if "approval" in lowered:
        return ReviewPolicy.PRESUMPTION_OF_APPROVAL
    return default


def _describe(hit: ScreeningHit) -> str:
    text = (
        f"{hit.role or 'party'} {hit.queried_name!r} matches {hit.list_name} entry "
        f"{hit.entry_id} {hit.matched_name!r} (score {hit.score:.2f})"
    )
    footnotes = [f for f in hit.footnotes if f]
    if footnotes:
        text += f", footnotes {', '.join(footnotes)}"
    if hit.listed_from:
        text += f", listed from {hit.listed_from}"
    if hit.list_date:
        text += f" (list of {hit.list_date})"
    return text


def _hit_citations(hit: ScreeningHit) -> tuple[Citation, ...]:
    """The listing's own sources (the law's come from what the rule read)."""
    found: list[Citation] = []
    if hit.federal_register:
        found.append(Citation(cite=hit.federal_register, note="listing"))
    if hit.source_url:
        found.append(Citation(cite=hit.list_name, url=hit.source_url))
    return tuple(found)


def _finding(
    ctx: RuleContext,
    hit: ScreeningHit,
    effect_spec: Mapping[str, Any],
    why: str,
) -> Finding:
    effect = Effect(effect_spec["effect"])
    review = None
    extra = ""
    if effect is Effect.REQUIREMENT:
        default = policy(effect_spec.get("policy", "presumption_of_denial"))
        review = policy_from_text(hit.license_policy, default)
        if hit.license_requirement:
            extra = f"; license requirement: {hit.license_requirement}"
        extra += f"; review: {review.value}"
    return ctx.finding(
        effect=effect,
        message=f"{why}{_describe(hit)}{extra}. {hit.explanation}".strip(),
        citations=_hit_citations(hit),
        numbers={
            "score": round(hit.score, 4),
            "entry": hit.entry_id,
            "list": hit.list_code,
        },
        review_policy=review,
        exceptions=frozenset(effect_spec.get("exceptions", ())),
    )


@rule("SCREEN.LISTS", "Restricted-party list hits")
def listed_parties(ctx: RuleContext) -> Iterator[Finding]:
    """Each confirmed hit takes its list's effect; possible matches, and hits on a
    list the regime gives no effect, are red flags."""
    effects = ctx.view.value("screening.list_effects")
    for hit in ctx.facts.screening:
        if hit.role.endswith("parent"):
            continue
        if not hit.is_hit:
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=f"possible match to resolve: {_describe(hit)}. {hit.explanation}",
                citations=_hit_citations(hit),
                numbers={"score": round(hit.score, 4), "entry": hit.entry_id},
            )
            continue
        spec = effects.get(hit.list_code)
        if spec is not None:
            yield _finding(ctx, hit, spec, "")
            continue
        # A list the regime does not place (an OpenSanctions dataset, a CSL row of
        # no named list): the party is listed, so it is never silently clear.
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message=(
                f"listed on a list whose effect the rules do not know "
                f"({hit.list_code}): {_describe(hit)}. {hit.explanation}"
            ).strip(),
            citations=_hit_citations(hit),
            numbers={"score": round(hit.score, 4), "entry": hit.entry_id},
        )


def _parent(ctx: RuleContext, role: str) -> Party:
    return ctx.order.consignee if role.startswith("consignee") else ctx.order.end_user


@rule("SCREEN.AFFILIATES", "Affiliates of listed parties (50 percent)")
def affiliates(ctx: RuleContext) -> Iterator[Finding]:
    """A party owned at or above the threshold by a listed parent takes its restrictions."""
    spec = ctx.view.value("affiliates.lists")
    minimum = float(ctx.view.value("affiliates.ownership_share_min"))
    for hit in ctx.facts.screening:
        if not hit.role.endswith("parent") or not hit.is_hit:
            continue
        effect_spec = spec.get(hit.list_code)
        party = _parent(ctx, hit.role)
        share = party.parent_share
        if effect_spec is None:
            continue
        if share is None:
            yield ctx.finding(
                effect=Effect.RED_FLAG,
                message=(
                    f"the {hit.role.replace('_parent', '')}'s parent is listed ({_describe(hit)}); ownership "
                    f"share unknown: at {minimum:g} % or more the party is restricted too"
                ),
                citations=_hit_citations(hit),
            )
            continue
        if share < minimum:
            continue
        yield _finding(
            ctx,
            hit,
            effect_spec,
            f"the {hit.role.replace('_parent', '')} is {share:g} % owned by a listed party: ",
        )
