"""Cloud (IaaS) diligence: the customer register, delta re-screening, compute
monitoring, red flags and transfers of fleet chips.

The functions here are the library API the CLI calls (and HTTP routes may call).
"""

from __future__ import annotations

from chipgate.diligence.api import (
    RunSummary,
    after_lists_update,
    import_customers,
    import_file,
    rescreen,
)
from chipgate.diligence.delta import (
    ListChange,
    delta_rescreen,
    diff_lists,
    full_rescreen,
    list_state,
)
from chipgate.diligence.register import Customer, read_customers

__all__ = [
    "Customer",
    "ListChange",
    "RunSummary",
    "after_lists_update",
    "delta_rescreen",
    "diff_lists",
    "full_rescreen",
    "import_customers",
    "import_file",
    "list_state",
    "read_customers",
    "rescreen",
]
