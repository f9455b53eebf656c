"""What the ledger answers: commit outcomes, balances, history lines, verify reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from chipgate.draws import Draw
from chipgate.money import USD, exact, plus


class CommitStatus(StrEnum):
    """Outcome of committing one order."""

    COMMITTED = "committed"
    """Every ``now`` draw was taken; the order is on the ledger."""
    ALREADY_COMMITTED = "already_committed"
    """The order id was committed before (possibly since released); nothing drawn."""
    REFUSED = "refused"
    """A draw would exceed its limit; nothing drawn, a refusal entry was audited."""
    CONFLICT = "conflict"
    """The order id was committed before with other values (a quantity, a
    destination changed): nothing drawn, the ledger keeps the order it holds."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an order was refused: the first draw that did not fit its limit."""

    account: str
    unit: str
    limit: float
    used: float
    amount: float

    @property
    def message(self) -> str:
        """One sentence for the officer."""
        return (
            f"{self.account}: drawing {self.amount:,.6g} {self.unit} on top of "
            f"{self.used:,.6g} used would exceed the limit of "
            f"{self.limit:,.6g} {self.unit}"
        )


@dataclass(frozen=True, slots=True)
class CommitResult:
    """The ledger's answer to ``commit_order``."""

    order_id: str
    status: CommitStatus
    drawn: tuple[Draw, ...] = ()
    """The ``now`` draws taken, with ``used_before`` as the ledger saw it."""
    refusal: Refusal | None = None
    audit_seq: int | None = None
    detail: str = ""

    @property
    def committed(self) -> bool:
        """Whether this call drew on the ledger."""
        return self.status is CommitStatus.COMMITTED

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "order_id": self.order_id,
            "status": self.status.value,
            "drawn": [d.to_dict() for d in self.drawn],
            "refusal": None
            if self.refusal is None
            else {**asdict(self.refusal), "message": self.refusal.message},
            "audit_seq": self.audit_seq,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """One order to commit (the arguments of ``commit_order``, for batches)."""

    order_id: str
    order: Mapping[str, Any]
    decision: Mapping[str, Any]
    draws: Sequence[Draw]
    regime: str
    rules_version: str
    who: str


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """What the ledger holds about one order: its status and committing entry."""

    order_id: str
    status: str
    """``committed``, or ``released`` when its draws were given back."""
    audit_seq: int
    """The ``order.committed`` entry."""
    decision: Mapping[str, Any]
    """The decision record committed (the engine's output line)."""
    draws: Sequence[Mapping[str, Any]]
    """Every draw the decision stated (``now`` and ``on_license``)."""
    taken: Sequence[Mapping[str, Any]]
    """The ``now`` draws taken, with what was used before as the ledger saw it."""
    order: Mapping[str, Any]
    """The order as it was committed (``book.commit.order_payload``)."""


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    """The ledger's answer to ``release``."""

    order_id: str
    released: tuple[Draw, ...]
    already_released: bool = False
    audit_seq: int | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    """One account balance in one unit."""

    account: str
    kind: str
    unit: str
    committed: float
    reserved: float
    limit: float | None
    h100e: float
    citation: str = ""

    @property
    def used(self) -> float:
        """What counts against the limit."""
        return plus(self.unit, self.committed, self.reserved)

    @property
    def remaining(self) -> float | None:
        """What is left under the limit in force at the last draw."""
        if self.limit is None:
            return None
        if self.unit == USD:  # to the cent, not 2000000.0999999996
            return float(exact(self.limit) - exact(self.used))
        return self.limit - self.used

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {**asdict(self), "used": self.used, "remaining": self.remaining}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One draw on an account, as the history shows it."""

    order_id: str
    unit: str
    amount: float
    limit: float | None
    used_before: float
    h100e: float
    status: str
    at: str
    citation: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ReportedBase:
    """A UVEU holder's reported compute base in force on a date."""

    holder: str
    tpp: float
    as_of: date
    recorded_at: str
    recorded_by: str
