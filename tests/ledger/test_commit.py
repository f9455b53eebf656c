"""Committing orders: limits, idempotency, refusals, releases (SQLite and PG)."""

from __future__ import annotations

import math

import pytest
from ledger_helpers import draw, request

from chipgate.draws import DrawTiming
from chipgate.errors import InputError, StoreError
from chipgate.facts import BalanceSource, LicenseSource
from chipgate.ledger import CommitStatus, Ledger
from chipgate.ledger.commit import draw_json


def _entries(ledger: Ledger) -> list[dict[str, object]]:
    return list(ledger.export())


def test_a_draw_within_its_limit_is_committed_and_audited(ledger: Ledger) -> None:
    [result] = ledger.commit_batch(
        [request("o1", draw("lpp/acme/2025", 400.0, 1000.0))]
    )
    assert result.status is CommitStatus.COMMITTED
    assert result.drawn[0].used_before == 0.0
    assert ledger.used("lpp/acme/2025") == 400.0
    [entry] = _entries(ledger)
    assert entry["kind"] == "order.committed"
    assert entry["order_id"] == "o1"
    assert entry["seq"] == result.audit_seq
    assert ledger.verify().ok


def test_committing_the_same_order_twice_draws_once(ledger: Ledger) -> None:
    req = request("o1", draw("lpp/acme/2025", 400.0, 1000.0))
    first = ledger.commit_batch([req])[0]
    second = ledger.commit_batch([req])[0]
    assert first.status is CommitStatus.COMMITTED
    assert second.status is CommitStatus.ALREADY_COMMITTED
    assert second.drawn == ()
    assert ledger.used("lpp/acme/2025") == 400.0
    assert len(_entries(ledger)) == 1


def test_an_order_exceeding_any_limit_is_refused_whole(ledger: Ledger) -> None:
    ledger.commit_batch([request("o1", draw("country/AE/2025", 900.0, 1000.0))])
    result = ledger.commit_order(
        "o2",
        {"id": "o2"},
        {"outcome": "authorized"},
        [draw("lpp/acme/2025", 50.0, 1000.0), draw("country/AE/2025", 150.0, 1000.0)],
        "aid-2025",
        "v1",
        "officer",
    )
    assert result.status is CommitStatus.REFUSED
    assert result.refusal is not None
    assert (result.refusal.account, result.refusal.limit) == ("country/AE/2025", 1000.0)
    assert (result.refusal.used, result.refusal.amount) == (900.0, 150.0)
    assert "country/AE/2025" in result.refusal.message
    # nothing of o2 was drawn, not even the draw that fitted
    assert ledger.used("lpp/acme/2025") == 0.0
    assert ledger.used("country/AE/2025") == 900.0
    assert [b.account for b in ledger.balances()] == ["country/AE/2025"]
    kinds = [e["kind"] for e in _entries(ledger)]
    assert kinds == ["order.committed", "order.refused"]
    # a refused order may be tried again later (it was never committed)
    ledger.release("o1", "cancelled", "officer")
    assert ledger.commit_batch([request("o2", draw("country/AE/2025", 150.0, 1000.0))])[
        0
    ].committed


def test_the_limit_each_draw_states_is_the_one_enforced(ledger: Ledger) -> None:
    ledger.commit_batch([request("o1", draw("deal/x", 600.0, 1000.0))])
    # a later order date may carry a lower limit (a phase of a cap): it binds
    tighter = ledger.commit_batch([request("o2", draw("deal/x", 100.0, 650.0))])[0]
    assert tighter.status is CommitStatus.REFUSED
    looser = ledger.commit_batch([request("o3", draw("deal/x", 100.0, 2000.0))])[0]
    assert looser.committed
    [balance] = ledger.balances()
    assert (balance.used, balance.limit, balance.remaining) == (700.0, 2000.0, 1300.0)


def test_on_license_draws_are_only_audited(ledger: Ledger) -> None:
    pending = draw("lpp/acme/2025", 5000.0, 1000.0, timing=DrawTiming.ON_LICENSE)
    result = ledger.commit_batch([request("o1", pending)])[0]
    assert result.status is CommitStatus.COMMITTED
    assert ledger.used("lpp/acme/2025") == 0.0
    [entry] = _entries(ledger)
    payload = entry["payload"]
    assert isinstance(payload, dict)
    assert payload["draws"][0]["timing"] == "on_license"
    assert payload["taken"] == []


