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
    assert _approve(state, "bob").status is Status.APPROVED


def _act(state: CaseState, action: Action, who: str = "cem") -> CaseState:
    assignee = "dee" if action is Action.ASSIGN else None
    return transition(state, action, who, reason="why", assignee=assignee)


def test_an_escalated_case_keeps_its_stage_and_its_first_approval() -> None:
    awaiting = _approve(CaseState(Status.OPEN, four_eyes=True), "ann")
    escalated = _act(awaiting, Action.ESCALATE)
    assert (escalated.status, escalated.escalated) == (Status.AWAITING_SECOND, True)
    assert escalated.first_approver == "ann"
    # assigning it to the senior officer neither ends the escalation nor the stage
    assigned = _act(escalated, Action.ASSIGN)
    assert (assigned.status, assigned.escalated) == (Status.AWAITING_SECOND, True)
    back = _act(assigned, Action.DEESCALATE)
    assert (back.status, back.escalated, back.first_approver) == (
        Status.AWAITING_SECOND,
        False,
        "ann",
    )
    for state in (escalated, assigned, back):
        with pytest.raises(CaseConflict, match="other than ann"):
            _approve(state, "Ann (key 0a1b2c3d)")
    closed = _approve(escalated, "bob")
    assert (closed.status, closed.escalated) == (Status.APPROVED, False)


def test_escalating_an_open_case_keeps_it_open_until_assigned() -> None:
    escalated = _act(CaseState(Status.OPEN, four_eyes=False), Action.ESCALATE)
    assert (escalated.status, escalated.escalated) == (Status.OPEN, True)
    assigned = _act(escalated, Action.ASSIGN)
    assert (assigned.status, assigned.escalated) == (Status.ASSIGNED, True)
    rejected = _act(assigned, Action.REJECT)
    assert (rejected.status, rejected.escalated) == (Status.REJECTED, False)


def test_escalation_is_refused_twice_and_de_escalation_when_not_escalated() -> None:
    state = CaseState(Status.ASSIGNED, four_eyes=False, assignee="dee")
    with pytest.raises(CaseConflict, match="not escalated"):
        _act(state, Action.DEESCALATE)
    with pytest.raises(CaseConflict, match="already escalated"):
        _act(_act(state, Action.ESCALATE), Action.ESCALATE)


@pytest.mark.parametrize(
    "action", [Action.APPROVE, Action.REJECT, Action.ESCALATE, Action.DEESCALATE]
)
def test_only_an_assignment_names_an_assignee(action: Action) -> None:
    state = CaseState(Status.OPEN, four_eyes=False, escalated=True)
    with pytest.raises(InputError) as caught:
        transition(state, action, "ann", reason="x", evidence="D1", assignee="bob")
    assert caught.value.problems[0].field == "assignee"


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
    for action in Action:
        with pytest.raises(CaseConflict, match="already rejected"):
            transition(closed, action, "bob", reason="x", evidence="D1")
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
