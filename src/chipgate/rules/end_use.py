"""End-use and end-user controls of 15 CFR part 744, read from the order's declared
end uses (``end_use``) and destination.

Sources: 15 CFR 744.2-744.4 (nuclear, missile, chemical and biological weapons end
uses: the ``wmd`` end use), 744.21 (military end uses and end users, for the
countries and the Supplement No. 2 to part 744 items it names on the order's date),
744.22 (military-intelligence end uses and end users), 744.23(a)(1) and (a)(2)
(supercomputer and advanced-node IC end uses, from 87 FR 62186) and 744.6 (support by
US persons). Each is a knowledge-based control: the order's declared end use is the
knowledge. Which countries, items, end uses and review policies apply is regime data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chipgate.orders.model import EndUse, Kind
from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule


def _declared(ctx: RuleContext, wanted: Iterable[str]) -> list[str]:
    """The order's declared end uses among ``wanted``, sorted."""
    names = set(wanted)
    return sorted(u.value for u in ctx.order.end_use if u.value in names)


def _moves_item(ctx: RuleContext) -> bool:
    """An export, reexport or transfer (in-country) of an item subject to the EAR:
    a catalog item, or closed model weights (technology); published (open) weights
    are not subject to the EAR."""
    if ctx.order.kind.value not in ctx.view.value("enduse.item_kinds"):
        return False
    if ctx.order.kind is Kind.MODEL_WEIGHTS:
        return not ctx.order.open_weights
    return ctx.item is not None


def _published(ctx: RuleContext, what: str) -> Iterator[Finding]:
    """A note that a declared end use does not reach published (open) weights."""
    order = ctx.order
    if order.kind is not Kind.MODEL_WEIGHTS or not order.open_weights:
        return
    if order.kind.value not in ctx.view.value("enduse.item_kinds"):
        return
    if ctx.view.value("enduse.published_not_subject"):
        yield ctx.finding(
            Effect.NOTE,
            (
                f"declared {what}: the model weights are published (open), which are "
                "not subject to the EAR, so this end-use control does not reach them"
            ),
        )


def _on_ccl(ctx: RuleContext) -> bool | None:
    """Whether the item is on the Commerce Control List (``None``: not known)."""
    eccn = ctx.item.ccl_eccn if ctx.item else None
    if eccn is None:
        return None
    return eccn != "EAR99"


def _item_text(ctx: RuleContext) -> str:
    item = ctx.item
    if item is None:
        if ctx.order.kind is Kind.MODEL_WEIGHTS:
            return "this export of model weights (technology; ECCN not known)"
        return "the service"
    return f"{item.name} ({item.ccl_eccn or 'ECCN not known'})"


def _requirement(
    ctx: RuleContext, message: str, policy_param: str, uses: Iterable[str]
) -> Finding:
    """A license requirement raised by the declared end uses ``uses`` (a license
    lifts it only if granted for them: ``rules.licenses``)."""
    return ctx.finding(
        Effect.REQUIREMENT,
        message,
        review_policy=policy(ctx.view.value(policy_param)),
        exceptions=frozenset({"LICENSE"}),
        end_uses=frozenset(uses),
    )


@rule("EUC.WMD", "Nuclear, missile, chemical and biological weapons end uses")
def wmd_end_use(ctx: RuleContext) -> Iterator[Finding]:
    """Any item subject to the EAR, anywhere, with knowledge of a WMD end use."""
    if not ctx.order.end_use:
        return
    uses = _declared(ctx, ctx.view.value("enduse.wmd_end_uses"))
    if not uses:
        return
    if not _moves_item(ctx):
        yield from _published(ctx, f"{', '.join(uses)} end use")
        return
    yield _requirement(
        ctx,
        (
            f"declared {', '.join(uses)} end use: {_item_text(ctx)} needs a license to "
            f"any destination (nuclear, missile, chemical or biological weapons "
            f"end-use controls); no license exception applies"
        ),
        "enduse.wmd_review_policy",
        uses,
    )


@rule("EUC.MEU", "Military end uses and end users in the countries 744.21 names")
def military_end_use(ctx: RuleContext) -> Iterator[Finding]:
    """Listed items (or all items, for some countries) for military end uses there."""
    if EndUse.MILITARY not in ctx.order.end_use:
        return
    scope = ctx.view.value_or(f"enduse.meu.{ctx.destination}", None)
    if scope is None:
        return
    if not _moves_item(ctx):
        yield from _published(ctx, f"military end use in {ctx.order.destination}")
        return
    text = _item_text(ctx)
    if scope["items"] == "listed":
        eccn = ctx.item.ccl_eccn if ctx.item else None
        listed = ctx.view.value("enduse.meu_listed_eccns")
        if eccn is None:
            yield ctx.finding(
                Effect.RED_FLAG,
                (
                    f"military end use or end user in {ctx.order.destination}: the ECCN "
                    f"of {text} is not known, and a license is needed if it is listed "
                    "in Supplement No. 2 to part 744; classify it before shipping"
                ),
            )
            return
        if eccn == "EAR99" or not any(eccn.startswith(e) for e in listed):
            yield ctx.finding(
                Effect.NOTE,
                (
                    f"military end use or end user in {ctx.order.destination}: {text} "
                    "is not listed in Supplement No. 2 to part 744, so the military "
                    "end-use control does not reach it"
                ),
            )
            return
    yield _requirement(
        ctx,
        (
            f"declared military end use or end user in {ctx.order.destination}: "
            f"{text} needs a license ({scope['reach']})"
        ),
        "enduse.meu_review_policy",
        [EndUse.MILITARY.value],
    )


