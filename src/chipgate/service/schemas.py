"""Request and response bodies of API v1, with the examples the OpenAPI shows.

An order is the order-file contract as a JSON object: the same columns
(``docs/orders.md``), validated by the same parser as a book, so a line of a CSV
file and an object of a request mean the same thing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

from chipgate.countries.registry import IsoCountry, iso_code, not_an_iso_code
from chipgate.dates import parse_day

MAX_ORDERS = 10_000
"""Orders one check or commit request may carry; larger books go to /v1/books."""
MAX_CHIPS = 1_000
"""Chips registered by one request; a fleet file goes to ``chipgate fleet register``."""

ORDER_EXAMPLE: dict[str, Any] = {
    "id": "ORD-001",
    "date": "2025-03-10",
    "kind": "export",
    "item": "NVIDIA H100 SXM5",
    "quantity": 256,
    "destination": "DE",
    "consignee": "Nordlicht Rechenzentrum GmbH",
    "consignee_hq": "DE",
    "end_user": "Nordlicht Rechenzentrum GmbH",
    "end_user_hq": "DE",
    "end_use": "datacenter;training",
}

Text = str | None
# Strict: each value reaches the order parser as the JSON gave it, which judges it
# as it judges a JSONL line. Lax, pydantic read ``true`` as the number 1 ("tpp":
# true was a chip of TPP 1, below 3A090) and 0 as the flag false.
Scalar = StrictBool | StrictInt | StrictFloat | StrictStr
Number = Scalar | None
Flag = Scalar | None


def _day(value: object) -> object:
    """A day as the CLI and the order files read it: ``YYYY-MM-DD`` text only.

    Lax, pydantic read the number 1735689600 (or that text) as the Unix time of
    2025-01-01 and a midnight timestamp as its day: an ``as_of`` typed as
    seconds, or a value meant for another field, chose a regime unseen.
    """
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date is text written YYYY-MM-DD")
    return parse_day(value)


Day = Annotated[date, BeforeValidator(_day)]
"""A date field of the API: only ``YYYY-MM-DD`` (``chipgate.dates.parse_day``)."""


class OrderIn(BaseModel):
    """One order, as one line of an order book (``docs/orders.md``)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [ORDER_EXAMPLE]}
    )

    id: str = Field(min_length=1, max_length=200)
    date: str = Field(description="YYYY-MM-DD")
    kind: str = Field(
        description="export, reexport, transfer, cloud, model_weights, use"
    )
    item: Text = None
    quantity: Scalar
    destination: str = Field(description="ISO 3166 alpha-2")
    consignee: Text = None
    consignee_hq: Text = None
    end_user: Text = None
    end_user_hq: Text = None
    end_use: str | list[str] | None = None
    training_operations: Number = None
    open_weights: Flag = None
    authorizations: str | list[str] | None = None
    value_usd: Number = None
    exporter: Text = None
    listed_under: Text = Field(
        default=None,
        description="CCL entry the item is listed under apart from 3A090/4A090 "
        "(e.g. 5A992.c): where it meets their parameters it is that entry's .z item",
    )
    consignee_parent: Text = None
    consignee_parent_hq: Text = None
    consignee_parent_share: Number = None
    end_user_parent: Text = None
    end_user_parent_hq: Text = None
    end_user_parent_share: Number = None
    tpp: Number = None
    die_area_mm2: Number = None
    datacenter: Flag = None
    memory_bandwidth_gbs: Number = None

    def row(self) -> dict[str, Any]:
        """The row the order parser reads (lists joined as in a file cell).

        Read from the validated fields themselves: every field is a string, a
        number, a flag or a list of strings, so this is ``model_dump(exclude_none=
        True)`` without its serializer's walk (a quarter of a check's body reading).
        """
        data = {k: v for k, v in self.__dict__.items() if v is not None}
        for column in ("end_use", "authorizations"):
            value = data.get(column)
            if isinstance(value, list):
                data[column] = ";".join(value)
        return data


