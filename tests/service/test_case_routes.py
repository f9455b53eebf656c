"""The case routes over HTTP, on a real server per store (SQLite and PostgreSQL): the
queue of second approvals holds escalated cases too, four eyes hold through
escalation, actions that do not fit a case are refused without touching it, and a
body that is not JSON is named by its line and column."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.service.conftest import Served
from tests.service.orders import embargoed


def _four_eyes_case(served: Served) -> tuple[str, str]:
    """A committed prohibition's case (four eyes) and its order id."""
    order = embargoed(f"Q-{uuid.uuid4().hex[:6]}")
    committed = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order]}
    )
    assert committed.status_code == 200, committed.text
    [result] = committed.json()["results"]
    assert result["four_eyes"], result
    return result["case_id"], order["id"]


def _act(client: httpx.Client, case_id: str, action: str, **more: str) -> Any:
    body = {"action": action, "reason": f"{action}: test", **more}
    return client.post(f"/v1/cases/{case_id}/actions", json=body)


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()  # type: ignore[no-any-return]


def test_an_escalated_case_awaiting_its_second_approval_is_in_that_queue(
    served: Served,
) -> None:
    case_id, order_id = _four_eyes_case(served)
    first, second = served.client("officer"), served.client("officer2")
    viewer = served.client("viewer")

    def listed(**query: str) -> list[str]:
        found = viewer.get("/v1/cases", params={"order_id": order_id, **query})
        assert found.status_code == 200, found.text
        return [c["case_id"] for c in found.json()]

    assert _act(first, case_id, "approve", evidence="OFAC-1").json()["status"] == (
        "awaiting_second"
    )
    escalated = _act(second, case_id, "escalate").json()
    assert (escalated["status"], escalated["escalated"]) == ("awaiting_second", True)
    assert listed(status="awaiting_second") == [case_id]
    assert listed(escalated="true") == [case_id]
    assert listed(status="awaiting_second", escalated="false") == []
    assert (
        "other than officer"
        in _problem(_act(first, case_id, "approve", evidence="OFAC-1"), 409)["detail"]
    )
    assert (
        "already escalated"
        in _problem(_act(second, case_id, "escalate"), 409)["detail"]
    )
    back = _act(first, case_id, "deescalate").json()
    assert (back["status"], back["escalated"]) == ("awaiting_second", False)
    assert back["first_approver"].startswith("officer (key ")
    _problem(_act(first, case_id, "approve", evidence="OFAC-1"), 409)
    done = _act(second, case_id, "approve", evidence="OFAC-1").json()
    assert (done["status"], done["escalated"]) == ("approved", False)
    assert listed(escalated="true") == []


def test_actions_that_do_not_fit_the_case_are_refused(served: Served) -> None:
    case_id, _ = _four_eyes_case(served)
    officer = served.client("officer")
    for role in ("viewer", "analyst"):
        assert _act(served.client(role), case_id, "reject").status_code == 403
    misplaced = _act(officer, case_id, "reject", assignee="officer2")
    assert _problem(misplaced, 422)["errors"][0]["field"] == "assignee"
    for name in ("analyst", "viewer", "nobody at all"):
        refused = _problem(_act(officer, case_id, "assign", assignee=name), 422)
        assert refused["errors"][0]["field"] == "assignee", refused
    assert (
        "not escalated" in _problem(_act(officer, case_id, "deescalate"), 409)["detail"]
    )
    unknown = _problem(_act(officer, case_id, "reopen"), 422)
    assert unknown["errors"][0]["field"] == "action"
    for name in ("officer2", "Officer2 (key 0a1b2c3d4e5f)", "root"):
        assigned = _act(officer, case_id, "assign", assignee=name)
        assert assigned.json()["status"] == "assigned", assigned.text
    assert _act(officer, case_id, "reject").json()["status"] == "rejected"
    before = served.client("viewer").get(f"/v1/cases/{case_id}").json()
    for action, more in (
        ("approve", {"evidence": "D1"}),
        ("reject", {}),
        ("assign", {"assignee": "officer2"}),
        ("escalate", {}),
        ("deescalate", {}),
    ):
        closed = _problem(_act(officer, case_id, action, **more), 409)
        assert "already rejected" in closed["detail"]
    # nothing reopened it, nothing was added to its history
    assert served.client("viewer").get(f"/v1/cases/{case_id}").json() == before
    _problem(_act(officer, "0" * 16, "reject"), 404)


MALFORMED = '{\n  "action": "reject",\n  "reason": "no" "more"\n}'


def _where(body: str) -> tuple[int, int]:
    """Line and column as the standard library's JSON reader counts them."""
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(body)
    return caught.value.lineno, caught.value.colno


@pytest.mark.parametrize(
    ("role", "path", "body"),
    [
        ("officer", "/v1/cases/0c1d2e3f40516273/actions", MALFORMED),
        ("analyst", "/v1/orders/check", '{"orders": [\n  {"id": "A",,}\n]}'),
        ("analyst", "/v1/orders/check", '{"orders": [\n\n'),
    ],
)
def test_a_body_that_is_not_json_is_named_by_line_and_column(
    served: Served, role: str, path: str, body: str
) -> None:
    answer = served.client(role).post(
        path, content=body, headers={"content-type": "application/json"}
    )
    problem = _problem(answer, 422)
    line, column = _where(body)
    [error] = problem["errors"]
    assert (error["field"], error["line"], error["column"]) == (None, line, column)
    assert f"(line {line}, column {column})" in problem["detail"]
    assert error["detail"].startswith("the body is not valid JSON: ")
