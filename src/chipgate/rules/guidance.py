"""BIS guidance of May 13, 2025: PRC advanced ICs (GP10), AI training, IaaS, transfers.

Sources: BIS press release and guidance documents of 2025-05-13 (revised 2025-05-16),
15 CFR 736.2(b)(10) (General Prohibition 10), 15 CFR 744.22/744.23 (catch-alls) and
744.6 (US-person support). The press release first said that using Huawei Ascend chips
anywhere violates the EAR; BIS revised it to a warning of risk. chipgate therefore
holds the transaction as ``license_required`` (General Prohibition 10 bars going
ahead with knowledge of a violation unless BIS authorizes it, 15 CFR 736.2(b)(10),
and knowledge includes awareness of a high probability, 15 CFR 772.1), says it is a
GP10 risk to clear rather than a ban, and lets the user record the evidence that
removes the knowledge, rather than calling it prohibited per se.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.orders.model import AuthorizationKind, EndUse, Kind
from chipgate.rules.base import Effect, Finding, RuleContext, policy, rule
from chipgate.rules.helpers import headquartered_parties


def _gp10_covered(ctx: RuleContext) -> str | None:
    item = ctx.item
    if item is None:
        return None
    covered = ctx.view.value("gp10.covered_models")
    if item.chip.name in covered:
        return f"{item.chip.name} is named in the guidance"
    designers = ctx.view.value("gp10.designer_countries")
    if item.chip.designer_country in designers and item.chip_family in ctx.view.value(
        "gp10.families"
    ):
        return (
            f"{item.chip.name} is a {item.chip_family} IC designed in "
            f"{item.chip.designer_country}"
        )
    return None


@rule("GP10.PRC_IC", "General Prohibition 10 and PRC advanced-computing ICs")
def prc_advanced_ics(ctx: RuleContext) -> Iterator[Finding]:
    """Stop any dealing in Huawei Ascend and like PRC ICs until the user clears it."""
    reason = _gp10_covered(ctx)
    if reason is None:
        return
    if ctx.order.end_use == {EndUse.TEARDOWN}:
        # The guidance spares acquisition *only* for technical analysis or
        # evaluation: a teardown declared beside any other end use is not that.
        yield ctx.finding(
            effect=Effect.NOTE,
            message=(
                f"{reason}; acquisition only for technical analysis or evaluation "
                "(teardown) is not pursued by BIS"
            ),
        )
        return
    evidence = ctx.order.named(AuthorizationKind.GP10_EVIDENCE)
    if evidence:
        refs = ", ".join(e.reference for e in evidence)
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message=(
                f"{reason}; cleared by recorded evidence that it was made with every "
                f"required authorization ({refs}): keep it on file"
            ),
        )
        return
    yield ctx.finding(
        effect=Effect.REQUIREMENT,
        message=(
            f"{reason}: a General Prohibition 10 risk to clear, not a ban. BIS warns "
            "it was very likely produced in violation of the EAR, and GP10 bars using, "
            "selling, transferring, financing or servicing it with knowledge of a "
            "violation, which includes awareness of a high probability (15 CFR 772.1). "
            "Do not go ahead until it is cleared: by evidence that every required "
            "authorization existed, recorded as GP10-EVIDENCE:<reference>, or by a BIS "
            "authorization (no review policy is published)"
            + (
                " (a teardown declared beside other end uses is not acquisition only "
                "for analysis)"
                if EndUse.TEARDOWN in ctx.order.end_use
                else ""
            )
        ),
        exceptions=frozenset({"LICENSE"}),
        obligations=("ask the supplier to confirm the authorizations it held",),
    )


@rule("TRAIN.D5", "Training AI models for parties headquartered in D:5 or Macau")
def training_for_countries_of_concern(ctx: RuleContext) -> Iterator[Finding]:
    """Knowledge of training for D:5/Macau parties: a license with a nexus, else a flag."""
    order = ctx.order
    if EndUse.TRAINING not in order.end_use:
        return
    if order.kind is not Kind.CLOUD and (
        ctx.item is None or ctx.item.eccn not in ctx.view.value("ac.controlled_eccns")
    ):
        return
    who = headquartered_parties(ctx, ctx.view.value("training.hq_scope"))
    if not who:
        return
    nexus = sorted(
        u.value for u in order.end_use if u.value in ctx.view.value("training.nexus")
    )
    if nexus:
        yield ctx.finding(
            effect=Effect.REQUIREMENT,
            message=(
                f"known to train AI models for {who} with a {', '.join(nexus)} nexus: "
                "a license is required (end-use catch-all), wherever the compute sits, "
                "including IaaS"
            ),
            review_policy=policy(ctx.view.value("training.review_policy")),
            exceptions=frozenset({"LICENSE"}),
            end_uses=frozenset([EndUse.TRAINING.value, *nexus]),
        )
        return
    yield ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"compute used to train AI models for {who}: resolve before proceeding; a "
            "license is required once there is knowledge of a WMD or "
            "military-intelligence end use or end user"
        ),
    )


@rule("IAAS.D5", "IaaS customers headquartered in D:5 or Macau")
def iaas_customers(ctx: RuleContext) -> Iterator[Finding]:
    """Cloud service to a D:5/Macau-headquartered customer is a diversion red flag."""
    if ctx.order.kind is not Kind.CLOUD:
        return
    who = headquartered_parties(ctx, ctx.view.value("training.hq_scope"))
    if not who or EndUse.TRAINING in ctx.order.end_use:
        return
    yield ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"IaaS customer {who}: evaluate the workload; training models for it would "
            "need scrutiny under the May 2025 guidance"
        ),
    )


@rule("PARTIES.UNNAMED", "Items shipped to no named consignee or end user")
def unnamed_parties(ctx: RuleContext) -> Iterator[Finding]:
    """Flag an export or reexport of an item that names neither its consignee nor
    its end user: nobody could be screened, and the order says nothing of where the
    item ends up (a transfer's unnamed end user is flagged by XFER.INCOUNTRY)."""
    order = ctx.order
    if order.kind not in (Kind.EXPORT, Kind.REEXPORT) or ctx.item is None:
        return
    if order.consignee.name or order.end_user.name:
        return
    yield ctx.finding(
        effect=Effect.RED_FLAG,
        message=(
            f"{order.kind.value} of {ctx.item.name} naming no consignee and no end "
            "user: no party could be screened; know the customer before shipping"
        ),
    )


@rule("XFER.INCOUNTRY", "Transfers (in-country) of advanced-computing items")
def in_country_transfer(ctx: RuleContext) -> Iterator[Finding]:
    """Explain what governs a transfer inside one country, and flag unknown recipients."""
    order = ctx.order
    if order.kind is not Kind.TRANSFER or ctx.item is None:
        return
    if ctx.item.eccn not in ctx.view.value("ac.controlled_eccns"):
        return
    if not order.end_user.name:
        yield ctx.finding(
            effect=Effect.RED_FLAG,
            message="transfer of advanced-computing items to an unnamed end user",
        )
    yield ctx.finding(
        effect=Effect.NOTE,
        message=(
            f"transfer (in-country) within {order.destination}: there is no stand-alone "
            "rule on stockpiles; the destination and headquarters requirements decide"
        ),
    )
