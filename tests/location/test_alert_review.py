"""Alerts under review: later verdicts written on them, closed only by an officer
(who, when, why, in the audit chain), replayed orders held as they were, and a
store of alerts made before all this upgraded with its rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.facts import LocationAlert
from chipgate.ledger import migrate
from chipgate.ledger.db import Base, make_engine, write_transaction
from chipgate.location.alert_review import (
    AlertAlreadyClosed,
    AlertStatus,
    UnknownAlert,
    close_alert,
    list_alerts,
)
from chipgate.location.alerts import NewAlert, record_alerts
from chipgate.location.models import FleetChip
from chipgate.location.provider import StoreLocationSource
from chipgate.location.registry import FleetRegistry
from chipgate.orders.columns import CORE_COLUMNS
from chipgate.settings import Settings
from tests.audit_entries import audit_entries
from tests.location.test_registry import _entry

SEEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
BASE_REVISION = "5c1a0e7d2b41"


@pytest.fixture
def store(settings: Settings) -> Iterator[Engine]:
    """A fresh store of each kind (SQLite, PostgreSQL) holding chips C1 (Acme) and
    C2 (Other Ltd)."""
    engine = make_engine(settings.resolved_database_url())
    FleetRegistry(engine).register([_entry("C1"), _entry("C2", owner="Other Ltd")])
    yield engine
    engine.dispose()


def _chip(engine: Engine, chip_id: str = "C1") -> FleetChip:
    return FleetRegistry(engine).chips([chip_id])[chip_id]


def _alert(chip: FleetChip, at: datetime = SEEN, verdict: str = "diverted") -> NewAlert:
    return NewAlert(chip, at, "POLYGON EMPTY", f"{verdict} at {at:%d %H:%M}", verdict)


def test_a_later_verdict_is_written_on_the_open_alert_and_never_closes_it(
    store: Engine,
) -> None:
    chip = _chip(store)
    assert record_alerts(store, [_alert(chip)]) == 1
    clean = _alert(chip, SEEN + timedelta(days=2), "verified")
    assert record_alerts(store, [], later=[clean]) == 0
    (alert,) = list_alerts(store)
    assert alert.status == "open"  # a clean verdict closes nothing
    assert (alert.latest_verdict, alert.latest_at) == ("verified", clean.observed_at)
    assert alert.latest_evidence == clean.evidence
    # an older verdict, verified late, does not hide the newer one
    older = _alert(chip, SEEN + timedelta(days=1), "inconclusive")
    record_alerts(store, [], later=[older])
    assert list_alerts(store)[0].latest_verdict == "verified"
    # the same breach seen again is the alert's latest word, not a second alert
    again = _alert(chip, SEEN + timedelta(days=3))
    assert record_alerts(store, [again]) == 0
    (alert,) = list_alerts(store)
    assert (alert.latest_verdict, alert.latest_at) == ("diverted", again.observed_at)
    # a graver verdict is an alert of its own (it raises another rule)
    relocated = _alert(_chip(store, "C2"), SEEN, "relocated")
    record_alerts(store, [relocated])
    graver = _alert(_chip(store, "C2"), SEEN + timedelta(days=1))
    assert record_alerts(store, [graver]) == 1
    first, second = list_alerts(store, chip_id="C2")
    assert (first.verdict, first.latest_verdict) == ("relocated", "diverted")
    assert (second.verdict, second.latest_verdict) == ("diverted", None)


def test_closing_records_who_when_and_why_in_the_audit_chain(store: Engine) -> None:
    record_alerts(store, [_alert(_chip(store))])
    (alert,) = list_alerts(store)
    before = datetime.now(UTC)
    closure = close_alert(
        store, alert.id, reason="  site audit: chips on the floor ", by="Olga Officer"
    )
    closed = closure.closed
    assert closure.reopened is None  # no newer breach to carry
    assert closed.status == "closed"
    assert closed.closed_by == "Olga Officer"
    assert closed.close_reason == "site audit: chips on the floor"
    assert closed.closed_at is not None
    assert closed.closed_at >= before
    assert list_alerts(store) == []
    (listed,) = list_alerts(store, status=AlertStatus.closed)
    assert listed == closed
    with store.connect() as conn:
        kind, who, payload = conn.execute(
            text("SELECT kind, who, payload FROM audit_entries ORDER BY seq DESC")
        ).first() or (None, None, "{}")
    assert (kind, who) == ("location.alert_closed", "Olga Officer")
    recorded = orjson.loads(payload)
    assert recorded["id"] == alert.id
    assert recorded["chip_id"] == "C1"
    assert recorded["close_reason"] == "site audit: chips on the floor"
    assert recorded["reopened"] is None
    with pytest.raises(AlertAlreadyClosed, match=r"already closed on .* by Olga"):
        close_alert(store, alert.id, reason="again", by="Someone Else")
    for unknown in (999, 0, 2**64):  # the last overflowed SQLite's integer
        with pytest.raises(UnknownAlert, match=f"no location alert has id {unknown}"):
            close_alert(store, unknown, reason="r", by="b")
    with pytest.raises(ValueError, match="reason"):
        close_alert(store, alert.id, reason="   ", by="b")


def test_closing_an_alert_whose_latest_verdict_is_a_newer_breach_opens_a_fresh_one(
    store: Engine,
) -> None:
    """A repeat diversion folded into an open alert still holds the owner's orders
    once the officer closes the older alert: the closure opens a fresh alert at the
    repeat's time, with its evidence, in the same transaction as the entry."""
    chip = _chip(store)
    record_alerts(store, [_alert(chip)])
    again = _alert(chip, SEEN + timedelta(days=3))
    assert record_alerts(store, [again]) == 0  # folded into the open alert
    (alert,) = list_alerts(store)
    closure = close_alert(store, alert.id, reason="site audit", by="o")
    assert closure.closed.status == "closed"
    fresh = closure.reopened
    assert fresh is not None
    assert (fresh.verdict, fresh.observed_at, fresh.status) == (
        "diverted",
        again.observed_at,
        "open",
    )
    assert fresh.evidence == again.evidence
    assert fresh.region == "POLYGON EMPTY"  # as of every alert with no region kept
    assert [a.id for a in list_alerts(store)] == [fresh.id]
    # the engine still holds the owner's orders, on days after the closure too
    held = StoreLocationSource(store).alerts_for("Acme Compute, Inc.")
    later = (datetime.now(UTC) + timedelta(days=1)).date()
    assert [a.observed_at for a in held if a.in_force_on(later)] == [again.observed_at]
    with store.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM audit_entries ORDER BY seq DESC")
        ).first()
    assert payload is not None
    assert orjson.loads(payload[0])["reopened"] == {
        "id": fresh.id,
        "verdict": "diverted",
        "observed_at": again.observed_at.isoformat(),
    }
    # the fresh alert closes plainly: its own latest word is not a newer breach
    assert close_alert(store, fresh.id, reason="second audit", by="o").reopened is None
    assert list_alerts(store) == []


