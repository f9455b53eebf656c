"""Every unconfirmed value in every pack, when a rule reads it, is named in the output.

For each value marked ``unconfirmed: true`` the test picks a regime the value's pack
reaches and a day inside the value's window, then decides every scenario order of
``tests/cases`` again on that day. A wrapper around the tracing view records, beside
the engine, which parameters the rules read; whenever the marked value was read, the
decision's ``unconfirmed`` field and its explanation must name it. Every marked value
must be read by at least one order, so a value no scenario exercises fails the test
instead of passing unseen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from chipgate.decide.engine import Engine
from chipgate.orders.reader import parse_rows
from chipgate.regimes.library import RegimeLibrary, default_library
from chipgate.regimes.model import PackKind, ParamValue
from chipgate.regimes.view import Resolved, TracedView
from chipgate.rules import REGISTRY
from chipgate.rules.base import Finding, RuleContext, RuleFunction
from tests.yaml_cases import CASES_DIR, Case

Battery = list[tuple[Any, Any]]


def _battery(engine: Engine) -> Battery:
    """(order, facts) of every scenario case (the judged order of each)."""
    found: Battery = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            case = Case.model_validate(raw)
            row = {"id": "u", "quantity": 1, **case.order}
            row = {k: ("" if v is None else str(v)) for k, v in row.items()}
            order = parse_rows([row], engine.catalog, source=case.name)[0]
            found.append((order, case.facts.build()))
    return found


def _targets(
    library: RegimeLibrary,
) -> Iterator[tuple[str, str, ParamValue, str, list[date]]]:
    """(pack, parameter, value, regime, days) for every unconfirmed value: days at
    the start of its window, a month in and a year in (within the window)."""
    for pack in library.packs.values():
        for name, parameter in pack.parameters.items():
            for value in parameter.values:
                if not value.unconfirmed:
                    continue
                for regime in library.regimes():
                    lineage = {p.id for p in library.lineage(regime.id)}
                    reaches = pack.id in lineage or (
                        pack.kind is PackKind.OVERLAY and regime.id in pack.applies_to
                    )
                    if not reaches:
                        continue
                    starts = [
                        d
                        for d in (value.since, pack.since, regime.since)
                        if d is not None
                    ]
                    first = max(starts) if starts else date(2025, 6, 1)
                    ends = [
                        d
                        for d in (value.until, pack.until, regime.until)
                        if d is not None
                    ]
                    last = min(ends) if ends else first + timedelta(days=365)
                    if first > last:
                        continue
                    days = sorted(
                        {min(first + timedelta(days=n), last) for n in (0, 30, 365)}
                    )
                    yield pack.id, name, value, regime.id, days
                    break


READ_OUTSIDE_THE_ENGINE: dict[str, str] = {}
"""Pack values no rule reads: another module reads them and names them itself."""

NO_ORDER_REACHES: dict[str, tuple[str, str]] = {
    "aid.partner_allocation_tpp": (
        "aid.partner_countries",
        "the doubled allocation is read only for a partner country, and none had signed",
    ),
}
"""Unconfirmed values no order can reach while another parameter (named) is empty,
with why: exempt from the "read by some scenario" check only while it stays empty
(``test_the_values_no_order_reaches_stay_unreachable``)."""


def test_every_unconfirmed_value_read_by_a_rule_is_named_in_the_decision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library = default_library()
    by_view: dict[int, list[str]] = {}
    reads: list[str] = []
    original_param = TracedView.param
    original_value_or = TracedView.value_or

    def param(self: TracedView, name: str) -> Resolved:
        by_view.setdefault(id(self), []).append(name)
        return original_param(self, name)

    def value_or(self: TracedView, name: str, default: Any) -> Any:
        found = original_value_or(self, name, default)
        if found is not default:
            by_view.setdefault(id(self), []).append(name)
        return found

    def observed(function: RuleFunction) -> RuleFunction:
        """The rule, noting what it read whenever it said something."""

        def run(ctx: RuleContext) -> list[Finding]:
            by_view.pop(id(ctx.view), None)
            findings = list(function(ctx))
            read = by_view.pop(id(ctx.view), [])
            if findings:
                reads.extend(read)
            return findings

        return run

    monkeypatch.setattr(TracedView, "param", param)
    monkeypatch.setattr(TracedView, "value_or", value_or)
    for code, spec in list(REGISTRY.items()):
        monkeypatch.setitem(
            REGISTRY, code, replace(spec, function=observed(spec.function))
        )
    engine = Engine()
    battery = _battery(engine)
    unexercised: list[str] = []
    targets = list(_targets(library))
    assert targets, "no unconfirmed value found in the packs"
    for pack_id, name, value, regime, days in targets:
        used = 0
        for day in days:
            view = engine.view(day, regime)
            resolved = view.params.get(name)
            if resolved is None or resolved.value != value.value:
                continue  # a later layer overrides it on that day
            for order, facts in battery:
                dated = replace(order, date=day)
                reads.clear()
                decision = engine.evaluate(
                    dated, regime=regime, facts=facts, remember=False
                )
                if name not in reads:
                    continue
                used += 1
                record = decision.to_record()
                assert any(u.startswith(f"{name}:") for u in record["unconfirmed"]), (
                    pack_id,
                    name,
                    dated,
                    record["unconfirmed"],
                )
                assert "unconfirmed" in record["explanation"]
                assert name in record["explanation"]
        if not used and name not in READ_OUTSIDE_THE_ENGINE | NO_ORDER_REACHES:
            unexercised.append(f"{pack_id}: {name} ({regime} on {days})")
    assert not unexercised, "unconfirmed values no scenario reads: " + "; ".join(
        unexercised
    )


def test_the_battery_holds_every_scenario() -> None:
    engine = Engine()
    count = sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in Path(CASES_DIR).glob("*.yaml")
    )
    assert len(_battery(engine)) == count


def test_the_values_no_order_reaches_stay_unreachable() -> None:
    """Each exemption holds only while its gate is empty in every regime's pack."""
    library = default_library()
    for name, (gate, _why) in NO_ORDER_REACHES.items():
        holders = [pack for pack in library.packs.values() if name in pack.parameters]
        assert holders, f"{name} is in no pack: drop its exemption"
        for pack in holders:
            assert gate in pack.parameters, (pack.id, gate)
            for value in pack.parameters[gate].values:
                assert value.value == [], (
                    f"{pack.id}: {gate} is no longer empty, so {name} can be read: "
                    "give it a scenario and drop its exemption"
                )
