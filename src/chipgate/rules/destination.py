"""License requirements of the advanced-computing rules by destination and headquarters.

Source: 15 CFR 742.6(a)(6)(iii) and (b)(10) as revised by 88 FR 73458 (Oct. 25, 2023),
the headquarters requirement first at 15 CFR 744.23(a)(3) (now 742.6(a)(6)(iii)(A)),
and the China review band of 91 FR 1684 (Jan. 15, 2026). Which countries, items and
policies apply comes from the regime data; these functions only apply it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from chipgate.findings import ItemFacts
from chipgate.regimes.library import RegimeLibrary
from chipgate.regimes.ownership import share_minimum
from chipgate.rules.base import (
    Effect,
    Finding,
    ReviewPolicy,
    RuleContext,
    policy,
    rule,
)
from chipgate.rules.helpers import (
    describe_party,
    headquartered_parties,
    minority_parents,
    name_words,
    parties_headquartered_in,
    same_name,
    tpp,
)


def _controlled(ctx: RuleContext, kinds_param: str, eccns_param: str) -> bool:
    item = ctx.item
    if item is None or item.eccn is None:
        return False
    if ctx.order.kind.value not in ctx.view.value(kinds_param):
        return False
    return item.eccn in ctx.view.value(eccns_param)


def in_destination_scope(ctx: RuleContext, scope: Mapping[str, Any]) -> bool:
    """Destination named by ``{countries, groups, except_groups}``."""
    return ctx.in_scope(ctx.destination, scope)


EXCLUDED_END_USES = "ac.review_band_excluded_end_uses"


def _unmet_end_uses(ctx: RuleContext) -> tuple[list[str], str]:
    """Declared end uses that keep an order out of the review bands, and the
    band condition they fail.

    The exclusion is read (and so cited, with its doubt) only when the order
    declares one of its end uses: an order in the band otherwise rests on it no more
    than on any other condition it does not meet.
    """
    declared = {u.value for u in ctx.order.end_use}
    if not declared:
        return [], ""
    for name, excluded in ctx.view.candidates(EXCLUDED_END_USES):
        hit = sorted(declared & set(excluded["end_uses"]))
        if hit:
            ctx.view.param(name)
            return hit, str(excluded["condition"])
    return [], ""


def band_figures(item: ItemFacts) -> tuple[float | None, float | None]:
    """(TPP, total DRAM bandwidth) of the commodity as a whole, as the review bands
    measure it: a chip's own, a computer's summed over its chips.

    91 FR 1684 speaks of "commodities" with a TPP and a *total* DRAM bandwidth, so an
    8-GPU server is measured by its eight GPUs together, not by one of them (which put
    whole servers of H100s in the China case-by-case band).
    """
    chip, count = item.chip, item.chips_per_unit
    tpp_total = chip.tpp * count if chip.tpp is not None else None
    bandwidth = chip.memory_bandwidth_gbs
    return tpp_total, bandwidth * count if bandwidth is not None else None


def _band(ctx: RuleContext) -> Mapping[str, Any] | None:
    """The first review band (e.g. 91 FR 1684) the order's item falls in, if any
    (whether the order meets the band's end-use condition is ``_band_review``'s)."""
    item = ctx.item
    if item is None:
        return None
    tpp_total, bandwidth = band_figures(item)
    for band in ctx.view.value_or("ac.review_policy_bands", ()):
        if ctx.destination not in band["countries"]:
            continue
        if ctx.order.kind.value not in band["kinds"]:
            continue
        if tpp_total is None or tpp_total >= band["tpp_below"]:
            continue
        if bandwidth is None or bandwidth >= band["memory_bandwidth_below"]:
            continue
        found: Mapping[str, Any] = band
        return found
    return None


def _band_obligations(ctx: RuleContext, band: Mapping[str, Any]) -> tuple[str, ...]:
    """The band's certifications, then the conditions only reported for it."""
    reported = ctx.view.value_or("ac.review_band_reported", ())
    return (*band.get("obligations", ()), *reported)


def _band_review(
    ctx: RuleContext, review: ReviewPolicy
) -> tuple[ReviewPolicy, tuple[str, ...], str]:
    """(review, obligations, note) once the review bands are applied to ``review``.

    An order whose item is in a band but that declares an end use the band excludes
    keeps ``review`` (e.g. the presumption of denial), and the note says why.
    """
    band = _band(ctx)
    if band is None:
        return review, (), ""
    assert ctx.item is not None
    tpp_total, bandwidth = band_figures(ctx.item)
    figures = (
        f"TPP {tpp(tpp_total or 0)} < {tpp(band['tpp_below'])} and total DRAM "
        f"bandwidth {bandwidth or 0:,.0f} GB/s < "
        f"{band['memory_bandwidth_below']:,} GB/s"
    )
    unmet, condition = _unmet_end_uses(ctx)
    if unmet:
        return (
            review,
            (),
            (
                f"; {figures}, but the declared {', '.join(unmet)} end use keeps it "
                f"out of the {band['name']} band ({condition})"
            ),
        )
    note = f"; {figures} put it in the {band['name']} band"
    return policy(band["policy"]), _band_obligations(ctx, band), note


