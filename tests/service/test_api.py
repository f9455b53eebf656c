"""What each route group answers, on a real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from tests.service.conftest import Served
from tests.service.orders import embargoed, plain


def test_one_check_and_a_batch_with_their_reasoning(served: Served) -> None:
    run = uuid.uuid4().hex[:6]
    analyst = served.client("analyst")
    one = analyst.post("/v1/orders/check", json={"orders": [plain(f"P-{run}")]})
    assert one.status_code == 200, one.text
    [result] = one.json()["results"]
    assert result["decision"]["outcome"] == "no_license_required"
    assert result["case_id"] is None
    shown = served.client("viewer").get(f"/v1/decisions/{result['decision_id']}")
    assert shown.json()["decision"] == result["decision"]
    assert shown.json()["principal"].startswith("analyst (key")
    batch = [plain(f"B-{run}-{n}") for n in range(300)] + [embargoed(f"E-{run}")]
    many = analyst.post("/v1/orders/check", json={"orders": batch})
    body = many.json()
    assert body["count"] == 301
    assert body["outcomes"] == {"no_license_required": 300, "prohibited": 1}
    assert [r["decision"]["id"] for r in body["results"]] == [o["id"] for o in batch]
    flagged = body["results"][-1]
    assert flagged["four_eyes"] is True
    assert flagged["case_id"]


def test_a_bad_order_is_named_by_position_and_field(served: Served) -> None:
    orders = [plain("OK-1"), {**plain("BAD-1"), "destination": "XX"}]
    response = served.client("analyst").post(
        "/v1/orders/check", json={"orders": orders}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [problem] = response.json()["errors"]
    assert problem["field"] == "orders/1/destination"
    assert problem["line"] == 2
    unknown = served.client("analyst").post(
        "/v1/orders/check", json={"orders": [{**plain("U-1"), "colour": "red"}]}
    )
    assert unknown.json()["errors"][0]["field"] == "orders/0/colour"
    # a date no regime models is a bad date of its order, as in a book (it was a
    # 422 naming no order)
    early = served.client("analyst").post(
        "/v1/orders/check",
        json={"orders": [plain("E-0"), {**plain("E-1"), "date": "2019-01-01"}]},
    )
    assert early.status_code == 422, early.text
    [problem] = early.json()["errors"]
    assert problem["field"] == "orders/1/date"
    # JSON's true is no number, nor 256.5 a quantity: the parser says so, as for a
    # JSONL line (read as the number 1, "tpp": true was a chip below 3A090)
    for field, value in (("tpp", True), ("quantity", True), ("quantity", 256.5)):
        typed = served.client("analyst").post(
            "/v1/orders/check", json={"orders": [{**plain("T-1"), field: value}]}
        )
        assert typed.status_code == 422, typed.text
        [problem] = typed.json()["errors"]
        assert problem["field"] == f"orders/0/{field}"


def test_a_book_upload_runs_as_a_job_with_results(served: Served) -> None:
    run = uuid.uuid4().hex[:6]
    header = "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,end_user_hq,end_use,training_operations,open_weights,authorizations\n"
    rows = "".join(
        f"J-{run}-{n},2024-02-10,export,NVIDIA H100 SXM5,8,DE,N GmbH,DE,N GmbH,DE,datacenter,,,\n"
        for n in range(1200)
    )
    analyst = served.client("analyst")
    started = analyst.post(
        "/v1/books", files={"file": ("book.csv", header + rows, "text/csv")}
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = analyst.get(f"/v1/books/{job_id}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    assert job["total"] == job["done"] == 1200
    assert job["outcomes"] == {"no_license_required": 1200}
    jsonl = analyst.get(job["results"])
    assert len(jsonl.text.splitlines()) == 1200
    table = analyst.get(job["results"], params={"format": "csv"})
    assert table.headers["content-type"].startswith("text/csv")
    assert table.text.startswith("id,outcome")
    unknown = analyst.post(
        "/v1/books",
        files={"file": ("book.csv", header + rows, "text/csv")},
        data={"regime": "no-such-regime"},
    )
    assert unknown.status_code == 422, unknown.text  # not a job that fails later
    assert "unknown regime" in unknown.json()["detail"]
    bad = header + rows.replace(",8,DE,", ",eight,DE,", 1)
    failed_id = analyst.post(
        "/v1/books", files={"file": ("week.csv", bad, "text/csv")}
    ).json()["job_id"]
    while (job := analyst.get(f"/v1/books/{failed_id}").json())["status"] not in (
        "done",
        "failed",
    ):
        time.sleep(0.2)
    assert job["status"] == "failed"
    [problem] = job["problems"]
    assert problem == {
        "detail": problem["detail"],
        "source": "week.csv",
        "line": 2,
        "field": "quantity",
    }
    assert analyst.get(f"/v1/books/{failed_id}/results").status_code == 409
    # a date no regime models is its line's bad date, as in chipgate check
    early = header + rows.replace("2024-02-10", "2019-02-10", 1)
    early_id = analyst.post(
        "/v1/books", files={"file": ("early.csv", early, "text/csv")}
    ).json()["job_id"]
    while (job := analyst.get(f"/v1/books/{early_id}").json())["status"] not in (
        "done",
        "failed",
    ):
        time.sleep(0.2)
    assert job["status"] == "failed"
    [problem] = job["problems"]
    assert (problem["source"], problem["line"], problem["field"]) == (
        "early.csv",
        2,
        "date",
    )


def test_screening_classification_and_the_law_of_a_day(served: Served) -> None:
    analyst = served.client("analyst")
    hit = analyst.post(
        "/v1/screening/name",
        json={"name": "Huawei Technologies Co. Ltd.", "country": "CN"},
    ).json()
    assert hit["hit"] is True
    assert hit["matches"][0]["explanation"]
    batch = analyst.post(
        "/v1/screening/batch",
        json={
            "parties": [
                {"name": "Huawei Technologies Co. Ltd."},
                {"name": "Nordlicht Rechenzentrum GmbH"},
            ]
        },
    ).json()
    assert [r["hit"] for r in batch["results"]] == [True, False]
    chip = analyst.post(
        "/v1/chips/classify", json={"name": "NVIDIA H100 SXM5", "as_of": "2024-06-01"}
    ).json()
    assert chip["eccn"] == "3A090.a"
    assert chip["regime"] == "ac-2023"
    viewer = served.client("viewer")
    regimes = viewer.get("/v1/regimes", params={"as_of": "2024-06-01"}).json()
    assert [r["id"] for r in regimes if r["in_force"]] == ["ac-2023"]
    law = viewer.get("/v1/regimes/law", params={"as_of": "2024-06-01"}).json()
    assert law["regime"] == "ac-2023"
    assert all(p["citations"] for p in law["parameters"].values())
    unknown = viewer.get("/v1/regimes/law", params={"regime": "no-such-regime"})
    assert unknown.status_code == 422
    seconds = viewer.get("/v1/regimes/law", params={"as_of": "1735689600"})
    assert seconds.status_code == 422, seconds.text  # not the Unix time of 2025


def test_screening_as_of_a_date_with_near_misses_and_the_lists_used(
    served: Served,
) -> None:
    # Sophgo was added to the Entity List effective 2025-01-16 (90 FR 4621)
    analyst = served.client("analyst")

    def screened(day: str | None) -> dict[str, object]:
        body = {"name": "Sophgo Technologies", "country": "CN"}
        answer = analyst.post(
            "/v1/screening/name", json=body | ({"as_of": day} if day else {})
        )
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    before, after = screened("2025-01-15"), screened("2025-01-16")
    assert (before["hit"], after["hit"]) == (False, True)
    assert before["as_of"] == "2025-01-15"
    assert any(m["federal_register"] == "90 FR 4621" for m in after["matches"])  # type: ignore[attr-defined, index]
    assert screened(None)["as_of"] == datetime.now(UTC).date().isoformat()
    assert any(u.startswith("csl-2026 of ") for u in after["lists_used"])  # type: ignore[attr-defined]
    asked = {"name": "Sophgo Technology Group"}
    plain = analyst.post("/v1/screening/name", json=asked).json()
    assert plain["near_misses"] == []  # asked for only: a deeper match
    near = analyst.post("/v1/screening/name", json=asked | {"near_misses": True}).json()
    assert near["hit"] is True
    assert near["near_misses"]
    assert all(not m["is_hit"] and m["score"] < 0.80 for m in near["near_misses"])
    batch = analyst.post(
        "/v1/screening/batch",
        json={
            "as_of": "2024-12-31",
            "parties": [
                {"name": "Sophgo Technologies"},
                {"name": "Sophgo Technologies", "as_of": "2025-02-03"},
            ],
        },
    ).json()
    assert [(r["as_of"], r["hit"]) for r in batch["results"]] == [
        ("2024-12-31", False),
        ("2025-02-03", True),
    ]
    bad = analyst.post(
        "/v1/screening/name", json={"name": "Sophgo", "as_of": "2025-13-01"}
    )
    assert bad.status_code == 422
    blank = analyst.post("/v1/screening/name", json={"name": "   "})
    assert blank.status_code == 422


def test_lists_older_than_the_limit_are_said_so_in_every_answer(
    served: Served,
) -> None:
    # the shared lists are of 2026-07-31 and older: past the default 30 days
    lists = served.client("viewer").get("/v1/screening/lists").json()
    csl = next(info for info in lists if info["source"] == "csl-2026")
    assert csl["age_days"] > 30
    assert csl["stale"] is True
    assert "days old" in csl["warning"]
    assert all(info["stale"] == (info["warning"] is not None) for info in lists)
    stale = {info["warning"] for info in lists if info["stale"]}
    analyst = served.client("analyst")
    checked = analyst.post("/v1/orders/check", json={"orders": [plain("W-1")]}).json()
    screened = analyst.post("/v1/screening/name", json={"name": "Acme"}).json()
    batch = analyst.post(
        "/v1/screening/batch", json={"parties": [{"name": "Acme"}]}
    ).json()
    assert set(checked["warnings"]) == set(screened["warnings"]) == stale
    assert set(batch["warnings"]) == stale
    nowhere = analyst.post("/v1/screening/name", json={"name": "X", "country": "ZZ"})
    assert nowhere.status_code == 422
    assert "ISO 3166" in nowhere.text
    lower = analyst.post(
        "/v1/screening/name", json={"name": "Sophgo Technologies", "country": "cn"}
    ).json()
    assert lower["country"] == "CN"


def test_an_order_names_the_entry_its_item_is_listed_under(served: Served) -> None:
    order = {
        **plain(f"Z-{uuid.uuid4().hex[:6]}"),
        "date": "2024-06-03",
        "item": "NVIDIA DGX H100",
        "destination": "CN",
        "consignee_hq": "CN",
        "listed_under": "5A992.c",
    }
    response = served.client("analyst").post(
        "/v1/orders/check", json={"orders": [order]}
    )
    assert response.status_code == 200, response.text
    decision = response.json()["results"][0]["decision"]
    assert decision["eccn"] == "5A992.z"
    assert decision["outcome"] == "license_required"
