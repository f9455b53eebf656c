"""The customer register over HTTP, on a real server (SQLite and PostgreSQL): an
import screened and listed, a bad row refusing its whole file, who may do what,
and a re-screen's summary."""

from __future__ import annotations

import uuid
from typing import Any

from tests.service.conftest import Served

HEADER = "id,name,country,headquarters,declared_use\n"


def _ids() -> tuple[str, str]:
    run = uuid.uuid4().hex[:8]
    return f"T{run}-1", f"T{run}-2"


def _import(served: Served, filename: str, text: str, role: str = "officer") -> Any:
    return served.client(role).post(
        "/v1/customers", files={"file": (filename, text, "text/csv")}
    )


def _register(served: Served) -> tuple[str, str, dict[str, Any]]:
    """A plain customer and a listed one, imported: their ids and the run."""
    plain, listed = _ids()
    rows = (
        f"{plain},Nordlicht Rechenzentrum GmbH,DE,DE,inference\n"
        f"{listed},Hikvision Digital Technology,CN,CN,training\n"
    )
    imported = _import(served, "customers.csv", HEADER + rows)
    assert imported.status_code == 200, imported.text
    return plain, listed, imported.json()


def test_an_import_is_screened_listed_and_shown_with_its_hit(served: Served) -> None:
    plain, listed, run = _register(served)
    assert run["summary"]["kind"] == "import"
    assert run["summary"]["customers"] == 2
    assert isinstance(run["summary"]["run_id"], int)
    alerts = run["alerts"]
    assert alerts  # the listed one, once a list entry it matches
    assert {(a["customer_id"], a["kind"], a["cause"]) for a in alerts} == {
        (listed, "new_hit", "import")
    }
    viewer = served.client("viewer")
    everyone = viewer.get("/v1/customers", params={"limit": 1000})
    assert everyone.status_code == 200, everyone.text
    mine = {c["id"]: c for c in everyone.json() if c["id"] in (plain, listed)}
    assert mine[plain]["hits"] == []
    assert mine[listed]["hits"][0]["matched_name"]
    assert mine[listed]["hq_class"] == "headquartered"
    assert [a["id"] for a in mine[listed]["open_alerts"]] == [a["id"] for a in alerts]
    position = [c["id"] for c in everyone.json()].index(listed)
    page = viewer.get("/v1/customers", params={"limit": 1, "offset": position})
    assert [c["id"] for c in page.json()] == [listed]
    shown = viewer.get(f"/v1/customers/{listed}").json()
    assert shown["hits"] == mine[listed]["hits"]
    assert shown["history"][0]["run"] == run["summary"]["run_id"]
    entries = served.client("admin").get("/v1/audit/export").text
    assert '"kind":"customers.import"' in entries
    assert "officer (key" in entries


def test_a_bad_row_is_named_by_file_line_and_field_and_nothing_is_stored(
    served: Served,
) -> None:
    good, bad = _ids()
    rows = f"{good},Good Compute Ltd,DE,DE,inference\n{bad},Bad Compute Ltd,DE,XX,\n"
    refused = _import(served, "week.csv", HEADER + rows)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    [problem] = refused.json()["errors"]
    assert (problem["source"], problem["line"], problem["field"]) == (
        "week.csv",
        3,
        "headquarters",
    )
    viewer = served.client("viewer")
    assert viewer.get(f"/v1/customers/{good}").status_code == 404
    jsonl = f'{{"id": "{good}", "name": "Good Compute Ltd", "colour": "red"}}\n'
    unknown = _import(served, "week.jsonl", jsonl)
    assert unknown.status_code == 422
    [problem] = unknown.json()["errors"]
    assert (problem["source"], problem["line"], problem["field"]) == (
        "week.jsonl",
        1,
        "colour",
    )
    text = _import(served, "week.txt", HEADER)
    assert text.status_code == 422
    assert text.json()["errors"][0]["source"] == "week.txt"


def test_only_officers_maintain_the_register_and_an_unknown_id_is_404(
    served: Served,
) -> None:
    plain, _ = _ids()
    rows = HEADER + f"{plain},Nordlicht Rechenzentrum GmbH,DE,DE,inference\n"
    for role in ("viewer", "analyst"):
        refused = _import(served, "customers.csv", rows, role)
        assert refused.status_code == 403, role
        again = served.client(role).post("/v1/customers/rescreen", json={})
        assert again.status_code == 403, role
    assert served.client("viewer").get(f"/v1/customers/{plain}").status_code == 404
    unknown = served.client("viewer").get("/v1/customers/no-such-customer")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "no-such-customer" in unknown.json()["detail"]


def test_a_rescreen_returns_its_summary_and_alerts(served: Served) -> None:
    _, listed, _ = _register(served)
    officer = served.client("officer")
    delta = officer.post("/v1/customers/rescreen")
    assert delta.status_code == 200, delta.text
    assert delta.json()["summary"]["kind"] == "none"  # the lists did not change
    assert delta.json()["summary"]["notes"]
    full = officer.post("/v1/customers/rescreen", json={"full": True})
    assert full.status_code == 200, full.text
    summary = full.json()["summary"]
    assert summary["kind"] == "full"
    assert isinstance(summary["run_id"], int)
    assert summary["screened"] >= 2
    alerts = full.json()["alerts"]
    assert summary["new_hits"] + summary["cleared_hits"] == len(alerts)
    shown = served.client("viewer").get(f"/v1/customers/{listed}").json()
    assert shown["hits"]  # the same lists: the hit stays
