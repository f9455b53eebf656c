"""Case states and actions; ``transition`` is the whole workflow, as a pure function.

A case is open until an officer approves or rejects it. Overriding a prohibition or
a confirmed restricted-party list hit needs two different officers (four eyes): the
first approval leaves the case ``awaiting_second``; only another officer's approval
closes it. Every action needs a reason, and an approval names its evidence (the
licence number, or the document that clears the flag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from chipgate.errors import ChipgateError, InputError


class Status(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    AWAITING_SECOND = "awaiting_second"
    """Approved once on a four-eyes case; a different officer must approve too."""
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def final(self) -> bool:
        """Whether nothing more can happen to the case."""
        return self in (Status.APPROVED, Status.REJECTED)


class Action(StrEnum):
    """What an officer does to a case."""

    ASSIGN = "assign"
    APPROVE = "approve"
    REJECT = "reject"
    ESCALATE = "escalate"


class CaseConflict(ChipgateError, ValueError):
    """The action does not fit the case's state (closed, or the same officer twice)."""


class UnknownCase(ChipgateError, LookupError):
    """No case has the id asked for."""


@dataclass(frozen=True, slots=True)
class CaseState:
    """What ``transition`` reads of a case."""

    status: Status
    four_eyes: bool
    assignee: str | None = None
    first_approver: str | None = None


_KEY_SUFFIX = re.compile(r" \((?:key [0-9a-f]+|cli)\)$")


def person_of(actor: str) -> str:
    """The person an actor names, whichever key or tool acted for them.

    The service names a key's holder "name (key id)", the CLI "user (cli)": two
    keys of one name are one person, so one officer holding a second key (or an
    admin who made one) cannot give both approvals of a four-eyes case.

    >>> person_of("Ann Lee (key 3fa9c1d2e4b5)") == person_of("Ann Lee (cli)")
    True
    """
    return _KEY_SUFFIX.sub("", actor).strip().casefold()


def transition(
    case: CaseState,
    action: Action,
    actor: str,
    *,
    reason: str,
    evidence: str | None = None,
    assignee: str | None = None,
) -> CaseState:
    """The case after ``actor`` takes ``action``.

    >>> s = CaseState(Status.OPEN, four_eyes=True)
    >>> s = transition(s, Action.APPROVE, "ann", reason="ok", evidence="D123")
    >>> s.status.value
    'awaiting_second'
    >>> transition(s, Action.APPROVE, "bob", reason="ok", evidence="D123").status.value
    'approved'

    Raises:
        InputError: the reason, the evidence of an approval or the assignee is missing.
        CaseConflict: the case is closed, or the second approval of a four-eyes case
            comes from the officer who gave the first.
    """
    if case.status.final:
        raise CaseConflict(f"the case is already {case.status.value}")
    if not reason.strip():
        raise InputError.single("every case action needs a reason", field="reason")
    if action is Action.ASSIGN:
        if not (assignee or "").strip():
            raise InputError.single("say who the case is assigned to", field="assignee")
        status = (
            Status.AWAITING_SECOND
            if case.status is Status.AWAITING_SECOND
            else Status.ASSIGNED
        )
        return CaseState(status, case.four_eyes, assignee, case.first_approver)
    if action is Action.ESCALATE:
        return CaseState(
            Status.ESCALATED, case.four_eyes, case.assignee, case.first_approver
        )
    if action is Action.REJECT:
        return CaseState(
            Status.REJECTED, case.four_eyes, case.assignee, case.first_approver
        )
    if not (evidence or "").strip():
        raise InputError.single(
            "an approval cites its evidence: the licence number or the document "
            "that clears the flag",
            field="evidence",
        )
    if not case.four_eyes:
        return CaseState(Status.APPROVED, False, case.assignee, actor)
    if case.first_approver is None:
        return CaseState(Status.AWAITING_SECOND, True, case.assignee, actor)
    if person_of(case.first_approver) == person_of(actor):
        raise CaseConflict(
            "four eyes: this case overrides a prohibition or a confirmed list hit, "
            f"so an officer other than {person_of(actor)} must give the second "
            "approval"
        )
    return CaseState(Status.APPROVED, True, case.assignee, case.first_approver)
