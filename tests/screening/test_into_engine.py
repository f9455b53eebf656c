"""Screening hits on the real lists reach the engine's decisions."""

from __future__ import annotations

from datetime import date

from chipgate.book.pipeline import Checker, FactSources
from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.orders.model import Kind, Order, Party
from chipgate.rules.base import Outcome, ReviewPolicy
from chipgate.screening.screener import Screener


def decide(
    screener: Screener, consignee: str, country: str, destination: str = "DE"
) -> Decision:
    checker = Checker(Engine(), FactSources(screener=screener))
    order = Order(
        "S",
        date(2026, 11, 23),
        Kind.EXPORT,
        "NVIDIA L4",
        10,
        destination,
        Party(consignee, country),
    )
    (decision,) = checker.decide([order])
    return decision


def test_an_order_to_huawei_gets_the_entity_list_requirement(
    real_screener: Screener,
) -> None:
    decision = decide(real_screener, "Huawei Technologies Company Limited", "CN")
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert decision.review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL
    assert "SCREEN.LISTS" in decision.rules
    assert any("84 FR 2296" in c for c in decision.citations)
    assert "Entity List" in decision.explanation()


def test_an_sdn_consignee_is_prohibited(real_screener: Screener) -> None:
    decision = decide(
        real_screener, "Islamic Revolutionary Guard Corps", "IR", destination="AE"
    )
    assert decision.outcome is Outcome.PROHIBITED


def test_an_unlisted_german_company_is_not_flagged(real_screener: Screener) -> None:
    decision = decide(real_screener, "Nordlicht Rechenzentrum GmbH", "DE")
    assert decision.outcome is Outcome.NO_LICENSE_REQUIRED
    assert not decision.red_flags


def test_a_decision_without_a_hit_records_the_list_dates(
    real_screener: Screener,
) -> None:
    decision = decide(real_screener, "Nordlicht Rechenzentrum GmbH", "DE")
    record = decision.to_record()
    assert not decision.red_flags
    assert record["lists"] == [
        f"{i.source} of {i.list_date}" for i in real_screener.infos
    ]
    assert any(entry.startswith("un of 20") for entry in record["lists"])


def test_a_decision_without_screening_records_no_lists() -> None:
    checker = Checker(Engine(), FactSources())
    order = Order(
        "S", date(2026, 11, 23), Kind.EXPORT, "NVIDIA L4", 10, "DE", Party("X", "DE")
    )
    (decision,) = checker.decide([order])
    assert decision.to_record()["lists"] == []