LISTED_RECIPIENTS = "ac.destination_listed_recipients"
"""Recipients that receive advanced-computing items in their country without a
license (e.g. the UAE entities of Supplement No. 8 to part 740), by name."""


ListedEntry = tuple[str, str, str]
"""(country, list, the dated value's window ``since..until``) of a listed entry."""
ListedEntries = Mapping[tuple[str, ...], frozenset[ListedEntry]]
"""Name words of a listed recipient -> the dated entries naming it."""


def listed_recipient_entries(library: RegimeLibrary) -> ListedEntries:
    """For the name words of every recipient some pack lists under
    ``LISTED_RECIPIENTS``, the entries (country, list, dated window) that name it.

    The rule below reads party *names*, which shared decisions otherwise ignore, and
    lifts the requirement only when every party is on one entry of the destination:
    the engine keys a party by the entries its name is on, so an order never borrows
    the decision of one whose parties are listed elsewhere (another country, another
    list) or not at all. The window is part of an entry because a list changes:
    a party named only in the entry's old value must not borrow the decision of
    one named only in its new value.
    """
    entries: dict[tuple[str, ...], set[ListedEntry]] = {}
    for pack in library.packs.values():
        if LISTED_RECIPIENTS not in pack.parameters:
            continue
        for dated in pack.parameters[LISTED_RECIPIENTS].values:
            window = f"{dated.since or ''}..{dated.until or ''}"
            for entry in dated.value:
                for name in entry["names"]:
                    entries.setdefault(name_words(name), set()).add(
                        (entry["country"], entry["list"], window)
                    )
    return {words: frozenset(found) for words, found in entries.items()}


def _listed_recipient(ctx: RuleContext) -> Mapping[str, Any] | None:
    """The list entry every named party of the order is on, in its country, if any.

    Peeks without recording (``candidates``) and records the parameter only when it
    decides, so its doubt reaches the orders it lifts and no other.
    """
    named = [party.name for _, party in ctx.order.parties if party.name]
    if not named or not ctx.order.consignee.name:
        # an unnamed consignee is no listed recipient: the goods may go anywhere
        return None
    for name, entries in ctx.view.candidates(LISTED_RECIPIENTS):
        for entry in entries:
            if ctx.destination != entry["country"]:
                continue
            if all(
                any(same_name(n, listed) for listed in entry["names"]) for n in named
            ):
                ctx.view.param(name)
                found: Mapping[str, Any] = entry
                return found
    return None


def _destination_policy(ctx: RuleContext) -> ReviewPolicy:
    table = ctx.view.value("ac.destination_review_policy")
    family = ctx.item.eccn if ctx.item else None
    for entry in table["rules"]:
        families = entry.get("families")
        if families and family not in families:
            continue
        if ctx.country_matches(ctx.destination, entry):
            return policy(entry["policy"])
    return policy(table["default"])


@rule("AC.DEST", "License requirement for advanced-computing items by destination")
def destination_requirement(ctx: RuleContext) -> Iterator[Finding]:
    """Items of 3A090/4A090 to D:1, D:4, D:5 (not also A:5/A:6) or Macau need a license."""
    if not _controlled(ctx, "ac.license_kinds", "ac.controlled_eccns"):
        return
    scope = ctx.view.value("ac.destination_scope")
    if not in_destination_scope(ctx, scope):
        return
    assert ctx.item is not None
    listed = _listed_recipient(ctx)
    if listed is not None:
        yield ctx.finding(
            effect=Effect.NOTE,
            message=(
                f"{ctx.item.eccn_shown} item to {ctx.order.destination}: every named "
                f"party is on {listed['list']} ({', '.join(listed['names'])}), which "
                "receives advanced-computing items there without a license; the "
                "names are reported, not read in the list itself"
            ),
        )
        return
    review, obligations, band_note = _band_review(ctx, _destination_policy(ctx))
    groups = sorted(ctx.countries.groups_of(ctx.destination, ctx.day))
    yield ctx.finding(
        effect=Effect.REQUIREMENT,
        message=(
            f"{ctx.item.eccn_shown} item to {ctx.order.destination} "
            f"({', '.join(groups) or 'named country'}) needs a license "
            f"({ctx.order.kind.value}); review: {review.value}{band_note}"
        ),
        numbers={"destination_groups": groups},
        review_policy=review,
        exceptions=frozenset(ctx.view.value("ac.destination_exceptions")),
        obligations=obligations,
    )


