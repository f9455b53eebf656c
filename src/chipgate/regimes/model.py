"""Schema of a regime pack: a named, dated bundle of cited parameters and rule switches.

Three kinds of pack:
- ``base``: parameters and rules shared by every regime (embargoes, screening);
- ``regime``: a legal regime with its window (``since``/``until``) and status;
- ``overlay``: a later amendment, guidance or bilateral deal that adds to named
  regimes inside its own window. A new deal is a new overlay file.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chipgate.citations import Citation


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackKind(StrEnum):
    """What a pack is."""

    BASE = "base"
    REGIME = "regime"
    OVERLAY = "overlay"


class RegimeStatus(StrEnum):
    """Whether the engine picks a regime by date or only on request."""

    IN_FORCE = "in_force"
    """Applied to orders dated inside its window."""
    NOT_ENFORCED = "not_enforced"
    """Published but never enforced: replayed only with ``--regime``."""


def _as_tuple(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    return value


class Window(_Strict):
    """A date window; ``until`` is the last day."""

    since: date | None = None
    until: date | None = None

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the window."""
        if self.since is not None and day < self.since:
            return False
        return not (self.until is not None and day > self.until)


class RuleSwitch(Window):
    """Switches a rule on (or off, with ``remove``) with its citations."""

    code: str = Field(pattern=r"^[A-Z0-9]+(\.[A-Z0-9_]+)+$")
    source: tuple[str, ...] = ()
    remove: bool = False
    unconfirmed: bool = False
    note: str | None = None

    _split_source = field_validator("source", mode="before")(_as_tuple)


class ParamValue(Window):
    """One dated value of a parameter with its citation."""

    value: Any
    source: tuple[str, ...] = ()
    unconfirmed: bool = False
    note: str | None = None

    _split_source = field_validator("source", mode="before")(_as_tuple)

    @model_validator(mode="after")
    def _has_provenance(self) -> Self:
        if not self.source and not self.unconfirmed:
            raise ValueError(
                "a parameter value needs a 'source' or 'unconfirmed: true'"
            )
        return self


class Parameter(_Strict):
    """A named parameter and its dated values (later entries win on overlap)."""

    description: str
    unit: str | None = None
    values: tuple[ParamValue, ...] = Field(min_length=1)


class Pack(Window):
    """One regime, base or overlay file."""

    schema_: str = Field(alias="schema", pattern=r"^chipgate\.regime/1$")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str
    kind: PackKind
    status: RegimeStatus | None = None
    inherits: str | None = None
    applies_to: tuple[str, ...] = ()
    compliance_date: date | None = None
    summary: str = ""
    sources: dict[str, Citation] = Field(default_factory=dict)
    rules: tuple[RuleSwitch, ...] = ()
    parameters: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.kind is PackKind.REGIME and self.status is None:
            raise ValueError("a regime needs a 'status'")
        if self.kind is PackKind.OVERLAY and not self.applies_to:
            raise ValueError("an overlay needs 'applies_to'")
        return self
