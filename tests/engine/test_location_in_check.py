"""A chip verified outside its licensed country holds new orders to its owner."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cases.triggers import Trigger, review_of
from chipgate.cli.app import app
from chipgate.orders.columns import CORE_COLUMNS


def test_a_diverted_chip_appears_in_check_for_its_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    runner = CliRunner()
    sample = tmp_path / "sample"
    steps = [
        ["location", "export-sample", "--output-dir", str(sample), "--chips", "20"],
        ["fleet", "register", "--file", str(sample / "fleet.jsonl")],
        [
            "location",
            "verify",
            str(sample / "records.jsonl"),
            "--landmark-keys",
            str(sample / "landmark_keys.json"),
            "--calibration",
            str(sample / "calibration.json"),
            "--format",
            "jsonl",
            "--output",
            str(sample / "verdicts.jsonl"),
        ],
    ]
    for args in steps:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), result.output
    verdicts = [
        json.loads(line)
        for line in (sample / "verdicts.jsonl").read_text().splitlines()
    ]
    diverted = [v for v in verdicts if v["verdict"] == "diverted"]
    assert diverted, "the sample fleet holds diverted chips"
    owner = diverted[0]["owner"]
    honest = next(
        v["owner"] for v in verdicts if v["owner"] not in {d["owner"] for d in diverted}
    )
    today = datetime.now(UTC).date()  # the sample's rounds were measured now
    book = tmp_path / "orders.csv"
    rows = [",".join(CORE_COLUMNS)]
    for order_id, party in (("L1", owner), ("L2", honest)):
        rows.append(
            f"{order_id},{today},export,NVIDIA H100 SXM5,8,DE,{party},DE,,,datacenter,,,"
        )
    book.write_text("\n".join(rows) + "\n")
    result = runner.invoke(
        app, ["check", str(book), "--no-screening", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    decided = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert "LOC.DIVERTED" in decided["L1"]["rules"]
    # a located diversion is a red flag on the owner's new orders, not a license
    # requirement (no EAR provision makes one), yet the order is still held: the
    # case triggers open a case for it
    assert decided["L1"]["outcome"] == "no_license_required"
    assert any(diverted[0]["chip_id"] in f for f in decided["L1"]["red_flags"])
    assert not any("Chip Security Act" in c for c in decided["L1"]["citations"])
    review = review_of(decided["L1"], [])
    assert review.needed
    assert {Trigger.RED_FLAG, Trigger.LOCATION_ALERT} <= set(review.triggers)
    assert "LOC.DIVERTED" not in decided["L2"]["rules"]


def test_orders_of_one_owner_dated_either_side_of_an_alert_decide_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An alert holds orders dated from its observation on. Two orders of one owner
    under one law, dated either side of that day, were decided once and shared: the
    later one was let go (or the earlier held), order by order and column-wise."""
    from datetime import timedelta

    from chipgate.ledger.db import make_engine
    from chipgate.location.alerts import NewAlert, record_alerts
    from chipgate.location.registry import FleetRegistry
    from chipgate.settings import Settings
    from tests.location.test_registry import _entry

    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    store = make_engine(Settings(data_dir=tmp_path / "store").resolved_database_url())
    registry = FleetRegistry(store)
    registry.register([_entry("C1")])
    today = datetime.now(UTC).date()
    seen = datetime.combine(today - timedelta(days=5), datetime.min.time(), UTC)
    chip = registry.chips()["C1"]
    record_alerts(store, [NewAlert(chip, seen, "POLYGON EMPTY", "rtt")])
    store.dispose()
    book = tmp_path / "orders.csv"
    rows = [",".join(CORE_COLUMNS)]
    for order_id, day in (("OLD", today - timedelta(days=8)), ("NEW", today)):
        rows.append(
            f"{order_id},{day},export,NVIDIA H100 SXM5,8,DE,Acme Compute Inc,DE,,,"
            "datacenter,,,"
        )
    book.write_text("\n".join(rows) + "\n")
    runner = CliRunner()
    for output in ([], ["--output", str(tmp_path / "decided.jsonl")]):
        result = runner.invoke(
            app, ["check", str(book), "--no-screening", "--format", "jsonl", *output]
        )
        assert result.exit_code == 0, result.output
        text = (tmp_path / "decided.jsonl").read_text() if output else result.stdout
        decided = {r["id"]: r for r in map(json.loads, text.splitlines())}
        assert "LOC.DIVERTED" not in decided["OLD"]["rules"], output
        assert "LOC.DIVERTED" in decided["NEW"]["rules"], output
