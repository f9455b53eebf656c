"""The allocation ledger: balances of caps, allocations, licenses; the audit chain."""

from chipgate.ledger.audit import VerifyReport
from chipgate.ledger.ledger import Ledger
from chipgate.ledger.results import (
    Balance,
    CommitResult,
    CommitStatus,
    HistoryLine,
    OrderRecord,
    OrderRequest,
    Refusal,
    ReleaseResult,
    ReportedBase,
)

__all__ = [
    "Balance",
    "CommitResult",
    "CommitStatus",
    "HistoryLine",
    "Ledger",
    "OrderRecord",
    "OrderRequest",
    "Refusal",
    "ReleaseResult",
    "ReportedBase",
    "VerifyReport",
]
