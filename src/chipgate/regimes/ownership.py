"""When a party's parent counts as its ultimate parent under the headquarters rules.

The headquarters requirement reaches parties "headquartered in, or with an ultimate
parent headquartered in, Macau or D:5" (15 CFR 744.23(a)(3), now
742.6(a)(6)(iii)(A)); the AI Diffusion rule's Tier 3, the VEU refusals, the NAC
notice and the training guidance use the same words. The regulation's definition of
"ultimate parent" was not read: the packs give an ownership share from which a
parent counts (``ac.hq_parent_share_min``, marked unconfirmed). The order rules
(``rules.helpers.parties_headquartered_in``) and the customer register
(``diligence.law.classify_hq``) both decide through ``parent_standing`` below, so
the two can no longer disagree on one structure.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

SHARE_PARAMETER = "ac.hq_parent_share_min"
"""The regime parameter: ownership share (percent) from which a parent counts."""


class ParentStanding(StrEnum):
    """How a parent headquartered in the scope stands under the rule."""

    ULTIMATE = "ultimate"
    """Its share is at least the minimum (or the regime gives no minimum)."""
    UNSTATED = "unstated"
    """No share is stated: taken as the ultimate parent, the conservative reading."""
    MINORITY = "minority"
    """Its share is below the minimum: not the ultimate parent by ownership (it may
    still be one through control, which neither an order nor the register shows)."""


class ReadsLaw(Protocol):
    """A regime view, plain or traced (what the share is read through)."""

    def value_or(self, name: str, default: Any) -> Any:
        """A parameter's value, or ``default`` when the regime does not set it."""
        ...


def share_minimum(law: ReadsLaw) -> float | None:
    """The share from which a parent counts, as the regime sets it on its day.

    ``None`` where the regime has no such parameter: every parent then counts, as
    before the parameter existed (the conservative reading).
    """
    value = law.value_or(SHARE_PARAMETER, None)
    return None if value is None else float(value)


def parent_standing(share: float | None, minimum: float | None) -> ParentStanding:
    """Whether a parent with ``share`` percent counts as the ultimate parent.

    >>> parent_standing(10, 50).value
    'minority'
    >>> parent_standing(50, 50).value
    'ultimate'
    >>> parent_standing(None, 50).value
    'unstated'
    """
    if share is None:
        return ParentStanding.UNSTATED
    if minimum is None or share >= minimum:
        return ParentStanding.ULTIMATE
    return ParentStanding.MINORITY
