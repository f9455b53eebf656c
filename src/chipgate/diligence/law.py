"""The law the register reads, as of a date: regime view, country groups, citations.

Nothing here holds a legal number: the headquarters scope, the parent share, the
training nexus and the operations thresholds are parameters of the regime packs,
read on the day asked for, each with its citations and ``unconfirmed`` mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from chipgate.citations import Citation
from chipgate.countries.registry import CountryRegistry, default_registry
from chipgate.regimes.library import default_library
from chipgate.regimes.ownership import SHARE_PARAMETER, ParentStanding, parent_standing
from chipgate.regimes.view import RegimeView, Resolved, resolve


@cache
def _countries() -> CountryRegistry:
    return default_registry()


def view_on(day: date, regime: str | None = None) -> RegimeView:
    """The regime in force on ``day`` (or ``regime``), resolved with its overlays."""
    library = default_library()
    regime_id = regime or library.in_force_on(day).id
    return resolve(library, regime_id, day)


def country_in(view: RegimeView, country: str | None, spec: Mapping[str, Any]) -> bool:
    """Whether ``country`` is named by a ``{groups, countries}`` spec on the view's day."""
    if not country:
        return False
    registry = _countries()
    if registry.treated_as(country) in spec.get("countries", ()):
        return True
    return registry.in_any(country, tuple(spec.get("groups", ())), view.day)


def cited(resolved: Resolved) -> list[str]:
    """Citations of a parameter as text, ``(unconfirmed)`` appended where marked."""
    texts = [c.render() for c in resolved.citations]
    if resolved.unconfirmed:
        texts = [f"{t} (unconfirmed)" for t in texts] or ["unconfirmed"]
    return texts


def citation_texts(citations: tuple[Citation, ...]) -> list[str]:
    """Citations as text."""
    return [c.render() for c in citations]


def scope_text(spec: Mapping[str, Any]) -> str:
    """``D:5 or MO`` for a ``{groups, countries}`` spec."""
    return " or ".join([*spec.get("groups", ()), *spec.get("countries", ())])


@dataclass(frozen=True, slots=True)
class HqClass:
    """Where a customer stands under the headquarters rule, and why.

    Attributes:
        code: ``headquartered`` (in the scope), ``parent`` (ultimate parent in the
            scope, share at or above the minimum), ``parent_share_unknown`` (parent in
            the scope, share not given), ``clear`` or ``unknown`` (no headquarters).
        reason: one sentence naming countries, share and minimum.
        citations: of the scope and share parameters.
        regime: the regime label read.
        day: the day the law was read for.
    """

    code: str
    reason: str
    citations: tuple[str, ...]
    regime: str
    day: str

    @property
    def of_concern(self) -> bool:
        """Whether the customer counts as headquartered in the scope."""
        return self.code in {"headquartered", "parent"}


def classify_hq(
    headquarters: str | None,
    parent_headquarters: str | None,
    parent_share: float | None,
    view: RegimeView,
) -> HqClass:
    """Classify a customer by the headquarters rule (15 CFR 744.23(a)(3) reading)."""
    if "ac.hq_scope" not in view.params:
        return HqClass(
            "no_rule",
            f"no headquarters rule in {view.label} on {view.day}",
            (),
            view.label,
            view.day.isoformat(),
        )
    scope_param = view.param("ac.hq_scope")
    share_param = view.param(SHARE_PARAMETER)
    scope, minimum = scope_param.value, float(share_param.value)
    where = scope_text(scope)
    citations = tuple(
        [f"scope {scope_text(scope_param.value)}: {c}" for c in cited(scope_param)]
        + [
            f"parent share {float(share_param.value):g} %: {c}"
            for c in cited(share_param)
        ]
    )

    caveat = (
        f"; unconfirmed: ac.hq_parent_share_min ({minimum:g} %): {share_param.note}"
        if share_param.unconfirmed
        else ""
    )

    def made(code: str, reason: str, uses_share: bool = False) -> HqClass:
        text = reason + (caveat if uses_share else "")
        return HqClass(code, text, citations, view.label, view.day.isoformat())

    if country_in(view, headquarters, scope):
        return made("headquartered", f"headquartered in {headquarters} ({where})")
    if country_in(view, parent_headquarters, scope):
        # the order rules decide through the same function (rules.helpers)
        standing = parent_standing(parent_share, minimum)
        if standing is ParentStanding.UNSTATED:
            return made(
                "parent_share_unknown",
                f"parent headquartered in {parent_headquarters} ({where}); its share "
                f"is not given (the rule reaches a parent holding {minimum:g} % or more)",
                uses_share=True,
            )
        if standing is ParentStanding.ULTIMATE:
            return made(
                "parent",
                f"ultimate parent headquartered in {parent_headquarters} ({where}) "
                f"holds {parent_share:g} % (at least {minimum:g} %)",
                uses_share=True,
            )
        return made(
            "clear",
            f"parent headquartered in {parent_headquarters} ({where}) holds "
            f"{parent_share:g} %, below {minimum:g} %",
            uses_share=True,
        )
    if not headquarters:
        return made("unknown", "headquarters not given")
    return made("clear", f"headquartered in {headquarters}, outside {where}")
