"""Cloud (IaaS) diligence: the customer register, delta re-screening, compute
monitoring, red flags and transfers of fleet chips.

The functions here are the library API the CLI calls (and HTTP routes may call).
"""

import importlib as _importlib
from typing import Any as _Any

_WHERE = {
    "Customer": "chipgate.diligence.register",
    "ListChange": "chipgate.diligence.delta",
    "Method": "chipgate.diligence.usage",
    "RunSummary": "chipgate.diligence.api",
    "Transfer": "chipgate.diligence.transfer",
    "UsageReport": "chipgate.diligence.usage_api",
    "after_lists_update": "chipgate.diligence.api",
    "decide_transfer": "chipgate.diligence.transfer",
    "delta_rescreen": "chipgate.diligence.delta",
    "diff_lists": "chipgate.diligence.delta",
    "full_rescreen": "chipgate.diligence.delta",
    "import_customers": "chipgate.diligence.api",
    "import_file": "chipgate.diligence.api",
    "ingest_usage": "chipgate.diligence.usage_api",
    "list_state": "chipgate.diligence.delta",
    "read_customers": "chipgate.diligence.register",
    "render_customer": "chipgate.diligence.report",
    "rescreen": "chipgate.diligence.api",
    "usage_report": "chipgate.diligence.usage_api",
    "write_customer_report": "chipgate.diligence.report",
}
"""Where each public name lives: loaded on first use, so that importing one light
module of the package (``diligence.method``) does not load Polars and the store."""


def __getattr__(name: str) -> _Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chipgate.diligence' has no attribute {name!r}")
    return getattr(_importlib.import_module(module), name)


__all__ = [
    "Customer",
    "ListChange",
    "Method",
    "RunSummary",
    "Transfer",
    "UsageReport",
    "after_lists_update",
    "decide_transfer",
    "delta_rescreen",
    "diff_lists",
    "full_rescreen",
    "import_customers",
    "import_file",
    "ingest_usage",
    "list_state",
    "read_customers",
    "render_customer",
    "rescreen",
    "usage_report",
    "write_customer_report",
]
