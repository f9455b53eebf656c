"""The customer register's headquarters rule names the unconfirmed share it uses."""

from __future__ import annotations

from datetime import date

from chipgate.diligence.law import classify_hq, view_on


def test_a_parent_share_decision_names_the_unconfirmed_minimum() -> None:
    view = view_on(date(2024, 6, 1))
    assert view.param("ac.hq_parent_share_min").unconfirmed
    for share in (75.0, 20.0, None):
        found = classify_hq("SG", "CN", share, view)
        assert "unconfirmed: ac.hq_parent_share_min" in found.reason, found
    # a customer headquartered in China itself does not rest on the share
    assert "unconfirmed" not in classify_hq("CN", None, None, view).reason
