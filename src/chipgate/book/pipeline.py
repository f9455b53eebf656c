"""Gathers the facts of each order (screening, licenses, balances, location) and
hands them to the pure engine. All I/O of a check lives here or below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from chipgate.accounts import license_account
from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.draws import decimal_sum
from chipgate.facts import (
    BalanceSource,
    ComputeBase,
    ComputeBaseSource,
    LicenseFacts,
    LicenseSource,
    LocationAlert,
    LocationSource,
    OrderFacts,
    PartyScreener,
    ScreeningHit,
)
from chipgate.orders.model import AuthorizationKind, Order
from chipgate.rules.base import BalanceReader
from chipgate.screening.screener import Screener


@dataclass
class FactSources:
    """The fact sources a check uses; any may be absent."""

    screener: PartyScreener | None = None
    licenses: LicenseSource | None = None
    balances: BalanceSource | None = None
    location: LocationSource | None = None
    compute_bases: ComputeBaseSource | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        """Which sources are present, for the record of a run."""
        present = []
        if self.screener is not None:
            present.append("screening")
        if self.licenses is not None:
            present.append("licenses")
        if self.balances is not None:
            present.append("ledger")
        if self.location is not None:
            present.append("location")
        return tuple(present)


def _screen(order: Order, screener: PartyScreener) -> tuple[ScreeningHit, ...]:
    hits: list[ScreeningHit] = []
    for role, party in order.parties:
        if party.name:
            hits.extend(
                replace(h, role=role)
                for h in screener.screen(party.name, party.hq, order.date)
            )
        if party.parent:
            hits.extend(
                replace(h, role=f"{role}_parent")
                for h in screener.screen(party.parent, party.parent_hq, order.date)
            )
    return tuple(hits)


def screened_lists(screener: PartyScreener | None) -> tuple[str, ...]:
    """The lists (and their dates) a screener answers from; none without one."""
    if isinstance(screener, Screener):
        return screener.lists_used
    return ()


def named_facts(
    order: Order, sources: FactSources
) -> tuple[tuple[LicenseFacts, ...], tuple[ComputeBase, ...]]:
    """The facts of the authorizations ``order`` names: its licenses as the ledger
    holds them, and the compute base each UVEU it names last reported."""
    licenses: list[LicenseFacts] = []
    if sources.licenses is not None:
        for named in order.named(AuthorizationKind.LICENSE):
            found = sources.licenses.get(named.reference)
            if found is not None:
                licenses.append(found)
    bases: list[ComputeBase] = []
    if sources.compute_bases is not None:
        for named in order.named(AuthorizationKind.UVEU):
            base = sources.compute_bases.compute_base(named.reference, order.date)
            if base is not None:
                bases.append(ComputeBase(named.reference, base.tpp, base.as_of))
    return tuple(licenses), tuple(bases)


def gather_facts(order: Order, sources: FactSources) -> OrderFacts:
    """Ask every present source about one order."""
    screening = _screen(order, sources.screener) if sources.screener else ()
    licenses, bases = named_facts(order, sources)
    alerts: list[LocationAlert] = []
    if sources.location is not None:
        owners = {p.name for _, p in order.parties if p.name}
        for owner in sorted(owners):
            alerts.extend(sources.location.alerts_for(owner))
    someone = any(p.name or p.parent for _, p in order.parties)
    return OrderFacts(
        screening=screening,
        # no party named, none screened: the decision claims no list
        lists=screened_lists(sources.screener) if someone else (),
        licenses=licenses,
        location_alerts=tuple(alerts),
        compute_bases=bases,
        sources=sources.names,
    )


def _own_license_use(
    lic: LicenseFacts, own: dict[tuple[str, str], float]
) -> LicenseFacts:
    account = license_account(lic.number)
    return replace(
        lic,
        quantity_used=int(lic.quantity_used - own.get((account, "units"), 0.0)),
        value_used=decimal_sum((lic.value_used, -own.get((account, "usd"), 0.0))),
        tpp_used=decimal_sum((lic.tpp_used, -own.get((account, "tpp"), 0.0))),
    )


@dataclass
class Checker:
    """Decides order books with the facts of the configured sources.

    ``own_draws`` holds what orders of the book being decided already committed in
    an earlier run; it is taken out of the ledger's balances so that a re-run meets
    the same balances as the first run and reaches the same decisions.
    """

    engine: Engine
    sources: FactSources = field(default_factory=FactSources)
    own_draws: dict[tuple[str, str], float] = field(default_factory=dict)

    def facts_for(self, order: Order) -> OrderFacts:
        """Facts of one order."""
        return self._less_own_use(gather_facts(order, self.sources))

    def with_named_facts(self, order: Order, shared: OrderFacts) -> OrderFacts:
        """``shared``, the facts of the order's parties gathered once for every
        order naming them (the column-wise path), with the facts of the licenses
        and VEUs ``order`` itself names: without them a licensed order of a large
        book was decided as if its license were not on the ledger."""
        if not order.authorizations:
            return shared
        licenses, bases = named_facts(order, self.sources)
        return self._less_own_use(
            replace(shared, licenses=licenses, compute_bases=bases)
        )

    def _less_own_use(self, facts: OrderFacts) -> OrderFacts:
        """``facts`` with the book's own committed draws taken out of its licenses'
        use (``own_draws``)."""
        if self.own_draws and facts.licenses:
            adjusted = tuple(
                _own_license_use(lic, self.own_draws) for lic in facts.licenses
            )
            facts = replace(facts, licenses=adjusted)
        return facts

    def parties_matter(self) -> bool:
        """Whether the facts of an order naming no authorization may differ with its
        parties: a screener or a location source asks about them, or a subclass
        gathers facts its own way. When not, a book's orders of that kind share one
        set of facts (the column-wise path gathers it once, not per party)."""
        return (
            self.sources.screener is not None
            or self.sources.location is not None
            or type(self).facts_for is not Checker.facts_for
        )

    def balances(self) -> BalanceReader:
        """A running balance book seeded from the ledger when there is one."""
        base = self.sources.balances
        if base is None:
            return BalanceReader()
        own = self.own_draws
        # exact decimal difference: a float one leaves a residue (-3.7e-9 for two
        # sums of the same draws added in different orders) that every later
        # used_before of the account carries
        return BalanceReader(
            lambda account, unit: decimal_sum(
                (base.used(account, unit), -own.get((account, unit), 0.0))
            )
        )

    def decide(
        self,
        orders: Sequence[Order],
        *,
        regime: str | None = None,
        as_of: date | None = None,
        progress: Callable[[Iterable[Order]], Iterable[Order]] | None = None,
    ) -> list[Decision]:
        """Decide a book in date order (cumulative draws), return input order."""
        return self.engine.evaluate_book(
            orders,
            regime=regime,
            facts_for=self.facts_for,
            balances=self.balances(),
            as_of=as_of,
            progress=progress,
        )
