"""Red flags of the guidance, read from ``redflags.yaml`` and evaluated per customer.

Each flag is data (code, title, sources, explanation) plus one small pure check over
the customer's register fields, headquarters class, screening and compute summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from chipgate.citations import Citation
from chipgate.datafiles import package_path, read_yaml


class FlagSpec(BaseModel):
    """One red flag as the data file states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str
    origin: str
    check: str
    source: tuple[str, ...]
    explain: str


class FlagsFile(BaseModel):
    """The red-flags file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: str = "chipgate.redflags/1"
    sources: dict[str, Citation]
    method: dict[str, float]
    flags: tuple[FlagSpec, ...]


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What the checks read about one customer."""

    customer_id: str
    country: str | None
    headquarters: str | None
    payment_country: str | None
    declared_uses: frozenset[str]
    opened: date | None
    hq_class: str
    possible_matches: tuple[str, ...] = ()
    compute: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Flag:
    """A red flag raised for one customer, explained and cited."""

    code: str
    origin: str
    message: str
    citations: tuple[str, ...]


@cache
def flags_file() -> FlagsFile:
    """The shipped red-flags data, validated."""
    raw = read_yaml(package_path("diligence", "redflags.yaml"))
    raw["schema_"] = raw.pop("schema", "chipgate.redflags/1")
    return FlagsFile.model_validate(raw)


Check = Callable[[CustomerFacts, Mapping[str, float]], str | None]


def _no_declared_use(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    return "declared use is empty" if not facts.declared_uses else None


def _undeclared_training(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    jobs = int(facts.compute.get("training_jobs", 0))
    if jobs and "training" not in facts.declared_uses:
        declared = ", ".join(sorted(facts.declared_uses)) or "nothing"
        return f"{jobs} training-scale job(s); declared use: {declared}"
    return None


def _third_country_payment(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    payer = facts.payment_country
    if payer and payer not in {facts.country, facts.headquarters}:
        where = "/".join(c for c in (facts.country, facts.headquarters) if c) or "?"
        return f"pays from {payer}; located/headquartered in {where}"
    return None


def _new_account_large(facts: CustomerFacts, method: Mapping[str, float]) -> str | None:
    first = facts.compute.get("first_start")
    peak = int(facts.compute.get("early_max_chips") or 0)
    if facts.opened is None or not first:
        return None
    age = (date.fromisoformat(str(first)[:10]) - facts.opened).days
    if age <= method["new_account_days"] and peak >= method["large_reservation_chips"]:
        return (
            f"account opened {facts.opened}, ran {peak} chips at once {age} day(s) "
            f"later (new: {method['new_account_days']:g} days; large: "
            f"{method['large_reservation_chips']:g} chips)"
        )
    return None


def _hq_of_concern(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    if facts.hq_class in {"headquartered", "parent"}:
        return f"headquarters class: {facts.hq_class}"
    return None


def _parent_share_unknown(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    return (
        "parent share not given" if facts.hq_class == "parent_share_unknown" else None
    )


def _headquarters_unknown(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    return "headquarters not given" if facts.hq_class == "unknown" else None


def _list_proximity(facts: CustomerFacts, _m: Mapping[str, float]) -> str | None:
    if facts.possible_matches:
        return "possible match(es): " + "; ".join(facts.possible_matches[:5])
    return None


CHECKS: dict[str, Check] = {
    "no_declared_use": _no_declared_use,
    "undeclared_training": _undeclared_training,
    "third_country_payment": _third_country_payment,
    "new_account_large": _new_account_large,
    "hq_of_concern": _hq_of_concern,
    "parent_share_unknown": _parent_share_unknown,
    "headquarters_unknown": _headquarters_unknown,
    "list_proximity": _list_proximity,
}


def evaluate_flags(
    facts: CustomerFacts,
    origins: frozenset[str],
    method: Mapping[str, float] | None = None,
) -> list[Flag]:
    """The red flags of ``origins`` (``register``, ``usage``) that ``facts`` raise.

    Args:
        facts: the customer's fields, class, screening and compute.
        origins: which flags to evaluate.
        method: overrides of the file's method thresholds.
    """
    data = flags_file()
    params = {**data.method, **(method or {})}
    raised = []
    for spec in data.flags:
        if spec.origin not in origins:
            continue
        detail = CHECKS[spec.check](facts, params)
        if detail is None:
            continue
        citations = tuple(
            data.sources[s].render()
            + (f" ({data.sources[s].note})" if data.sources[s].note else "")
            for s in spec.source
        )
        raised.append(
            Flag(
                spec.code,
                spec.origin,
                f"{spec.title}: {detail}. {spec.explain}",
                citations,
            )
        )
    return raised
