"""Unit tests of the combination of findings, regime data checks and the timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chipgate.book.pipeline import FactSources, gather_facts
from chipgate.chips.catalog import default_catalog
from chipgate.datafiles import read_yaml
from chipgate.decide.engine import Engine, combine
from chipgate.draws import Draw, DrawTiming
from chipgate.errors import RuleDataError, UnknownRegimeError
from chipgate.orders.reader import parse_rows
from chipgate.regimes.library import RegimeLibrary, default_library, load_library
from chipgate.regimes.model import Pack
from chipgate.rules.base import Effect, Finding, Outcome, ReviewPolicy
from chipgate.screening.screener import Screener


def requirement(
    code: str, review: ReviewPolicy, draws: tuple[Draw, ...] = ()
) -> Finding:
    return Finding(code, Effect.REQUIREMENT, code, review_policy=review, draws=draws)


def authorization(
    code: str, covers: tuple[str, ...], priority: int, draws: tuple[Draw, ...] = ()
) -> Finding:
    return Finding(
        code,
        Effect.AUTHORIZATION,
        code,
        covers=covers,
        authorization=code,
        priority=priority,
        draws=draws,
    )


def draw(account: str, timing: DrawTiming) -> Draw:
    return Draw(account, "lpp", 1.0, "tpp", 10.0, 0.0, 0.0, timing, "cite")


def test_a_prohibition_beats_everything() -> None:
    findings = [
        requirement("R", ReviewPolicy.CASE_BY_CASE),
        Finding("P", Effect.PROHIBITION, "no"),
    ]
    assert combine(findings)[0] is Outcome.PROHIBITED


def test_the_strictest_uncovered_policy_wins() -> None:
    findings = [
        requirement("A", ReviewPolicy.PRESUMPTION_OF_APPROVAL),
        requirement("B", ReviewPolicy.PRESUMPTION_OF_DENIAL),
        authorization("X", ("A",), 10),
    ]
    outcome, _label, review, _draws = combine(findings)
    assert outcome is Outcome.LICENSE_REQUIRED
    assert review is ReviewPolicy.PRESUMPTION_OF_DENIAL


def test_the_preferred_authorization_is_chosen_and_only_its_draws_taken() -> None:
    findings = [
        requirement(
            "A", ReviewPolicy.CASE_BY_CASE, (draw("alloc", DrawTiming.ON_LICENSE),)
        ),
        authorization("LPP", ("A",), 45, (draw("lpp", DrawTiming.NOW),)),
        authorization("LICENSE", ("A",), 10, (draw("license", DrawTiming.NOW),)),
    ]
    outcome, label, _review, draws = combine(findings)
    assert outcome is Outcome.AUTHORIZED
    assert label == "LICENSE"
    assert [d.account for d in draws] == ["license"]


def test_uncovered_requirements_report_their_license_draws() -> None:
    findings = [
        requirement(
            "A", ReviewPolicy.CASE_BY_CASE, (draw("alloc", DrawTiming.ON_LICENSE),)
        )
    ]
    assert [d.account for d in combine(findings)[3]] == ["alloc"]


def test_no_requirement_means_no_license_required() -> None:
    assert combine([Finding("N", Effect.NOTE, "x")])[0] is Outcome.NO_LICENSE_REQUIRED


def test_the_timeline_picks_the_regime_of_the_day() -> None:
    library = default_library()
    assert library.in_force_on(date(2023, 11, 16)).id == "ac-2022"
    assert library.in_force_on(date(2023, 11, 17)).id == "ac-2023"
    assert library.in_force_on(date(2025, 5, 12)).id == "ac-2023"
    assert library.in_force_on(date(2025, 5, 13)).id == "post-rescission-2025"
    with pytest.raises(UnknownRegimeError, match="no regime is modelled"):
        library.in_force_on(date(2021, 1, 1))


def test_every_parameter_value_cites_a_declared_source() -> None:
    library = default_library()
    for pack in library.packs.values():
        for name, parameter in pack.parameters.items():
            for value in parameter.values:
                for key in value.source:
                    assert key in library.sources, f"{pack.id}: {name} cites {key}"


def copy_packs(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    for path in (
        Path(__file__).resolve().parents[2] / "src/chipgate/regimes/packs"
    ).glob("*.yaml"):
        (folder / path.name).write_text(path.read_text())
    return folder


def test_a_duplicate_key_in_rule_data_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\na: 2\n")
    with pytest.raises(RuleDataError, match="duplicate key 'a'"):
        read_yaml(path)


def test_a_value_without_source_is_an_error(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path)
    text = (
        (folder / "ac-2023.yaml")
        .read_text()
        .replace(
            "- {value: [NAC], source: cfr-740-8-nac, until: 2024-04-03}",
            "- {value: [NAC], until: 2024-04-03}",
        )
    )
    assert text != (folder / "ac-2023.yaml").read_text()
    (folder / "ac-2023.yaml").write_text(text)
    with pytest.raises(RuleDataError, match="needs a 'source'"):
        load_library(folder)


def test_overlapping_regimes_are_an_error(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path)
    text = (
        (folder / "ac-2023.yaml")
        .read_text()
        .replace("until: 2025-05-12", "until: 2025-06-30")
    )
    (folder / "ac-2023.yaml").write_text(text)
    with pytest.raises(RuleDataError, match="overlap"):
        load_library(folder)


def test_a_rule_citing_an_unknown_source_is_an_error(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path)
    text = (
        (folder / "ac-2023.yaml")
        .read_text()
        .replace(
            "{code: AC.HQ, source: [fr23, cfr-744-23], until: 2025-01-12}",
            "{code: AC.HQ, source: [fr99], until: 2025-01-12}",
        )
    )
    (folder / "ac-2023.yaml").write_text(text)
    with pytest.raises(RuleDataError, match="cites unknown"):
        load_library(folder)


def test_a_new_bilateral_deal_is_one_data_file(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path)
    (folder / "deal-xx-2026.yaml").write_text(
        """schema: chipgate.regime/1
