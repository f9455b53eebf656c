"""Compute monitoring: usage records in, per-customer compute estimates out.

A usage record is one reservation or job: ``customer, site_country, chip_model,
chip_count, start, end``. Files are read lazily with Polars (CSV or Parquet, millions
of rows), validated column-wise, and kept as a Parquet copy under the data folder; the
report scans every ingested batch at once and aggregates per customer.

Method (every knob in ``Method``, documented in docs/diligence.md):

* GPU-hours = chip count x hours; a system model (e.g. a DGX) counts its chips.
* Peak operations = GPU-seconds x the chip's dense operations per second in the
  method's precision (the first of ``precisions`` the catalog gives, else the
  chip's fastest dense format), from the chip catalog: an upper bound.
* Estimated operations = peak operations x ``utilisation`` (model FLOPs utilisation).
* A training-scale job: at least ``training_min_chips`` chips (several nodes at
  once) for at least ``training_min_hours`` hours, contiguous (one record).
* Sustained use: usage spanning at least ``sustained_days`` with on average at least
  ``sustained_chips`` chips busy over that span.
* Early peak: the most chips in one record starting within ``early_days`` of the
  customer's first record (for the "new account, large reservation" red flag),
  computed by ``early_peaks`` for the few customers whose account was new then.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from chipgate.chips.catalog import Catalog, default_catalog
from chipgate.countries.registry import iso_codes
from chipgate.diligence.method import Method as Method
from chipgate.errors import InputError, Problem

REQUIRED = ("customer", "site_country", "chip_model", "chip_count", "start", "end")
FORMATS = (".csv", ".parquet")
MAX_PROBLEMS = 50
FUTURE_DAYS = 366
"""How far past the day of ingest a record may end (a reservation booked up to a
year ahead); a later end is a typo in the year, refused with its line."""
SCHEMA = {
    "customer": pl.Utf8,
    "site_country": pl.Utf8,
    "chip_model": pl.Utf8,
    "chip_count": pl.Int64,
    "start": pl.Datetime("us", "UTC"),
    "end": pl.Datetime("us", "UTC"),
}


def _scan(path: Path) -> pl.LazyFrame:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError.single(
            f"unsupported file type '{suffix}'; expected one of {', '.join(FORMATS)}",
            source=path,
        )
    if not path.is_file():
        raise InputError.single("no such file", source=path)
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False)
    return pl.scan_parquet(path)


def _timestamp(column: str, dtype: pl.DataType) -> pl.Expr:
    """A timestamp column as UTC: a Parquet date-time as it is (naive means UTC), or
    ISO 8601 text with or without a time, fraction or offset (none means UTC)."""
    col = pl.col(column)
    if isinstance(dtype, pl.Datetime):
        typed = col.dt.cast_time_unit("us")
        if dtype.time_zone is None:
            return typed.dt.replace_time_zone("UTC")
        return typed.dt.convert_time_zone("UTC")
    if isinstance(dtype, pl.Date):
        return col.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    text = (
        col.cast(pl.Utf8)
        .str.strip_chars()
        .str.replace(" ", "T")
        .str.replace(r"Z$", "+00:00")
    )
    return pl.coalesce(
        text.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_unit="us"
        ).dt.convert_time_zone("UTC"),
        text.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us"
        ).dt.replace_time_zone("UTC"),
        text.str.to_datetime(
            "%Y-%m-%dT%H:%M", strict=False, time_unit="us"
        ).dt.replace_time_zone("UTC"),
        text.str.to_date("%Y-%m-%d", strict=False)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC"),
    )


@dataclass(frozen=True)
class ChipRates:
    """Dense operations per second and chips per unit of each catalog model."""

    table: pl.DataFrame
    basis: dict[str, str] = field(default_factory=dict)


def chip_rates(models: list[str], method: Method, catalog: Catalog) -> ChipRates:
    """Look up each model's dense rate in the method's precision (unknown: absent)."""
    specs = {c.name: c for c in catalog.chips}
    rows: list[dict[str, Any]] = []
    basis: dict[str, str] = {}
    for model in models:
        item = catalog.lookup(model)
        if item is None:
            continue
        spec = specs[item.chip.name]
        published = [r for r in spec.dense_tops if r.value is not None]
        chosen = next(
            (r for p in method.precisions for r in published if r.format == p), None
        )
        if chosen is None and published:
            chosen = max(published, key=lambda r: r.value or 0.0)
        if chosen is None or chosen.value is None:
            continue
        rows.append(
            {
                "chip_model": model,
                "ops_per_second": chosen.value * 1e12,
                "per_unit": item.chips_per_unit,
            }
        )
        basis[model] = f"{spec.name}: {chosen.format} dense {chosen.value:g} TOPS" + (
            f" x {item.chips_per_unit} chips" if item.chips_per_unit > 1 else ""
        )
    table = pl.DataFrame(
        rows,
        schema={
            "chip_model": pl.Utf8,
            "ops_per_second": pl.Float64,
            "per_unit": pl.Int64,
        },
    )
    return ChipRates(table, basis)


def validated(
    path: Path, catalog: Catalog | None = None, now: datetime | None = None
) -> pl.LazyFrame:
    """The records of ``path`` as typed columns, or every problem (up to a limit).

    Lines count as in the file: the header is line 1 for CSV; Parquet rows count
    from 1. A record may end at most ``FUTURE_DAYS`` after the day of ``now``
    (default: the current time).

    Raises:
        InputError: missing columns, bad values (line and field named), chip models
            the catalog does not know, or an empty file.
    """
    catalog = catalog or default_catalog()
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    latest = datetime.combine(today + timedelta(days=FUTURE_DAYS + 1), time(), UTC)
    frame = _scan(path)
    try:
        schema = frame.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    columns = schema.names()
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError.single(
            f"missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED)}",
            source=path,
            line=1,
        )
    offset = 2 if path.suffix.lower() == ".csv" else 1
    typed = frame.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_line") + offset,
        pl.col("customer").cast(pl.Utf8).str.strip_chars().alias("customer"),
        pl.col("site_country").cast(pl.Utf8).str.strip_chars().str.to_uppercase(),
        pl.col("chip_model").cast(pl.Utf8).str.strip_chars(),
        pl.col("chip_count")
        .cast(pl.Utf8)
        .str.strip_chars()
        .cast(pl.Int64, strict=False),
        _timestamp("start", schema.get("start", pl.Utf8())).alias("start"),
        _timestamp("end", schema.get("end", pl.Utf8())).alias("end"),
    )
    countries = sorted(iso_codes())
    checks = {
        "customer": pl.col("customer").is_null() | (pl.col("customer") == ""),
        "site_country": ~pl.col("site_country").is_in(countries).fill_null(False),
        "chip_count": pl.col("chip_count").is_null() | (pl.col("chip_count") <= 0),
        "start": pl.col("start").is_null(),
        "end": pl.col("end").is_null() | (pl.col("end") <= pl.col("start")),
        "end_future": pl.col("end") >= pl.lit(latest).cast(pl.Datetime("us", "UTC")),
    }
    messages = {
        "customer": "customer is empty",
        "site_country": "not an ISO 3166 alpha-2 country code",
        "chip_count": "chip count must be a whole number above 0",
        "start": "not an ISO 8601 date-time",
        "end": "not an ISO 8601 date-time after start",
        "end_future": f"ends after {today + timedelta(days=FUTURE_DAYS)}, more than "
        f"{FUTURE_DAYS} days past the day of ingest ({today}): a typo in the year?",
    }
    try:
        models = typed.select(pl.col("chip_model").unique()).collect()
        bad = (
            typed.filter(pl.any_horizontal(list(checks.values())))
            .with_columns(**{f"_{k}": v for k, v in checks.items()})
            .head(MAX_PROBLEMS)
            .collect()
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    problems = [
        Problem(messages[k], str(path), int(row["_line"]), k.removesuffix("_future"))
        for row in bad.iter_rows(named=True)
        for k in checks
        if row[f"_{k}"]
    ]
    # an empty cell reads as null: never sorted with the names (a TypeError)
    found = models.to_series().to_list()
    unknown = sorted(m for m in found if m and catalog.lookup(m) is None)
    if unknown or not all(found):
        lines = (
            typed.filter(
                pl.col("chip_model").is_in(unknown)
                | pl.col("chip_model").is_null()
                | (pl.col("chip_model") == "")
            )
            .select("_line", "chip_model")
            .head(MAX_PROBLEMS)
            .collect()
        )
        problems.extend(
            Problem(
                f"chip model {row['chip_model']!r} is not in the chip catalog"
                if row["chip_model"]
                else "chip model is empty",
                str(path),
                int(row["_line"]),
                "chip_model",
            )
            for row in lines.iter_rows(named=True)
        )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.field or ""))
        raise InputError(problems[:MAX_PROBLEMS])
    return typed.drop("_line")


def ingest(path: Path, folder: Path, batch: str) -> tuple[Path, int, str]:
    """Validate ``path`` and store its records as ``folder/<batch>.parquet``.

    Written to a temporary file first and moved into place, so a failure leaves no
    partial batch.

    Returns:
        The stored file, its record count and the SHA-256 of the source file.

    Raises:
        InputError: see ``validated``; nothing is stored.
    """
    typed = validated(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{batch}.parquet"
    tmp = folder / f".{batch}.parquet.tmp"
    typed.sink_parquet(tmp)
    rows = pl.scan_parquet(tmp).select(pl.len()).collect().item()
    if rows == 0:
        tmp.unlink()
        raise InputError.single("no usage records in file", source=path)
    tmp.replace(target)
    return target, int(rows), file_sha256(path)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex (a usage batch's identity)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


SITE_BITS = 64
"""Distinct site countries up to which a customer's sites are gathered as bits of
one integer (an OR per group) rather than as a list per group."""


def _distinct(records: pl.LazyFrame, *columns: str) -> list[list[str]]:
    """The sorted distinct values of each column (nulls left out), in one pass."""
    frames = pl.collect_all(
        [records.select(pl.col(c).unique()) for c in columns], engine="streaming"
    )
    return [sorted(v for v in f.to_series().to_list() if v is not None) for f in frames]


def _lookup(values: list[Any], dtype: pl.DataType, code: pl.Expr) -> pl.Expr:
    """``values[code]`` for an integer code column (a gather from a literal)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(code)


