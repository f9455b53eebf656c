"""What every rule shares: the rule context, the registry, and (from
``chipgate.findings``) the vocabulary of findings and outcomes.

A rule is a pure function ``(RuleContext) -> Iterable[Finding]`` registered under a
stable code. Regime packs switch codes on and give each its citations; a rule reads
every number from the regime view and never holds a legal figure itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from chipgate.chips.catalog import Catalog
from chipgate.citations import Citation
from chipgate.countries.registry import CountryRegistry
from chipgate.draws import Draw, DrawTiming
from chipgate.facts import OrderFacts
from chipgate.findings import Effect, Finding, ItemFacts, Outcome, ReviewPolicy
from chipgate.money import plus
from chipgate.orders.model import Order
from chipgate.regimes.view import TracedView


class Phase(IntEnum):
    """Requirement rules run first; authorization rules see their requirements."""

    REQUIREMENTS = 1
    AUTHORIZATIONS = 2


class BalanceReader:
    """Running balances during a book: persistent base plus this run's draws.

    Balances are kept per account and unit (a license is drawn in units, dollars and
    TPP at once).
    """

    def __init__(self, base: Callable[[str, str], float] | None = None) -> None:
        self._base = base
        self._used: dict[tuple[str, str], float] = {}
        self._drawn: dict[tuple[str, str], float] = {}
        self._pending: dict[tuple[str, str], float] = {}
        self.reads = 0
        """How many balance questions were asked (a decision that asked none does not
        depend on balances and may be shared between identical orders)."""

    def used(self, account: str, unit: str) -> float:
        """What is committed on ``account`` in ``unit`` so far (before this order)."""
        self.reads += 1
        return self._current((account, unit))

    def _current(self, key: tuple[str, str]) -> float:
        if key not in self._used:
            self._used[key] = self._base(*key) if self._base else 0.0
        return self._used[key]

    def drawn(self, account: str, unit: str) -> float:
        """What earlier orders of this run drew on ``account`` in ``unit`` (their
        ``now`` draws), whatever the base: a license's use as the ledger holds it
        is in its facts, and the book's own orders come on top of it."""
        self.reads += 1
        return self._drawn.get((account, unit), 0.0)

    def pending(self, account: str, unit: str) -> float:
        """What earlier orders of this run would draw if their licenses were granted."""
        self.reads += 1
        return self._pending.get((account, unit), 0.0)

    def apply(self, draws: Iterable[Draw]) -> None:
        """Record the draws of a decided order."""
        for draw in draws:
            key = (draw.account, draw.unit)
            # dollars add as the decimals they are, as the ledger adds them
            # (``money``): three draws of 2,000,000.10 are 6,000,000.30
            if draw.timing is DrawTiming.NOW:
                self._used[key] = plus(draw.unit, self._current(key), draw.amount)
                self._drawn[key] = plus(
                    draw.unit, self._drawn.get(key, 0.0), draw.amount
                )
            else:
                self._pending[key] = plus(
                    draw.unit, self._pending.get(key, 0.0), draw.amount
                )


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at: the order, the law of the day, the facts.

    ``view`` records what the rule reads (its findings cite it); the engine gives
    each finding the code of the rule that yielded it. Country codes are read here once as
    the EAR treats them (Hong Kong as China): ``destination`` and
    ``country_matches`` already apply it, so no rule does.
    """

    order: Order
    view: TracedView
    countries: CountryRegistry
    item: ItemFacts | None
    facts: OrderFacts
    balances: BalanceReader
    requirements: tuple[Finding, ...] = ()
    destination: str = ""
    catalog: Catalog | None = None
    """The chip catalog, for rules that compare an item with a named chip."""

    def finding(self, effect: Effect, message: str, **fields: Any) -> Finding:
        """A finding of the rule running (the engine stamps the rule's code)."""
        return Finding("", effect, message, **fields)

    @property
    def day(self) -> Any:
        """The order's date (the day the law is read on)."""
        return self.view.day

    @property
    def quantity_tpp(self) -> float:
        """Total TPP of the order (0 when the item is not a chip or system)."""
        return self.item.tpp_per_unit * self.order.quantity if self.item else 0.0

    @property
    def quantity_h100e(self) -> float:
        """Total H100-equivalents of the order."""
        return self.item.h100e_per_unit * self.order.quantity if self.item else 0.0

    def tpp_draw(
        self,
        account: str,
        kind: str,
        *,
        limit: float | None,
        used_before: float,
        citations: tuple[Citation, ...],
        timing: DrawTiming = DrawTiming.NOW,
    ) -> Draw:
        """The order's whole TPP drawn on ``account``, citing the limit's source."""
        return Draw(
            account=account,
            kind=kind,
            amount=self.quantity_tpp,
            unit="tpp",
            limit=limit,
            used_before=used_before,
            h100e=self.quantity_h100e,
            timing=timing,
            citation=citations[-1].render() if citations else "unconfirmed",
        )

    def in_groups(self, country: str | None, groups: Iterable[str]) -> bool:
        """Whether ``country`` is in any of ``groups`` on the order's date."""
        if not country:
            return False
        wanted = tuple(groups)
        found = self.countries.in_any(country, wanted, self.view.day)
        doubts = self.countries.doubtful(country, wanted, self.view.day)
        if doubts:
            self.view.doubt(*doubts)
        return found

    def country_matches(self, country: str | None, spec: Mapping[str, Any]) -> bool:
        """Whether ``country`` is named by a ``{groups, countries}`` spec."""
        if not country:
            return False
        if self.countries.treated_as(country) in spec.get("countries", ()):
            return True
        return self.in_groups(country, spec.get("groups", ()))

    def treated(self, country: str) -> str:
        """The country the EAR treats ``country`` as (Hong Kong as China)."""
        return self.countries.treated_as(country)

    def in_scope(self, country: str | None, scope: Mapping[str, Any]) -> bool:
        """Named by ``{countries, groups, except_groups}`` (groups less exceptions)."""
        if not country:
            return False
        if self.countries.treated_as(country) in scope.get("countries", ()):
            return True
        return self.in_groups(country, scope.get("groups", ())) and not self.in_groups(
            country, scope.get("except_groups", ())
        )


RuleFunction = Callable[[RuleContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A registered rule."""

    code: str
    phase: Phase
    function: RuleFunction
    title: str
    item_only: bool = False
    """The rule reads only the item and the law (not the order's parties, date,
    facts or balances), so its findings may be shared by every order of one item
    under one law."""


REGISTRY: dict[str, RuleSpec] = {}


def rule(
    code: str,
    title: str,
    phase: Phase = Phase.REQUIREMENTS,
    *,
    item_only: bool = False,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under a stable code."""

    def register(function: RuleFunction) -> RuleFunction:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = RuleSpec(code, phase, function, title, item_only)
        return function

    return register


def policy(value: str) -> ReviewPolicy:
    """Parse a review policy named in data."""
    return ReviewPolicy(value)


__all__ = [
    "REGISTRY",
    "BalanceReader",
    "Effect",
    "Finding",
    "ItemFacts",
    "Outcome",
    "Phase",
    "ReviewPolicy",
    "RuleContext",
    "RuleFunction",
    "RuleSpec",
    "policy",
    "rule",
]
