"""The headquarters rule reads its scope and parent share from the regime data."""

from __future__ import annotations

from datetime import date

import pytest

from chipgate.diligence.law import classify_hq, view_on

DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("hq", "parent_hq", "share", "code"),
    [
        ("CN", None, None, "headquartered"),
        ("MO", None, None, "headquartered"),
        ("HK", None, None, "headquartered"),  # the EAR treats Hong Kong as China
        ("SG", "CN", 50.0, "parent"),
        ("SG", "RU", 49.9, "clear"),
        ("SG", "MO", None, "parent_share_unknown"),
        ("SG", "US", 100.0, "clear"),
        ("DE", None, None, "clear"),
        (None, None, None, "unknown"),
    ],
)
def test_headquarters_classes(
    hq: str | None, parent_hq: str | None, share: float | None, code: str
) -> None:
    result = classify_hq(hq, parent_hq, share, view_on(DAY))
    assert result.code == code
    assert any("744.23" in c for c in result.citations)
    assert result.day == DAY.isoformat()


def test_the_share_is_marked_unconfirmed_and_read_from_the_pack() -> None:
    view = view_on(DAY)
    result = classify_hq("SG", "CN", 60.0, view)
    share = view.param("ac.hq_parent_share_min")
    assert share.unconfirmed
    assert f"{share.value:g} %" in result.reason
    assert any("unconfirmed" in c for c in result.citations)


def test_before_the_rule_of_november_2023_there_is_no_class() -> None:
    result = classify_hq("CN", None, None, view_on(date(2023, 1, 1)))
    assert result.code == "no_rule"
    assert classify_hq("CN", None, None, view_on(date(2023, 11, 17))).code == (
        "headquartered"
    )
