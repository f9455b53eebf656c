"""Screening as of a date: the CSL of 2026 dated by the Entity List change history."""

from __future__ import annotations

from datetime import date

import pytest

from chipgate.book.pipeline import Checker, FactSources
from chipgate.decide.decision import Decision
from chipgate.decide.engine import Engine
from chipgate.orders.model import Kind, Order, Party
from chipgate.rules.base import Outcome
from chipgate.screening.screener import Screener

SOPHGO_EFFECTIVE = date(2025, 1, 16)  # 90 FR 4621, FR Doc 2025-00480


def _sophgo(hits: object) -> list[object]:
    return [
        h
        for h in hits  # type: ignore[attr-defined]
        if h.list_code == "EL" and "Sophgo" in h.matched_name and h.is_hit
    ]


def test_sophgo_is_an_entity_list_hit_with_its_citation(
    real_screener: Screener,
) -> None:
    hits = real_screener.screen("Sophgo Technologies")
    (hit,) = [h for h in _sophgo(hits) if h.matched_name == "Sophgo Technologies Ltd."]  # type: ignore[attr-defined]
    assert hit.federal_register == "90 FR 4621"  # type: ignore[attr-defined]
    assert hit.listed_from == "2025-01-16"  # type: ignore[attr-defined]
    assert hit.list_date == "2026-07-31"  # type: ignore[attr-defined]
    # the CSL prints "734.9(e)(2) and 744.11 of the EAR)4": footnote 4, not 1
    assert hit.footnotes == ("4",)  # type: ignore[attr-defined]
    assert "effective 2025-01-16 (90 FR 4621, FR Doc 2025-00480)" in hit.explanation  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        (date(2024, 12, 31), False),
        (date(2025, 1, 15), False),
        (SOPHGO_EFFECTIVE, True),
        (date(2026, 3, 1), True),
    ],
)
def test_an_entry_applies_from_its_effective_date(
    real_screener: Screener, day: date, listed: bool
) -> None:
    assert (
        bool(_sophgo(real_screener.screen("Sophgo Technologies", "CN", day))) is listed
    )


def test_a_removed_party_is_a_hit_only_before_its_removal(
    real_screener: Screener,
) -> None:
    name = "Ministry of Public Security's Institute of Forensic Science of China"
    before = real_screener.screen(name, "CN", date(2023, 11, 15))
    after = real_screener.screen(name, "CN", date(2023, 11, 16))
    assert any(h.list_code == "EL" and h.is_hit for h in before)
    assert not any(h.list_code == "EL" for h in after)


def _decide(screener: Screener, day: date) -> Decision:
    checker = Checker(Engine(), FactSources(screener=screener))
    order = Order(
        "S",
        day,
        Kind.EXPORT,
        "NVIDIA L4",
        10,
        "SG",
        Party("Sophgo Technologies Pte. Ltd.", "SG"),
    )
    (decision,) = checker.decide([order])
    return decision


def test_an_order_before_the_listing_gets_no_hit_and_one_after_does(
    real_screener: Screener,
) -> None:
    before = _decide(real_screener, date(2025, 1, 10))
    after = _decide(real_screener, date(2025, 2, 3))
    assert "SCREEN.LISTS" not in before.rules
    assert "SCREEN.LISTS" in after.rules
    assert after.outcome is Outcome.LICENSE_REQUIRED
    assert any("90 FR 4621" in c for c in after.citations)
    assert "listed from 2025-01-16 (list of 2026-07-31)" in after.explanation()
