"""License Exceptions NAC (Notified Advanced Computing), ACA (Advanced Computing
Authorized) and HBM (high-bandwidth memory).

Sources: 15 CFR 740.8 as revised by 88 FR 73458 and split in two by 89 FR 23876
(Apr. 4, 2024); 15 CFR 740.25 as added by 89 FR 96790 (Dec. 5, 2024). Eligible items,
the density limit, the headquarters HBM does not serve and the destinations that need
a prior notification are regime data.
"""

from __future__ import annotations

from collections.abc import Iterator

from chipgate.rules.base import Effect, Finding, Phase, RuleContext, rule
from chipgate.rules.helpers import describe_party, parties_headquartered_in


def _eligible(ctx: RuleContext) -> bool:
    item = ctx.item
    if item is None:
        return False
    for entry in ctx.view.value("nac.eligible"):
        if item.eccn not in entry["families"]:
            continue
        wanted = entry.get("datacenter")
        if wanted is None or wanted == item.chip.datacenter:
            return True
    return False


@rule("AC.NAC", "License Exceptions NAC and ACA", Phase.AUTHORIZATIONS)
def nac_or_aca(ctx: RuleContext) -> Iterator[Finding]:
    """Lift NAC/ACA-eligible requirements, with a notification where the data says."""
    if not _eligible(ctx):
        return
    notify_scope = ctx.view.value("nac.notify_scope")
    needs_notice = ctx.order.kind.value in ctx.view.value("nac.notify_kinds") and (
        ctx.country_matches(ctx.destination, notify_scope)
        or any(parties_headquartered_in(ctx, notify_scope))
    )
    name = "NAC" if needs_notice else str(ctx.view.value("nac.unnotified_name"))
    covers = tuple(sorted({r.code for r in ctx.requirements if name in r.exceptions}))
    if not covers:
        return
    obligations: tuple[str, ...] = ()
    if needs_notice:
        days = ctx.view.param("nac.notification_days")
        obligations = (
            f"notify BIS of the transaction and wait {days.value} days for a "
            "response before shipping under NAC",
        )
    notice = "" if needs_notice or name != "NAC" else " without a notification"
    label = f"License Exception {name} (15 CFR 740.8)"
    yield ctx.finding(
        effect=Effect.AUTHORIZATION,
        message=f"{label} is available for this item and destination{notice}",
        covers=covers,
        authorization=label,
        priority=40,
        obligations=obligations,
    )


@rule("AC.HBM", "License Exception HBM", Phase.AUTHORIZATIONS)
def hbm_exception(ctx: RuleContext) -> Iterator[Finding]:
    """3A090.c stacks below the density limit may go under License Exception HBM."""
    item = ctx.item
    if item is None or item.eccn is None:
        return
    eligible = ctx.view.value("hbm.eligible")
    density = item.chip.memory_bandwidth_density
    if item.eccn not in eligible["families"] or density is None:
        return
    if density >= eligible["density_below"]:
        yield ctx.finding(
            Effect.NOTE,
            (
                f"License Exception HBM is not available: memory bandwidth density "
                f"{density:.2f} GB/s/mm2 is not below {eligible['density_below']:g}"
            ),
        )
        return
    covers = tuple(sorted({r.code for r in ctx.requirements if "HBM" in r.exceptions}))
    if not covers:
        return
    scope = ctx.view.value("hbm.excluded_hq_scope")
    barred = [
        describe_party(r, p, c) for r, p, c in parties_headquartered_in(ctx, scope)
    ]
    if barred:
        yield ctx.finding(
            Effect.NOTE,
            (
                f"License Exception HBM is not available for {'; '.join(barred)}: "
                "740.25 does not serve parties headquartered, or with a parent "
                "headquartered, in D:5 or Macau, so it lifts no requirement here"
            ),
        )
        return
    label = "License Exception HBM (15 CFR 740.25)"
    yield ctx.finding(
        Effect.AUTHORIZATION,
        (
            f"{label}: memory bandwidth density {density:.2f} GB/s/mm2 is below "
            f"{eligible['density_below']:g}"
        ),
        covers=covers,
        authorization=label,
        priority=40,
    )
