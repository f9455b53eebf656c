"""The two-generation memo behind the word expansions and the remembered rankings."""

from __future__ import annotations

from chipgate.screening.generations import Generations


def test_the_bound_holds_and_what_is_met_once_ages_out() -> None:
    memo: Generations[int, str] = Generations()
    for key in range(25):
        memo.keep(key, str(key), 10)
    assert len(memo) <= 10
    assert memo.find(0, 10) is None
    assert memo.find(24, 10) == "24"


def test_a_key_found_in_the_old_generation_moves_back_and_stays() -> None:
    memo: Generations[str, int] = Generations()
    memo.keep("repeated", 1, 4)
    memo.keep("a", 2, 4)
    memo.keep("b", 3, 4)  # the young generation turns old
    assert "repeated" in memo.old
    assert "repeated" not in memo.young
    assert memo.find("repeated", 4) == 1
    assert "repeated" in memo.young
    memo.keep("c", 4, 4)  # turns old again: the old one, with "a", is dropped
    assert memo.find("a", 4) is None
    assert memo.find("repeated", 4) == 1


def test_a_falsy_value_is_still_found() -> None:
    memo: Generations[str, list[int]] = Generations()
    memo.keep("nothing ranked", [], 10)
    assert memo.find("nothing ranked", 10) == []
