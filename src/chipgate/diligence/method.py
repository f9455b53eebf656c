"""The assumptions of the compute estimate, apart from the code that applies them.

Kept in a module of its own (no Polars, no store) because the ``usage`` command
shows these defaults in its help, which must not load the aggregation code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Method:
    """Assumptions of the compute estimate (not law: the provider's to set)."""

    utilisation: float = 0.4
    precisions: tuple[str, ...] = ("bf16", "fp16")
    training_min_chips: int = 64
    training_min_hours: float = 24.0
    sustained_days: float = 7.0
    sustained_chips: float = 64.0
    early_days: float = 30.0

    def as_dict(self) -> dict[str, Any]:
        """Plain form, recorded with every estimate."""
        return asdict(self)
