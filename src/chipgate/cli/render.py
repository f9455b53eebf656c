"""Rich renderings shared by the engine commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.table import Table

from chipgate.decide.decision import Decision
from chipgate.findings import Effect, Outcome
from chipgate.orders.model import Order

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
EFFECT_STYLE = {
    Effect.PROHIBITION: "bold red",
    Effect.REQUIREMENT: "yellow",
    Effect.AUTHORIZATION: "green",
    Effect.RED_FLAG: "magenta",
    Effect.NOTE: "dim",
}


def decisions_table(orders: Sequence[Order], decisions: Sequence[Decision]) -> Table:
    """One row per order: what it is, the outcome, and the rules that spoke."""
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
    for order, decision in zip(orders, decisions, strict=True):
        basis = decision.authorization or (
            decision.review_policy.value.replace("_", " ")
            if decision.review_policy
            else ""
        )
        if decision.red_flags:
            basis += f" [magenta]+{len(decision.red_flags)} red flag(s)[/]"
        style = OUTCOME_STYLE[decision.outcome]
        table.add_row(
            order.id,
            order.date.isoformat(),
            order.kind.value,
            decision.item.name if decision.item else (order.item or ""),
            str(order.quantity),
            order.destination,
            f"[{style}]{decision.outcome.value}[/]",
            basis,
            ", ".join(c for c in decision.rules if c != "ITEM.CLASSIFY"),
        )
    return table


def summary_table(decisions: Sequence[Decision], title: str = "Summary") -> Table:
    """Counts by outcome."""
    return counts_table(Counter(d.outcome.value for d in decisions), title)


def counts_table(counts: Mapping[str, int], title: str = "Summary") -> Table:
    """Counts by outcome, from counts already made."""
    table = Table(title=title, header_style="bold")
    table.add_column("outcome")
    table.add_column("orders", justify="right")
    for outcome in OUTCOME_ORDER:
        style = OUTCOME_STYLE[outcome]
        table.add_row(f"[{style}]{outcome.value}[/]", str(counts.get(outcome.value, 0)))
    table.add_row("[bold]total[/]", str(sum(counts.values())))
    return table
