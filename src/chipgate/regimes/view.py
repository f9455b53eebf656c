"""A regime resolved for one date: the rules switched on and every parameter's value.

The engine asks only this view for numbers, so a decision reads the law "as of" its
date and can cite where each number came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from chipgate.citations import Citation
from chipgate.errors import RuleDataError
from chipgate.regimes.library import RegimeLibrary
from chipgate.regimes.model import Pack, ParamValue


@dataclass(frozen=True, slots=True)
class Resolved:
    """A parameter's value on the view's date, with its citations."""

    name: str
    value: Any
    citations: tuple[Citation, ...]
    unconfirmed: bool = False
    note: str | None = None


@dataclass(frozen=True)
class RegimeView:
    """The law of one regime (plus its active overlays) on one day."""

    regime: Pack
    day: date
    overlays: tuple[Pack, ...]
    rules: dict[str, tuple[Citation, ...]]
    params: dict[str, Resolved]
    rule_notes: dict[str, str] = field(default_factory=dict)
    """Rule switches the data marks ``unconfirmed``, with what is unconfirmed."""
    _under: dict[str, list[tuple[str, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def under(self, prefix: str) -> list[tuple[str, Any]]:
        """(name, value) of the parameters named ``prefix...`` (computed once)."""
        found = self._under.get(prefix)
        if found is None:
            found = [
                (n, r.value) for n, r in self.params.items() if n.startswith(prefix)
            ]
            self._under[prefix] = found
        return found

    @property
    def regime_id(self) -> str:
        """Id of the regime (without overlays)."""
        return self.regime.id

    @cached_property
    def label(self) -> str:
        """Regime id plus active overlays, e.g. ``post-rescission-2025+fr26-2026``."""
        return "+".join([self.regime.id, *(o.id for o in self.overlays)])

    @cached_property
    def rules_key(self) -> str:
        """Identifies the set of rules switched on (the engine plans per set)."""
        return self.label + "|" + ",".join(sorted(self.rules))

    def param(self, name: str) -> Resolved:
        """Resolved parameter; a missing one is a data defect naming regime and day."""
        try:
            return self.params[name]
        except KeyError:
            raise RuleDataError(
                f"regime {self.label}: parameter {name!r} has no value on {self.day}"
            ) from None

    def value(self, name: str) -> Any:
        """Shortcut for ``param(name).value``."""
        return self.param(name).value

    def value_or(self, name: str, default: Any) -> Any:
        """The value, or ``default`` when the regime does not set it on this day."""
        resolved = self.params.get(name)
        return default if resolved is None else resolved.value


class TracedView:
    """A regime view that records every parameter a rule reads.

    Rules see the law only through this view, so the parameters behind a finding
    are known without the rule listing them: the engine cites every source of every
    parameter read (and of the rule's switch), and names every unconfirmed value
    read. A missing optional parameter (``value_or``) records nothing.
    """

    __slots__ = ("_view", "doubts", "reads")

    def __init__(self, view: RegimeView) -> None:
        self._view = view
        self.reads: dict[str, Resolved] = {}
        self.doubts: list[str] = []
        """Other unconfirmed data the rule relied on (e.g. a country-group membership)."""

    @property
    def regime_view(self) -> RegimeView:
        """The view being traced."""
        return self._view

    def reset(self) -> None:
        """Forget what was read (the engine traces one rule at a time)."""
        if self.reads:
            self.reads = {}
        if self.doubts:
            self.doubts = []

    def doubt(self, *what: str) -> None:
        """Record unconfirmed data read outside the parameters."""
        self.doubts.extend(what)

    @property
    def day(self) -> date:
        """The day the law is read on."""
        return self._view.day

    @property
    def label(self) -> str:
        """Regime id plus active overlays."""
        return self._view.label

    def param(self, name: str) -> Resolved:
        """Resolved parameter, recorded as read."""
        found = self._view.param(name)
        self.reads[name] = found
        return found

    def value(self, name: str) -> Any:
        """A parameter's value, recorded as read."""
        return self.param(name).value

    def value_or(self, name: str, default: Any) -> Any:
        """The value (recorded) or ``default`` when the regime does not set it."""
        found = self._view.params.get(name)
        if found is None:
            return default
        self.reads[name] = found
        return found.value

    def candidates(self, prefix: str) -> list[tuple[str, Any]]:
        """(name, value) of the parameters set under ``prefix``, not recorded.

        For choosing among alternatives (e.g. which letter reaches an item): the
        rule must then ``param`` the ones its findings rest on, which records them.
        """
        return self._view.under(prefix)


def _cite(library: RegimeLibrary, keys: tuple[str, ...]) -> tuple[Citation, ...]:
    return tuple(library.sources[key] for key in keys)


def _pick(values: tuple[ParamValue, ...], day: date) -> ParamValue | None:
    chosen = None
    for candidate in values:
        if candidate.contains(day):
            chosen = candidate
    return chosen


def resolve(library: RegimeLibrary, regime_id: str, day: date) -> RegimeView:
    """Resolve ``regime_id`` with its lineage and the overlays active on ``day``."""
    return _resolve_cached(library, regime_id, day)


@lru_cache(maxsize=4096)
def _resolve_cached(library: RegimeLibrary, regime_id: str, day: date) -> RegimeView:
    regime = library.regime(regime_id)
    overlays = [o for o in library.overlays_for(regime_id) if o.contains(day)]
    layers: list[Pack] = [*library.lineage(regime_id)]
    for overlay in overlays:
        layers.extend(p for p in library.lineage(overlay.id) if p not in layers)
    rules: dict[str, tuple[Citation, ...]] = {}
    rule_notes: dict[str, str] = {}
    params: dict[str, Resolved] = {}
    for pack in layers:
        for switch in pack.rules:
            if not switch.contains(day):
                continue
            rule_notes.pop(switch.code, None)
            if switch.remove:
                rules.pop(switch.code, None)
            else:
                rules[switch.code] = _cite(library, switch.source)
                if switch.unconfirmed:
                    rule_notes[switch.code] = switch.note or "unconfirmed"
        for name, parameter in pack.parameters.items():
            picked = _pick(parameter.values, day)
            if picked is None:
                continue
            params[name] = Resolved(
                name,
                picked.value,
                _cite(library, picked.source),
                picked.unconfirmed,
                picked.note,
            )
    return RegimeView(regime, day, tuple(overlays), rules, params, rule_notes)