@rule("EUC.MIEU", "Military-intelligence end uses and end users")
def military_intelligence(ctx: RuleContext) -> Iterator[Finding]:
    """Any item subject to the EAR for military intelligence in the named countries."""
    if EndUse.MILITARY_INTELLIGENCE not in ctx.order.end_use:
        return
    if not ctx.in_scope(ctx.destination, ctx.view.value("enduse.mieu_scope")):
        return
    if not _moves_item(ctx):
        yield from _published(ctx, "military-intelligence end use")
        return
    yield _requirement(
        ctx,
        (
            f"declared military-intelligence end use or end user in "
            f"{ctx.order.destination}: {_item_text(ctx)} needs a license"
        ),
        "enduse.mieu_review_policy",
        [EndUse.MILITARY_INTELLIGENCE.value],
    )


def _advanced_computing_end_use(
    ctx: RuleContext, end_use: EndUse, what: str
) -> Iterator[Finding]:
    """744.23(a)(1)/(a)(2): CCL items for supercomputers or advanced-node ICs there."""
    if end_use not in ctx.order.end_use or not _moves_item(ctx):
        return
    if not ctx.in_scope(ctx.destination, ctx.view.value("ac.enduse_scope")):
        return
    on_ccl = _on_ccl(ctx)
    if on_ccl is False:
        yield ctx.finding(
            Effect.NOTE,
            f"{what} in {ctx.order.destination}: {_item_text(ctx)} is EAR99, which "
            "this control does not reach",
        )
        return
    if ctx.item is None and ctx.order.kind is Kind.MODEL_WEIGHTS:
        # 744.23(a) reaches items on the CCL only; weights carry no ECCN here
        # (4E091 left with the AI Diffusion rule), so they are not taken as listed
        yield ctx.finding(
            Effect.RED_FLAG,
            f"declared {what} in {ctx.order.destination}: {_item_text(ctx)} is "
            "reached by this control only if it is on the Commerce Control List; "
            "classify the weights before they are sent",
        )
        return
    unknown = (
        " (the item's ECCN is not known: treated as listed)" if on_ccl is None else ""
    )
    yield _requirement(
        ctx,
        (
            f"declared {what} in {ctx.order.destination}: {_item_text(ctx)} needs a "
            f"license{unknown}"
        ),
        "ac.enduse_review_policy",
        [end_use.value],
    )


@rule("EUC.SUPERCOMPUTER", "Supercomputer end uses (744.23(a)(1))")
def supercomputer_end_use(ctx: RuleContext) -> Iterator[Finding]:
    """Items on the CCL for a supercomputer in D:5 or Macau (China only in 2022)."""
    yield from _advanced_computing_end_use(
        ctx, EndUse.SUPERCOMPUTER, "supercomputer end use"
    )


@rule("EUC.ADVANCED_IC", "Advanced-node IC development or production (744.23(a)(2))")
def advanced_ic_end_use(ctx: RuleContext) -> Iterator[Finding]:
    """Items on the CCL for making advanced-node ICs in D:5 or Macau (China in 2022)."""
    yield from _advanced_computing_end_use(
        ctx, EndUse.IC_PRODUCTION, "advanced-node IC development or production"
    )


@rule("EUC.US_PERSON", "Support by US persons (744.6)")
def us_person_support(ctx: RuleContext) -> Iterator[Finding]:
    """Services (IaaS compute, servicing) by a US person for the controlled end uses."""
    if not ctx.order.end_use or ctx.order.kind.value not in ctx.view.value(
        "enduse.us_person_kinds"
    ):
        return
    uses = _declared(ctx, ctx.view.value("enduse.us_person_end_uses"))
    reached: list[str] = []
    for use in uses:
        if use == EndUse.WMD.value:
            reached.append(use)
        elif use == EndUse.MILITARY_INTELLIGENCE.value:
            if ctx.in_scope(ctx.destination, ctx.view.value("enduse.mieu_scope")):
                reached.append(use)
        elif ctx.in_scope(ctx.destination, ctx.view.value("ac.us_person_scope")):
            reached.append(use)
    if not reached:
        return
    yield _requirement(
        ctx,
        (
            f"{ctx.order.kind.value} service for a declared {', '.join(reached)} end use "
            f"({ctx.order.destination}): a US person may not support it without a "
            "license, whether or not an item subject to the EAR moves"
        ),
        "enduse.us_person_review_policy",
        reached,
    )