def test_closing_opens_nothing_when_the_latest_breach_is_stored_or_not_newer(
    store: Engine,
) -> None:
    """A clean latest verdict, or a breach of another verdict (stored as its own
    alert already), opens no fresh alert on closing."""
    chip = _chip(store)
    record_alerts(store, [_alert(chip)])
    record_alerts(store, [], later=[_alert(chip, SEEN + timedelta(days=1), "verified")])
    relocated = _alert(_chip(store, "C2"), SEEN, "relocated")
    record_alerts(store, [relocated])
    graver = _alert(_chip(store, "C2"), SEEN + timedelta(days=1))
    assert record_alerts(store, [graver]) == 1  # its own alert, and C2's latest
    first, _, _ = list_alerts(store)
    assert close_alert(store, first.id, reason="clean since", by="o").reopened is None
    older, newer = list_alerts(store, chip_id="C2")
    assert older.latest_verdict == "diverted"
    assert close_alert(store, older.id, reason="r", by="o").reopened is None
    assert [a.id for a in list_alerts(store)] == [newer.id]


def test_closing_opens_nothing_when_another_open_alert_holds_the_breach(
    store: Engine,
) -> None:
    """A diverted repeat written on a relocated alert and on an older diverted
    alert: closing the relocated one opens no second alert for that breach, the
    diverted alert holds it until it is reviewed."""
    chip = _chip(store)
    record_alerts(store, [_alert(chip)])
    record_alerts(store, [_alert(chip, SEEN + timedelta(days=1), "relocated")])
    again = _alert(chip, SEEN + timedelta(days=3))
    assert record_alerts(store, [again]) == 0  # folded into the diverted alert
    diverted, relocated = list_alerts(store)
    assert relocated.latest_verdict == diverted.latest_verdict == "diverted"
    assert close_alert(store, relocated.id, reason="r", by="o").reopened is None
    assert [a.id for a in list_alerts(store)] == [diverted.id]
    # closing the diverted alert in turn carries the repeat
    fresh = close_alert(store, diverted.id, reason="r", by="o").reopened
    assert fresh is not None
    assert fresh.observed_at == again.observed_at


