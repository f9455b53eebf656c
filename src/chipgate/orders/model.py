"""The order: one line of an order book, as the engine sees it.

A plain frozen dataclass (not a pydantic model) because a book may hold millions of
orders; validation happens once, column by column, in ``orders.reader``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """What the order does with the item."""

    EXPORT = "export"
    REEXPORT = "reexport"
    TRANSFER = "transfer"
    """Transfer (in-country): a change of end user or end use inside one country."""
    CLOUD = "cloud"
    """Infrastructure-as-a-service compute sold to a customer; no item moves."""
    MODEL_WEIGHTS = "model_weights"
    USE = "use"
    """Use, servicing or holding of items already in place."""


class EndUse(StrEnum):
    """Declared end uses an order may carry (several, separated by ';')."""

    DATACENTER = "datacenter"
    TRAINING = "training"
    INFERENCE = "inference"
    RESEARCH = "research"
    GAMING = "gaming"
    SERVICING = "servicing"
    TEARDOWN = "teardown"
    """Acquisition for technical analysis or evaluation only."""
    MILITARY = "military"
    """A military end use, or a military end user (15 CFR 744.21(f), (g))."""
    MILITARY_INTELLIGENCE = "military-intelligence"
    """A military-intelligence end use or end user (15 CFR 744.22(f))."""
    WMD = "wmd"
    """Nuclear, missile, chemical or biological weapons (15 CFR 744.2-744.4)."""
    SUPERCOMPUTER = "supercomputer"
    """Development, production, use or servicing of a supercomputer (744.23(a)(1))."""
    IC_PRODUCTION = "ic-production"
    """Development or production of advanced-node ICs (15 CFR 744.23(a)(2))."""


def parse_end_uses(parts: Iterable[str]) -> frozenset[EndUse]:
    """The declared end uses ``parts`` names (any case), as orders and licenses
    write them.

    Raises:
        ValueError: a part that is no end use, with the ones there are.

    >>> sorted(parse_end_uses(["Training", "datacenter"]))
    [<EndUse.DATACENTER: 'datacenter'>, <EndUse.TRAINING: 'training'>]
    """
    uses = []
    for part in parts:
        try:
            uses.append(EndUse(part.strip().lower()))
        except ValueError:
            allowed = ", ".join(u.value for u in EndUse)
            raise ValueError(f"{part!r} is not one of {allowed}") from None
    return frozenset(uses)


class AuthorizationKind(StrEnum):
    """Authorizations a user can name on an order, as ``KIND:REFERENCE``."""

    LICENSE = "LICENSE"
    UVEU = "UVEU"
    NVEU = "NVEU"
    DEAL = "DEAL"
    GP10_EVIDENCE = "GP10-EVIDENCE"
    """Evidence the user recorded that the PRC IC was made with every authorization."""


@dataclass(frozen=True, slots=True)
class NamedAuthorization:
    """One authorization named on an order."""

    kind: AuthorizationKind
    reference: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.reference}"


@dataclass(frozen=True, slots=True)
class Party:
    """A consignee or end user, with its headquarters and (optionally) its parent."""

    name: str | None = None
    hq: str | None = None
    parent: str | None = None
    parent_hq: str | None = None
    parent_share: float | None = None

    @property
    def hq_countries(self) -> tuple[str, ...]:
        """Where the party and its parent are headquartered (known ones only)."""
        return tuple(c for c in (self.hq, self.parent_hq) if c)


@dataclass(frozen=True, slots=True)
class StatedFigures:
    """Figures the user gives for an item the catalog does not hold."""

    tpp: float
    die_area_mm2: float | None = None
    datacenter: bool = True
    memory_bandwidth_gbs: float | None = None


@dataclass(frozen=True, slots=True)
class Order:
    """One order, validated."""

    id: str
    date: date
    kind: Kind
    item: str | None
    quantity: int
    destination: str
    consignee: Party = field(default_factory=Party)
    end_user: Party = field(default_factory=Party)
    end_use: frozenset[EndUse] = frozenset()
    training_operations: float | None = None
    open_weights: bool | None = None
    authorizations: tuple[NamedAuthorization, ...] = ()
    value_usd: float | None = None
    stated: StatedFigures | None = None
    exporter: str | None = None
    """Who exports (a maker BIS informed by letter is bound by it; others are not)."""
    listed_under: str | None = None
    """The CCL entry the item is specified in apart from 3A090/4A090 (e.g. ``5A992.c``
    for an item with encryption functions), as the exporter classified it; an item
    meeting the 3A090/4A090 parameters is then that entry's ".z" item on the dates
    the regime data gives one."""
    line: int | None = None
    _parties: tuple[tuple[str, Party], ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        named = tuple(
            (role, party)
            for role, party in (
                ("consignee", self.consignee),
                ("end_user", self.end_user),
            )
            if party.name or party.hq
        )
        object.__setattr__(self, "_parties", named)

    def named(self, kind: AuthorizationKind) -> list[NamedAuthorization]:
        """The authorizations of one kind named on the order."""
        return [a for a in self.authorizations if a.kind is kind]

    @property
    def parties(self) -> tuple[tuple[str, Party], ...]:
        """Roles and parties that are named."""
        return self._parties

    @property
    def hq_countries(self) -> frozenset[str]:
        """Every headquarters country of the parties and their parents."""
        return frozenset(c for _, party in self.parties for c in party.hq_countries)
