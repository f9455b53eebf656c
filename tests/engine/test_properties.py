"""Properties the engine must keep whatever the input (Hypothesis)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chipgate.chips.classify import ClassificationTests, classify_chip
from chipgate.chips.figures import figures_from_user
from chipgate.decide.engine import Engine, end_use_key
from chipgate.orders.model import EndUse, Kind, Order, Party
from chipgate.rules.base import Outcome

ENGINE = Engine()
TESTS = ClassificationTests.model_validate(
    ENGINE.view(date(2024, 6, 1), "ac-2023").value("eccn.3a090_tests")
)
RANK = {None: 0, "3A090.b": 1, "3A090.a": 2}

tpps = st.floats(min_value=0, max_value=60_000, allow_nan=False)
areas = st.floats(min_value=50, max_value=2_000, allow_nan=False)


def rank(tpp: float, area: float, datacenter: bool) -> int:
    figures = figures_from_user("x", tpp=tpp, die_area_mm2=area, datacenter=datacenter)
    return RANK[classify_chip(figures, TESTS).family]


@settings(max_examples=300, deadline=None)
@given(tpps, tpps, areas, st.floats(min_value=0.2, max_value=1.0), st.booleans())
def test_classification_is_monotone_in_tpp_and_density(
    tpp_a: float, tpp_b: float, area: float, shrink: float, datacenter: bool
) -> None:
    low, high = sorted((tpp_a, tpp_b))
    assert rank(low, area, datacenter) <= rank(high, area, datacenter)
    # a smaller die at the same TPP means a higher density
    assert rank(high, area, datacenter) <= rank(high, area * shrink, datacenter)


ITEMS = (
    "NVIDIA H100 SXM5",
    "NVIDIA L40S",
    "NVIDIA GeForce RTX 4090",
    "NVIDIA A30",
    "NVIDIA H20",
)
DESTS = ("IN", "BR", "MY", "AE", "SA", "CN", "DE", "VN", "RU", "ID")


@st.composite
def orders(draw: st.DrawFn) -> Order:
    return Order(
        id="P",
        date=date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 700))),
        kind=draw(st.sampled_from((Kind.EXPORT, Kind.REEXPORT, Kind.TRANSFER))),
        item=draw(st.sampled_from(ITEMS)),
        quantity=draw(st.integers(1, 3_000)),
        destination=draw(st.sampled_from(DESTS)),
        consignee=Party(
            name=draw(st.sampled_from(("Acme", "Beta"))),
            hq=draw(st.sampled_from(DESTS)),
        ),
    )


@settings(max_examples=200, deadline=None)
@given(
    orders(),
    st.integers(1, 5_000),
    st.sampled_from(("ac-2023", "aid-2025", "post-rescission-2025")),
)
def test_more_quantity_never_turns_a_license_requirement_into_an_authorization(
    order: Order, extra: int, regime: str
) -> None:
    small = Engine().evaluate(order, regime=regime)
    large = Engine().evaluate(
        replace(order, quantity=order.quantity + extra), regime=regime
    )
    if small.outcome is Outcome.LICENSE_REQUIRED:
        assert large.outcome in (Outcome.LICENSE_REQUIRED, Outcome.PROHIBITED)


@settings(max_examples=60, deadline=None)
@given(st.lists(orders(), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_outcomes_do_not_depend_on_row_order_when_dates_differ(
    raw: list[Order], rng: random.Random
) -> None:
    book = [
        replace(o, id=f"O{i}", date=date(2025, 1, 1) + timedelta(days=i * 3))
        for i, o in enumerate(raw)
    ]
    shuffled = list(book)
    rng.shuffle(shuffled)
    for regime in ("aid-2025", "post-rescission-2025"):
        first = {
            d.order_id: d.outcome for d in Engine().evaluate_book(book, regime=regime)
        }
        second = {
            d.order_id: d.outcome
            for d in Engine().evaluate_book(shuffled, regime=regime)
        }
        assert first == second


@settings(max_examples=60, deadline=None)
@given(st.lists(orders(), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_without_cumulative_draws_same_day_rows_commute(
    raw: list[Order], rng: random.Random
) -> None:
    book = [replace(o, id=f"O{i}", date=date(2025, 8, 1)) for i, o in enumerate(raw)]
    shuffled = list(book)
    rng.shuffle(shuffled)
    first = {d.order_id: d for d in Engine().evaluate_book(book)}
    second = {d.order_id: d for d in Engine().evaluate_book(shuffled)}
    for order_id, decision in first.items():
        if not decision.draws and not second[order_id].draws:
            assert decision.outcome == second[order_id].outcome


def test_shared_decisions_equal_fresh_ones() -> None:
    engine = Engine()
    base = Order(
        "a",
        date(2026, 3, 1),
        Kind.EXPORT,
        "NVIDIA H200 SXM",
        10,
        "CN",
        Party("X", "CN"),
    )
    first = engine.evaluate(base)
    shared = engine.evaluate(
        replace(base, id="b", quantity=20, consignee=Party("Y", "CN"))
    )
    fresh = Engine().evaluate(
        replace(base, id="b", quantity=20, consignee=Party("Y", "CN"))
    )
    assert shared.to_record() == fresh.to_record()
    assert shared.tpp == 2 * first.tpp


@settings(max_examples=150, deadline=None)
@given(
    orders(),
    st.sampled_from(("ac-2023", "aid-2025", "post-rescission-2025")),
    st.sampled_from((Kind.EXPORT, Kind.CLOUD, Kind.USE, Kind.TRANSFER)),
    st.sampled_from(("CN", "IR", "DE", "SG")),
    st.frozensets(st.sampled_from(list(EndUse)), max_size=3),
)
def test_end_uses_no_rule_reads_never_change_a_decision(
    order: Order, regime: str, kind: Kind, end_user_hq: str, uses: frozenset[EndUse]
) -> None:
    engine = Engine()
    base = replace(
        order, kind=kind, end_user=Party("Customer", end_user_hq), end_use=uses
    )
    read = engine.end_uses_read(engine.view(base.date, regime))
    unread = [u for u in EndUse if u not in read]
    reference = Engine().evaluate(base, regime=regime).to_record()
    for extra in unread:
        varied = replace(base, end_use=uses ^ {extra})
        if end_use_key(varied.end_use, read) != end_use_key(uses, read):
            continue  # a teardown alone or beside others: the key tells them apart
        assert Engine().evaluate(varied, regime=regime).to_record() == reference


def test_a_teardown_beside_other_end_uses_is_not_shared_with_a_teardown_alone() -> None:
    engine = Engine()
    alone = Order(
        "a",
        date(2025, 8, 1),
        Kind.EXPORT,
        "Huawei Ascend 910B",
        400,
        "DE",
        Party("Rhein GmbH", "DE"),
        end_use=frozenset({EndUse.TEARDOWN}),
    )
    beside = replace(
        alone, id="b", end_use=frozenset({EndUse.TEARDOWN, EndUse.DATACENTER})
    )
    assert engine.evaluate(alone).outcome.value == "no_license_required"
    assert engine.evaluate(beside).outcome.value == "license_required"
