"""Cloud (IaaS) diligence: the customer register, delta re-screening, compute
monitoring, red flags and transfers of fleet chips.

The functions here are the library API the CLI calls (and HTTP routes may call).
"""

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
from chipgate.diligence.report import render_customer, write_customer_report
from chipgate.diligence.transfer import Transfer, decide_transfer
from chipgate.diligence.usage import Method
from chipgate.diligence.usage_api import UsageReport, ingest_usage, usage_report

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
