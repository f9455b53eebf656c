"""Schemas of the country-group and AI-tier data files (dated, cited memberships)."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chipgate.citations import Citation

ISO2 = r"^[A-Z]{2}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Verification(_Strict):
    """When and against what a membership table was last checked."""

    as_of: date
    how: str


class Member(_Strict):
    """A country's membership of a group, optionally limited in time.

    ``since``/``until`` absent means throughout the period chipgate models; ``until``
    is the last day of membership. ``unconfirmed`` doubts the membership itself (and
    so every day it holds); ``until_unconfirmed`` doubts only its end: the membership
    is confirmed up to ``until``, but the end date rests on a weak source and the
    membership may have lasted through ``until_unconfirmed``, so only the days in
    between carry the doubt.
    """

    code: str = Field(pattern=ISO2)
    since: date | None = None
    until: date | None = None
    until_unconfirmed: date | None = None
    source: str | None = None
    unconfirmed: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _check_end_doubt(self) -> Self:
        doubted = self.until_unconfirmed
        if doubted is not None and (self.until is None or doubted <= self.until):
            raise ValueError(
                f"member {self.code}: until_unconfirmed ({doubted}) must come after "
                f"until ({self.until})"
            )
        return self

    def end_doubted_on(self, day: date) -> bool:
        """Whether ``day`` falls after the membership's end but within the days its
        unconfirmed end date leaves open."""
        return (
            self.until is not None
            and self.until_unconfirmed is not None
            and self.until < day <= self.until_unconfirmed
        )

    def active_on(self, day: date) -> bool:
        """Whether the membership holds on ``day``."""
        if self.since is not None and day < self.since:
            return False
        return not (self.until is not None and day > self.until)


class Group(_Strict):
    """One Country Group of Supplement No. 1 to 15 CFR part 740."""

    code: str
    title: str
    source: str
    verified: Verification | None = None
    members: tuple[Member, ...]
    note: str | None = None


class TreatedAs(_Strict):
    """A destination the EAR treats as another country (Hong Kong as China)."""

    code: str = Field(pattern=ISO2)
    as_: str = Field(alias="as", pattern=ISO2)
    source: str
    unconfirmed: bool = False
    note: str | None = None


class GroupsFile(_Strict):
    """countries/groups.yaml."""

    schema_: str = Field(alias="schema", pattern=r"^chipgate\.country-groups/1$")
    sources: dict[str, Citation]
    groups: tuple[Group, ...]
    treated_as: tuple[TreatedAs, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        for group in self.groups:
            keys = [group.source, *(m.source for m in group.members if m.source)]
            for key in keys:
                if key not in self.sources:
                    raise ValueError(f"group {group.code}: undeclared source {key!r}")
        return self


class TierMembers(_Strict):
    """An explicit list of tier members with its source."""

    source: str
    members: tuple[Member, ...]
    verified: Verification | None = None
    unconfirmed: bool = False
    note: str | None = None


class TierByGroups(_Strict):
    """A tier defined by country groups plus named countries."""

    source: str
    groups: tuple[str, ...] = ()
    countries: tuple[Member, ...] = ()
    verified: Verification | None = None
    unconfirmed: bool = False
    note: str | None = None


class TiersFile(_Strict):
    """countries/ai_tiers.yaml (AI Diffusion rule, 90 FR 4544)."""

    schema_: str = Field(alias="schema", pattern=r"^chipgate\.ai-tiers/1$")
    sources: dict[str, Citation]
    tier1: TierMembers
    tier3: TierByGroups
    note: str | None = None
