"""Compute flags: what a customer's estimated compute means under the law of a day.

Pure functions over one customer's compute summary, its register facts and resolved
regime views; every flag carries the citations of the rule and parameters it read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chipgate.diligence.law import cited, classify_hq, country_in, scope_text
from chipgate.regimes.view import RegimeView

THRESHOLD_PARAM = "4e091.training_operations_above"


@dataclass(frozen=True, slots=True)
class CustomerLaw:
    """The register facts the compute flags read."""

    headquarters: str | None
    parent_headquarters: str | None
    parent_share: float | None
    declared_uses: frozenset[str]


def _rule_citations(view: RegimeView, code: str, *params: str) -> list[str]:
    found = [c.render() for c in view.rules.get(code, ())]
    for name in params:
        if name in view.params:
            found += cited(view.param(name))
    return list(dict.fromkeys(found))


def training_flags(
    summary: Mapping[str, Any], facts: CustomerLaw, view: RegimeView
) -> list[dict[str, Any]]:
    """Training for a D:5/Macau party, and training with a nexus the law names."""
    training = int(summary.get("training_jobs", 0)) > 0 or bool(
        summary.get("sustained")
    )
    if not training or "training.hq_scope" not in view.params:
        return []
    scope = view.value("training.hq_scope")
    nexus_names = set(view.value_or("training.nexus", []))
    nexus = sorted(facts.declared_uses & nexus_names)
    where = scope_text(scope)
    hq = classify_hq(
        facts.headquarters, facts.parent_headquarters, facts.parent_share, view
    )
    of_concern = hq.of_concern or country_in(view, facts.headquarters, scope)
    signal = f"{summary.get('training_jobs', 0)} training-scale job(s)" + (
        ", sustained use" if summary.get("sustained") else ""
    )
    flags: list[dict[str, Any]] = []
    if of_concern:
        citations = _rule_citations(
            view, "TRAIN.D5", "training.hq_scope", "training.nexus"
        ) + list(hq.citations)
        if nexus:
            message = (
                f"{signal} for a customer ({hq.reason}), declared {', '.join(nexus)}: "
                f"training AI models for a {where} party with that nexus needs a "
                f"licence (review: {view.value_or('training.review_policy', 'unknown')})"
            )
        else:
            message = (
                f"{signal} for a customer ({hq.reason}): training for a {where} party is "
                "a red flag; with knowledge of a WMD or military-intelligence nexus a "
                "licence is required"
            )
        flags.append(
            {
                "code": "TRAIN.D5",
                "regime": view.label,
                "message": message,
                "citations": list(dict.fromkeys(citations)),
            }
        )
    elif nexus:
        flags.append(
            {
                "code": "TRAIN.NEXUS",
                "regime": view.label,
                "message": (
                    f"{signal} with a declared {', '.join(nexus)} use: the end-use "
                    "catch-alls reach such training; resolve before continuing"
                ),
                "citations": _rule_citations(view, "TRAIN.D5", "training.nexus"),
            }
        )
    return flags


def threshold_flags(
    summary: Mapping[str, Any], views: Sequence[RegimeView]
) -> list[dict[str, Any]]:
    """Training operations at or above a regime's threshold (a dated parameter)."""
    flags: list[dict[str, Any]] = []
    for view in views:
        if THRESHOLD_PARAM not in view.params:
            continue
        param = view.param(THRESHOLD_PARAM)
        limit = float(param.value)
        estimated = float(summary.get("training_estimated_operations") or 0.0)
        peak = float(summary.get("training_peak_operations") or 0.0)
        if estimated >= limit:
            how = f"estimated {estimated:.3e} operations reach"
        elif peak >= limit:
            how = f"the peak bound {peak:.3e} (estimate {estimated:.3e}) may reach"
        else:
            continue
        flags.append(
            {
                "code": "OPS.THRESHOLD",
                "regime": view.label,
                "message": (
                    f"training-scale jobs: {how} {limit:.0e} operations, the "
                    f"{view.label} threshold for controlled model weights "
                    f"({THRESHOLD_PARAM}, as of {view.day})"
                    + (f"; {param.note}" if param.note else "")
                ),
                "citations": cited(param),
            }
        )
    return flags
