"""The review workflow as a pure function, and which decisions open a case."""

from __future__ import annotations

import pytest

from chipgate.cases.model import Action, CaseConflict, CaseState, Status, transition
from chipgate.cases.triggers import Trigger, review_of
from chipgate.errors import InputError


def _approve(state: CaseState, who: str) -> CaseState:
    return transition(state, Action.APPROVE, who, reason="ok", evidence="D1")


def test_one_officer_closes_an_ordinary_case() -> None:
    state = CaseState(Status.OPEN, four_eyes=False)
    assert _approve(state, "ann").status is Status.APPROVED


def test_four_eyes_needs_a_second_different_officer() -> None:
    state = _approve(CaseState(Status.OPEN, four_eyes=True), "ann")
    assert state.status is Status.AWAITING_SECOND
    with pytest.raises(CaseConflict, match="other than ann"):
        _approve(state, "ann")
    escalated = transition(state, Action.ESCALATE, "ann", reason="unsure")
    assert escalated.first_approver == "ann"
    with pytest.raises(CaseConflict):
        _approve(escalated, "ann")
    assert _approve(escalated, "bob").status is Status.APPROVED


def test_a_second_key_of_the_same_officer_is_not_a_second_officer() -> None:
    first = _approve(CaseState(Status.OPEN, four_eyes=True), "Ann Lee (key 3fa9c1d2)")
    for same in ("Ann Lee (key 9b827f01)", "ann lee (cli)"):
        with pytest.raises(CaseConflict, match="other than ann lee"):
            _approve(first, same)
    assert _approve(first, "Bob Roy (key 9b827f01)").status is Status.APPROVED


def test_closed_cases_take_no_action_and_reasons_are_required() -> None:
    closed = transition(
        CaseState(Status.OPEN, four_eyes=False), Action.REJECT, "ann", reason="no"
    )
    with pytest.raises(CaseConflict, match="already rejected"):
        _approve(closed, "bob")
    with pytest.raises(InputError, match="reason"):
        transition(CaseState(Status.OPEN, False), Action.REJECT, "ann", reason=" ")
    with pytest.raises(InputError) as caught:
        transition(CaseState(Status.OPEN, False), Action.ASSIGN, "ann", reason="x")
    assert caught.value.problems[0].field == "assignee"


@pytest.mark.parametrize(
    ("record", "screening", "expected", "four_eyes"),
    [
        ({"outcome": "authorized", "red_flags": [], "rules": []}, [], [], False),
        (
            {"outcome": "license_required", "red_flags": [], "rules": []},
            [],
            [Trigger.LICENSE_REQUIRED],
            False,
        ),
        (
            {"outcome": "authorized", "red_flags": ["x"], "rules": ["SCREEN.LISTS"]},
            [{"is_hit": False}],
            [Trigger.RED_FLAG, Trigger.POSSIBLE_MATCH],
            False,
        ),
        (
            {"outcome": "license_required", "red_flags": ["x"], "rules": []},
            [{"is_hit": False}, {"is_hit": True}],
            [Trigger.LICENSE_REQUIRED, Trigger.RED_FLAG, Trigger.LIST_HIT],
            True,
        ),
        (
            {"outcome": "license_required", "red_flags": [], "rules": ["LOC.DIVERTED"]},
            [],
            [Trigger.LICENSE_REQUIRED, Trigger.LOCATION_ALERT],
            False,
        ),
        (
            {"outcome": "prohibited", "red_flags": [], "rules": []},
            [],
            [Trigger.PROHIBITED],
            True,
        ),
    ],
)
def test_which_decisions_need_people(
    record: dict[str, object],
    screening: list[dict[str, object]],
    expected: list[Trigger],
    four_eyes: bool,
) -> None:
    review = review_of(record, screening)
    assert list(review.triggers) == expected
    assert review.needed is bool(expected)
    assert review.four_eyes is four_eyes