class CheckRequest(BaseModel):
    """Orders to decide, under the law of their dates unless ``as_of`` or ``regime``."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"orders": [ORDER_EXAMPLE]}]}
    )

    orders: list[OrderIn] = Field(min_length=1, max_length=MAX_ORDERS)
    regime: str | None = Field(default=None, description="Force a regime by id.")
    as_of: Day | None = Field(default=None, description="Apply the law of this day.")
    review: bool = Field(
        default=True,
        description=(
            "Open a case for each decision that needs a person (a check may say "
            "false; a commit always opens them)."
        ),
    )


class CommitInfo(BaseModel):
    """What the ledger did with a committed order."""

    status: str
    drawn: list[dict[str, Any]]
    refusal: dict[str, Any] | None
    audit_seq: int | None
    detail: str


class CheckResult(BaseModel):
    """One order's decision, where it is kept, and the case it opened."""

    decision_id: str
    case_id: str | None
    review: list[str] = Field(description="Why a person must look (empty: nobody).")
    four_eyes: bool
    decision: dict[str, Any] = Field(description="The output record (docs/output.md).")
    commit: CommitInfo | None = None


class CheckResponse(BaseModel):
    """Decisions in the order of the request, and counts by outcome."""

    count: int
    outcomes: dict[str, int]
    warnings: list[str] = Field(
        default=[],
        description=(
            "Screening lists in use older than CHIPGATE_LISTS_MAX_AGE_DAYS, or "
            "undated, as the CLI warns of them."
        ),
    )
    results: list[CheckResult]


class DecisionOut(BaseModel):
    """A recorded decision with its order and reasoning chain."""

    decision_id: str
    order_id: str
    created_at: str
    principal: str
    committed: bool
    order: dict[str, Any]
    decision: dict[str, Any]
    reasoning: dict[str, Any] = Field(
        description="explanation, findings (code, effect, message, citations), "
        "facts (screening, licences, location alerts) and review triggers"
    )
    cases: list[str]


class JobOut(BaseModel):
    """A book job: progress while it runs, counts and links when done."""

    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    filename: str
    total: int
    done: int
    outcomes: dict[str, int]
    problems: list[dict[str, Any]]
    created_at: str
    finished_at: str | None
    results: str | None = Field(description="Where to download the decisions.")


class ScreenRequest(BaseModel):
    """One party name, with its country when known, screened against the lists
    as they stood on ``as_of`` (the order's date; default today): a party
    listed after that date is no match for it, one removed by then neither."""

    model_config = ConfigDict(
        extra="forbid",
        # a name of spaces alone is refused, not answered "no match"
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"name": "Sophgo Technologies", "country": "CN", "as_of": "2025-03-01"}
            ]
        },
    )

    name: str = Field(min_length=1, max_length=500)
    country: str | None = Field(default=None, max_length=2)
    as_of: Day | None = None
    near_misses: bool = Field(
        default=False,
        description=(
            "also the listed names just under the review threshold (no finding): "
            "a second, deeper match, a few milliseconds more"
        ),
    )

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        """An ISO 3166 alpha-2 code, in capitals: one the matcher cannot
        compare would be ignored without a word."""
        if value is None or not value:
            return None
        code = iso_code(value)
        if code is None:
            raise ValueError(not_an_iso_code(value))
        return code


