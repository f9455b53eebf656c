"""The service as the system of record: concurrent commits never over-allocate,
cases are walked by officers (four eyes where the law needs it), and a rejected
case of a committed order gives its draws back. Each on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.service.conftest import Served, chipgate, cli_env
from tests.service.orders import (
    LICENSE,
    LICENSES_CSV,
    OTHER_LICENSE,
    embargoed,
    licensed,
)

CLIENTS = 16


def _import_licences(served: Served) -> None:
    listed = served.client("viewer").get("/v1/licenses").json()
    if any(lic["number"] == LICENSE for lic in listed):
        return
    response = served.client("officer").post(
        "/v1/licenses", files={"file": ("licenses.csv", LICENSES_CSV, "text/csv")}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 2}


def _units_used(served: Served, licence: str = LICENSE) -> float:
    balances = served.client("viewer").get("/v1/ledger/balances").json()
    return sum(
        b["used"]
        for b in balances
        if b["account"] == f"license/{licence}" and b["unit"] == "units"
    )


def test_sixteen_clients_never_over_allocate_a_licence(served: Served) -> None:
    _import_licences(served)
    before = _units_used(served)
    run = uuid.uuid4().hex[:6]

    def client_commits(index: int) -> list[dict[str, object]]:
        orders = [licensed(f"C-{run}-{index}-{n}", quantity=10) for n in range(2)]
        response = served.client("officer").post(
            "/v1/orders/commit", json={"orders": orders}
        )
        assert response.status_code == 200, response.text
        return list(response.json()["results"])

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [
            r for batch in pool.map(client_commits, range(CLIENTS)) for r in batch
        ]
    drawn = sum(
        d["amount"]
        for r in results
        if r["commit"]["status"] == "committed"
        for d in r["commit"]["drawn"]
        if d["unit"] == "units"
    )
    used = _units_used(served)
    assert used <= 200
    assert used - before == drawn
    # 32 orders of 10 units on a licence of 200: whatever was left gets used, no more
    assert used == min(200.0, before + 320)
    refused_by_licence = [
        r for r in results if r["decision"]["outcome"] == "license_required"
    ]
    assert all(r["case_id"] for r in refused_by_licence)
    report = served.client("viewer").get("/v1/audit/verify").json()
    assert report["ok"], report


def test_a_prohibition_is_overridden_only_by_two_officers(served: Served) -> None:
    order = embargoed(f"IR-{uuid.uuid4().hex[:6]}")
    committed = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order]}
    )
    assert committed.status_code == 200, committed.text
    [result] = committed.json()["results"]
    assert result["decision"]["outcome"] == "prohibited"
    assert result["four_eyes"] is True
    case_id = result["case_id"]
    first, second = served.client("officer"), served.client("officer2")
    url = f"/v1/cases/{case_id}/actions"
    assigned = first.post(
        url, json={"action": "assign", "reason": "mine", "assignee": "officer"}
    )
    assert assigned.json()["status"] == "assigned"
    missing = first.post(url, json={"action": "approve", "reason": "cleared"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "evidence"
    once = first.post(
        url,
        json={
            "action": "approve",
            "reason": "OFAC licence",
            "evidence": "IR-2026-0042",
        },
    )
    assert once.json()["status"] == "awaiting_second"
    again = first.post(
        url,
        json={"action": "approve", "reason": "still fine", "evidence": "IR-2026-0042"},
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert (
        served.client("analyst")
        .post(url, json={"action": "approve", "reason": "x", "evidence": "y"})
        .status_code
        == 403
    )
    done = second.post(
        url, json={"action": "approve", "reason": "agreed", "evidence": "IR-2026-0042"}
    )
    assert done.status_code == 200, done.text
    case = served.client("viewer").get(f"/v1/cases/{case_id}").json()
    assert case["status"] == "approved"
    assert [e["action"] for e in case["history"]] == [
        "open",
        "assign",
        "approve",
        "approve",
    ]
    assert case["history"][2]["who"].startswith("officer (key")
    assert case["history"][3]["who"].startswith("officer2 (key")
    decision = (
        served.client("viewer").get(f"/v1/decisions/{result['decision_id']}").json()
    )
    assert decision["cases"] == [case_id]
    assert decision["reasoning"]["findings"]
    exported = served.client("viewer").get("/v1/audit/export").text
    kinds = [
        line for line in exported.splitlines() if case_id in line and '"case.' in line
    ]
    assert len(kinds) == 4
    assert served.client("viewer").get("/v1/audit/verify").json()["ok"]


def test_a_commit_always_opens_the_cases_it_needs(served: Served) -> None:
    order = embargoed(f"NR-{uuid.uuid4().hex[:6]}")
    refused = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order], "review": False}
    )
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert problem["field"] == "review"
    # nothing was committed: the order commits afterwards, with its case
    committed = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order]}
    )
    [result] = committed.json()["results"]
    assert result["commit"]["status"] == "committed", result
    assert result["case_id"] is not None
    assert result["four_eyes"]


def test_rejecting_the_case_of_a_committed_order_releases_its_draws(
    served: Served,
) -> None:
    _import_licences(served)
    # the licence's own consignee and end user, owned by a listed company: the
    # licence draws, and the parent's hit sends the order for review (a licence
    # names one party, so another end user is not covered by it)
    order = {
        **licensed(f"HK-{uuid.uuid4().hex[:6]}", quantity=1, licence=OTHER_LICENSE),
        "consignee_parent": "Hikvision Digital Technology",
        "consignee_parent_hq": "CN",
        "consignee_parent_share": 100,
    }
    committed = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order]}
    )
    [result] = committed.json()["results"]
    assert result["commit"]["status"] == "committed", result
    assert result["commit"]["drawn"]
    # the listed "Hangzhou Hikvision Digital Technology Co., Ltd." without its
    # city (the screening rule ``chinese_city``): a hit, sent for review
    assert "list_hit" in result["review"]
    used = _units_used(served, OTHER_LICENSE)
    rejected = served.client("officer").post(
        f"/v1/cases/{result['case_id']}/actions",
        json={"action": "reject", "reason": "owned by the listed Hikvision"},
    )
    assert rejected.json()["status"] == "rejected"
    assert _units_used(served, OTHER_LICENSE) == used - 1
    history = (
        served.client("viewer")
        .get("/v1/ledger/history", params={"account": f"license/{OTHER_LICENSE}"})
        .json()
    )
    assert any(
        h["order_id"] == order["id"] and h["status"] == "released" for h in history
    )
    unknown = served.client("viewer").get(
        "/v1/ledger/history", params={"account": "license/NO-SUCH-LICENSE"}
    )
    assert unknown.status_code == 404, unknown.text  # an unknown id, as documented
    assert "nothing was ever drawn" in unknown.json()["detail"]


def test_officers_decide_cases_from_the_cli(served: Served) -> None:
    order = embargoed(f"CLI-{uuid.uuid4().hex[:6]}")
    committed = served.client("officer").post(
        "/v1/orders/commit", json={"orders": [order]}
    )
    case_id = committed.json()["results"][0]["case_id"]
    env = cli_env(served.data_dir, served.store_url)
    listed = chipgate(env, "cases", "list", "--status", "open", "--json")
    assert case_id in listed.stdout
    approve = ("cases", "decide", case_id, "--action", "approve", "--reason", "ok")
    ann = {**env, "CHIPGATE_USER": "ann"}
    first = chipgate(ann, *approve, "--evidence", "OFAC-1")
    assert first.returncode == 0, first.stderr
    assert "awaiting_second" in first.stdout
    twice = chipgate(ann, *approve, "--evidence", "OFAC-1")
    assert twice.returncode == 1
    assert "four eyes" in twice.stderr
    no_evidence = chipgate({**env, "CHIPGATE_USER": "bob"}, *approve)
    assert no_evidence.returncode == 2
    second = chipgate({**env, "CHIPGATE_USER": "bob"}, *approve, "--evidence", "OFAC-1")
    assert second.returncode == 0, second.stderr
    shown = chipgate(env, "cases", "show", case_id, "--json")
    history = json.loads(shown.stdout)["history"]
    assert [(e["action"], e["who"]) for e in history[1:]] == [
        ("approve", "ann (cli)"),
        ("approve", "bob (cli)"),
    ]


def test_a_repeated_check_joins_the_case_still_waiting(served: Served) -> None:
    analyst = served.client("analyst")
    order = embargoed(f"RC-{uuid.uuid4().hex[:6]}")

    def checked(body: dict[str, object]) -> dict[str, object]:
        answer = analyst.post("/v1/orders/check", json={"orders": [body]})
        assert answer.status_code == 200, answer.text
        [result] = answer.json()["results"]
        assert result["case_id"], result
        return result  # type: ignore[no-any-return]

    first, again = checked(order), checked(order)
    assert again["case_id"] == first["case_id"]
    assert again["decision_id"] != first["decision_id"]
    viewer = served.client("viewer")
    case = viewer.get(f"/v1/cases/{first['case_id']}").json()
    assert [(e["action"], e["evidence"]) for e in case["history"]] == [
        ("open", None),
        ("checked_again", again["decision_id"]),
    ]
    shown = viewer.get(f"/v1/decisions/{again['decision_id']}").json()
    assert shown["cases"] == [first["case_id"]]
    # one request never holds the same order twice
    twice = analyst.post("/v1/orders/check", json={"orders": [order, order]})
    assert twice.status_code == 422, twice.text
    # another order under the same id is another question: its own case
    changed = checked(order | {"quantity": order["quantity"] + 1})  # type: ignore[operator]
    assert changed["case_id"] != first["case_id"]
    # a closed case is not joined: the order's next check opens a new one
    closed = served.client("officer").post(
        f"/v1/cases/{first['case_id']}/actions",
        json={"action": "reject", "reason": "embargoed destination"},
    )
    assert closed.json()["status"] == "rejected", closed.text
    assert checked(order)["case_id"] not in {first["case_id"], changed["case_id"]}
