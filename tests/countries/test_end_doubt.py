"""A membership whose end date alone is unconfirmed (``until_unconfirmed``).

The UAE left D:4 on 2026-07-10 by a quoted effective date that the rule's
publication (2026-07-14) may contradict: orders of the days between carry the
doubt, earlier and later ones do not.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from chipgate.countries.model import Member
from chipgate.countries.registry import default_registry


@pytest.mark.parametrize(
    ("day", "doubted"),
    [
        (date(2026, 7, 9), False),
        (date(2026, 7, 10), True),
        (date(2026, 7, 13), True),
        (date(2026, 7, 14), False),
    ],
)
def test_the_days_the_uae_d4_end_leaves_open_carry_the_doubt(
    day: date, doubted: bool
) -> None:
    registry = default_registry()
    doubts = registry.doubtful("AE", ("D:4",), day)
    assert bool(doubts) is doubted, doubts
    if doubted:
        assert "end of the D:4 membership of AE on 2026-07-09" in doubts[0]
        assert "through 2026-07-13" in doubts[0]
    assert ("D:4" in registry.groups_of("AE", day)) is (day <= date(2026, 7, 9))


def test_decisions_change_epoch_when_the_end_doubt_closes() -> None:
    """Orders of 2026-07-13 and 2026-07-14 never share a decision."""
    assert date(2026, 7, 14) in default_registry().doubt_points()


def test_an_end_doubt_needs_an_end_before_it() -> None:
    with pytest.raises(ValidationError, match="until_unconfirmed"):
        Member(code="AE", until_unconfirmed=date(2026, 7, 13))
    with pytest.raises(ValidationError, match="must come after until"):
        Member(code="AE", until=date(2026, 7, 13), until_unconfirmed=date(2026, 7, 13))
