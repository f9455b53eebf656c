"""A small pytest plugin: scenario cases in YAML, readable by compliance officers.

Each file holds a list of cases. A case names a legal statement as a sentence, cites
its source, gives one order (or a short book whose last order is judged) and what the
decision must show. Unknown keys are errors, so a typo cannot silently pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from chipgate.decide.engine import Engine
from chipgate.facts import (
    ComputeBase,
    LicenseFacts,
    LocationAlert,
    OrderFacts,
    ScreeningHit,
)
from chipgate.orders.reader import parse_rows

CASES_DIR = Path(__file__).resolve().parent / "cases"


class Expected(BaseModel):
    """What the decision on the judged order must show."""

    model_config = ConfigDict(extra="forbid")

    outcome: str
    review_policy: str | None = None
    authorization: str | None = Field(default=None, description="substring")
    rules: list[str] = []
    not_rules: list[str] = []
    eccn: str | None = None
    paragraph: str | None = None
    tpp: float | None = None
    h100_equivalents: float | None = None
    red_flags: int | None = None
    red_flag_contains: str | None = None
    obligation_contains: str | None = None
    draws: list[str] = Field(default=[], description="account prefixes drawn")
    explanation_contains: str | None = None
    regime: str | None = Field(default=None, description="prefix of the regime label")
    citations_contain: list[str] = Field(
        default=[], description="substrings each found in some citation"
    )
    citations_exclude: list[str] = Field(
        default=[], description="substrings found in no citation"
    )
    unconfirmed_contains: list[str] = Field(
        default=[], description="substrings each found in some unconfirmed value"
    )
    unconfirmed_exclude: list[str] = Field(
        default=[], description="substrings found in no unconfirmed value"
    )
    confirmed: bool = Field(
        default=False, description="the decision rests on no unconfirmed value"
    )


class Facts(BaseModel):
    """Facts handed to the engine for the judged order."""

    model_config = ConfigDict(extra="forbid")

    screening: list[dict[str, Any]] = []
    licenses: list[dict[str, Any]] = []
    location_alerts: list[dict[str, Any]] = []
    compute_bases: list[dict[str, Any]] = []

    def build(self) -> OrderFacts:
        return OrderFacts(
            compute_bases=tuple(ComputeBase(**b) for b in self.compute_bases),
            screening=tuple(
                ScreeningHit(
                    **{k: tuple(v) if isinstance(v, list) else v for k, v in h.items()}
                )
                for h in self.screening
            ),
            licenses=tuple(
                LicenseFacts(
                    **{
                        k: tuple(v) if isinstance(v, list) else v
                        for k, v in lic.items()
                    }
                )
                for lic in self.licenses
            ),
            location_alerts=tuple(LocationAlert(**a) for a in self.location_alerts),
        )


class Case(BaseModel):
    """One scenario."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: str
    regime: str | None = None
    as_of: date | None = None
    before: list[dict[str, Any]] = []
    order: dict[str, Any]
    facts: Facts = Facts()
    expected: Expected


def _row(raw: dict[str, Any], index: int) -> dict[str, Any]:
    row = {"id": f"case-{index}", "quantity": 1, **raw}
    return {k: ("" if v is None else v) for k, v in row.items()}


_ENGINE: Engine | None = None


def engine() -> Engine:
    """One engine for all cases (the data files are read once)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def run_case(case: Case) -> None:
    """Decide the case's book and check the judged order."""
    eng = engine()
    rows = [_row(r, i) for i, r in enumerate([*case.before, case.order])]
    for row in rows:
        if isinstance(row.get("date"), date):
            row["date"] = row["date"].isoformat()
    orders = parse_rows(rows, eng.catalog, source=case.name)
    judged = orders[-1]
    facts = case.facts.build()
    decisions = eng.evaluate_book(
        orders,
        regime=case.regime,
        as_of=case.as_of,
        facts_for=lambda o: facts if o is judged else OrderFacts(),
    )
    decision = decisions[-1]
    exp = case.expected
    why = decision.explanation()
    assert decision.outcome.value == exp.outcome, why
    if exp.review_policy is not None:
        got = decision.review_policy.value if decision.review_policy else None
        assert got == exp.review_policy, why
    if exp.authorization is not None:
        assert decision.authorization is not None, why
        assert exp.authorization in decision.authorization, why
    for code in exp.rules:
        assert code in decision.rules, f"{code} missing: {why}"
    for code in exp.not_rules:
        assert code not in decision.rules, f"{code} present: {why}"
    if exp.eccn is not None:
        assert decision.item is not None, why
        assert decision.item.eccn == (None if exp.eccn == "none" else exp.eccn), why
    if exp.paragraph is not None:
        assert decision.item is not None
        assert decision.item.classification.paragraph == exp.paragraph, why
    if exp.tpp is not None:
        assert decision.tpp == pytest.approx(exp.tpp), why
    if exp.h100_equivalents is not None:
        assert decision.h100_equivalents == pytest.approx(
            exp.h100_equivalents, rel=1e-3
        )
    if exp.red_flags is not None:
        assert len(decision.red_flags) == exp.red_flags, decision.red_flags
    if exp.red_flag_contains is not None:
        assert any(exp.red_flag_contains in f for f in decision.red_flags), (
            decision.red_flags
        )
    if exp.obligation_contains is not None:
        assert any(exp.obligation_contains in o for o in decision.obligations), (
            decision.obligations
        )
    for prefix in exp.draws:
        assert any(d.account.startswith(prefix) for d in decision.draws), decision.draws
    if exp.explanation_contains is not None:
        assert exp.explanation_contains in why, why
    if exp.regime is not None:
        assert decision.regime.startswith(exp.regime), decision.regime
    for text in exp.citations_contain:
        assert any(text in c for c in decision.citations), decision.citations
    for text in exp.citations_exclude:
        assert not any(text in c for c in decision.citations), decision.citations
    for text in exp.unconfirmed_contains:
        assert any(text in u for u in decision.unconfirmed), decision.unconfirmed
        assert "unconfirmed" in why, why
        assert text in why, why
    for text in exp.unconfirmed_exclude:
        assert not any(text in u for u in decision.unconfirmed), decision.unconfirmed
    if exp.confirmed:
        assert not decision.unconfirmed, decision.unconfirmed


class YamlCase(pytest.Item):
    """A collected scenario."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        run_case(self.case)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.case.name} [{self.case.source}]"


class YamlCaseFile(pytest.File):
    """A YAML file of scenarios."""

    def collect(self) -> Iterator[YamlCase]:
        with self.path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        if not isinstance(raw, list):
            raise TypeError(f"{self.path}: expected a list of cases")
        names: set[str] = set()
        for entry in raw:
            case = Case.model_validate(entry)
            if case.name in names:
                raise ValueError(f"{self.path}: duplicate case name {case.name!r}")
            names.add(case.name)
            yield YamlCase.from_parent(self, name=case.name, case=case)


def collect_case_file(
    parent: pytest.Collector, file_path: Path
) -> pytest.Collector | None:
    """Collect a file if it is a scenario file."""
    if file_path.suffix == ".yaml" and CASES_DIR in file_path.parents:
        return YamlCaseFile.from_parent(parent, path=file_path)
    return None