def test_the_list_filters_by_status_owner_chip_and_date(store: Engine) -> None:
    record_alerts(store, [_alert(_chip(store))])
    record_alerts(store, [_alert(_chip(store, "C2"), SEEN + timedelta(days=5))])
    first, second = list_alerts(store)
    close_alert(store, first.id, reason="reviewed", by="o")
    assert [a.chip_id for a in list_alerts(store, status=AlertStatus.all)] == [
        "C1",
        "C2",
    ]
    assert [a.chip_id for a in list_alerts(store, owner="ACME compute inc")] == []
    mine = list_alerts(store, owner="ACME compute inc", status=AlertStatus.all)
    assert [a.chip_id for a in mine] == ["C1"]
    assert [a.id for a in list_alerts(store, chip_id="C2")] == [second.id]
    # as of a day: what held orders of that date (closed today: open back then)
    day = (SEEN + timedelta(days=1)).date()
    (then,) = list_alerts(store, as_of=day)
    assert (then.id, then.status) == (first.id, "open")
    assert list_alerts(store, as_of=SEEN.date() - timedelta(days=1)) == []
    later = list_alerts(store, as_of=date.today() + timedelta(days=1))
    assert [(a.chip_id, a.status) for a in later] == [("C2", "open")]


def test_an_order_is_held_by_an_alert_until_the_day_it_was_closed() -> None:
    seen = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
    shut = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    alert = LocationAlert("C1", "Acme", "DE", "diverted", seen, closed_at=shut)
    assert not alert.in_force_on(date(2026, 11, 1))
    assert alert.in_force_on(date(2026, 11, 2))
    assert alert.in_force_on(date(2026, 11, 9))  # open on that day
    assert not alert.in_force_on(date(2026, 11, 10))
    assert LocationAlert("C1", "Acme", "DE", "diverted", seen).in_force_on(
        date(2030, 1, 1)
    )


def test_the_store_gives_the_engine_closed_alerts_with_their_closure(
    store: Engine,
) -> None:
    record_alerts(store, [_alert(_chip(store))])
    (alert,) = list_alerts(store)
    source = StoreLocationSource(store)
    (found,) = source.alerts_for("Acme Compute, Inc.")
    assert found.closed_at is None
    closed = close_alert(store, alert.id, reason="reviewed", by="o").closed
    (found,) = source.alerts_for("Acme Compute, Inc.")
    assert found.closed_at == closed.closed_at
    (snapped,) = source.snapshot().alerts_for("acme compute inc")
    assert snapped.closed_at == closed.closed_at


