"""The review queue: cases opened by decisions that need a person."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from chipgate.cases.model import Action, Status, person_of
from chipgate.cases.store import CaseView, act, get_case, list_cases
from chipgate.errors import InputError
from chipgate.ledger.commit import release_in
from chipgate.service.deps import Officer, Viewer, documented, runtime_of, state_of
from chipgate.service.keys import KeyInfo, Role, list_keys
from chipgate.service.schemas import CaseAction, CaseOut

router = APIRouter(prefix="/v1/cases", tags=["cases"])

CASE = {
    "case_id": "0c1d2e3f40516273",
    "order_id": "ORD-002",
    "decision_id": "5f0c2a9d41e3b7a8",
    "outcome": "license_required",
    "reasons": ["license_required"],
    "four_eyes": False,
    "committed": True,
    "status": "approved",
    "escalated": False,
    "assignee": "ann (key 3fa9c1d2e4b5)",
    "first_approver": "ann (key 3fa9c1d2e4b5)",
    "opened_at": "2026-12-02T10:00:00.000000+00:00",
    "updated_at": "2026-12-02T11:00:00.000000+00:00",
    "history": [
        {
            "at": "2026-12-02T11:00:00.000000+00:00",
            "who": "ann (key 3fa9c1d2e4b5)",
            "action": "approve",
            "status": "approved",
            "reason": "licence granted",
            "evidence": "D1234567",
            "audit_seq": 14,
        }
    ],
}
CaseId = Annotated[str, Path(min_length=1, max_length=32)]


def check_assignee(assignee: str, keys: list[KeyInfo]) -> None:
    """Refuse to assign a case to a name no live officer's key bears.

    A case assigned to a viewer, an analyst, a revoked key or a misspelt name sits
    with someone who cannot decide it, while the queue shows it taken. Names are
    compared as people (``model.person_of``): "Ann Lee" is the holder of any key so
    named, "ann lee (key 3fa9c1d2e4b5)" too.

    Raises:
        InputError: no officer's (or admin's) live key bears that name.
    """
    wanted = person_of(assignee)
    if not any(
        k.revoked_at is None
        and k.role.allows(Role.OFFICER)
        and person_of(k.name) == wanted
        for k in keys
    ):
        raise InputError.single(
            f"no officer's key is named {assignee.strip()!r}: a case is assigned "
            "to an officer who can decide it",
            field="assignee",
        )


def _out(view: CaseView) -> dict[str, Any]:
    data = asdict(view)
    data["reasons"] = list(view.reasons)
    return data


@router.get("", response_model=list[CaseOut], responses=documented([CASE]))
def cases(
    request: Request,
    who: Viewer,
    status: Annotated[Status | None, Query()] = None,
    escalated: Annotated[bool | None, Query()] = None,
    order_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[dict[str, Any]]:
    """Cases, oldest first; filter by approval stage (the queue is ``status=open``;
    an escalated case keeps its stage), by ``escalated``, or by order."""
    found = list_cases(
        state_of(request).store,
        status=status,
        escalated=escalated,
        order_id=order_id,
        limit=limit,
        offset=offset,
    )
    return [_out(c) for c in found]


@router.get("/{case_id}", response_model=CaseOut, responses=documented(CASE, 404))
def case(case_id: CaseId, request: Request, who: Viewer) -> dict[str, Any]:
    """One case with its whole history."""
    return _out(get_case(state_of(request).store, case_id))


@router.post(
    "/{case_id}/actions", response_model=CaseOut, responses=documented(CASE, 404, 409)
)
def case_action(
    case_id: CaseId, body: CaseAction, request: Request, who: Officer
) -> dict[str, Any]:
    """Assign, approve (citing the licence or evidence), reject, escalate or
    de-escalate a case.

    Overriding a prohibition or a confirmed list hit needs a second approval by a
    different officer; escalating keeps the first approval. Rejecting the case of a
    committed order releases its draws. A closed case takes no action (409), and
    a case is assigned only to a name an officer's key bears (422).
    """
    if body.action == Action.ASSIGN.value and (body.assignee or "").strip():
        check_assignee(body.assignee or "", list_keys(state_of(request).store))
    ledger = runtime_of(request).ledger
    view = act(
        ledger.engine,
        case_id,
        Action(body.action),
        who.who,
        reason=body.reason,
        evidence=body.evidence,
        assignee=body.assignee,
        release=release_in,
    )
    return _out(view)
