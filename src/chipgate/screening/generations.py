"""A bounded memo for a batch's repeated work: two generations of plain dicts.

A large batch repeats some keys (the words and name shapes of its many names) and
meets most others once. An LRU would do the bookkeeping on every hit; here a hit in
the young generation costs one dict lookup. When the young generation is full it
becomes the old one (the old one is dropped), and a key found in the old one moves
back to the young: what the batch repeats stays, what it met once ages out, and the
memo never holds more than the bound. The bound is passed on each call, so that a
setting read at call time (a module constant, a class attribute) governs it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Generations(Generic[K, V]):
    """Values remembered by key, at most ``bound`` of them across two generations."""

    __slots__ = ("old", "young")

    def __init__(self) -> None:
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def find(self, key: K, bound: int) -> V | None:
        """The value kept for ``key`` (moved back to the young generation), or None."""
        found = self.young.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.keep(key, found, bound)
        return found

    def keep(self, key: K, value: V, bound: int) -> None:
        """Remember ``value`` for ``key``; each generation holds half of ``bound``."""
        young = self.young
        if len(young) >= bound // 2:
            self.old = young
            young = self.young = {}
        young[key] = value

    def __len__(self) -> int:
        return len(self.young) + len(self.old)