def test_a_replay_after_closing_holds_the_orders_dated_while_it_stood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    settings = Settings(data_dir=tmp_path / "store")
    engine = make_engine(settings.resolved_database_url())
    FleetRegistry(engine).register([_entry("C1")])
    today = datetime.now(UTC).date()
    seen = datetime.combine(today - timedelta(days=10), datetime.min.time(), UTC)
    record_alerts(engine, [_alert(_chip(engine), seen)])
    engine.dispose()
    runner = CliRunner()
    book = tmp_path / "orders.csv"
    dates = {
        "before": today - timedelta(days=11),
        "during": today - timedelta(days=3),
        "closing-day": today,
        "after": today + timedelta(days=1),
    }
    rows = [",".join(CORE_COLUMNS)]
    rows += [
        f"{name},{day},export,NVIDIA H100 SXM5,8,DE,Acme Compute Inc,DE,,,datacenter,,,"
        for name, day in dates.items()
    ]
    book.write_text("\n".join(rows) + "\n")

    def held() -> set[str]:
        """The orders LOC.DIVERTED holds, decided order by order and column-wise
        (a JSON lines file), which must agree."""
        decided = []
        for output in ([], ["--output", str(tmp_path / "decided.jsonl")]):
            result = runner.invoke(
                app,
                ["check", str(book), "--no-screening", "--format", "jsonl", *output],
            )
            assert result.exit_code == 0, result.output
            text = (tmp_path / "decided.jsonl").read_text() if output else result.stdout
            decided.append(
                {
                    d["id"]
                    for d in map(orjson.loads, text.splitlines())
                    if "LOC.DIVERTED" in d["rules"]
                }
            )
        assert decided[0] == decided[1]
        return decided[0]

    assert held() == {"during", "closing-day", "after"}
    close = runner.invoke(
        app,
        ["location", "alerts", "close", "1", "--reason", "audit", "--by", "Olga"],
    )
    assert close.exit_code == 0, close.output
    assert "closed location alert 1" in close.output
    assert held() == {"during", "closing-day"}  # replayed as they were decided


def test_the_alerts_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("COLUMNS", "200")
    engine = make_engine(Settings(data_dir=tmp_path / "store").resolved_database_url())
    FleetRegistry(engine).register([_entry("C1"), _entry("C2", owner="Other Ltd")])
    record_alerts(engine, [_alert(_chip(engine)), _alert(_chip(engine, "C2"))])
    engine.dispose()
    runner = CliRunner()

    def listed(*args: str) -> list[dict[str, object]]:
        result = runner.invoke(app, ["location", "alerts", "--format", "json", *args])
        assert result.exit_code == 0, result.output
        found: list[dict[str, object]] = orjson.loads(result.stdout)
        return found

    assert [a["chip_id"] for a in listed()] == ["C1", "C2"]
    assert [a["chip_id"] for a in listed("--owner", "other ltd.")] == ["C2"]
    assert [a["chip_id"] for a in listed("--chip", "C1")] == ["C1"]
    table = runner.invoke(app, ["location", "alerts"])
    assert table.exit_code == 0, table.output
    assert "Location alerts (2, open)" in table.output
    close = ["location", "alerts", "close", "1", "--reason", "reviewed", "--by", "Olga"]
    assert runner.invoke(app, close).exit_code == 0
    (closed,) = listed("--status", "closed")
    # the closer is marked as closing from the CLI, as a case action is
    assert (closed["closed_by"], closed["close_reason"]) == ("Olga (cli)", "reviewed")
    (entry,) = audit_entries(
        Settings(data_dir=tmp_path / "store"), "location.alert_closed"
    )
    assert entry["who"] == "Olga (cli)"
    for name in ("   ", "x" * 195):  # unnamed, or too long with its mark
        refused = runner.invoke(app, [*close[:-1], name])
        assert refused.exit_code == 2, name
        assert "--by" in refused.output or "who closes" in refused.output
    (then,) = listed("--as-of", SEEN.date().isoformat(), "--chip", "C1")
    assert then["status"] == "open"
    again = runner.invoke(app, close)
    assert again.exit_code == 2
    assert "already closed" in again.output
    unknown = runner.invoke(app, [*close[:3], "42", *close[4:]])
    assert unknown.exit_code == 2
    assert "no location alert has id 42" in unknown.output
    for bad in (["--status", "shut"], ["--as-of", "yesterday"]):
        result = runner.invoke(app, ["location", "alerts", *bad])
        assert result.exit_code == 2, bad
    missing = runner.invoke(app, ["location", "alerts", "close", "2", "--by", "O"])
    assert missing.exit_code == 2  # no reason given


