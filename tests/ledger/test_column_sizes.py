"""Every value the validators let through fits every store (PostgreSQL enforces lengths).

Before, the regime label of any order dated 2026-06-01 or later (95 characters)
overflowed ``ledger_orders.regime VARCHAR(80)`` on PostgreSQL, and a user name over
200 characters did the same; SQLite ignores lengths, so only PostgreSQL shows it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from ledger_helpers import draw, request
from sqlalchemy import String, Text
from typer.testing import CliRunner

from chipgate.book.commit import commit_book
from chipgate.book.pipeline import Checker, FactSources
from chipgate.cli.app import app
from chipgate.decide.engine import Engine
from chipgate.errors import InputError
from chipgate.ledger import CommitStatus, Ledger
from chipgate.ledger.audit import PendingEntry, check_entries
from chipgate.ledger.models import ORDERS
from chipgate.limits import (
    ACCOUNT_KEY_MAX,
    AUDIT_KIND_MAX,
    DRAW_KIND_MAX,
    ORDER_ID_MAX,
    RULES_VERSION_MAX,
    USER_MAX,
    longest_regime_label,
)
from chipgate.orders.model import EndUse, Kind, Order, Party
from chipgate.regimes.library import default_library

FIRST_DAY = date(2022, 10, 7)  # the first regime modelled (ac-2022)
LAST_DAY = date(2028, 12, 2)  # two years after 2026-12-02


def test_the_regime_column_holds_the_longest_label_the_packs_can_build() -> None:
    longest = longest_regime_label(default_library())
    assert longest > 80  # what overflowed the old VARCHAR(80)
    column = ORDERS.c.regime.type
    assert isinstance(column, Text) or (
        isinstance(column, String) and (column.length or 0) >= longest
    )


def test_every_order_day_from_2022_to_two_years_ahead_commits(ledger: Ledger) -> None:
    """One H100 a day to an Indian data centre: each day's regime label is stored."""
    days = [
        FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)
    ]
    orders = [
        Order(
            f"day-{day.isoformat()}",
            day,
            Kind.EXPORT,
            "NVIDIA H100 SXM5",
            1,
            "IN",
            consignee=Party("Tata AI", "IN"),
            end_use=frozenset({EndUse.DATACENTER}),
        )
        for day in days
    ]
    sources = FactSources(licenses=ledger, balances=ledger, compute_bases=ledger)
    checker = Checker(Engine(), sources)
    decisions = checker.decide(orders)
    results = commit_book(checker, ledger, orders, decisions, who="officer")
    assert {r.status for r in results} == {CommitStatus.COMMITTED}
    labels = {d.regime for d in decisions}
    assert max(len(label) for label in labels) > 80
    assert ledger.verify().ok


def test_values_at_every_limit_fit_and_one_more_character_is_refused(
    ledger: Ledger,
) -> None:
    long_regime = "+".join(["post-rescission-2025"] * 20)
    at_limit = request(
        "o" * ORDER_ID_MAX,
        draw("a" * ACCOUNT_KEY_MAX, 1.0, 10.0, kind="k" * DRAW_KIND_MAX),
    )
    at_limit = type(at_limit)(
        **{
            **{f: getattr(at_limit, f) for f in at_limit.__slots__},
            "regime": long_regime,
            "rules_version": "r" * RULES_VERSION_MAX,
            "who": "w" * USER_MAX,
        }
    )
    [result] = ledger.commit_batch([at_limit])
    assert result.status is CommitStatus.COMMITTED
    ledger.release("o" * ORDER_ID_MAX, "cancelled", "w" * USER_MAX)
    over = [
        request("o" * (ORDER_ID_MAX + 1), draw("b", 1.0, 10.0)),
        request("o2", draw("b" * (ACCOUNT_KEY_MAX + 1), 1.0, 10.0)),
        request("o3", draw("b", 1.0, 10.0, kind="k" * (DRAW_KIND_MAX + 1))),
    ]
    for req in over:
        with pytest.raises(InputError, match="characters"):
            ledger.commit_batch([req])
    with pytest.raises(InputError, match="CHIPGATE_USER"):
        ledger.report_base("G42", 1.0, date(2025, 1, 1), "w" * (USER_MAX + 1))
    with pytest.raises(InputError, match="who must be"):
        ledger.record("decision.checked", {}, "w" * (USER_MAX + 1))
    with pytest.raises(InputError, match="kind must be"):
        check_entries([PendingEntry("k" * (AUDIT_KIND_MAX + 1), "me", {})])
    assert ledger.verify().ok
    assert len(list(ledger.export())) == 2


def test_a_user_name_over_the_limit_is_a_setting_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("CHIPGATE_USER", "u" * (USER_MAX + 1))
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 2
    assert "CHIPGATE_USER" in result.output
    assert "200 characters" in result.output
