"""Case states and actions; ``transition`` is the whole workflow, as a pure function.

A case is open until an officer approves or rejects it. Overriding a prohibition or
a confirmed restricted-party list hit needs two different officers (four eyes): the
first approval leaves the case ``awaiting_second``; only another officer's approval
closes it. Every action needs a reason, and an approval names its evidence (the
licence number, or the document that clears the flag).

A case's ``status`` is its approval stage alone; escalation is a flag beside it
(``escalated``), set by ``escalate`` and cleared by ``deescalate`` or by the
decision that closes the case. So a case awaiting its second approval stays
``awaiting_second`` while escalated, and an officer looking for such cases finds
it. Escalating or de-escalating keeps the first approval: escalation asks a more
senior officer to look, on the same facts, and the first approval is a named
officer's judgement on record in the history and the audit chain; the case still
closes only with an approval by someone else, so four eyes hold either way, and
the state never forgets an approval its history shows. An officer whose approval
should no longer stand rejects the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from chipgate.errors import ChipgateError, InputError


class Status(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    ASSIGNED = "assigned"
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
    DEESCALATE = "deescalate"


class CaseConflict(ChipgateError, ValueError):
    """The action does not fit the case's state (closed, escalated twice, or the
    same officer approving twice)."""


class UnknownCase(ChipgateError, LookupError):
    """No case has the id asked for."""


@dataclass(frozen=True, slots=True)
class CaseState:
    """What ``transition`` reads of a case."""

    status: Status
    four_eyes: bool
    assignee: str | None = None
    first_approver: str | None = None
    escalated: bool = False


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
    >>> s = transition(s, Action.ESCALATE, "bob", reason="ask the head")
    >>> s.status.value, s.escalated, s.first_approver
    ('awaiting_second', True, 'ann')
    >>> transition(s, Action.APPROVE, "cem", reason="ok", evidence="D123").status.value
    'approved'

    Raises:
        InputError: the reason, the evidence of an approval or the assignee is
            missing, or an assignee is named on another action than ``assign``.
        CaseConflict: the case is closed, escalated twice or de-escalated when not
            escalated, or the second approval of a four-eyes case comes from the
            officer who gave the first.
    """
    if case.status.final:
        raise CaseConflict(f"the case is already {case.status.value}")
    if not reason.strip():
        raise InputError.single("every case action needs a reason", field="reason")
    if (assignee or "").strip() and action is not Action.ASSIGN:
        # it would go into the audit entry as if the case had been assigned
        raise InputError.single(
            f"only an assign action names an assignee, not {action.value}",
            field="assignee",
        )
    if action is Action.ASSIGN:
        if not (assignee or "").strip():
            raise InputError.single("say who the case is assigned to", field="assignee")
        stage = Status.ASSIGNED if case.status is Status.OPEN else case.status
        return replace(case, status=stage, assignee=assignee)
    if action in (Action.ESCALATE, Action.DEESCALATE):
        wanted = action is Action.ESCALATE
        if case.escalated is wanted:
            raise CaseConflict(
                "the case is already escalated"
                if wanted
                else "the case is not escalated"
            )
        return replace(case, escalated=wanted)
    if action is Action.REJECT:
        return replace(case, status=Status.REJECTED, escalated=False)
    if not (evidence or "").strip():
        raise InputError.single(
            "an approval cites its evidence: the licence number or the document "
            "that clears the flag",
            field="evidence",
        )
    if not case.four_eyes:
        return replace(
            case, status=Status.APPROVED, first_approver=actor, escalated=False
        )
    if case.first_approver is None:
        return replace(case, status=Status.AWAITING_SECOND, first_approver=actor)
    if person_of(case.first_approver) == person_of(actor):
        raise CaseConflict(
            "four eyes: this case overrides a prohibition or a confirmed list hit, "
            f"so an officer other than {person_of(actor)} must give the second "
            "approval"
        )
    return replace(case, status=Status.APPROVED, escalated=False)
