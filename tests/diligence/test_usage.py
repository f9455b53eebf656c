"""Compute monitoring: records validated line by line, compute estimated from the
chip catalog, flags cited from the regime data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from chipgate.chips.catalog import default_catalog
from chipgate.diligence import api
from chipgate.diligence import usage as usage_module
from chipgate.diligence.compute_flags import (
    CustomerLaw,
    threshold_flags,
    training_flags,
)
from chipgate.diligence.law import view_on
from chipgate.diligence.usage import Method, aggregate, validated
from chipgate.diligence.usage_api import ingest_usage, usage_dir, usage_report
from chipgate.errors import AlreadyIngested, InputError
from chipgate.settings import Settings

HEADER = "customer,site_country,chip_model,chip_count,start,end\n"
DAY = date(2026, 12, 1)


def _file(tmp_path: Path, body: str, name: str = "u.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body)
    return path


def test_bad_records_are_named_by_line_and_field(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "a,SG,H100,8,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z\n"
        "b,XX,H100,8,2026-03-01,2026-03-02\n"
        "c,SG,H100,0,2026-03-01,2026-03-02\n"
        "d,SG,H100,8,2026-03-02,2026-03-01\n"
        "e,SG,Not A Chip,8,2026-03-01,2026-03-02\n"
        ",SG,H100,8,yesterday,2026-03-02\n",
    )
    with pytest.raises(InputError) as caught:
        validated(path)
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (3, "site_country"),
        (4, "chip_count"),
        (5, "end"),
        (6, "chip_model"),
        (7, "customer"),
        (7, "start"),
    ]


def test_an_empty_chip_model_beside_an_unknown_one_is_named_by_line(
    tmp_path: Path,
) -> None:
    # the empty cell (null) was sorted with the unknown names: a TypeError
    path = _file(
        tmp_path,
        "a,SG,Not A Chip,8,2026-03-01,2026-03-02\n"
        "b,SG,,8,2026-03-01,2026-03-02\n"
        'c,SG," ",8,2026-03-01,2026-03-02\n',
    )
    with pytest.raises(InputError) as caught:
        validated(path)
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [
        (2, "chip_model", "chip model 'Not A Chip' is not in the chip catalog"),
        (3, "chip_model", "chip model is empty"),
        (4, "chip_model", "chip model is empty"),
    ]


def test_missing_columns_and_types(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("customer,chip_model\na,H100\n")
    with pytest.raises(InputError, match="site_country"):
        validated(path)
    with pytest.raises(InputError, match="unsupported file type"):
        validated(tmp_path / "u.xlsx")


def test_compute_is_chip_hours_times_the_catalog_rate(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "a,SG,H100,128,2026-03-01T00:00:00Z,2026-03-03T00:00:00Z\n"  # 48 h x 128
        "a,SG,H100,8,2026-03-05 00:00:00,2026-03-05T10:00:00\n"  # 10 h x 8
        "b,US,DGX H100,2,2026-01-01,2026-01-02\n",  # 2 systems of 8 chips, 24 h
    )
    method = Method(utilisation=0.5)
    summary, rates = aggregate(validated(path), method)
    rows = {r["customer"]: r for r in summary.to_dicts()}
    h100 = default_catalog().lookup("H100")
    assert h100 is not None
    spec = next(c for c in default_catalog().chips if c.name == h100.chip.name)
    bf16 = next(r.value for r in spec.dense_tops if r.format == "bf16")
    assert bf16 is not None
    assert rows["a"]["gpu_hours"] == 128 * 48 + 8 * 10
    assert rows["a"]["peak_operations"] == pytest.approx(
        (128 * 48 + 8 * 10) * 3600 * bf16 * 1e12
    )
    assert rows["a"]["estimated_operations"] == pytest.approx(
        rows["a"]["peak_operations"] * 0.5
    )
    assert rows["a"]["training_jobs"] == 1
    assert rows["a"]["training_peak_operations"] == pytest.approx(
        128 * 48 * 3600 * bf16 * 1e12
    )
    assert rows["b"]["gpu_hours"] == 16 * 24
    assert rows["b"]["training_jobs"] == 0
    assert "bf16" in rates["H100"]


def test_parquet_datetimes_read_like_csv_text(tmp_path: Path) -> None:
    csv_path = _file(
        tmp_path, "a,SG,H100,64,2026-03-01T00:00:00Z,2026-03-02T06:00:00Z\n"
    )
    frame = validated(csv_path).collect()
    parquet = tmp_path / "u.parquet"
    frame.write_parquet(parquet)
    assert validated(parquet).collect().equals(frame)


def test_training_for_a_d5_party_and_the_aid_threshold() -> None:
    view = view_on(DAY)
    summary = {
        "training_jobs": 3,
        "sustained": True,
        "training_peak_operations": 3e26,
        "training_estimated_operations": 1.2e26,
    }
    parented = CustomerLaw("SG", "CN", 60.0, frozenset({"training", "wmd"}))
    flags = training_flags(summary, parented, view)
    assert [f["code"] for f in flags] == ["TRAIN.D5"]
    assert "licence" in flags[0]["message"]
    assert any("744" in c for c in flags[0]["citations"])
    clear = CustomerLaw("DE", None, None, frozenset({"training"}))
    assert training_flags(summary, clear, view) == []
    nexus_only = CustomerLaw("DE", None, None, frozenset({"military-intelligence"}))
    assert [f["code"] for f in training_flags(summary, nexus_only, view)] == [
        "TRAIN.NEXUS"
    ]
    # the 10^26 threshold exists only in the AI Diffusion replay, with its source
    assert threshold_flags(summary, [view]) == []
    replay = threshold_flags(summary, [view, view_on(DAY, "aid-2025")])
    assert [f["regime"] for f in replay] == ["aid-2025"]
    assert any("2025-00636" in c or "4544" in c for c in replay[0]["citations"])
    below = {**summary, "training_estimated_operations": 5e25}
    assert (
        "may reach" in threshold_flags(below, [view_on(DAY, "aid-2025")])[0]["message"]
    )


def test_ingest_and_report_store_compute_and_flags(
    store_settings: Settings, tmp_path: Path
) -> None:
    customers = tmp_path / "c.csv"
    customers.write_text(
        "id,name,headquarters,parent,parent_headquarters,parent_share,opened,declared_use\n"
        "a,Alpha Compute,SG,Beta Holdings,MO,80,2026-02-25,inference\n"
        "b,Gamma Labs,DE,,,,2020-01-01,training\n"
    )
    api.import_file(store_settings, customers)
    bad = _file(tmp_path, "a,SG,H100,8,2026-03-01,2026-02-01\n", "bad.csv")
    with pytest.raises(InputError):
        ingest_usage(store_settings, bad)
    assert not list(usage_dir(store_settings).glob("*.parquet"))
    good = _file(
        tmp_path,
        "a,SG,H100,512,2026-03-01T00:00:00Z,2026-03-04T00:00:00Z\n"
        "b,DE,H100,8,2026-03-01,2026-03-02\n"
        "x,US,H100,8,2026-03-01,2026-03-02\n",
    )
    assert ingest_usage(store_settings, good).rows == 3
    report = usage_report(store_settings, day=DAY)
    assert report.unregistered == ["x"]
    flags = {r["customer"]: {f["code"] for f in r["flags"]} for r in report.customers}
    assert flags == {"a": {"TRAIN.D5"}, "b": set()}
    from chipgate.diligence import reads
    from chipgate.diligence.store import open_store

    engine = open_store(store_settings)
    try:
        with engine.connect() as conn:
            record = reads.customer_file(conn, "a", review=0.8)
    finally:
        engine.dispose()
    assert record is not None
    codes = {f["code"] for f in record["flags"]}
    assert {"TRAIN.D5", "RF.UNDECLARED_TRAINING", "RF.NEW_ACCOUNT_LARGE"} <= codes
    assert record["compute"]["training_jobs"] == 1
    assert (
        pl.read_parquet(next(usage_dir(store_settings).glob("*.parquet"))).height == 3
    )


def test_the_same_file_ingested_twice_is_refused(
    store_settings: Settings, tmp_path: Path
) -> None:
    # its SHA-256 was recorded but never checked: the report summed both batches
    # and the customer's compute doubled
    good = _file(tmp_path, "a,SG,H100,8,2026-03-01,2026-03-02\n")
    first = ingest_usage(store_settings, good)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(good.read_bytes())
    with pytest.raises(
        AlreadyIngested, match=f"ingested already as batch {first.batch}"
    ) as refused:
        ingest_usage(store_settings, copy)
    assert refused.value.batches == (first.batch,)  # a retry is answered with it
    assert len(list(usage_dir(store_settings).glob("*.parquet"))) == 1
    report = usage_report(store_settings, day=DAY)
    assert report.records == 1


def test_a_record_ending_implausibly_far_ahead_is_refused_by_line(
    tmp_path: Path,
) -> None:
    # a typo'd year 2206 was counted whole: 8e8 GPU-hours and an OPS.THRESHOLD flag
    path = _file(
        tmp_path,
        "a,SG,H100,8,2026-03-01,2026-03-02\n"
        "b,SG,H100,8,2026-03-01,2206-03-02\n"
        "c,SG,H100,8,2026-03-01,2027-12-07\n",  # a reservation within the year
    )
    with pytest.raises(InputError) as caught:
        validated(path, now=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (3, "end")
    assert "more than 366 days past the day of ingest (2026-12-07)" in problem.message


def test_a_report_counts_usage_up_to_its_day_only(
    store_settings: Settings, tmp_path: Path
) -> None:
    customers = tmp_path / "c.csv"
    customers.write_text("id,name,headquarters\na,Alpha Compute,SG\n")
    api.import_file(store_settings, customers)
    good = _file(
        tmp_path,
        "a,SG,H100,10,2026-11-30T00:00:00Z,2026-12-03T00:00:00Z\n"
        "a,SG,H100,10,2026-12-05T00:00:00Z,2026-12-06T00:00:00Z\n",
    )
    ingest_usage(store_settings, good)
    (row,) = usage_report(store_settings, day=DAY).customers
    assert row["gpu_hours"] == pytest.approx(10 * 48)  # to the end of 2026-12-01
    assert row["records"] == 1
    assert row["last_end"] == "2026-12-02T00:00:00+00:00"
    assert usage_report(store_settings, day=date(2026, 12, 31)).customers[0][
        "gpu_hours"
    ] == pytest.approx(10 * 72 + 10 * 24)
    assert usage_report(store_settings, day=date(2026, 1, 1)).customers == []


def test_site_countries_as_bits_or_as_lists_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A customer's sites are gathered as bits up to SITE_BITS countries, else as
    lists; both give each customer's sorted countries."""
    path = _file(
        tmp_path,
        "a,SG,H100,8,2026-03-01,2026-03-02\n"
        "a,US,H100,8,2026-03-01,2026-03-02\n"
        "a,SG,A100,8,2026-03-03,2026-03-04\n"
        "b,DE,H100,8,2026-03-01,2026-03-02\n"
        "c,JP,DGX H100,1,2026-03-01,2026-03-02\n"
        "c,AE,H100,8,2026-03-01,2026-03-02\n",
    )
    records = validated(path)
    bits, _ = aggregate(records, Method())
    monkeypatch.setattr(usage_module, "SITE_BITS", 2)
    lists, _ = aggregate(records, Method())
    assert bits.equals(lists)
    sites = bits["site_countries"].to_list()
    assert dict(zip(bits["customer"], sites, strict=True)) == {
        "a": ["SG", "US"],
        "b": ["DE"],
        "c": ["AE", "JP"],
    }
    assert bits["max_job_chips"].to_list() == [8, 8, 8]
    assert bits["records"].to_list() == [3, 1, 2]
