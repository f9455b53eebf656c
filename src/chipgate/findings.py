"""The decision vocabulary: outcomes, review policies, effects, findings, item facts.

Rules speak it and the decide stage combines it, so it sits below both (``rules``
and ``decide`` import it; it imports neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chipgate.chips.classify import Classification, metric_words
from chipgate.chips.figures import ChipFigures
from chipgate.citations import Citation
from chipgate.draws import Draw


class Outcome(StrEnum):
    """The four outcomes of a decision."""

    PROHIBITED = "prohibited"
    LICENSE_REQUIRED = "license_required"
    AUTHORIZED = "authorized"
    NO_LICENSE_REQUIRED = "no_license_required"


class ReviewPolicy(StrEnum):
    """How BIS reviews a license application."""

    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    CASE_BY_CASE = "case_by_case"
    PRESUMPTION_OF_APPROVAL = "presumption_of_approval"

    @property
    def severity(self) -> int:
        """Higher is stricter."""
        return _POLICY_SEVERITY[self]


_POLICY_SEVERITY = {
    ReviewPolicy.PRESUMPTION_OF_APPROVAL: 1,
    ReviewPolicy.CASE_BY_CASE: 2,
    ReviewPolicy.PRESUMPTION_OF_DENIAL: 3,
}


class Effect(StrEnum):
    """What a finding does to the decision."""

    PROHIBITION = "prohibition"
    REQUIREMENT = "requirement"
    AUTHORIZATION = "authorization"
    RED_FLAG = "red_flag"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """The classified item of an order under one regime."""

    name: str
    chip: ChipFigures
    chips_per_unit: int
    is_system: bool
    classification: Classification
    eccn: str | None
    tpp_per_unit: float
    h100e_per_unit: float
    listed_under: str | None = None
    """The CCL entry the order says the item is listed under apart from 3A090/4A090
    (``eccn`` is then that entry's ".z" paragraph where the item meets their
    parameters and the regime has one)."""

    @property
    def chip_family(self) -> str | None:
        """The chip's 3A090 family (``3A090.a``), also for a system."""
        return self.classification.family

    @property
    def eccn_shown(self) -> str:
        """The ECCN as messages show it, saying when it is assumed for want of a
        figure (``3A090.a (assumed: die area unknown)``)."""
        eccn = self.eccn or "not controlled"
        missing = self.classification.assumed_for
        if not missing:
            return eccn
        words = " and ".join(metric_words(m) for m in missing)
        return f"{eccn} (assumed: {words} unknown)"

    @property
    def ccl_eccn(self) -> str | None:
        """The item's ECCN: its 3A090/4A090 paragraph, else the catalog's ECCN below
        3A090 (``EAR99`` when on no list), ``None`` when not known."""
        return self.eccn or self.chip.eccn_below_3a090


@dataclass(frozen=True, slots=True)
class Finding:
    """One statement a rule makes about an order, with its source.

    Attributes:
        code: the rule's stable code.
        effect: what the finding does to the decision.
        message: plain words for the officer and the auditor.
        citations: where the law says so.
        numbers: the figures the finding used (TPP, caps, balances ...).
        review_policy: for requirements, how a license would be reviewed.
        exceptions: for requirements, the authorization kinds that may lift it.
        covers: for authorizations, the requirement codes they lift.
        authorization: for authorizations, its name as shown to the user.
        priority: among authorizations lifting the same requirement, lower wins.
        draws: what the finding draws from accounts.
        obligations: duties the finding creates (notify, certify, keep records).
        unconfirmed: the unconfirmed values the rule read, each ``name: note``.
        end_uses: for requirements that declared end uses raise, those end uses
            (a license lifts such a requirement only if granted for all of them).

    ``code``, the law's citations and ``unconfirmed`` are stamped by the engine from
    the rule that yielded the finding and what it read; a rule's own ``citations``
    are only those of facts (a list entry's Federal Register page).
    """

    code: str
    effect: Effect
    message: str
    citations: tuple[Citation, ...] = ()
    numbers: Mapping[str, Any] = field(default_factory=dict)
    review_policy: ReviewPolicy | None = None
    exceptions: frozenset[str] = frozenset()
    covers: tuple[str, ...] = ()
    authorization: str | None = None
    priority: int = 50
    draws: tuple[Draw, ...] = ()
    obligations: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    end_uses: frozenset[str] = frozenset()