class ScreenBatchRequest(BaseModel):
    """Up to 10,000 parties screened in one request."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"parties": [{"name": "Huawei Technologies", "country": "CN"}]}
            ]
        },
    )

    parties: list[ScreenRequest] = Field(min_length=1, max_length=MAX_ORDERS)
    as_of: Day | None = Field(
        default=None, description="the date of the parties that give none"
    )


class ScreenResult(BaseModel):
    """Matches of one name, best first; ``is_hit`` marks those at the hit threshold.

    ``as_of`` is the date the lists were read as of; ``near_misses`` (one name
    only) the listed names scoring just under the review threshold, no finding;
    ``lists_used`` each list and its date, as a decision records them;
    ``warnings`` each list older than ``CHIPGATE_LISTS_MAX_AGE_DAYS``."""

    name: str
    country: str | None
    as_of: Day
    hit: bool
    matches: list[dict[str, Any]]
    near_misses: list[dict[str, Any]] = []
    lists_used: list[str]
    warnings: list[str] = Field(
        default=[],
        description="(one name only; a batch's are the batch's) lists in use older "
        "than the age limit, or undated.",
    )


class ScreenBatchResponse(BaseModel):
    """Results in the order of the request."""

    count: int
    hits: int
    warnings: list[str] = Field(
        default=[], description="Lists in use older than the age limit, or undated."
    )
    results: list[ScreenResult]


class ClassifyRequest(BaseModel):
    """A catalog item by name, or a chip by its figures."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "NVIDIA H20", "as_of": "2025-03-10"}]},
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    tpp: float | None = Field(default=None, ge=0)
    die_area_mm2: float | None = Field(default=None, gt=0)
    datacenter: bool = True
    memory_bandwidth_gbs: float | None = Field(default=None, ge=0)
    regime: str | None = None
    as_of: Day | None = None


class KeyCreate(BaseModel):
    """A key to create: its role and a name saying whose it is."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"role": "analyst", "name": "order desk"}]},
    )

    role: Literal["viewer", "analyst", "officer", "admin"]
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")


class KeyOut(BaseModel):
    """A key as listed (never its secret)."""

    key_id: str
    name: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None


class KeyCreated(KeyOut):
    """A new key: ``key`` is shown this once and never stored."""

    key: str


class CaseAction(BaseModel):
    """An officer's action on a case; an approval cites its evidence."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "action": "approve",
                    "reason": "licence granted for this consignee",
                    "evidence": "D1234567",
                }
            ]
        },
    )

    action: Literal["assign", "approve", "reject", "escalate", "deescalate"]
    reason: str = Field(min_length=1, max_length=4000)
    evidence: str | None = Field(default=None, max_length=4000)
    assignee: str | None = Field(default=None, max_length=200)


class CaseEventOut(BaseModel):
    """One step of a case's history."""

    at: str
    who: str
    action: str
    status: str
    reason: str
    evidence: str | None
    audit_seq: int


class CaseOut(BaseModel):
    """A case: what it is about, where it stands, and (when shown) its history."""

    case_id: str
    order_id: str
    decision_id: str
    outcome: str
    reasons: list[str]
    four_eyes: bool
    committed: bool
    status: str = Field(
        description="The approval stage: open, assigned, awaiting_second, approved "
        "or rejected (an escalated case keeps its stage)"
    )
    escalated: bool = Field(
        description="Escalated to a more senior officer (until de-escalated or closed)"
    )
    assignee: str | None
    first_approver: str | None
    opened_at: str
    updated_at: str
    history: list[CaseEventOut]