def aggregate(
    records: pl.LazyFrame, method: Method, catalog: Catalog | None = None
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Per-customer compute: GPU-hours, peak and estimated operations, signals.

    One streamed group-by pass over the records, after a pass for the distinct
    chip models and site countries. Nothing is looked up by text per record: a
    chip model and a site country become integer codes (an enum's physical
    value), a model's chips per unit and rate are gathered by code, and a
    customer's sites are the bits of one integer OR-ed per group. Times are read
    as integer microseconds since the epoch (no date-time arithmetic per record);
    chip-microseconds and operations are summed and turned into hours and
    seconds once per customer.

    Returns:
        One row per customer, and the rate basis of each chip model used.
    """
    catalog = catalog or default_catalog()
    models, sites = _distinct(records, "chip_model", "site_country")
    rates = chip_rates(models, method, catalog)
    table = rates.table
    ops = dict(zip(table["chip_model"], table["ops_per_second"], strict=True))
    units = dict(zip(table["chip_model"], table["per_unit"], strict=True))
    model = pl.col("chip_model").cast(pl.Enum(models)).to_physical()
    site = pl.col("site_country").cast(pl.Enum(sites)).to_physical()
    as_bits = len(sites) <= SITE_BITS
    if as_bits:
        bits = [1 << i for i in range(len(sites))]
        site_value = _lookup(bits, pl.UInt64(), site)
        site_agg = pl.col("_site").bitwise_or()
    else:
        site_value = pl.col("site_country")
        site_agg = pl.col("_site").unique()
    micros = pl.col("_end") - pl.col("_start")
    chip_micros = pl.col("_chips").cast(pl.Float64) * pl.col("_micros")
    training = (pl.col("_chips") >= method.training_min_chips) & (
        pl.col("_micros") >= method.training_min_hours * 3.6e9
    )
    grouped = (
        records.select(
            "customer",
            site_value.alias("_site"),
            pl.col("start").dt.epoch("us").alias("_start"),
            pl.col("end").dt.epoch("us").alias("_end"),
            (
                pl.col("chip_count")
                * _lookup([units.get(m) for m in models], pl.Int64(), model)
            ).alias("_chips"),
            _lookup([ops.get(m) for m in models], pl.Float64(), model).alias("_rate"),
        )
        .with_columns(micros.alias("_micros"))
        .with_columns(chip_micros.alias("_chip_us"), training.alias("_training"))
        .with_columns((pl.col("_chip_us") * pl.col("_rate")).alias("_peak"))
        .group_by("customer")
        .agg(
            pl.len().alias("records"),
            pl.col("_chip_us").sum(),
            pl.col("_peak").sum(),
            pl.when(pl.col("_training")).then(pl.col("_peak")).sum().alias("_tpeak"),
            pl.col("_training").sum().alias("training_jobs"),
            pl.col("_chips").max().alias("max_job_chips"),
            pl.col("_start").min(),
            pl.col("_end").max(),
            site_agg.alias("_sites"),
        )
        .collect(engine="streaming")
    )
    if as_bits:
        countries = pl.concat_list(
            [
                pl.when(pl.col("_sites").and_(bit) != 0).then(pl.lit(name))
                for bit, name in zip(bits, sites, strict=True)
            ]
            or [pl.lit(None, pl.Utf8)]
        ).list.drop_nulls()
    else:
        countries = pl.col("_sites").list.sort()
    to_time = pl.Datetime("us", "UTC")
    summary = (
        grouped.lazy()
        .select(
            "customer",
            "records",
            (pl.col("_chip_us") / 3.6e9).alias("gpu_hours"),
            (pl.col("_peak") / 1e6).alias("peak_operations"),
            (pl.col("_tpeak") / 1e6).alias("training_peak_operations"),
            "training_jobs",
            "max_job_chips",
            pl.col("_start").cast(to_time).alias("first_start"),
            pl.col("_end").cast(to_time).alias("last_end"),
            countries.alias("site_countries"),
        )
        .with_columns(
            (pl.col("peak_operations") * method.utilisation).alias(
                "estimated_operations"
            ),
            (pl.col("training_peak_operations") * method.utilisation).alias(
                "training_estimated_operations"
            ),
            (
                (pl.col("last_end") - pl.col("first_start")).dt.total_microseconds()
                / 3.6e9
            ).alias("span_hours"),
        )
        .with_columns(
            (
                (pl.col("span_hours") >= method.sustained_days * 24.0)
                & (pl.col("gpu_hours") / pl.col("span_hours") >= method.sustained_chips)
            ).alias("sustained")
        )
        .sort("customer")
        .collect()
    )
    return summary, rates.basis


def as_of(records: pl.LazyFrame, until: datetime) -> pl.LazyFrame:
    """The records as they stood at ``until``: a record starting later is left out
    and one ending later is cut there, so a report as of a day counts no usage
    after it (a record ending in 2206 was counted whole: 8e8 GPU-hours)."""
    cut = pl.lit(until).cast(pl.Datetime("us", "UTC"))
    return records.filter(pl.col("start") < cut).with_columns(
        pl.when(pl.col("end") > cut).then(cut).otherwise(pl.col("end")).alias("end")
    )


def early_peaks(
    records: pl.LazyFrame, firsts: dict[str, datetime], method: Method
) -> dict[str, int]:
    """Most chips in one record within ``early_days`` of each given first start.

    A second, narrow pass: only the customers in ``firsts`` are read.
    """
    if not firsts:
        return {}
    window = pl.duration(microseconds=int(method.early_days * 86400e6))
    frame = pl.DataFrame(
        {"customer": list(firsts), "_first": list(firsts.values())},
        schema={"customer": pl.Utf8, "_first": pl.Datetime("us", "UTC")},
    )
    found = (
        records.join(frame.lazy(), on="customer", how="inner")
        .filter(pl.col("start") <= pl.col("_first") + window)
        .group_by("customer")
        .agg(pl.col("chip_count").max())
        .collect()
    )
    return dict(zip(found["customer"], found["chip_count"], strict=True))


def remove_batch(stored: Path) -> None:
    """Delete one stored batch file (used when recording it in the store fails)."""
    if stored.is_file():
        stored.unlink()
    elif stored.is_dir():
        shutil.rmtree(stored)
