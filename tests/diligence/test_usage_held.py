"""Usage sent again counts once (SQLite and PostgreSQL): records held by a stored
batch are left out of a new one, whether sent whole again, among new records, in
another format, or by an ingest that ran at the same time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from chipgate.diligence import api, usage_api
from chipgate.diligence.usage_api import ingest_usage, usage_dir, usage_report
from chipgate.diligence.usage_reads import batches
from chipgate.errors import AlreadyIngested
from chipgate.ledger import audit
from chipgate.ledger.db import make_engine
from chipgate.settings import Settings
from tests.audit_entries import audit_entries

HEADER = "customer,site_country,chip_model,chip_count,start,end\n"
DAY = date(2026, 12, 1)
A = "a,SG,H100,8,2026-03-01,2026-03-02\n"
B = "b,DE,H100,16,2026-03-01T00:00:00Z,2026-03-03T00:00:00Z\n"
C = "c,DE,H100,4,2026-03-05,2026-03-06\n"


def _file(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines))
    return path


def _stored_rows(settings: Settings) -> int:
    return sum(pl.read_parquet(p).height for p in usage_dir(settings).glob("*.parquet"))


def test_records_sent_again_among_new_ones_are_left_out(
    store_settings: Settings, tmp_path: Path
) -> None:
    first = ingest_usage(store_settings, _file(tmp_path, "1.csv", A, B))
    # B again (written otherwise: the same instant), with C new
    again = "b,DE,H100,16,2026-03-01 00:00:00,2026-03-03T00:00:00+00:00\n"
    second = ingest_usage(store_settings, _file(tmp_path, "2.csv", again, C))
    assert (second.sent, second.rows, second.held) == (2, 1, 1)
    assert second.held_in == [first.batch]
    assert _stored_rows(store_settings) == 3
    report = usage_report(store_settings, day=DAY)
    assert report.records == 3


def test_a_file_all_of_whose_records_are_held_stores_nothing(
    store_settings: Settings, tmp_path: Path
) -> None:
    first = ingest_usage(store_settings, _file(tmp_path, "1.csv", A))
    second = ingest_usage(store_settings, _file(tmp_path, "2.csv", B))
    as_parquet = tmp_path / "both.parquet"
    pl.read_csv(_file(tmp_path, "3.csv", B, A)).write_parquet(as_parquet)
    with pytest.raises(AlreadyIngested, match="all 2 records") as refused:
        ingest_usage(store_settings, as_parquet)
    assert refused.value.batches == (first.batch, second.batch)
    assert refused.value.sent == 2
    assert _stored_rows(store_settings) == 2
    assert len(list(usage_dir(store_settings).iterdir())) == 2  # no file left
    engine = usage_api.open_store(store_settings)
    try:
        with engine.connect() as conn:
            assert len(batches(conn, limit=10)) == 2
    finally:
        engine.dispose()


def test_equal_records_inside_one_file_are_two_jobs(
    store_settings: Settings, tmp_path: Path
) -> None:
    kept = ingest_usage(store_settings, _file(tmp_path, "1.csv", A, A))
    assert (kept.rows, kept.held) == (2, 0)
    report = usage_report(store_settings, day=DAY)
    assert (report.records, report.unregistered) == (2, ["a"])


def test_copies_of_a_record_are_matched_one_to_one_with_the_stored_copies(
    store_settings: Settings, tmp_path: Path
) -> None:
    """A file holding a record twice, when a stored batch holds it once, keeps one
    copy (the second job); the stored copies, however spread over batches, are
    each matched once."""
    first = ingest_usage(store_settings, _file(tmp_path, "1.csv", A))
    second = ingest_usage(store_settings, _file(tmp_path, "2.csv", A, A, C))
    assert (second.sent, second.rows, second.held) == (3, 2, 1)
    assert second.held_in == [first.batch]
    assert usage_report(store_settings, day=DAY).records == 3  # A twice, C
    # the two copies stored, one in each batch, hold two of a file's three A's
    third = ingest_usage(store_settings, _file(tmp_path, "3.csv", A, B, A, A))
    assert (third.rows, third.held) == (2, 2)
    assert third.held_in == [first.batch, second.batch]
    assert _stored_rows(store_settings) == 5


def test_records_stored_by_an_ingest_running_meanwhile_count_once(
    store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the held batches are read before validation; one stored during it is
    # checked again inside the write
    real = usage_api.ingest
    other = _file(tmp_path, "other.csv", B)

    def meanwhile(path: Path, folder: Path, batch: str) -> tuple[Path, int, str]:
        monkeypatch.setattr(usage_api, "ingest", real)
        ingest_usage(store_settings, other)
        return real(path, folder, batch)

    monkeypatch.setattr(usage_api, "ingest", meanwhile)
    mine = ingest_usage(store_settings, _file(tmp_path, "mine.csv", A, B))
    assert (mine.sent, mine.rows, mine.held) == (2, 1, 1)
    assert _stored_rows(store_settings) == 2


def test_an_ingest_and_a_report_commit_with_their_audit_entries(
    store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch (or the report's estimates) and its entry in the audit chain are
    one transaction: when the entry cannot be written, nothing is stored."""
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,headquarters\na,Alpha Compute,SG\n")
    api.import_file(store_settings, customers)
    first = ingest_usage(store_settings, _file(tmp_path, "1.csv", A))
    (entry,) = audit_entries(store_settings, "usage.ingest")
    assert (entry["batch"], entry["rows"], entry["who"]) == (
        first.batch,
        1,
        store_settings.user,
    )

    def refused(*_: object) -> list[int]:
        raise RuntimeError("the chain cannot be written")

    monkeypatch.setattr(audit, "append", refused)
    with pytest.raises(RuntimeError, match="chain"):
        ingest_usage(store_settings, _file(tmp_path, "2.csv", B))
    with pytest.raises(RuntimeError, match="chain"):
        usage_report(store_settings, day=DAY)
    monkeypatch.undo()
    engine = make_engine(store_settings.resolved_database_url())
    with engine.connect() as conn:
        assert [b["batch"] for b in batches(conn, limit=10)] == [first.batch]
        assert (
            conn.execute(text("SELECT count(*) FROM diligence_compute")).scalar() == 0
        )
    engine.dispose()
    assert _stored_rows(store_settings) == 1  # the refused batch's file is gone
    report = usage_report(store_settings, day=DAY)
    (entry,) = audit_entries(store_settings, "usage.report")
    assert (entry["records"], entry["day"]) == (report.records, DAY.isoformat())
    assert entry["customers"] == 1