def _minority_parent_flags(
    ctx: RuleContext, scope: Mapping[str, Any]
) -> Iterator[Finding]:
    """A red flag for each parent HQ'd in the scope that holds less than the minimum.

    Below ``ac.hq_parent_share_min`` a parent is not the ultimate parent by
    ownership, so it triggers no license (the customer register clears the same
    structure); it may still be the ultimate parent through control, which an
    order does not show, so the exporter is told to find out.
    """
    for role, party, country in minority_parents(ctx, scope):
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message=(
                f"{describe_party(role, party, country)} holds "
                f"{party.parent_share or 0:g} %, below the "
                f"{share_minimum(ctx.view) or 0:g} % from which a parent counts as the "
                "ultimate parent, so it makes no headquarters license requirement; "
                "it may still be the ultimate parent through control, which the "
                f"order does not show: find out who controls the "
                f"{role.removesuffix(' parent')}"
            ),
        )


@rule("AC.HQ", "License requirement for parties headquartered in D:5 or Macau")
def headquarters_requirement(ctx: RuleContext) -> Iterator[Finding]:
    """A party (or its ultimate parent) HQ'd in D:5 or Macau needs a license anywhere.

    The requirement reaches the items of ``ac.hq_controlled_eccns`` (3A090.a/.b,
    4A090.a/.b and their .z items), not every advanced-computing item: an HBM stack
    (3A090.c) for such a party gets a red flag with the doubt instead
    (``_unreached_note``).
    """
    if not _controlled(ctx, "ac.license_kinds", "ac.hq_controlled_eccns"):
        yield from _unreached_note(ctx)
        return
    exempt = ctx.view.value("ac.hq_exempt_destinations")
    if ctx.country_matches(ctx.destination, exempt):
        return
    scope = ctx.view.value("ac.hq_scope")
    yield from _minority_parent_flags(ctx, scope)
    who = headquartered_parties(ctx, scope)
    if not who:
        return
    assert ctx.item is not None
    review, obligations, _note = _band_review(
        ctx, policy(ctx.view.value("ac.hq_review_policy"))
    )
    yield ctx.finding(
        effect=Effect.REQUIREMENT,
        message=(
            f"{ctx.item.eccn_shown} item for {who}: parties headquartered in, or whose "
            f"ultimate parent is headquartered in, D:5 or Macau need a license wherever "
            f"the item goes (destination {ctx.order.destination}); review: {review.value}"
        ),
        review_policy=review,
        exceptions=frozenset(ctx.view.value("ac.hq_exceptions")),
        obligations=obligations,
    )


def _unreached_note(ctx: RuleContext) -> Iterator[Finding]:
    """A red flag for an item the headquarters requirement is read as not reaching
    (``ac.hq_unreached_eccns``, e.g. 3A090.c), ordered for a D:5/Macau-headquartered
    party: the decision names the reading and its doubt rather than staying silent.

    The order's kind is checked first: an order that is no export, reexport or
    transfer (``ac.license_kinds``) is outside the requirement whatever its item, so
    a flag blaming the item would give the wrong reason.
    """
    if ctx.order.kind.value not in ctx.view.value("ac.license_kinds"):
        return
    item = ctx.item
    if item is None or item.eccn is None:
        return
    if item.eccn not in ctx.view.value_or("ac.hq_unreached_eccns", ()):
        return
    if ctx.country_matches(
        ctx.destination, ctx.view.value("ac.hq_exempt_destinations")
    ):
        return
    who = headquartered_parties(ctx, ctx.view.value("ac.hq_scope"))
    if not who:
        return
    # a red flag, not a note: the doubt is read the permissive way, so the order
    # is held for a person to settle it (the case triggers open one on a red flag)
    reached = ", ".join(ctx.view.value("ac.hq_controlled_eccns"))
    yield ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"{item.eccn} item for {who}: the headquarters license requirement is read "
            f"as reaching {reached} only, so it adds no license here; a secondary "
            "reading of 89 FR 96790 extends it to HBM: hold the order until that is "
            "confirmed"
        ),
    )


@rule("AC.HQ_SERVICE", "Continued use and servicing by bona fide data centres")
def headquarters_servicing(ctx: RuleContext) -> Iterator[Finding]:
    """BIS lets bona fide data centres keep using and servicing items already there."""
    if ctx.order.kind.value not in ("use",) or ctx.item is None:
        return
    hits = list(parties_headquartered_in(ctx, ctx.view.value("ac.hq_scope")))
    if not hits:
        return
    yield ctx.finding(
        effect=Effect.NOTE,
        message=(
            "continued use, storage, disposal or servicing of items already in place by "
            "a bona fide data-centre operator need not stop until further notice"
        ),
    )
