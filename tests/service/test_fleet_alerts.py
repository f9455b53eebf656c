"""Location alerts over HTTP: viewers list them, an officer closes one, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import orjson

from chipgate.ledger.db import make_engine
from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.registry import FleetRegistry
from tests.location.test_registry import _entry
from tests.service.conftest import Served


def test_an_officer_closes_an_alert_once_and_the_chain_records_it(
    served: Served,
) -> None:
    chip_id = f"GPU-{uuid.uuid4().hex[:8]}"
    owner = f"Owner {chip_id}"
    chip = _entry(chip_id, owner=owner).model_dump()
    officer = served.client("officer")
    officer.post("/v1/fleet/chips", json={"chips": [chip]}).raise_for_status()
    engine = make_engine(served.store_url)
    seen = datetime(2026, 11, 20, 8, tzinfo=UTC)
    record_alerts(
        engine,
        [NewAlert(FleetRegistry(engine).chips([chip_id])[chip_id], seen, "P", "rtt")],
    )
    engine.dispose()
    viewer = served.client("viewer")
    (listed,) = viewer.get("/v1/fleet/alerts", params={"owner": owner}).json()
    assert (listed["chip_id"], listed["status"]) == (chip_id, "open")
    path = f"/v1/fleet/alerts/{listed['id']}/close"
    assert viewer.post(path, json={"reason": "x"}).status_code == 403
    assert officer.post(path, json={}).status_code == 422  # no reason
    closed = officer.post(path, json={"reason": "site audit"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_by"].startswith("officer (key ")
    assert closed.json()["close_reason"] == "site audit"
    assert closed.json()["reopened"] is None
    again = officer.post(path, json={"reason": "again"})
    assert again.status_code == 409
    assert "already closed" in again.json()["detail"]
    missing = officer.post("/v1/fleet/alerts/99999999/close", json={"reason": "r"})
    assert missing.status_code == 404
    assert viewer.get("/v1/fleet/alerts", params={"owner": owner}).json() == []
    (then,) = viewer.get(
        "/v1/fleet/alerts", params={"chip_id": chip_id, "as_of": "2026-11-21"}
    ).json()
    assert then["status"] == "open"  # as it stood that day
    assert viewer.get("/v1/fleet/alerts", params={"status": "shut"}).status_code == 422
    export = served.client("admin").get("/v1/audit/export").text
    entries = [orjson.loads(line) for line in export.splitlines()]
    (entry,) = [
        e
        for e in entries
        if e["kind"] == "location.alert_closed" and e["payload"]["chip_id"] == chip_id
    ]
    assert entry["who"].startswith("officer (key ")


def test_closing_over_a_newer_folded_diversion_opens_a_fresh_alert(
    served: Served,
) -> None:
    """The route closes through the library the CLI uses: a repeat diversion folded
    into the alert comes back as a fresh open alert, named in the response."""
    chip_id = f"GPU-{uuid.uuid4().hex[:8]}"
    officer = served.client("officer")
    chip = _entry(chip_id, owner=f"Owner {chip_id}").model_dump()
    officer.post("/v1/fleet/chips", json={"chips": [chip]}).raise_for_status()
    engine = make_engine(served.store_url)
    fleet_chip = FleetRegistry(engine).chips([chip_id])[chip_id]
    seen = datetime(2026, 11, 20, 8, tzinfo=UTC)
    for at in (seen, seen + timedelta(days=2)):
        record_alerts(engine, [NewAlert(fleet_chip, at, "P", f"rtt {at:%d}")])
    engine.dispose()
    (listed,) = officer.get("/v1/fleet/alerts", params={"chip_id": chip_id}).json()
    closed = officer.post(
        f"/v1/fleet/alerts/{listed['id']}/close", json={"reason": "site audit"}
    )
    assert closed.status_code == 200, closed.text
    fresh = closed.json()["reopened"]
    assert (fresh["verdict"], fresh["status"], fresh["evidence"]) == (
        "diverted",
        "open",
        "rtt 22",
    )
    (still,) = officer.get("/v1/fleet/alerts", params={"chip_id": chip_id}).json()
    assert still["id"] == fresh["id"]