def test_release_returns_the_draws_and_is_audited(ledger: Ledger) -> None:
    ledger.commit_batch([request("o1", draw("lpp/a", 10.0, 100.0, h100e=2.0))])
    result = ledger.release("o1", "shipment cancelled", "officer")
    assert [d.amount for d in result.released] == [10.0]
    assert ledger.used("lpp/a") == 0.0
    assert ledger.balances()[0].h100e == 0.0
    again = ledger.release("o1", "again", "officer")
    assert again.already_released
    assert [e["kind"] for e in _entries(ledger)] == [
        "order.committed",
        "order.released",
    ]
    assert ledger.history("lpp/a")[0].status == "released"
    # a released order id stays used: committing it again draws nothing
    assert ledger.commit_batch([request("o1", draw("lpp/a", 10.0, 100.0))])[
        0
    ].status is (CommitStatus.ALREADY_COMMITTED)


def test_releasing_an_unknown_order_is_an_input_error(ledger: Ledger) -> None:
    with pytest.raises(InputError, match="unknown order 'nope'"):
        ledger.release("nope", "typo", "officer")
    assert _entries(ledger) == []


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (draw("lpp/a", -1.0, 10.0), "draws[0].amount"),
        (draw("lpp/a", math.nan, 10.0), "draws[0].amount"),
        (draw("lpp/a", 1.0, -5.0), "draws[0].limit"),
        (draw("lpp/a", 1.0, 10.0, unit="kg"), "draws[0].unit"),
        (draw("", 1.0, 10.0), "draws[0].account"),
        (
            draw("license/NOPE1", 1.0, None, unit="units", kind="license"),
            "draws[0].account",
        ),
    ],
)
def test_bad_draws_are_input_errors_and_write_nothing(
    ledger: Ledger, bad: object, field: str
) -> None:
    good = request("ok", draw("lpp/b", 1.0, 10.0))
    with pytest.raises(InputError) as info:
        ledger.commit_batch([good, request("o1", bad)])  # type: ignore[arg-type]
    assert info.value.problems[0].field == field
    assert info.value.problems[0].source == "order 'o1'"
    assert ledger.balances() == []
    assert _entries(ledger) == []


def test_a_batch_commits_each_order_or_refuses_it_alone(ledger: Ledger) -> None:
    results = ledger.commit_batch(
        [
            request("a", draw("cap", 6.0, 10.0, unit="units")),
            request("b", draw("cap", 6.0, 10.0, unit="units")),
            request("c", draw("cap", 4.0, 10.0, unit="units")),
        ]
    )
    assert [r.status.value for r in results] == ["committed", "refused", "committed"]
    assert [r.audit_seq for r in results] == [1, 2, 3]
    assert ledger.used("cap") == 10.0
    assert ledger.verify().ok


def test_used_needs_a_unit_when_an_account_has_several(ledger: Ledger) -> None:
    ledger.commit_batch(
        [
            request(
                "o1",
                draw("deal/x", 5.0, None, unit="units"),
                draw("deal/x", 9.0, None, unit="usd"),
            )
        ]
    )
    assert ledger.used("deal/x", "usd") == 9.0
    with pytest.raises(StoreError, match="several units"):
        ledger.used("deal/x")
    assert ledger.used("never/drawn") == 0.0


def test_the_audit_form_of_a_draw_matches_its_own_dict() -> None:
    d = draw("lpp/a", 3.0, 10.0, h100e=1.5, timing=DrawTiming.ON_LICENSE)
    assert draw_json(d) == d.to_dict()


def test_the_ledger_is_the_engine_s_balance_and_license_source(ledger: Ledger) -> None:
    balances: BalanceSource = ledger
    licenses: LicenseSource = ledger
    assert balances.used("lpp/none") == 0.0
    assert licenses.get("D000000") is None


def test_committed_draws_sums_what_given_orders_hold(ledger: Ledger) -> None:
    ledger.commit_batch(
        [
            request(
                "a", draw("cap", 2.0, None, unit="units"), draw("lpp/x", 5.0, None)
            ),
            request("b", draw("cap", 3.0, None, unit="units")),
            request("c", draw("cap", 7.0, None, unit="units")),
        ]
    )
    ledger.release("b", "cancelled", "officer")
    held = ledger.committed_draws(["a", "b", "unknown"])
    assert held == {("cap", "units"): 2.0, ("lpp/x", "tpp"): 5.0}


def test_a_decision_that_draws_nothing_can_be_recorded(ledger: Ledger) -> None:
    seq = ledger.record(
        "decision.checked", {"outcome": "license_required"}, "officer", "o9"
    )
    [entry] = list(ledger.export())
    assert (entry["seq"], entry["order_id"], entry["kind"]) == (
        seq,
        "o9",
        "decision.checked",
    )
    assert ledger.balances() == []
