"""The affine workers of batch screening: a name family always on one worker."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from chipgate.screening.affinity import family, in_order, worker_of


def _pid_of_each(parties: list[tuple[str, str | None]]) -> list[int]:
    return [os.getpid() for _ in parties]


def _fails_on_boom(parties: list[str]) -> list[str]:
    if "boom" in parties:
        raise ValueError("boom was screened")
    return [p.upper() for p in parties]


def _ends_on_quit(parties: list[str]) -> list[str]:
    if "quit" in parties:
        os._exit(3)
    return parties


def test_a_family_is_a_name_without_its_trailing_number() -> None:
    assert family("Acme Trading 123456") == "Acme Trading"
    assert family("Acme 12 Trading") == "Acme 12 Trading"
    assert worker_of("Acme Trading 123456", 2) == worker_of("Acme Trading 7", 2)
    # both workers get names: the assignment spreads
    assert {worker_of(f"Company {word}", 2) for word in "abcdefghij"} == {0, 1}


def test_numbered_repeats_are_screened_by_the_worker_of_their_name() -> None:
    bases = [f"Trading House {word}" for word in "abcdefghijklmnop"]
    chunks = [
        (at, [(f"{base} {at * 100 + i}", None) for i, base in enumerate(bases)])
        for at in range(12)
    ]
    seen: dict[str, set[int]] = {}
    order = []
    for at, parties, answers in in_order(_pid_of_each, 2, iter(chunks)):
        order.append(at)
        for party in parties:
            seen.setdefault(family(party[0]), set()).add(answers[party])
    assert order == list(range(12))
    assert all(len(pids) == 1 for pids in seen.values())
    assert len(set().union(*seen.values())) == 2  # both workers screened


def test_each_distinct_party_of_a_chunk_is_answered_once() -> None:
    chunks = [("first", ["a", "b", "a", "c"]), ("second", [])]
    got = [
        (item, parties, answers)
        for item, parties, answers in in_order(_fails_on_boom, 2, iter(chunks))
    ]
    assert got == [
        ("first", ["a", "b", "a", "c"], {"a": "A", "b": "B", "c": "C"}),
        ("second", [], {}),
    ]


def test_a_workers_error_is_raised_in_the_parent() -> None:
    chunks: Iterator[tuple[int, list[str]]] = iter([(0, ["x"]), (1, ["boom"])])
    with pytest.raises(ValueError, match="boom was screened"):
        list(in_order(_fails_on_boom, 2, chunks))


def test_a_worker_that_ends_without_answering_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="exit code 3"):
        list(in_order(_ends_on_quit, 2, iter([(0, ["quit", "stay"])])))


class _Unsendable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("not sendable")


def _fails_unsendably(parties: list[str]) -> list[str]:
    raise _Unsendable("kept here")


def test_an_error_that_cannot_be_sent_comes_back_named() -> None:
    with pytest.raises(RuntimeError, match="_Unsendable: kept here"):
        list(in_order(_fails_unsendably, 2, iter([(0, ["a", "b"])])))