def test_the_close_command_says_which_fresh_alert_a_newer_breach_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    engine = make_engine(Settings(data_dir=tmp_path / "store").resolved_database_url())
    FleetRegistry(engine).register([_entry("C1")])
    record_alerts(engine, [_alert(_chip(engine))])
    record_alerts(engine, [_alert(_chip(engine), SEEN + timedelta(days=3))])
    engine.dispose()
    close = ["location", "alerts", "close", "1", "--reason", "audit", "--by", "Olga"]
    result = CliRunner().invoke(app, close)
    assert result.exit_code == 0, result.output
    assert "is a newer breach: opened location alert 2" in result.output


def test_a_store_with_alerts_upgrades_keeping_them(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, BASE_REVISION)
    at = "2026-11-02 09:30:00"
    with write_transaction(engine) as conn:
        conn.execute(
            text(
                "INSERT INTO location_chips (chip_id, model, public_key, owner,"
                " owner_key, licensed_country, licensed_site, license_ref,"
                " registered_at) VALUES ('C1', 'NVIDIA H100 SXM5', :k, 'Acme',"
                " 'acme', 'DE', 'Frankfurt', 'D1', :at)"
            ),
            {"k": _entry("C1").public_key, "at": at},
        )
        for status, seen in (("open", "2026-11-02 09:30"), ("closed", "2026-11-03")):
            conn.execute(
                text(
                    "INSERT INTO location_alerts (chip_id, owner, owner_key,"
                    " licensed_country, verdict, observed_at, region_wkt, evidence,"
                    " status, created_at) VALUES (:c, 'Acme', 'acme', 'DE',"
                    " 'diverted', :seen, 'POLYGON EMPTY', 'rtt', :s, :at)"
                ),
                {"c": "C1", "s": status, "at": at, "seen": seen},
            )
    migrate.upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("location_alerts")}
    assert {"latest_verdict", "closed_at", "closed_by", "close_reason"} <= columns
    opened, old_closed = list_alerts(engine, status=AlertStatus.all)
    assert (opened.status, opened.closed_at, opened.latest_verdict) == (
        "open",
        None,
        None,
    )
    assert old_closed.status == "closed"
    # a closed row of the old store, with no time, held no order and still holds none
    assert [a.status for a in list_alerts(engine, as_of=date(2026, 12, 1))] == ["open"]
    assert [a.verdict for a in StoreLocationSource(engine).alerts_for("ACME")] == [
        "diverted"
    ]
    closed = close_alert(engine, opened.id, reason="reviewed", by="o").closed
    assert closed.status == "closed"
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"include_object": lambda o, n, *_: _location(o, n)},
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def _location(obj: object, name: str | None) -> bool:
    table = getattr(obj, "table", None)
    own = name if table is None else getattr(table, "name", "")
    return str(own).startswith("location_")


def test_a_verification_run_writes_each_verdict_on_its_chips_open_alert(
    engine: Engine,
) -> None:
    """What ``location verify`` stores: a diverted verdict opens an alert, and a
    later run that finds the chip home writes that on it, leaving it open."""
    from chipgate.location.geolocate import Verdict
    from chipgate.location.service import ChipVerdict, Outcome, persist_outcome

    registry = FleetRegistry(engine)
    registry.register([_entry("C1"), _entry("C2")])
    chips = registry.chips()

    def run(verdict: Verdict, at: datetime) -> int:
        verdicts = [
            ChipVerdict(cid, verdict, f"{verdict} run", observed_at=at)
            for cid in ("C1", "C2")
        ]
        return persist_outcome(engine, Outcome(verdicts, []), chips)

    assert run(Verdict.VERIFIED, SEEN - timedelta(days=1)) == 0
    assert run(Verdict.DIVERTED, SEEN) == 2
    assert run(Verdict.VERIFIED, SEEN + timedelta(hours=6)) == 0
    for alert in list_alerts(engine):
        assert (alert.status, alert.latest_verdict) == ("open", "verified")
        assert alert.latest_at == SEEN + timedelta(hours=6)
        assert alert.latest_evidence == "verified run"
