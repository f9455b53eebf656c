"""evaluate(): regime of the day -> rules -> findings -> one decision.

Pure: no file, database or clock. Facts (screening hits, licenses, location alerts)
and balances are handed in; the decision says what it would draw, and the caller
decides whether to commit it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cached_property
from typing import Any

from chipgate.chips.catalog import Catalog, default_catalog
from chipgate.chips.classify import ClassificationTests, classify_chip, computer_eccn
from chipgate.chips.figures import ChipFigures, figures_from_user
from chipgate.citations import Citation
from chipgate.countries.registry import CountryRegistry, default_registry
from chipgate.decide.decision import Decision
from chipgate.draws import Draw, DrawTiming
from chipgate.errors import RuleDataError, UnknownItemError
from chipgate.facts import OrderFacts
from chipgate.findings import Effect, Finding, ItemFacts, Outcome
from chipgate.orders.model import AuthorizationKind, EndUse, Order, Party
from chipgate.regimes.library import RegimeLibrary, default_library
from chipgate.regimes.view import RegimeView, TracedView, resolve
from chipgate.rules import REGISTRY
from chipgate.rules.base import BalanceReader, Phase, RuleContext, RuleSpec
from chipgate.rules.destination import (
    ListedEntries,
    ListedEntry,
    listed_recipient_entries,
)
from chipgate.rules.helpers import name_words

_PHASES = (Phase.REQUIREMENTS, Phase.AUTHORIZATIONS)
UNSHAREABLE = frozenset(
    {
        AuthorizationKind.LICENSE,
        AuthorizationKind.DEAL,
        AuthorizationKind.UVEU,
        AuthorizationKind.NVEU,
    }
)
END_USES_ALWAYS_READ = frozenset(
    {
        EndUse.TRAINING,
        EndUse.TEARDOWN,
        EndUse.WMD,
        EndUse.MILITARY,
        EndUse.MILITARY_INTELLIGENCE,
        EndUse.SUPERCOMPUTER,
        EndUse.IC_PRODUCTION,
    }
)
"""End uses the rules read whatever the regime (training, teardown, and those of
the end-use controls of part 744); the training nexus end uses come from the regime
data (``training.nexus``)."""


def end_use_key(
    uses: frozenset[EndUse], read: frozenset[EndUse]
) -> tuple[frozenset[EndUse], bool]:
    """What the rules read of an order's declared end uses: those among ``read``, and
    whether a teardown is declared beside other end uses (GP10's teardown note needs
    it as the sole end use, so ``teardown;datacenter`` is not ``teardown``)."""
    return uses & read, EndUse.TEARDOWN in uses and len(uses) > 1


_MAX_SHARED = 200_000


_NOT_LISTED: frozenset[ListedEntry] = frozenset()


def party_key(party: Party, listed: ListedEntries) -> tuple[Any, ...]:
    """What the rules may read of a party when they read no balance: not its name,
    only which entries of the ``listed`` recipients that receive items without a
    license (``listed_recipient_entries``) name it. The entries, not a yes/no: the
    rule lifts a requirement only when every party is on one entry of the
    destination, so parties listed under different entries decide differently."""
    return (
        party.name is not None,
        listed.get(name_words(party.name), _NOT_LISTED)
        if listed and party.name is not None
        else _NOT_LISTED,
        party.hq,
        party.parent is not None,
        party.parent_hq,
        party.parent_share,
    )


"""Shared decisions kept at most (the table is emptied when full)."""


def combine(
    findings: Sequence[Finding],
) -> tuple[Outcome, str | None, Any, tuple[Draw, ...]]:
    """Combine findings: prohibited > license required > authorized > none.

    A note naming requirement codes in ``covers`` with a review policy (a bilateral
    arrangement) sets the policy of licenses for those requirements; it lifts none.

    A requirement is lifted when an authorization names its code in ``covers``;
    among authorizations that lift the same requirement the lowest ``priority``
    wins, and only the chosen authorizations' draws are taken.
    """
    if any(f.effect is Effect.PROHIBITION for f in findings):
        return Outcome.PROHIBITED, None, None, ()
    requirements = [f for f in findings if f.effect is Effect.REQUIREMENT]
    if not requirements:
        return Outcome.NO_LICENSE_REQUIRED, None, None, ()
    authorizations = sorted(
        (f for f in findings if f.effect is Effect.AUTHORIZATION),
        key=lambda f: f.priority,
    )
    chosen: list[Finding] = []
    uncovered: list[Finding] = []
    for requirement in requirements:
        lifter = next((a for a in chosen if requirement.code in a.covers), None)
        if lifter is None:
            lifter = next(
                (a for a in authorizations if requirement.code in a.covers), None
            )
            if lifter is not None:
                chosen.append(lifter)
        if lifter is None:
            uncovered.append(requirement)
    if uncovered:
        # A note that covers a requirement sets the review policy of licenses for it
        # (an arrangement's reported policy); it lifts nothing.
        set_by = {
            code: f.review_policy
            for f in findings
            if f.effect is Effect.NOTE and f.review_policy is not None
            for code in f.covers
        }
        policies = [
            p
            for r in uncovered
            if (p := set_by.get(r.code, r.review_policy)) is not None
        ]
        review = max(policies, key=lambda p: p.severity, default=None)
        draws = tuple(
            d for r in uncovered for d in r.draws if d.timing is DrawTiming.ON_LICENSE
        )
        return Outcome.LICENSE_REQUIRED, None, review, draws
    label = "; ".join(a.authorization or a.code for a in chosen)
    draws = tuple(d for a in chosen for d in a.draws)
    return Outcome.AUTHORIZED, label, None, draws


@dataclass
class Engine:
    """The decision engine over one set of data files (regimes, countries, chips)."""

    library: RegimeLibrary = field(default_factory=default_library)
    countries: CountryRegistry = field(default_factory=default_registry)
    catalog: Catalog = field(default_factory=default_catalog)
    _items: dict[tuple[Any, ...], ItemFacts] = field(default_factory=dict, repr=False)
    _tests: dict[int, ClassificationTests] = field(default_factory=dict, repr=False)
    _plans: dict[str, tuple[tuple[RuleSpec, ...], ...]] = field(
        default_factory=dict, repr=False
    )
    _points: dict[str, list[date]] = field(default_factory=dict, repr=False)
    _regime_days: dict[date, str] = field(default_factory=dict, repr=False)
    _decided: dict[tuple[Any, ...], Decision] = field(default_factory=dict, repr=False)
    _uses: dict[tuple[str, ...], frozenset[EndUse]] = field(
        default_factory=dict, repr=False
    )
    _item_findings: dict[tuple[Any, ...], tuple[Finding, ...]] = field(
        default_factory=dict, repr=False
    )
    """Findings of item-only rules, per item and law (shared by every order)."""
    _stamps: dict[tuple[Any, ...], tuple[tuple[Citation, ...], tuple[str, ...]]] = (
        field(default_factory=dict, repr=False)
    )

    @cached_property
    def listed_entries(self) -> ListedEntries:
        """The entries naming each recipient the packs list as receiving items
        without a license: the one part of a party's name a shared decision may
        depend on."""
        return listed_recipient_entries(self.library)

    def view(self, day: date, regime: str | None = None) -> RegimeView:
        """The law on ``day``: the regime in force, or the one forced by name."""
        regime_id = regime or self.regime_on(day)
        return resolve(self.library, regime_id, self.epoch(regime_id, day))

    def end_uses_read(self, view: RegimeView) -> frozenset[EndUse]:
        """The declared end uses some rule of ``view`` reads.

        Orders that differ only in other end uses get the same decision, so they may
        share it. ``tests/engine/test_properties.py`` holds this set to the rules.
        """
        nexus = tuple(view.value_or("training.nexus", ()))
        found = self._uses.get(nexus)
        if found is None:
            found = END_USES_ALWAYS_READ | {EndUse(v) for v in nexus}
            self._uses[nexus] = found
        return found

    @property
    def distinct_decisions(self) -> int:
        """How many decisions are held for sharing between identical orders."""
        return len(self._decided)

    def regime_on(self, day: date) -> str:
        """Id of the regime in force on ``day`` (memoized per day)."""
        found = self._regime_days.get(day)
        if found is None:
            found = self._regime_days[day] = self.library.in_force_on(day).id
        return found

    def law_of_dates(
        self, regime: str | None, as_of: date | None
    ) -> Callable[[date], str] | None:
        """What an order reader checks each order's date with (``OrderParser``):
        ``regime_on`` when the law is the one of each order's date, ``None`` when
        ``regime`` or ``as_of`` forces it (any date may then be decided)."""
        return None if regime or as_of else self.regime_on

    def epoch(self, regime_id: str, day: date) -> date:
        """The first day of the stretch, around ``day``, over which the law is constant."""
        points = self._points.get(regime_id)
        if points is None:
            self.library.regime(regime_id)  # an unknown name fails here, clearly
            merged = set(self.library.change_points(regime_id))
            merged.update(self.countries.change_points())
            merged.update(self.countries.doubt_points())
            points = self._points[regime_id] = sorted(merged)
        index = bisect.bisect_right(points, day) - 1
        return points[index] if index >= 0 else day

    def _classification_tests(self, view: RegimeView) -> ClassificationTests:
        raw = view.value("eccn.3a090_tests")
        tests = self._tests.get(id(raw))
        if tests is None:
            tests = ClassificationTests.model_validate(raw)
            self._tests[id(raw)] = tests
        return tests

    def chip_figures(self, order: Order) -> tuple[str, ChipFigures, int, bool] | None:
        """Resolve the order's item to chip figures (catalog first, then stated)."""
        if order.item is None and order.stated is None:
            return None
        found = self.catalog.lookup(order.item) if order.item else None
        if found is not None:
            return found.name, found.chip, found.chips_per_unit, found.is_system
        if order.stated is not None:
            name = order.item or "(unnamed chip)"
            # every stated figure, by its name: a figure added to StatedFigures
            # reaches the chip record (or fails here) instead of being dropped
            stated = {
                f.name: getattr(order.stated, f.name) for f in fields(order.stated)
            }
            return name, figures_from_user(name, **stated), 1, False
        nearest = ", ".join(self.catalog.nearest(order.item or ""))
        raise UnknownItemError(
            f"unknown item {order.item!r}; nearest catalog names: {nearest}; or give "
            "its figures (tpp, die_area_mm2, datacenter)"
        )

    def item_facts(self, order: Order, view: RegimeView) -> ItemFacts | None:
        """Classify the order's item under ``view`` (cached per item and law)."""
        resolved = self.chip_figures(order)
        if resolved is None:
            return None
        name, chip, per_unit, is_system = resolved
        tests = self._classification_tests(view)
        reference = view.value("h100e.reference_chip")
        listed = order.listed_under
        z_paragraphs = view.value_or("eccn.z_paragraphs", None) if listed else None
        # the whole chip record, not a hand-picked list of its figures: two stated
        # chips that differ in any figure (memory bandwidth for the 91 FR 1684 band,
        # the informed-letter and 3A090.c tests) must not share a classification
        key = (
            chip,
            per_unit,
            is_system,
            id(tests),
            reference,
            listed,
            id(z_paragraphs),
        )
        tpp_per_chip = chip.tpp or 0.0
        cached = self._items.get(key)
        if cached is not None:
            return cached
        classification = classify_chip(chip, tests)
        eccn = (
            computer_eccn(classification.family, tests)
            if is_system
            else classification.family
        )
        if listed and eccn is not None:
            # an item specified elsewhere on the CCL that meets the 3A090/4A090
            # parameters is that entry's .z item (where the regime has one); the
            # 3A090.c (HBM) parameters make no .z item
            z = z_paragraphs or {}
            family = classification.family
            if family in z.get("from_families", ()):
                eccn = z.get("entries", {}).get(listed.split(".")[0], listed)
            elif family not in z.get("unaffected_families", ()):
                eccn = listed
        h100_tpp = self.catalog.figures(reference).tpp
        if not h100_tpp:
            raise RuleDataError(
                f"reference chip {reference!r} has no TPP in the catalog"
            )
        facts = ItemFacts(
            name=name,
            chip=chip,
            chips_per_unit=per_unit,
            is_system=is_system,
            classification=classification,
            eccn=eccn,
            tpp_per_unit=tpp_per_chip * per_unit,
            h100e_per_unit=tpp_per_chip * per_unit / h100_tpp,
            listed_under=listed,
        )
        self._items[key] = facts
        return facts

    def _plan(self, view: RegimeView) -> tuple[tuple[RuleSpec, ...], ...]:
        key = view.rules_key
        plan = self._plans.get(key)
        if plan is None:
            unknown = sorted(set(view.rules) - set(REGISTRY))
            if unknown:
                raise RuleDataError(
                    f"regime {view.label} switches on unknown rules {unknown}"
                )
            plan = tuple(
                tuple(
                    sorted(
                        (
                            s
                            for s in REGISTRY.values()
                            if s.phase is phase and s.code in view.rules
                        ),
                        key=lambda s: not s.code.startswith("ITEM."),
                    )
                )
                for phase in _PHASES
            )
            self._plans[key] = plan
        return plan

    def evaluate(
        self,
        order: Order,
        *,
        regime: str | None = None,
        facts: OrderFacts | None = None,
        balances: BalanceReader | None = None,
        as_of: date | None = None,
        remember: bool = True,
    ) -> Decision:
        """Decide one order under the law of its date (or of ``as_of``).

        Draws are reported, not applied. A decision that read no balance and names
        no license, deal or VEU depends only on what the key below holds, so it is
        shared with every identical order decided under the same law;
        ``remember=False`` decides afresh and keeps nothing for sharing (a caller
        that shares decisions itself, as the column-wise path does).
        """
        day = as_of or order.date
        regime_id = regime or self.regime_on(day)
        epoch = self.epoch(regime_id, day)
        view = resolve(self.library, regime_id, epoch)
        facts = facts or OrderFacts()
        key = None
        if remember and not any(a.kind in UNSHAREABLE for a in order.authorizations):
            key = (
                regime_id,
                epoch,
                order.kind,
                order.item,
                order.stated,
                order.destination,
                party_key(order.consignee, self.listed_entries),
                party_key(order.end_user, self.listed_entries),
                end_use_key(order.end_use, self.end_uses_read(view)),
                order.training_operations,
                order.open_weights,
                order.authorizations,
                order.exporter,
                order.listed_under,
                facts,
                # location alerts hold orders dated while they stood (observed,
                # not yet closed): with any, the date is part of what decides
                order.date if facts.location_alerts else None,
            )
            try:
                template = self._decided.get(key)
            except TypeError:  # facts a caller built with unhashable parts
                key, template = None, None
            if template is not None:
                return replace(
                    template, order_id=order.id, quantity=order.quantity, as_of=day
                )
        balances = balances or BalanceReader()
        reads_before = balances.reads
        decision = self._evaluate(order, view, facts, balances, day)
        if remember and key is not None and balances.reads == reads_before:
            if len(self._decided) >= _MAX_SHARED:
                self._decided.clear()
            self._decided[key] = decision
        return decision

    def _evaluate(
        self,
        order: Order,
        view: RegimeView,
        facts: OrderFacts,
        balances: BalanceReader,
        day: date,
    ) -> Decision:
        item = self.item_facts(order, view)
        destination = self.countries.treated_as(order.destination)
        requirement_rules, authorization_rules = self._plan(view)
        traced = TracedView(view)
        ctx = RuleContext(
            order,
            traced,
            self.countries,
            item,
            facts,
            balances,
            destination=destination,
            catalog=self.catalog,
        )
        findings: list[Finding] = []
        for spec in requirement_rules:
            findings.extend(self._run(spec, ctx, traced))
        requirements = tuple(f for f in findings if f.effect is Effect.REQUIREMENT)
        if requirements:
            ctx = replace(ctx, requirements=requirements)
            for spec in authorization_rules:
                findings.extend(self._run(spec, ctx, traced))
        outcome, authorization, review, draws = combine(findings)
        obligations = tuple(
            dict.fromkeys(
                o
                for f in findings
                if f.effect is not Effect.AUTHORIZATION
                or (
                    authorization
                    and f.authorization
                    and f.authorization in authorization
                )
                for o in f.obligations
            )
        )
        return Decision(
            order_id=order.id,
            outcome=outcome,
            authorization=authorization,
            review_policy=review,
            regime=view.label,
            as_of=day,
            item=item,
            quantity=order.quantity,
            findings=tuple(findings),
            draws=draws,
            red_flags=tuple(f.message for f in findings if f.effect is Effect.RED_FLAG),
            obligations=obligations,
            lists=facts.lists,
        )

    def _run(
        self, spec: RuleSpec, ctx: RuleContext, traced: TracedView
    ) -> list[Finding]:
        """Run one rule through the tracing view and stamp what it read on its findings.

        A finding's code is the rule's; its citations are the rule switch's and
        those of every parameter the rule read (then any the rule took from facts);
        every unconfirmed value or switch it read is named.
        """
        view = ctx.view.regime_view
        shared_key = None
        if spec.item_only:
            shared_key = (spec.code, id(ctx.item), view.rules_key, view.day)
            shared = self._item_findings.get(shared_key)
            if shared is not None:
                return list(shared)
        traced.reset()
        raw = list(spec.function(ctx))
        if not raw:
            if shared_key is not None:
                self._item_findings[shared_key] = ()
            return raw
        key = (
            view.rules_key,
            view.day,
            spec.code,
            tuple(traced.reads),
            tuple(traced.doubts),
        )
        stamp = self._stamps.get(key)
        if stamp is None:
            stamp = self._stamps[key] = self._stamp(spec.code, view, traced)
        cited, unconfirmed = stamp
        for finding in raw:
            # The rule has just made these findings; they are completed here, before
            # anything else sees them (cheaper than copying each one).
            extra = finding.citations
            doubts = finding.unconfirmed
            object.__setattr__(finding, "code", spec.code)
            object.__setattr__(
                finding,
                "citations",
                tuple(dict.fromkeys((*cited, *extra))) if extra else cited,
            )
            object.__setattr__(
                finding,
                "unconfirmed",
                tuple(dict.fromkeys((*unconfirmed, *doubts)))
                if doubts
                else unconfirmed,
            )
        if shared_key is not None:
            self._item_findings[shared_key] = tuple(raw)
        return raw

    @staticmethod
    def _stamp(
        code: str, view: RegimeView, traced: TracedView
    ) -> tuple[tuple[Citation, ...], tuple[str, ...]]:
        """The citations and unconfirmed values of what rule ``code`` read."""
        cited: dict[int, Citation] = {id(c): c for c in view.rules.get(code, ())}
        unconfirmed: list[str] = []
        note = view.rule_notes.get(code)
        if note is not None:
            unconfirmed.append(f"rule {code}: {note}")
        for resolved in traced.reads.values():
            for citation in resolved.citations:
                cited.setdefault(id(citation), citation)
            if resolved.unconfirmed:
                unconfirmed.append(
                    f"{resolved.name}: {resolved.note or 'value not confirmed'}"
                )
        unconfirmed.extend(traced.doubts)
        return tuple(cited.values()), tuple(dict.fromkeys(unconfirmed))

    def evaluate_book(
        self,
        orders: Sequence[Order],
        *,
        regime: str | None = None,
        facts_for: Callable[[Order], OrderFacts] | None = None,
        balances: BalanceReader | None = None,
        as_of: date | None = None,
        progress: Callable[[Iterable[Order]], Iterable[Order]] | None = None,
    ) -> list[Decision]:
        """Decide a book in date order so cumulative draws (LPP, quotas) add up.

        Orders of the same date keep their input order; decisions come back in
        input order. ``progress`` may wrap the stream (a progress bar).
        """
        running = balances or BalanceReader()
        order_of = sorted(range(len(orders)), key=lambda i: orders[i].date)
        ordered = [orders[i] for i in order_of]
        decided: list[Decision] = []
        for order in progress(ordered) if progress else ordered:
            facts = facts_for(order) if facts_for else None
            decision = self.evaluate(
                order, regime=regime, facts=facts, balances=running, as_of=as_of
            )
            running.apply(decision.draws)
            decided.append(decision)
        result: list[Decision] = list(decided)
        for index, decision in zip(order_of, decided, strict=True):
            result[index] = decision
        return result
