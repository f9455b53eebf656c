"""What a decision draws from caps, allocations, quotas and licenses.

A draw is the engine's statement "this order uses this much of that account"; the
ledger turns it into a reservation and a commit. Account keys are plain strings so
the ledger needs no knowledge of the rules that produced them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from chipgate.money import add


class DrawTiming(StrEnum):
    """When the draw takes effect."""

    NOW = "now"
    """The order is authorized and the draw is taken when it ships."""
    ON_LICENSE = "on_license"
    """The order needs a license; the draw is taken only if BIS grants it."""


@dataclass(frozen=True, slots=True)
class Draw:
    """One draw on one account.

    Attributes:
        account: stable key, e.g. ``lpp/acme-trading/2025`` or ``license/D123456``.
        kind: the account family: ``lpp``, ``country_allocation``, ``nveu``,
            ``uveu``, ``license``, ``deal``.
        amount: how much this order draws, in ``unit``.
        unit: ``tpp``, ``units`` or ``usd``.
        limit: the account's limit in ``unit`` on the order's date, if it has one.
        used_before: what was already drawn before this order.
        h100e: the draw in H100-equivalents (0 for value-only draws).
        timing: whether the draw is taken now or only on approval of a license.
        citation: the source of the limit.
    """

    account: str
    kind: str
    amount: float
    unit: str
    limit: float | None
    used_before: float
    h100e: float
    timing: DrawTiming
    citation: str

    @property
    def remaining_after(self) -> float | None:
        """What is left of the limit after this draw, if the account has a limit."""
        if self.limit is None:
            return None
        return self.limit - self.used_before - self.amount

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        data = asdict(self)
        data["timing"] = self.timing.value
        data["remaining_after"] = self.remaining_after
        return data


def decimal_sum(amounts: Iterable[float]) -> float:
    """The sum of draw amounts as the decimals they are, rounded once.

    Amounts are decimal quantities (TPP to a tenth, dollars to the cent, units)
    held in binary floats. Added one float at a time they leave a residue that
    depends on the order of the terms: a book's own draws summed in another order
    than the ledger's balance made a re-check meet 8,786,911.999999996 where its
    commit had met 8,786,912. Each float is read as the shortest decimal that gives
    it back (``repr``), the decimals are added exactly, and the result is rounded
    to a float once.

    >>> decimal_sum([0.1, 0.2])
    0.3
    >>> decimal_sum([21139451.2, -21139451.2])
    0.0
    """
    return add(*amounts)
