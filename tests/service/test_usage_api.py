"""Compute monitoring over HTTP, on a real server (SQLite and PostgreSQL): usage
ingested as JSON and as files, once however often it is sent, bad rows named with
nothing stored, a report computed by a POST, and what it stored read by GETs that
change nothing."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import polars as pl

from tests.service.conftest import Served

HEADER = "customer,site_country,chip_model,chip_count,start,end\n"
DAY = "2026-12-01"


def _run() -> str:
    return uuid.uuid4().hex[:8]


def _record(customer: str, **values: Any) -> dict[str, Any]:
    return {
        "customer": customer,
        "site_country": "SG",
        "chip_model": "NVIDIA H100 SXM5",
        "chip_count": 8,
        "start": "2026-11-02T00:00:00Z",
        "end": "2026-11-03T00:00:00Z",
        **values,
    }


def _batches(served: Served) -> list[dict[str, Any]]:
    listed = served.client("viewer").get("/v1/usage/batches", params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    batches: list[dict[str, Any]] = listed.json()
    return batches


def _usage_files(served: Served) -> set[str]:
    folder = served.data_dir / "diligence" / "usage"
    return {p.name for p in folder.glob("*")} if folder.is_dir() else set()


def _audit(served: Served, kind: str) -> list[dict[str, Any]]:
    text = served.client("admin").get("/v1/audit/export").text
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [e for e in entries if e.get("kind") == kind]


def test_json_records_are_kept_once_however_often_they_are_sent(
    served: Served,
) -> None:
    run = _run()
    records = [_record(f"U{run}-a"), _record(f"U{run}-b", chip_count=16)]
    officer = served.client("officer")
    first = officer.post("/v1/usage/records", json={"records": records})
    assert first.status_code == 201, first.text
    answer = first.json()
    batch = answer["stored"]
    assert (answer["sent"], answer["held"], answer["held_in"]) == (2, 0, [])
    assert (batch["rows"], batch["source"]) == (2, "request")
    assert batch["who"].startswith("officer (key")
    # a retry, its JSON spelled otherwise (key order, spacing): nothing stored
    reordered = [dict(reversed(list(r.items()))) for r in records]
    body = json.dumps({"records": reordered}, indent=2)
    again = served.client("officer2").post(
        "/v1/usage/records",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert again.status_code == 200, again.text
    assert again.json() == {
        "stored": None,
        "sent": 2,
        "held": 2,
        "held_in": [batch["batch"]],
    }
    # the same records among new ones (a retry split otherwise): only the new kept
    mixed = [records[1], _record(f"U{run}-c")]
    overlap = officer.post("/v1/usage/records", json={"records": mixed})
    assert overlap.status_code == 201, overlap.text
    assert overlap.json()["stored"]["rows"] == 1
    assert (overlap.json()["held"], overlap.json()["held_in"]) == (
        1,
        [batch["batch"]],
    )
    listed = [b for b in _batches(served) if b["batch"] == batch["batch"]]
    assert listed == [batch]
    ingests = [e["payload"] for e in _audit(served, "usage.ingest")]
    assert [p["batch"] for p in ingests].count(batch["batch"]) == 1


def test_bad_records_are_named_by_record_and_field_and_nothing_is_stored(
    served: Served,
) -> None:
    run = _run()
    before_batches, before_files = len(_batches(served)), _usage_files(served)
    records = [
        _record(f"U{run}-a"),
        _record(f"U{run}-a", site_country="XX"),
        _record(f"U{run}-a", chip_model="NVIDIA H999"),
        _record(f"U{run}-a", end="2026-11-01"),
        _record(f"U{run}-a", chip_model=""),
    ]
    refused = served.client("officer").post(
        "/v1/usage/records", json={"records": records}
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    found = {(e["source"], e["line"], e["field"]) for e in refused.json()["errors"]}
    assert found == {
        ("request", 2, "records/1/site_country"),
        ("request", 3, "records/2/chip_model"),
        ("request", 4, "records/3/end"),
        ("request", 5, "records/4/chip_model"),
    }
    typed = served.client("officer").post(
        "/v1/usage/records",
        json={"records": [_record(f"U{run}-a", chip_count="many")]},
    )
    assert typed.status_code == 422
    assert [e["field"] for e in typed.json()["errors"]] == ["records/0/chip_count"]
    assert len(_batches(served)) == before_batches
    assert _usage_files(served) == before_files


def test_a_usage_file_is_kept_once_and_a_bad_line_named_by_the_file_sent(
    served: Served,
) -> None:
    run = _run()
    officer = served.client("officer")
    frame = pl.DataFrame([_record(f"U{run}-p", chip_count=n) for n in (1, 2, 3)])
    parquet = io.BytesIO()
    frame.write_parquet(parquet)
    sent = {"file": ("november.parquet", parquet.getvalue())}
    kept = officer.post("/v1/usage/batches", files=sent)
    assert kept.status_code == 201, kept.text
    batch = kept.json()["stored"]
    assert (batch["source"], batch["rows"]) == ("november.parquet", 3)
    again = officer.post("/v1/usage/batches", files=sent)
    assert again.status_code == 200
    assert again.json()["stored"] is None
    assert again.json()["held_in"] == [batch["batch"]]
    # the same records as CSV (other bytes): held all the same
    as_csv = frame.with_columns(
        start=pl.lit("2026-11-02T00:00:00"), end=pl.lit("2026-11-03 00:00")
    ).write_csv()
    csv_again = officer.post(
        "/v1/usage/batches", files={"file": ("november.csv", as_csv, "text/csv")}
    )
    assert csv_again.status_code == 200, csv_again.text
    assert csv_again.json() == {
        "stored": None,
        "sent": 3,
        "held": 3,
        "held_in": [batch["batch"]],
    }
    before_batches, before_files = len(_batches(served)), _usage_files(served)
    bad = HEADER + f"U{run}-c,DE,NVIDIA H100 SXM5,8,2026-11-02,2026-11-03\n"
    bad += f"U{run}-c,DE,NVIDIA H100 SXM5,0,2026-11-02,2026-11-03\n"
    refused = officer.post(
        "/v1/usage/batches", files={"file": ("week.csv", bad, "text/csv")}
    )
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert (problem["source"], problem["line"], problem["field"]) == (
        "week.csv",
        3,
        "chip_count",
    )
    assert len(_batches(served)) == before_batches
    assert _usage_files(served) == before_files


def _register(served: Served, run: str) -> tuple[str, str]:
    """A customer headquartered in China that trains, and a German one."""
    trains, plain = f"U{run}-cn", f"U{run}-de"
    text = (
        "id,name,country,headquarters,declared_use\n"
        f"{trains},Zhiyuan Compute {run},SG,CN,inference\n"
        f"{plain},Nordlicht Rechenzentrum {run},DE,DE,inference\n"
    )
    imported = served.client("officer").post(
        "/v1/customers", files={"file": ("customers.csv", text, "text/csv")}
    )
    assert imported.status_code == 200, imported.text
    return trains, plain


def test_a_report_is_a_post_and_what_it_stored_is_read_without_change(
    served: Served,
) -> None:
    run = _run()
    trains, plain = _register(served, run)
    records = [
        _record(trains, chip_count=512, end="2026-11-05T00:00:00Z"),
        _record(plain),
    ]
    officer = served.client("officer")
    ingested = officer.post("/v1/usage/records", json={"records": records})
    assert ingested.status_code == 201, ingested.text
    assert served.client("analyst").post("/v1/usage/report").status_code == 403
    computed = officer.post("/v1/usage/report", json={"as_of": DAY})
    assert computed.status_code == 200, computed.text
    report = computed.json()
    assert report["day"] == DAY
    assert "aid-2025" in report["regimes"]
    mine = {c["customer"]: c for c in report["customers"]}
    assert mine[trains]["gpu_hours"] == 512 * 72
    assert mine[trains]["training_jobs"] == 1
    assert [f["code"] for f in mine[trains]["flags"]] == ["TRAIN.D5"]
    assert mine[plain]["flags"] == []
    flagged_only = officer.post(
        "/v1/usage/report", json={"as_of": DAY, "flagged_only": True}
    ).json()
    assert trains in {c["customer"] for c in flagged_only["customers"]}
    assert plain not in {c["customer"] for c in flagged_only["customers"]}

    viewer = served.client("viewer")
    assert viewer.post("/v1/usage/report").status_code == 403
    stored = viewer.get("/v1/usage/report", params={"limit": 1000})
    assert stored.status_code == 200, stored.text
    rows = {r["customer"]: r for r in stored.json()}
    assert rows[trains]["day"] == DAY
    assert rows[trains]["gpu_hours"] == mine[trains]["gpu_hours"]
    assert [f["code"] for f in rows[trains]["flags"]] == ["TRAIN.D5"]
    flagged = viewer.get("/v1/usage/report", params={"limit": 1000, "flagged": True})
    assert trains in {r["customer"] for r in flagged.json()}
    assert plain not in {r["customer"] for r in flagged.json()}
    flags = viewer.get("/v1/usage/flags", params={"limit": 1000}).json()
    codes = {f["code"] for f in flags if f["customer"] == trains}
    assert {"TRAIN.D5", "RF.UNDECLARED_TRAINING"} <= codes
    only = viewer.get("/v1/usage/flags", params={"code": "TRAIN.D5", "limit": 1000})
    assert {f["code"] for f in only.json()} == {"TRAIN.D5"}
    # reading twice changes nothing: the same rows, stored at the same time
    assert viewer.get("/v1/usage/report", params={"limit": 1000}).json() == (
        stored.json()
    )
    assert viewer.get("/v1/usage/flags", params={"limit": 1000}).json() == flags
    shown = viewer.get(f"/v1/customers/{trains}").json()
    assert shown["compute"]["day"] == DAY
    reports = [e["payload"] for e in _audit(served, "usage.report")]
    assert any(trains in p["flagged"] and p["day"] == DAY for p in reports)


def test_a_report_refuses_bad_options_by_field(served: Served) -> None:
    officer = served.client("officer")
    refused = officer.post(
        "/v1/usage/report", json={"as_of": "1 Dec 2026", "utilisation": 2}
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"as_of", "utilisation"}
    unknown = officer.post(
        "/v1/usage/report", json={"as_of": DAY, "replays": ["no-such-regime"]}
    )
    assert unknown.status_code == 422, unknown.text
