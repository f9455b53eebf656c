"""Schema of the chip catalog: each figure carries a source or an `unconfirmed` mark."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chipgate.citations import Citation


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Sourced(_Strict):
    """A catalog fact with its provenance: a ``source`` key or ``unconfirmed``."""

    source: str | None = None
    unconfirmed: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Self:
        if self.source is None and not self.unconfirmed:
            what = type(self).__name__.lower()
            raise ValueError(f"a {what} needs a 'source' key or 'unconfirmed: true'")
        return self


class Figure(_Sourced):
    """A published number with its provenance.

    ``derived`` marks arithmetic on a sourced figure (e.g. dense = sparse / 2);
    ``unconfirmed`` marks a figure no primary source confirmed.
    """

    value: float
    derived: bool = False


class Flag(_Sourced):
    """A yes/no fact with its provenance (e.g. designed for datacenters)."""

    value: bool


class EccnMark(_Sourced):
    """The ECCN of a chip below the 3A090 thresholds, with its provenance.

    3A090 classification is computed from the figures; below it a chip may still be
    on the Commerce Control List (e.g. 5A992.c for its encryption, 3A991, 4A994) or
    be EAR99, which decides whether end-use and end-user controls that reach only
    listed items (Supplement No. 2 to part 744) apply. Only the maker's
    classification settles it, so most values are ``unconfirmed``.
    """

    value: str = Field(pattern=r"^(EAR99|[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*)$")


class Throughput(Figure):
    """Dense (no sparsity) tera-operations per second in one number format.

    ``value`` may be absent when a chip is known to exist but no figure is public;
    its TPP is then unknown and its classification undetermined.
    """

    value: float | None = None  # type: ignore[assignment]
    format: str
    bits: int = Field(gt=0, le=64)


class ChipSpec(_Strict):
    """One accelerator as published by its vendor or by analysts."""

    name: str
    aliases: tuple[str, ...] = ()
    vendor: str
    designer_country: str = Field(pattern=r"^[A-Z]{2}$")
    family: str | None = None
    kind: Literal["logic", "hbm"] = "logic"
    """``hbm``: a high-bandwidth memory stack (ECCN 3A090.c), not a logic IC;
    ``die_area_mm2`` is then the stack's footprint."""
    released: int | None = None
    datacenter: Flag
    dense_tops: tuple[Throughput, ...] = Field(min_length=1)
    die_area_mm2: Figure | None = None
    dies: Figure | None = None
    memory_bandwidth_gbs: Figure | None = None
    io_bandwidth_gbs: Figure | None = None
    eccn_below_3a090: EccnMark | None = None
    notes: str | None = None


class SystemSpec(_Strict):
    """A computer that holds accelerators (ECCN 4A090 follows from its chips)."""

    name: str
    aliases: tuple[str, ...] = ()
    vendor: str
    chip: str
    count: Figure
    notes: str | None = None


class CatalogFile(_Strict):
    """The whole catalog file."""

    schema_: str = Field(alias="schema", pattern=r"^chipgate\.catalog/1$")
    sources: dict[str, Citation]
    chips: tuple[ChipSpec, ...]
    systems: tuple[SystemSpec, ...] = ()

    @model_validator(mode="after")
    def _sources_declared(self) -> Self:
        declared = set(self.sources)
        for chip in self.chips:
            figures: list[Figure | Flag | EccnMark | None] = [
                chip.datacenter,
                chip.eccn_below_3a090,
                chip.die_area_mm2,
                chip.dies,
                chip.memory_bandwidth_gbs,
                chip.io_bandwidth_gbs,
                *chip.dense_tops,
            ]
            for fig in figures:
                if fig is not None and fig.source and fig.source not in declared:
                    raise ValueError(
                        f"{chip.name}: undeclared source key {fig.source!r}"
                    )
        names = {c.name for c in self.chips}
        for system in self.systems:
            if system.chip not in names:
                raise ValueError(f"{system.name}: unknown chip {system.chip!r}")
        return self
