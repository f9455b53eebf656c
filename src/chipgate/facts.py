"""Facts the engine judges, gathered at the edges by screening, ledger and location.

The engine is pure: it never reads a list, a database or a clock. The pipeline asks the
fact sources below for what they know about an order and hands the engine plain frozen
values. Each source is a ``Protocol`` so that the screening index, the ledger store and
the location verifier plug in without the engine importing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """One match of a party of an order against one restricted-party list entry.

    ``list_code`` is the short code the rules key on: ``EL`` (BIS Entity List),
    ``MEU`` (Military End-User List), ``UVL`` (Unverified List), ``DPL`` (Denied
    Persons List), ``SDN`` (OFAC SDN), ``NONSDN`` (OFAC non-SDN lists), ``UN`` (UN
    Security Council consolidated list). ``list_date`` is the date of the list file
    the entry was read from and ``listed_from`` the date from which the entry
    applies (Entity List additions since 2022: the FR rule's effective date), so
    that a decision shows which lists, of which date, it was screened against.
    """

    role: str
    queried_name: str
    list_code: str
    list_name: str
    entry_id: str
    matched_name: str
    score: float
    is_hit: bool
    explanation: str = ""
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: str | None = None
    footnotes: tuple[str, ...] = ()
    entry_country: str | None = None
    source_url: str | None = None
    list_date: str | None = None
    listed_from: str | None = None
    entry_kind: str = ""


@dataclass(frozen=True, slots=True)
class LicenseFacts:
    """A license the user imported into the ledger, with what is left of it."""

    number: str
    destination: str | None = None
    consignee: str | None = None
    items: tuple[str, ...] = ()
    quantity: int | None = None
    quantity_used: int = 0
    value_usd: float | None = None
    value_used: float = 0.0
    tpp: float | None = None
    tpp_used: float = 0.0
    valid_from: date | None = None
    expires: date | None = None
    conditions: str = ""
    end_user: str | None = None
    """The end user the license names; None: its consignee is the end user."""
    end_use: tuple[str, ...] = ()
    """The declared end uses (``EndUse`` values) it was granted for; empty: none
    recorded."""
    source: str = ""
    """The file it was imported from."""


@dataclass(frozen=True, slots=True)
class LocationAlert:
    """A chip whose verified location left its licensed country or site.

    ``closed_at`` is when an officer closed the alert (None while open): an order is
    held by the alerts that were open on its date, so a replay decides as it did.
    """

    chip_id: str
    owner: str
    licensed_country: str
    verdict: str
    observed_at: datetime
    region: str = ""
    evidence: str = ""
    closed_at: datetime | None = None

    def in_force_on(self, day: date) -> bool:
        """Whether the alert applies to an order dated ``day``: observed on or before
        that day and not closed before it (UTC days; an alert closed on the order's
        own day still holds it, since it stood open on that day).

        >>> from datetime import UTC
        >>> seen = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
        >>> shut = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
        >>> alert = LocationAlert("C1", "Acme", "DE", "diverted", seen, closed_at=shut)
        >>> [alert.in_force_on(date(2026, 11, d)) for d in (1, 2, 9, 10)]
        [False, True, True, False]
        """
        if _utc_day(self.observed_at) > day:
            return False
        return self.closed_at is None or day <= _utc_day(self.closed_at)


def _utc_day(at: datetime) -> date:
    """The UTC day of a moment (a naive one is taken as UTC, as the store keeps it)."""
    return (at.astimezone(UTC) if at.tzinfo is not None else at).date()


@dataclass(frozen=True, slots=True)
class ComputeBase:
    """A UVEU holder's reported AI compute base (TPP), on which its shares are counted."""

    holder: str
    tpp: float
    as_of: date


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """Everything gathered about one order, besides the order itself."""

    screening: tuple[ScreeningHit, ...] = ()
    licenses: tuple[LicenseFacts, ...] = ()
    location_alerts: tuple[LocationAlert, ...] = ()
    compute_bases: tuple[ComputeBase, ...] = ()
    sources: tuple[str, ...] = field(default=())
    lists: tuple[str, ...] = ()
    """The restricted-party lists the order was screened against, each with its
    date ("un of 2026-02-27"); recorded by every decision, hit or not."""


class PartyScreener(Protocol):
    """Screens one party name against the loaded restricted-party lists."""

    def screen(
        self, name: str, country: str | None = None, as_of: date | None = None
    ) -> Sequence[ScreeningHit]:
        """Return the hits and possible matches for ``name`` (role left empty) as
        the lists stood on ``as_of`` (the order's date; default today)."""
        ...


class BalanceSource(Protocol):
    """Tells how much of an account is already committed (persistent ledger)."""

    def used(self, account: str, unit: str | None = None) -> float:
        """Amount already committed on ``account`` (in ``unit``)."""
        ...


class LicenseSource(Protocol):
    """Looks up imported licenses by number."""

    def get(self, number: str) -> LicenseFacts | None:
        """The license with that number, or None when it was never imported."""
        ...


class BaseReport(Protocol):
    """What a store answers about a reported compute base."""

    @property
    def tpp(self) -> float:
        """The base, in TPP."""
        ...

    @property
    def as_of(self) -> date:
        """The date the base was reported for."""
        ...


class ComputeBaseSource(Protocol):
    """Looks up the compute base a UVEU holder reported."""

    def compute_base(self, holder: str, on: date | None = None) -> BaseReport | None:
        """The base in force on ``on`` (the last one reported on or before it)."""
        ...


class LocationSource(Protocol):
    """Tells which chips owned by a party were found outside their licensed country."""

    def alerts_for(self, party: str) -> Sequence[LocationAlert]:
        """Diversion alerts for chips owned by ``party``: the open ones and the
        closed ones with their ``closed_at`` (an older order replayed still sees
        an alert closed after its date)."""
        ...
