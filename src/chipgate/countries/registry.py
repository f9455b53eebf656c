"""Country codes (ISO 3166 via pycountry), Country Groups and AI Diffusion tiers.

Every membership question is asked "on" a date, because groups change (countries move
into D:5, embargoes lift) and a decision must be reproducible as of its order's date.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator

from chipgate.countries.model import Group, GroupsFile, TiersFile
from chipgate.datafiles import load_model, package_path

TIER1, TIER2, TIER3 = 1, 2, 3


@cache
def iso_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code pycountry knows."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


def iso_code(text: str) -> str | None:
    """``text`` as an ISO 3166-1 alpha-2 code in capitals (any case, spaces
    trimmed), or None when it is none: the check every reader of a country
    makes before the matcher or the rules compare it.

    >>> iso_code(" cn "), iso_code("China")
    ('CN', None)
    """
    code = text.strip().upper()
    return code if code in iso_codes() else None


def not_an_iso_code(value: object) -> str:
    """The message for a country that ``iso_code`` refuses.

    >>> not_an_iso_code("ZZ")
    "'ZZ' is not an ISO 3166 alpha-2 country code (CN, DE, ...)"
    """
    return f"{value!r} is not an ISO 3166 alpha-2 country code (CN, DE, ...)"


def _iso_or_refuse(value: str) -> str:
    code = iso_code(value)
    if code is None:
        raise ValueError(not_an_iso_code(value))
    return code


IsoCountry = Annotated[str, AfterValidator(_iso_or_refuse)]
"""A pydantic field type: an ISO 3166-1 alpha-2 code in any case, kept in
capitals; anything else ("UK", "XX", "Germany") is refused with
``not_an_iso_code``'s message. A chip licensed to a code that names no country
could never be proved outside it."""


class CountryRegistry:
    """Group memberships and AI tiers, answered as of a date."""

    def __init__(self, groups: GroupsFile, tiers: TiersFile) -> None:
        self.groups_file = groups
        self.tiers_file = tiers
        self._groups: dict[str, Group] = {g.code: g for g in groups.groups}
        self._treated_as = {t.code: t.as_ for t in groups.treated_as}
        self.groups_of = lru_cache(maxsize=65536)(self._groups_of)
        self.doubtful = lru_cache(maxsize=65536)(self._doubtful)
        self.tier_of = lru_cache(maxsize=65536)(self._tier_of)

    @property
    def group_codes(self) -> tuple[str, ...]:
        """Codes of the groups held, e.g. ``D:5``."""
        return tuple(self._groups)

    def group(self, code: str) -> Group:
        """One group by code (``KeyError`` if not held)."""
        return self._groups[code]

    def members(self, group: str, on: date) -> frozenset[str]:
        """Countries in ``group`` on ``on``."""
        return frozenset(m.code for m in self._groups[group].members if m.active_on(on))

    def treated_as(self, country: str) -> str:
        """The country the EAR treats ``country`` as (Hong Kong -> China)."""
        return self._treated_as.get(country, country)

    def _groups_of(self, country: str, on: date) -> frozenset[str]:
        country = self.treated_as(country)
        return frozenset(
            code
            for code, group in self._groups.items()
            if any(m.code == country and m.active_on(on) for m in group.members)
        )

    def in_any(self, country: str, groups: tuple[str, ...], on: date) -> bool:
        """Whether ``country`` is in at least one of ``groups`` on ``on``."""
        return not self.groups_of(country, on).isdisjoint(groups)

    def unconfirmed(self, country: str, group: str) -> bool:
        """Whether the data marks this membership as unconfirmed."""
        return any(
            m.unconfirmed for m in self._groups[group].members if m.code == country
        )

    def _doubtful(
        self, country: str, groups: tuple[str, ...], on: date
    ) -> tuple[str, ...]:
        """Unconfirmed memberships of ``country`` in ``groups`` active on ``on``,
        each as ``"D:5 membership of CY: <note>"``, and memberships whose unconfirmed
        end leaves ``on`` open (``Member.until_unconfirmed``)."""
        country = self.treated_as(country)
        found: list[str] = []
        for code in groups:
            group = self._groups.get(code)
            if group is None:
                continue
            for member in group.members:
                if member.code != country:
                    continue
                note = member.note or "not confirmed"
                if member.unconfirmed and member.active_on(on):
                    found.append(f"{code} membership of {country}: {note}")
                elif member.end_doubted_on(on):
                    found.append(
                        f"end of the {code} membership of {country} on "
                        f"{member.until} (it may have lasted through "
                        f"{member.until_unconfirmed}): {note}"
                    )
        return tuple(found)

    def _tier_of(self, country: str, on: date) -> int:
        country = self.treated_as(country)
        if any(
            m.code == country and m.active_on(on) for m in self.tiers_file.tier1.members
        ):
            return TIER1
        tier3 = self.tiers_file.tier3
        if any(m.code == country and m.active_on(on) for m in tier3.countries):
            return TIER3
        if self.in_any(country, tier3.groups, on):
            return TIER3
        return TIER2

    def change_points(self) -> list[date]:
        """Every date on which a group membership or tier changes."""
        members = [m for g in self.groups_file.groups for m in g.members]
        members += list(self.tiers_file.tier1.members) + list(
            self.tiers_file.tier3.countries
        )
        points: set[date] = set()
        for member in members:
            if member.since is not None:
                points.add(member.since)
            if member.until is not None:
                points.add(member.until + timedelta(days=1))
        return sorted(points)

    def doubt_points(self) -> list[date]:
        """The days after which an unconfirmed end of membership no longer leaves the
        membership open: no group changes then, but the decisions' doubts do."""
        return sorted(
            {
                m.until_unconfirmed + timedelta(days=1)
                for g in self.groups_file.groups
                for m in g.members
                if m.until_unconfirmed is not None
            }
        )


@cache
def default_registry() -> CountryRegistry:
    """The registry built from the data files shipped with the package."""
    groups = load_model(package_path("countries", "groups.yaml"), GroupsFile)
    tiers = load_model(package_path("countries", "ai_tiers.yaml"), TiersFile)
    return CountryRegistry(groups, tiers)
