"""A re-checked book meets the balances of its commit, to the last digit.

A book checked again after its commit has its own committed draws taken out of the
ledger's balances (``Checker.own_draws``). Both sums were float sums added in
different orders, so the difference left a residue: ``used_before`` showed
8,786,911.999999996 where the commit had met 8,786,912. The amounts are decimal
quantities (TPP to a tenth, dollars to the cent), now added and subtracted exactly.
"""

from __future__ import annotations

from ledger_helpers import draw, request

from chipgate.book.pipeline import Checker, FactSources
from chipgate.decide.engine import Engine
from chipgate.draws import decimal_sum
from chipgate.ledger import Ledger

ACCOUNT = "lpp/huawei-technologies-co-ltd/2023"


class _Base:
    """A ledger balance as the store holds it."""

    def __init__(self, used: float) -> None:
        self._used = used

    def used(self, account: str, unit: str | None = None) -> float:
        return self._used


def test_the_book_s_own_draws_come_out_of_the_balance_exactly() -> None:
    # the ledger holds 21,139,451.2 + 20,919.2 of others; the book holds 21,139,451.2
    checker = Checker(
        Engine(),
        FactSources(balances=_Base(21160370.4)),
        own_draws={(ACCOUNT, "tpp"): 21139451.2},
    )
    assert checker.balances().used(ACCOUNT, "tpp") == 20919.2


def test_what_orders_hold_is_summed_exactly(ledger: Ledger) -> None:
    ledger.commit_batch(
        [request("a", draw(ACCOUNT, 0.1, None)), request("b", draw(ACCOUNT, 0.2, None))]
    )
    assert ledger.committed_draws(["a", "b"]) == {(ACCOUNT, "tpp"): 0.3}


def test_a_sum_does_not_depend_on_the_order_of_its_terms() -> None:
    # the draws of the probe's book on this account, in two orders
    amounts = [3298000.0, 167353.6, 46912.0, 15832.0, 8704000.0, 8704000.0, 36000.0]
    amounts.append(167353.6)
    assert decimal_sum(amounts) == decimal_sum(reversed(amounts)) == 21139451.2
    assert decimal_sum((decimal_sum(amounts), -decimal_sum(sorted(amounts)))) == 0.0
