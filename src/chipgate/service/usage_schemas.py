"""Request and response bodies of compute monitoring (``/v1/usage``).

A usage record in JSON is a line of a usage file (``docs/diligence.md``): the same
columns, judged by the same validation (``chipgate.diligence.usage.validated``), so
the fields here check types only and the library names every bad value.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from chipgate.diligence.method import Method
from chipgate.service.schemas import CustomerFlag, Day

MAX_RECORDS = 10_000
"""Usage records one JSON request may carry; larger batches are uploaded as files."""

RECORD_EXAMPLE: dict[str, Any] = {
    "customer": "C-0042",
    "site_country": "SG",
    "chip_model": "NVIDIA H100 SXM5",
    "chip_count": 512,
    "start": "2026-11-02T00:00:00Z",
    "end": "2026-11-05T00:00:00Z",
}


class UsageRecordIn(BaseModel):
    """One reservation or job, as one line of a usage file."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [RECORD_EXAMPLE]}
    )

    customer: StrictStr = Field(max_length=200, description="The register's id.")
    site_country: StrictStr = Field(
        max_length=8, description="ISO 3166 alpha-2 of the data centre."
    )
    chip_model: StrictStr = Field(
        max_length=200,
        description="A model of the chip catalog (a system counts its chips).",
    )
    chip_count: StrictInt
    start: StrictStr = Field(
        max_length=64, description="ISO 8601 date or date-time (no offset: UTC)."
    )
    end: StrictStr = Field(max_length=64, description="ISO 8601, after start.")


class UsageRecordsIn(BaseModel):
    """A small batch of usage records, kept all or none."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"records": [RECORD_EXAMPLE]}]}
    )

    records: list[UsageRecordIn] = Field(min_length=1, max_length=MAX_RECORDS)


class BatchOut(BaseModel):
    """A usage batch as stored: the new records of one file or request."""

    batch: int
    source: str = Field(description="The file name sent, or 'request' for JSON.")
    rows: int = Field(description="Records stored (those held already left out).")
    sha256: str = Field(description="Of the file (JSON: of its canonical CSV form).")
    at: str
    who: str


class IngestOut(BaseModel):
    """What an ingest kept: a new batch of the records not held already, or
    nothing (``stored`` null) when every record sent was held already."""

    stored: BatchOut | None
    sent: int | None = Field(
        description="Records sent (null: a file known by its bytes, not read again)."
    )
    held: int | None = Field(
        description="Records sent that stored batches hold already: left out, so "
        "they count once (null as for sent)."
    )
    held_in: list[int] = Field(description="The batches that hold them.")


class ReportRequest(BaseModel):
    """A usage report: the law and the method (``chipgate usage report``'s
    options); every field has the command's default."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"as_of": "2026-12-01"}]}
    )

    as_of: Day | None = Field(
        default=None,
        description="Count usage up to the end of this day (UTC) and read the law "
        "of it; default today.",
    )
    utilisation: float = Field(
        default=Method.utilisation,
        gt=0,
        le=1,
        description="Share of peak operations assumed achieved.",
    )
    precisions: list[str] = Field(
        default_factory=lambda: list(Method.precisions),
        min_length=1,
        max_length=10,
        description="Dense formats to rate chips by, in order.",
    )
    training_min_chips: int = Field(default=Method.training_min_chips, ge=1)
    training_min_hours: float = Field(default=Method.training_min_hours, gt=0)
    replays: list[str] | None = Field(
        default=None,
        max_length=10,
        description="Other regimes whose thresholds to read (default: aid-2025).",
    )
    flagged_only: bool = Field(
        default=False,
        description="Answer with the flagged customers only (all are stored).",
    )

    def method(self) -> Method:
        """The method these fields set (the rest at its defaults)."""
        return Method(
            utilisation=self.utilisation,
            precisions=tuple(self.precisions),
            training_min_chips=self.training_min_chips,
            training_min_hours=self.training_min_hours,
        )


class ComputeFlag(BaseModel):
    """A compute flag of a report, under one regime, with its citations."""

    code: str = Field(description="TRAIN.D5, TRAIN.NEXUS or OPS.THRESHOLD")
    regime: str
    message: str
    citations: list[str]


class CustomerCompute(BaseModel):
    """One customer's compute as of the report's day, and its compute flags."""

    customer: str
    records: int
    gpu_hours: float
    peak_operations: float
    training_peak_operations: float
    estimated_operations: float
    training_estimated_operations: float
    training_jobs: int
    max_job_chips: int | None
    first_start: str
    last_end: str
    span_hours: float
    sustained: bool
    site_countries: list[str]
    flags: list[ComputeFlag] = Field(default_factory=list)
    early_max_chips: int | None = None
    method: dict[str, Any] | None = None
    day: str | None = Field(
        default=None,
        description="The report's day (absent in estimates stored "
        "before reports recorded it).",
    )


class StoredCompute(CustomerCompute):
    """A customer's last compute estimate as stored, and when."""

    stored_at: str


class UsageReportOut(BaseModel):
    """A usage report: per-customer compute and flags, the method and law read."""

    day: str
    method: dict[str, Any]
    regimes: list[str]
    rates: dict[str, str] = Field(description="Each chip model's rate basis.")
    customers: list[CustomerCompute]
    unregistered: list[str] = Field(
        description="Customer ids in usage that the register does not hold."
    )
    records: int
    seconds: float


class UsageFlag(CustomerFlag):
    """A stored flag raised from usage, with its customer and time."""

    customer: str
    origin: str = "usage"
    at: str
