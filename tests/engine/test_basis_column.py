"""The table's basis column says what an outcome rests on, never nothing for an
order held back: a GP10 risk has no review policy, so it names the rule."""

from __future__ import annotations

from chipgate.cli.render import record_basis


def test_a_hold_without_a_review_policy_names_its_rules() -> None:
    gp10 = {
        "outcome": "license_required",
        "authorization": None,
        "review_policy": None,
        "rules": ["ITEM.CLASSIFY", "GP10.PRC_IC"],
    }
    assert record_basis(gp10) == "GP10.PRC_IC"


def test_an_authorization_or_a_policy_comes_first() -> None:
    base = {"rules": ["ITEM.CLASSIFY", "AC.DEST"], "authorization": None}
    denied = {**base, "outcome": "license_required", "review_policy": "case_by_case"}
    assert record_basis(denied) == "case by case"
    nac = {**base, "outcome": "authorized", "authorization": "License Exception NAC"}
    assert record_basis(nac) == "License Exception NAC"
    free = {**base, "outcome": "no_license_required", "review_policy": None}
    assert record_basis(free) == ""
    # a prohibition says itself: its rules would crowd the table's other cells
    embargo = {**base, "outcome": "prohibited", "review_policy": None}
    assert record_basis(embargo) == ""
