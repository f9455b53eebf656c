"""The service's one door into the engine: load once per worker, decide, commit.

Everything the routers need from the engine, the order reader, the screening index
and the ledger goes through :class:`Runtime`, so that a reshaped engine is met by an
edit of this module alone. It is loaded once per worker process (the regime packs,
the chip catalog and the screening index are read here), and is safe to share
between the worker's request threads: the engine's caches are plain dicts filled
idempotently, and each request gets its own ``Checker``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as SqlEngine

from chipgate.book.commit import commit_book, order_payload, own_draws
from chipgate.book.pipeline import Checker, FactSources
from chipgate.classification import classification_record
from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.facts import OrderFacts
from chipgate.ledger import CommitResult, Ledger
from chipgate.location.provider import SnapshotLocationSource, StoreLocationSource
from chipgate.orders.model import Order, StatedFigures
from chipgate.orders.reader import ReadResult, parse_rows, read_orders
from chipgate.regimes.listing import regime_rows
from chipgate.screening.index import ScreeningIndex
from chipgate.screening.provider import active_lists_dir, cache_key, load_screener
from chipgate.screening.screener import Screener
from chipgate.service.writer import GroupWriter, Writes
from chipgate.settings import Settings

ALERTS_MAX_AGE = 1.0
"""Seconds a snapshot of the open location alerts serves decisions."""


@dataclass(frozen=True, slots=True)
class Decided:
    """One order decided: the output record, its reasoning and the facts behind it."""

    order: Order
    record: dict[str, Any]
    reasoning: dict[str, Any]
    screening: list[dict[str, Any]]
    commit: CommitResult | None = None

    @property
    def order_payload(self) -> dict[str, Any]:
        """The order as the audit chain records it."""
        return order_payload(self.order)


def _finding(finding: Any) -> dict[str, Any]:
    return {
        "code": finding.code,
        "effect": finding.effect.value,
        "message": finding.message,
        "citations": [c.render() for c in finding.citations],
        "numbers": dict(finding.numbers),
        "review_policy": finding.review_policy.value if finding.review_policy else None,
        "authorization": finding.authorization,
        "obligations": list(finding.obligations),
    }


def _decided(order: Order, decision: Decision, facts: OrderFacts) -> Decided:
    screening = [asdict(hit) for hit in facts.screening]
    record = decision.to_record()
    reasoning = {
        "explanation": record["explanation"],  # the record's: made once
        "findings": [_finding(f) for f in decision.findings],
        "facts": {
            "screening": screening,
            "licenses": [asdict(lic) for lic in facts.licenses],
            "location_alerts": [asdict(a) for a in facts.location_alerts],
            "sources": list(facts.sources),
        },
    }
    return Decided(order, record, reasoning, screening)


class _RecordingChecker(Checker):
    """A checker that keeps the facts it gathered, for the reasoning chain."""

    def __init__(self, engine: Engine, sources: FactSources) -> None:
        super().__init__(engine, sources)
        self.gathered: dict[str, OrderFacts] = {}

    def facts_for(self, order: Order) -> OrderFacts:
        facts = super().facts_for(order)
        self.gathered[order.id] = facts
        return facts


class Runtime:
    """The engine, the screening index and the ledger of one worker."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        ledger: Ledger,
        screener: Screener | None,
        records: Writes | None = None,
        lists_key: str | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.ledger = ledger
        self.screener = screener
        self.lists_key = lists_key
        """The cache key of the lists the screener was loaded from (``cache_key``)."""
        self.location = StoreLocationSource(ledger.engine)
        self.records: Writes = records or GroupWriter(ledger.engine)
        """Where decision records are committed (``service.writer``)."""
        self._alerts: tuple[float, SnapshotLocationSource] | None = None
        self._alerts_lock = threading.Lock()

    @classmethod
    def load(
        cls,
        settings: Settings,
        store: SqlEngine | None = None,
        records: Writes | None = None,
    ) -> Runtime:
        """Load the rule data and the screening index; use ``store`` when given
        (already migrated), else open (and migrate) the configured one; records go
        to ``records`` when given, else to a group writer of this process."""
        ledger = Ledger(store) if store is not None else Ledger.open(settings)
        folder = active_lists_dir(settings.data_dir, settings.lists_dir)
        # keyed before loading: lists updated meanwhile are taken for a change
        lists_key = cache_key(folder) if folder.is_dir() else None
        screener = load_screener(settings) if folder.is_dir() else None
        if screener is not None:
            screener.warm()  # its first-use tables built before /readyz says ready
        engine = Engine()
        engine.view(date.today())  # noqa: DTZ011 (warm the regime of today)
        return cls(settings, engine, ledger, screener, records, lists_key)

    def active_index(self) -> ScreeningIndex | None:
        """The screener's index while it is still that of the active lists (none
        updated since this worker loaded them), else None.

        The customer register is screened with it: read and warmed at start, it
        saves a request the index's reading and its first-use tables (seconds).

        Raises:
            InputError: the lists are missing, or changed since activation.
        """
        if self.screener is None or self.lists_key is None:
            return None
        folder = active_lists_dir(self.settings.data_dir, self.settings.lists_dir)
        return self.screener.index if cache_key(folder) == self.lists_key else None

    def close(self) -> None:
        """Release the store's connections."""
        self.records.close()
        self.ledger.close()

    def alerts(self) -> SnapshotLocationSource:
        """Open location alerts, read at most once per ``ALERTS_MAX_AGE`` seconds.

        Reading them per request cost more than deciding; a verification's new
        alert reaches decisions within that second.
        """
        now = time.monotonic()
        cached = self._alerts
        if cached is None or now - cached[0] > ALERTS_MAX_AGE:
            with self._alerts_lock:
                cached = self._alerts
                if cached is None or now - cached[0] > ALERTS_MAX_AGE:
                    cached = (now, self.location.snapshot())
                    self._alerts = cached
        return cached[1]

    def forget_alerts(self) -> None:
        """Drop the cached alerts: a closure this worker made counts at once."""
        with self._alerts_lock:
            self._alerts = None

    # -- orders ------------------------------------------------------------------

    def parse(
        self,
        rows: Iterable[Mapping[str, Any]],
        source: str,
        regime: str | None = None,
        as_of: date | None = None,
    ) -> list[Order]:
        """Validate orders given as JSON objects (the order-file columns), to be
        decided under ``regime``/``as_of`` (neither: the law of each order's date,
        so a date no regime models is a bad date, named by its order).

        Raises:
            InputError: every bad field, with its position as ``line``.
        """
        return parse_rows(
            (dict(r) for r in rows),
            self.engine.catalog,
            source,
            self.engine.law_of_dates(regime, as_of),
        )

    def read_book(
        self, path: Path, regime: str | None = None, as_of: date | None = None
    ) -> ReadResult:
        """Read an uploaded order book with the reader's own checks, to be decided
        under ``regime``/``as_of`` (as ``parse``).

        Raises:
            InputError: every bad line, with file, line and field.
        """
        return read_orders(
            path, self.engine.catalog, law_on=self.engine.law_of_dates(regime, as_of)
        )

    def _checker(self) -> _RecordingChecker:
        sources = FactSources(
            screener=self.screener,
            licenses=self.ledger,
            balances=self.ledger,
            location=self.alerts(),
            compute_bases=self.ledger,
        )
        return _RecordingChecker(self.engine, sources)

    def decide(
        self,
        orders: Sequence[Order],
        *,
        regime: str | None = None,
        as_of: date | None = None,
        progress: Callable[[Iterable[Order]], Iterable[Order]] | None = None,
    ) -> list[Decided]:
        """Decide orders in date order on the ledger's balances; nothing is written.

        Raises:
            ChipgateError: an unknown regime or item.
        """
        checker = self._checker()
        decisions = checker.decide(
            orders, regime=regime, as_of=as_of, progress=progress
        )
        return [
            _decided(order, decision, checker.gathered.get(order.id, OrderFacts()))
            for order, decision in zip(orders, decisions, strict=True)
        ]

    def commit(
        self,
        orders: Sequence[Order],
        *,
        who: str,
        regime: str | None = None,
        as_of: date | None = None,
    ) -> list[Decided]:
        """Decide and commit orders: draws taken all-or-nothing per order, audited.

        An order refused because another request drew on its account meanwhile is
        decided again on the fresh balances (``commit_book``), so the ledger never
        over-commits.
        """
        checker = self._checker()
        checker.own_draws = own_draws(self.ledger, orders)
        decisions = checker.decide(orders, regime=regime, as_of=as_of)
        results = commit_book(
            checker, self.ledger, orders, decisions, who=who, regime=regime, as_of=as_of
        )
        return [
            replace(
                _decided(order, decision, checker.gathered.get(order.id, OrderFacts())),
                commit=result,
            )
            for order, decision, result in zip(orders, decisions, results, strict=True)
        ]

    # -- the law and the items ---------------------------------------------------

    def classify(
        self,
        name: str | None,
        *,
        day: date,
        regime: str | None = None,
        tpp: float | None = None,
        die_area_mm2: float | None = None,
        datacenter: bool = True,
        memory_bandwidth_gbs: float | None = None,
    ) -> dict[str, Any]:
        """Classify a catalog item, or a chip given by its figures, under the law of ``day``.

        Raises:
            ChipgateError: unknown item or regime.
        """
        stated = (
            StatedFigures(tpp, die_area_mm2, datacenter, memory_bandwidth_gbs)
            if tpp is not None
            else None
        )
        return classification_record(self.engine, name, day, regime, stated)

    def regimes(self, day: date) -> list[dict[str, Any]]:
        """Every regime with its window, whether it is in force on ``day``, and its
        overlays (``active`` on ``day``)."""
        return [
            {k: v for k, v in row.items() if k != "rules"}
            for row in regime_rows(self.engine, day)
        ]

    def law(self, day: date, regime: str | None = None) -> dict[str, Any]:
        """The law on ``day``: regime, active overlays, rules and every parameter.

        Raises:
            UnknownRegimeError: ``regime`` names no regime pack.
        """
        view = self.engine.view(day, regime)
        return {
            "regime": view.regime_id,
            "label": view.label,
            "as_of": day.isoformat(),
            "overlays": [o.id for o in view.overlays],
            "rules": {
                code: [c.render() for c in cites]
                for code, cites in sorted(view.rules.items())
            },
            "parameters": {
                name: {
                    "value": resolved.value,
                    "citations": [c.render() for c in resolved.citations],
                    "unconfirmed": resolved.unconfirmed,
                }
                for name, resolved in sorted(view.params.items())
            },
        }