id: deal-vn-2026
title: "Hypothetical arrangement for a test"
kind: overlay
applies_to: [post-rescission-2025]
since: 2026-01-01
sources:
  test: {cite: "test source"}
rules:
  - {code: DEAL.QUOTA, source: test}
parameters:
  deals.vn-2026:
    description: "test quota"
    values:
      - value: {id: vn-2026, title: "VN test arrangement", country: VN, total_units_per_year: 100, review_policy: case_by_case}
        source: test
"""
    )
    engine = Engine(library=load_library(folder))
    from chipgate.orders.model import (
        AuthorizationKind,
        Kind,
        NamedAuthorization,
        Order,
        Party,
    )

    order = Order(
        "d",
        date(2026, 3, 1),
        Kind.EXPORT,
        "NVIDIA H100 SXM5",
        50,
        "VN",
        Party("Saigon", "VN"),
        authorizations=(NamedAuthorization(AuthorizationKind.DEAL, "vn-2026"),),
    )
    decision = engine.evaluate(order)
    # An arrangement is not an authorization; it sets the review of licenses under it.
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert decision.review_policy is ReviewPolicy.CASE_BY_CASE
    assert any("test source" in c for c in decision.citations)
    too_many = engine.evaluate(replace(order, id="e", quantity=500))
    assert too_many.outcome is Outcome.LICENSE_REQUIRED
    assert too_many.review_policy is ReviewPolicy.PRESUMPTION_OF_APPROVAL
    assert any("would be exceeded" in f for f in too_many.red_flags)


def test_library_rejects_two_packs_with_one_id() -> None:
    pack = default_library().packs["common"]
    with pytest.raises(RuleDataError, match="two packs"):
        RegimeLibrary([pack, Pack.model_validate(pack.model_dump(by_alias=True))])


def test_hong_kong_is_china_once_in_the_rule_context() -> None:
    """No rule module maps countries itself: the rule context does it, once."""
    rules = Path(__file__).resolve().parents[2] / "src/chipgate/rules"
    for path in rules.glob("*.py"):
        if path.name == "base.py":
            continue
        assert "treated_as" not in path.read_text(), path.name


def _line_of(path: Path, text: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line
    )


def test_a_typo_in_a_source_key_of_a_copied_pack_names_file_and_line(
    tmp_path: Path,
) -> None:
    folder = copy_packs(tmp_path)
    path = folder / "fr26-2026.yaml"
    text = path.read_text()
    assert "        source: fr26\n" in text
    path.write_text(text.replace("        source: fr26\n", "        source: fr62\n", 1))
    line = _line_of(path, "source: fr62")
    with pytest.raises(RuleDataError) as caught:
        load_library(folder)
    assert f"{path}, line {line}" in str(caught.value)
    assert "'fr62'" in str(caught.value)


def test_a_parameter_value_typo_is_caught_at_load_not_at_use(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path)
    path = folder / "common.yaml"
    text = path.read_text()
    old = '{value: {program: "Iran, 15 CFR 746.7 and 31 CFR part 560"}, source: cfr-746-7}'
    assert old in text
    path.write_text(text.replace(old, old.replace("cfr-746-7", "cfr-746-77")))
    with pytest.raises(RuleDataError, match=r"common.yaml, line \d+: parameter"):
        load_library(folder)


def test_two_packs_defining_one_source_key_differently_name_both_files(
    tmp_path: Path,
) -> None:
    folder = copy_packs(tmp_path)
    path = folder / "fr26-2026.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "sources:\n",
            'sources:\n  cfr-746-2:\n    cite: "15 CFR 746.2 as I remember it"\n',
            1,
        )
    )
    line = _line_of(path, "  cfr-746-2:")
    with pytest.raises(RuleDataError, match="defined differently") as caught:
        load_library(folder)
    assert f"{path}, line {line}" in str(caught.value)
    assert "common.yaml, line" in str(caught.value)


def test_overlapping_dated_values_of_a_parameter_name_file_and_line(
    tmp_path: Path,
) -> None:
    folder = copy_packs(tmp_path)
    path = folder / "ac-2022.yaml"
    text = path.read_text()
    old = "until: 2023-01-16"
    assert old in text
    path.write_text(text.replace(old, "until: 2023-03-01", 1))
    line = _line_of(path, "  ac.destination_scope:")
    with pytest.raises(RuleDataError, match="overlap") as caught:
        load_library(folder)
    assert f"{path}, line {line}" in str(caught.value)


def test_every_pack_cites_from_one_sources_table() -> None:
    library = default_library()
    for pack in library.packs.values():
        for key, citation in pack.sources.items():
            assert library.sources[key] == citation


def test_every_rule_code_has_a_yaml_case_that_expects_it() -> None:
    """Each registered rule is held to the law by at least one scenario."""
    from chipgate.rules import REGISTRY
    from tests.yaml_cases import CASES_DIR, Case

    expected: set[str] = set()
    for path in CASES_DIR.glob("*.yaml"):
        for raw in read_yaml(path):
            expected.update(Case.model_validate(raw).expected.rules)
    assert sorted(set(REGISTRY) - expected) == []


def test_a_findings_code_is_its_rules_code() -> None:
    """Rules do not name their findings: the engine stamps the rule's code."""
    rules = Path(__file__).resolve().parents[2] / "src/chipgate/rules"
    for path in rules.glob("*.py"):
        assert "code=" not in path.read_text().replace("self.code", ""), path.name


