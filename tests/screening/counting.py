"""A memo that counts its look-ups, and a function that counts its calls, for
tests that a short cut was taken."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chipgate.screening.generations import Generations


class Counting(Generations[tuple[object, ...], Any]):
    """``Generations`` counting the keys asked for and those found."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        self.found = 0

    def find(self, key: tuple[object, ...], bound: int) -> Any:
        """``Generations.find``, counted."""
        self.asked += 1
        kept = super().find(key, bound)
        self.found += kept is not None
        return kept


class Calls:
    """``wrapped``, counting its calls (``made``): set in place of a method to
    hold how often the work behind a memo was done."""

    def __init__(self, wrapped: Callable[..., Any]) -> None:
        self.wrapped = wrapped
        self.made = 0

    def __call__(self, *args: Any) -> Any:
        self.made += 1
        return self.wrapped(*args)
