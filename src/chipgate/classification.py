"""The classification of one item as a JSON-ready record (``classify`` in the CLI
and the API): figures, ECCN, H100-equivalents, sources and citations, under the
law of one day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chipgate.decide.engine import Engine
from chipgate.orders.model import Kind, Order, StatedFigures


def classification_record(
    engine: Engine,
    name: str | None,
    day: date,
    regime: str | None = None,
    stated: StatedFigures | None = None,
) -> dict[str, Any]:
    """Classify a catalog item by ``name``, or a chip by its ``stated`` figures.

    Raises:
        ChipgateError: unknown item or regime.
        ValueError: neither a name nor figures were given.
    """
    if name is None and stated is None:
        raise ValueError("give a catalog name or the chip's figures")
    order = Order("classify", day, Kind.EXPORT, name, 1, "US", stated=stated)
    view = engine.view(day, regime)
    item = engine.item_facts(order, view)
    if item is None:  # pragma: no cover (a name or figures were given)
        raise ValueError("nothing to classify")
    chip = item.chip
    return {
        "name": item.name,
        "vendor": chip.vendor,
        "chips_per_unit": item.chips_per_unit,
        "tpp": chip.tpp,
        "tpp_basis": chip.tpp_basis,
        "performance_density": chip.performance_density,
        "die_area_mm2": chip.die_area_mm2,
        "datacenter": chip.datacenter,
        "memory_bandwidth_gbs": chip.memory_bandwidth_gbs,
        "eccn": item.eccn,
        "paragraph": item.classification.paragraph,
        "reasons": list(item.classification.reasons),
        # the figures an assumed paragraph stands in for (empty when the figures
        # decided it): the item is treated as that paragraph until it is classified
        "assumed_for": list(item.classification.assumed_for),
        "h100_equivalents": item.h100e_per_unit,
        "unconfirmed": list(chip.unconfirmed),
        "sources": list(chip.sources),
        "regime": view.label,
        "as_of": day.isoformat(),
        "citations": [c.render() for c in view.param("eccn.3a090_tests").citations],
    }