class _ListedScreener(Screener):
    """A screener over one list that finds nobody (no index is built)."""

    def __init__(self) -> None:
        self.lists_used = ("un of 2026-02-27",)

    def screen(self, name: str, country: str | None, as_of: date) -> list[Any]:
        return []


UNNAMED = {
    "id": "T6",
    "date": "2025-09-10",
    "kind": "export",
    "item": "NVIDIA H100 SXM5",
    "quantity": "100",
    "destination": "DE",
}


@pytest.mark.parametrize("kind", ["export", "reexport"])
def test_an_item_shipped_to_no_named_party_is_a_red_flag_that_cites_its_source(
    kind: str,
) -> None:
    (order,) = parse_rows([{**UNNAMED, "kind": kind}], default_catalog())
    decision = Engine().evaluate(order)
    (flag,) = [f for f in decision.findings if f.code == "PARTIES.UNNAMED"]
    assert flag.effect is Effect.RED_FLAG
    assert "naming no consignee and no end user" in flag.message
    assert any("part 732, Supplement No. 3" in c.render() for c in flag.citations)


@pytest.mark.parametrize(
    "party", [{"consignee": "Acme GmbH"}, {"end_user": "Acme GmbH"}]
)
def test_an_item_shipped_to_a_named_party_raises_no_unnamed_flag(
    party: dict[str, str],
) -> None:
    (order,) = parse_rows([{**UNNAMED, **party}], default_catalog())
    decision = Engine().evaluate(order)
    assert "PARTIES.UNNAMED" not in {f.code for f in decision.findings}


def test_lists_are_claimed_only_when_a_party_name_was_screened() -> None:
    sources = FactSources(screener=_ListedScreener())
    (unnamed, named) = parse_rows(
        [UNNAMED, {**UNNAMED, "id": "T7", "consignee": "Acme GmbH"}],
        default_catalog(),
    )
    assert gather_facts(unnamed, sources).lists == ()
    assert gather_facts(named, sources).lists == ("un of 2026-02-27",)
