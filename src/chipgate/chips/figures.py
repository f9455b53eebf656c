"""The figures classification needs, from the catalog or from the user's own numbers.

TPP follows the Technical Notes to ECCN 3A090 (88 FR 73458): 2 x MacTOPS x bit
length, i.e. the dense operations per second in a format times that format's width,
the maximum over the formats the chip supports, aggregated over the whole package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chipgate.chips.model import ChipSpec, Figure


@dataclass(frozen=True, slots=True)
class ChipFigures:
    """The numbers of one chip that the rules read, with where each came from."""

    name: str
    vendor: str
    designer_country: str | None
    tpp: float | None
    tpp_basis: str
    die_area_mm2: float | None
    datacenter: bool
    memory_bandwidth_gbs: float | None = None
    io_bandwidth_gbs: float | None = None
    family: str | None = None
    hbm: bool = False
    """A high-bandwidth memory stack (3A090.c), not a logic IC."""
    eccn_below_3a090: str | None = None
    """The chip's ECCN when it is below 3A090 (``None``: not in the catalog)."""
    sources: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = field(default=())

    @property
    def memory_bandwidth_density(self) -> float | None:
        """Memory bandwidth per mm² of the package (GB/s/mm², the 3A090.c test)."""
        if not self.die_area_mm2 or self.memory_bandwidth_gbs is None:
            return None
        return self.memory_bandwidth_gbs / self.die_area_mm2

    @property
    def performance_density(self) -> float | None:
        """TPP per mm² of applicable die area, when the area is known."""
        if not self.die_area_mm2 or self.tpp is None:
            return None
        return self.tpp / self.die_area_mm2


def figures_from_spec(spec: ChipSpec, source_urls: dict[str, str]) -> ChipFigures:
    """Compute TPP from a catalog entry and gather the sources it rests on."""
    rows = [row for row in spec.dense_tops if row.value is not None]
    best = max(rows, key=lambda row: (row.value or 0.0) * row.bits) if rows else None
    tpp: float | None = None
    basis = "no published dense throughput: TPP unknown"
    if best is not None and best.value is not None:
        tpp = best.value * best.bits
        basis = (
            f"{best.format} dense {best.value:g} TOPS x {best.bits} bits = {tpp:,.0f} "
            f"(max over {', '.join(row.format for row in rows)})"
        )
    named: dict[str, Figure | None] = {
        f"dense_tops.{best.format if best else 'none'}": best,
        "die_area_mm2": spec.die_area_mm2,
        "memory_bandwidth_gbs": spec.memory_bandwidth_gbs,
        "io_bandwidth_gbs": spec.io_bandwidth_gbs,
    }
    unconfirmed = [
        name for name, fig in named.items() if fig is not None and fig.unconfirmed
    ]
    if spec.datacenter.unconfirmed:
        unconfirmed.append("datacenter")
    below = spec.eccn_below_3a090
    if below is not None and below.unconfirmed:
        unconfirmed.append(f"eccn_below_3a090 {below.value}")
    keys = {fig.source for fig in named.values() if fig is not None and fig.source}
    for flag in (spec.datacenter, below):
        if flag is not None and flag.source:
            keys.add(flag.source)
    sources = tuple(sorted(source_urls.get(key, key) for key in keys))

    def value(fig: Figure | None) -> float | None:
        return fig.value if fig is not None else None

    return ChipFigures(
        name=spec.name,
        vendor=spec.vendor,
        designer_country=spec.designer_country,
        tpp=tpp,
        tpp_basis=basis,
        die_area_mm2=value(spec.die_area_mm2),
        datacenter=spec.datacenter.value,
        memory_bandwidth_gbs=value(spec.memory_bandwidth_gbs),
        io_bandwidth_gbs=value(spec.io_bandwidth_gbs),
        family=spec.family,
        hbm=spec.kind == "hbm",
        eccn_below_3a090=below.value if below is not None else None,
        sources=sources,
        unconfirmed=tuple(unconfirmed),
    )


def figures_from_user(
    name: str,
    *,
    tpp: float,
    die_area_mm2: float | None,
    datacenter: bool,
    memory_bandwidth_gbs: float | None = None,
    io_bandwidth_gbs: float | None = None,
    designer_country: str | None = None,
) -> ChipFigures:
    """Figures the user states for a chip the catalog does not hold."""
    return ChipFigures(
        name=name,
        vendor="(stated by user)",
        designer_country=designer_country,
        tpp=tpp,
        tpp_basis=f"TPP {tpp:,.0f} as stated by the user",
        die_area_mm2=die_area_mm2,
        datacenter=datacenter,
        memory_bandwidth_gbs=memory_bandwidth_gbs,
        io_bandwidth_gbs=io_bandwidth_gbs,
        sources=("figures stated in the order or on the command line",),
    )