class ReleaseRequest(BaseModel):
    """A committed order whose draws go back to their accounts."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"order_id": "ORD-001", "reason": "shipment cancelled"}]
        },
    )

    order_id: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=4000, pattern=r"\S")


class ChipIn(BaseModel):
    """A chip of the fleet registry (as a line of ``chipgate fleet register --file``)."""

    model_config = ConfigDict(extra="forbid")

    chip_id: str = Field(min_length=1, max_length=128)
    model: str = Field(min_length=1, max_length=128)
    public_key: str
    owner: str = Field(min_length=1, max_length=256)
    licensed_country: IsoCountry
    licensed_site: str = Field(min_length=1, max_length=256)
    license_ref: str = Field(min_length=1, max_length=128)
    # strict: JSON's true is no coordinate (read as 1.0, a site off West Africa)
    site_lat: StrictFloat | StrictInt | None = Field(default=None, ge=-90, le=90)
    site_lon: StrictFloat | StrictInt | None = Field(default=None, ge=-180, le=180)


class ChipsRequest(BaseModel):
    """Chips to register; ``replace`` updates chips already registered."""

    model_config = ConfigDict(extra="forbid")

    chips: list[ChipIn] = Field(min_length=1, max_length=MAX_CHIPS)
    replace: bool = False


class VerifyRequest(BaseModel):
    """Signed measurement records (the JSON lines of a records file) to verify."""

    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Any]] = Field(min_length=1, max_length=200_000)
    landmark_keys: dict[str, str] = Field(
        description="Landmark id to base64 Ed25519 public key."
    )
    calibration: dict[str, dict[str, Any]] | None = None
    now: datetime | None = Field(default=None, description="Verifier clock (UTC).")
    store: bool = Field(default=True, description="Store alerts and used nonces.")


class ListedName(BaseModel):
    """A register name and the listed name it matched."""

    role: str = Field(description="customer, alias, parent or owner")
    name: str = Field(description="The register's name that matched.")
    entry: str
    list: str
    matched_name: str
    score: float


class CustomerMatch(ListedName):
    """A register name's match on a list: a hit at the hit threshold, else a
    possible match (from the review threshold)."""

    explanation: str


class CustomerFlag(BaseModel):
    """A red flag or compute flag, with the sources it rests on."""

    code: str
    origin: str
    message: str
    citations: list[str]


class CustomerAlert(ListedName):
    """A hit that appeared (``new_hit``) or cleared (``cleared_hit``), with the run
    and the list change (``cause``) behind it."""

    id: int
    run: int
    kind: str
    cause: str = Field(description="import, added, removed, changed or rescored")
    at: str


class RunAlert(CustomerAlert):
    """An alert of a run, naming its customer."""

    customer_id: str


class CustomerOut(BaseModel):
    """A customer as registered, with its screening hits, possible matches, flags
    and open alerts, and its class under the headquarters rule."""

    id: str
    name: str
    aliases: list[str]
    country: str | None
    headquarters: str | None
    parent: str | None
    parent_headquarters: str | None
    parent_share: float | None
    owners: list[str]
    opened: str | None
    declared_use: str | None
    payment_country: str | None
    hq_class: str = Field(
        description="headquartered, parent, parent_share_unknown, clear, unknown or "
        "no_rule"
    )
    hq: dict[str, Any] = Field(description="The rule's reason, citations, regime, day.")
    imported_at: str
    hits: list[CustomerMatch]
    possible_matches: list[CustomerMatch]
    flags: list[CustomerFlag]
    open_alerts: list[CustomerAlert]


class CustomerFileOut(CustomerOut):
    """One customer with what an auditor reads besides: every alert with its run
    and list change, the compute of the last usage report, the decisions."""

    history: list[dict[str, Any]]
    compute: dict[str, Any] | None
    decisions: list[dict[str, Any]]


class RunSummaryOut(BaseModel):
    """What an import or a re-screen did (``kind`` none: nothing to do, ``notes``
    say why)."""

    kind: Literal["import", "delta", "full", "none"]
    run_id: int | None
    customers: int
    screened: int = Field(description="Register names screened.")
    added: int = Field(description="List entries added since the last screening.")
    removed: int
    changed: int
    candidates: int
    new_hits: int
    cleared_hits: int
    max_drift: float
    seconds: float
    notes: list[str]


class RegisterRun(BaseModel):
    """A run of the register and the alerts it raised."""

    summary: RunSummaryOut
    alerts: list[RunAlert]


class RescreenRequest(BaseModel):
    """A re-screen of the register: the delta of the list change, or everything."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    full: bool = Field(
        default=False,
        description="Screen every name against all the lists (when a run's notes "
        "advise it), not only what the list change touches.",
    )
