"""Rich renderings shared by the engine commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table

from chipgate.decision import Decision
from chipgate.orders.model import Order
from chipgate.rules.base import Effect, Outcome

OUTCOME_STYLE = {
    Outcome.PROHIBITED: "bold red",
    Outcome.LICENSE_REQUIRED: "yellow",
    Outcome.AUTHORIZED: "green",
    Outcome.NO_LICENSE_REQUIRED: "cyan",
}
OUTCOME_ORDER = (
    Outcome.PROHIBITED,
    Outcome.LICENSE_REQUIRED,
    Outcome.AUTHORIZED,
    Outcome.NO_LICENSE_REQUIRED,
)
REFUSED_STYLE = "bold red reverse"
"""A committed run's order the ledger refused."""
STYLE_BY_NAME = {
    **{outcome.value: style for outcome, style in OUTCOME_STYLE.items()},
    "refused": REFUSED_STYLE,
}
EFFECT_STYLE = {
    Effect.PROHIBITION: "bold red",
    Effect.REQUIREMENT: "yellow",
    Effect.AUTHORIZATION: "green",
    Effect.RED_FLAG: "magenta",
    Effect.NOTE: "dim",
}


def decisions_table(
    orders: Sequence[Order], records: Sequence[Mapping[str, Any]]
) -> Table:
    """One row per order: what it is, the outcome, and the rules that spoke.

    ``records`` are output lines (``Decision.to_record``, or a committed run's
    ledger lines, whose outcome may be ``refused``).
    """
    table = Table(title="Decisions", show_lines=False, header_style="bold")
    for column in (
        "id",
        "date",
        "kind",
        "item",
        "qty",
        "dest",
        "outcome",
        "basis",
        "rules",
    ):
        table.add_column(column, overflow="fold")
    for order, record in zip(orders, records, strict=True):
        policy = record.get("review_policy")
        basis = record.get("authorization") or (
            policy.replace("_", " ") if policy else ""
        )
        if record.get("red_flags"):
            basis += f" [magenta]+{len(record['red_flags'])} red flag(s)[/]"
        refusal = (record.get("ledger") or {}).get("refusal")
        if refusal:
            basis = refusal["message"]
        outcome = str(record["outcome"])
        table.add_row(
            order.id,
            order.date.isoformat(),
            order.kind.value,
            record.get("item") or (order.item or ""),
            str(order.quantity),
            order.destination,
            f"[{STYLE_BY_NAME.get(outcome, '')}]{outcome}[/]",
            basis,
            ", ".join(c for c in record.get("rules", ()) if c != "ITEM.CLASSIFY"),
        )
    return table


def summary_table(decisions: Sequence[Decision], title: str = "Summary") -> Table:
    """Counts by outcome."""
    return counts_table(Counter(d.outcome.value for d in decisions), title)


def records_summary(records: Sequence[Mapping[str, Any]]) -> Table:
    """Counts by outcome of output lines (a committed run's include ``refused``)."""
    return counts_table(Counter(str(r["outcome"]) for r in records))


def counts_table(counts: Mapping[str, int], title: str = "Summary") -> Table:
    """Counts by outcome, from counts already made."""
    table = Table(title=title, header_style="bold")
    table.add_column("outcome")
    table.add_column("orders", justify="right")
    for outcome in OUTCOME_ORDER:
        style = OUTCOME_STYLE[outcome]
        table.add_row(f"[{style}]{outcome.value}[/]", str(counts.get(outcome.value, 0)))
    if counts.get("refused"):
        table.add_row(f"[{REFUSED_STYLE}]refused[/]", str(counts["refused"]))
    table.add_row("[bold]total[/]", str(sum(counts.values())))
    return table
