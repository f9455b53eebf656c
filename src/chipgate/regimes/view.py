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
    _missing: set[str] = field(default_factory=set, repr=False)

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


def _cite(packs: list[Pack], keys: tuple[str, ...]) -> tuple[Citation, ...]:
    found: list[Citation] = []
    for key in keys:
        for pack in reversed(packs):
            if key in pack.sources:
                found.append(pack.sources[key])
                break
    return tuple(found)


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
    params: dict[str, Resolved] = {}
    for index, pack in enumerate(layers):
        visible = layers[: index + 1]
        for switch in pack.rules:
            if not switch.contains(day):
                continue
            if switch.remove:
                rules.pop(switch.code, None)
            else:
                rules[switch.code] = _cite(visible, switch.source)
        for name, parameter in pack.parameters.items():
            picked = _pick(parameter.values, day)
            if picked is None:
                continue
            params[name] = Resolved(
                name,
                picked.value,
                _cite(visible, picked.source),
                picked.unconfirmed,
                picked.note,
            )
    return RegimeView(regime, day, tuple(overlays), rules, params)
