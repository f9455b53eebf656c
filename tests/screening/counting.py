"""A memo that counts its look-ups, for tests that a short cut was taken."""

from __future__ import annotations

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
