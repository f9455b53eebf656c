"""Rich renderings shared by the engine commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

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


@dataclass(frozen=True)
class Col:
    """A table column and how readily it gives way on a narrow terminal.

    ``priority`` 0 is always shown; higher numbers are dropped first when the
    table, at its narrowest without breaking a word, would not fit.
    """

    header: str
    priority: int = 0
    no_wrap: bool = False
    justify: JustifyMethod = "left"


def _build(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int] | None = None,
) -> Table:
    table = Table(
        title=title,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for at, col in enumerate(cols):
        table.add_column(
            col.header,
            no_wrap=col.no_wrap,
            overflow="ellipsis",
            justify=col.justify,
            width=widths[at] if widths else None,
        )
    for row in rows:
        table.add_row(*row)
    return table


def _span(col: Col, texts: Sequence[str]) -> tuple[int, int]:
    """Narrowest width without breaking a word (a whole cell if it may not wrap),
    and the widest a cell needs."""
    plain = [Text.from_markup(t).plain for t in texts]
    widest = max([len(col.header), *(cell_len(p) for p in plain)])
    if col.no_wrap:
        return widest, widest
    words = [cell_len(w) for p in plain for w in p.split()]
    return max([len(col.header), *words]), widest


def _overhead(title: str, cols: Sequence[Col], console: Console) -> int:
    """Columns of the frame, padding and separators of a table of ``cols``."""
    probe = _build(title, cols, [], [1] * len(cols))
    return Measurement.get(console, console.options, probe).minimum - len(cols)


def fitted_table(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    console: Console,
) -> Table:
    """A table of the columns that fit ``console``'s width without breaking a word.

    Each column needs at least its longest word (its longest cell if it may not
    wrap); columns of priority 0 always show, the others join by priority once the
    former fit unwrapped. Widths are then set here, the room left going to the
    columns whose cells are longest: rich's own squeezing would cut words.
    """
    spans = [_span(c, [row[i] for row in rows]) for i, c in enumerate(cols)]
    keep = [i for i, c in enumerate(cols) if c.priority == 0]

    def room(picked: list[int]) -> int:
        chosen = [cols[i] for i in picked]
        used = sum(spans[i][0] for i in picked)
        return console.width - _overhead(title, chosen, console) - used

    optional = [i for i, c in enumerate(cols) if c.priority]
    # an optional column joins only once the columns that always show are unwrapped
    unwrapped = sum(spans[i][1] - spans[i][0] for i in keep)
    for i in sorted(optional, key=lambda i: cols[i].priority):
        trial = sorted([*keep, i])
        if room(trial) >= unwrapped:
            keep = trial
    widths = {i: spans[i][0] for i in keep}
    # the room left goes to the columns that always show first, then by priority
    left = room(keep)
    for tier in sorted({cols[i].priority for i in keep}):
        while left > 0:
            short = [
                i for i in keep if cols[i].priority == tier and widths[i] < spans[i][1]
            ]
            for i in short[:left]:
                widths[i] += 1
            left -= min(len(short), left)
            if not short:
                break
    return _build(
        title,
        [cols[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        [widths[i] for i in keep],
    )


def record_basis(record: Mapping[str, Any]) -> str:
    """What the outcome of an output line rests on (markup): the ledger's refusal,
    else the authorization or the review policy, and the count of red flags."""
    refusal = (record.get("ledger") or {}).get("refusal")
    if refusal:
        return escape(str(refusal["message"]))
    policy = record.get("review_policy")
    text = escape(record.get("authorization") or "") or (
        str(policy).replace("_", " ") if policy else _deciding_rules(record)
    )
    if record.get("red_flags"):
        text += f" [magenta]+{len(record['red_flags'])} red flag(s)[/]"
    return text.strip()


def _deciding_rules(record: Mapping[str, Any]) -> str:
    """For a license required with no review policy (a GP10 risk), the rule that
    requires it: its basis would otherwise be blank (a prohibition says itself)."""
    if record.get("outcome") != "license_required":
        return ""
    rules = [c for c in record.get("rules", ()) if c != "ITEM.CLASSIFY"]
    more = f" +{len(rules) - 1}" if len(rules) > 1 else ""
    return escape(rules[0] + more) if rules else ""


def basis(decision: Decision) -> str:
    """What a decision's outcome rests on (markup)."""
    return record_basis(decision.to_record())


DECISION_COLUMNS = (
    Col("id", no_wrap=True),
    Col("date", no_wrap=True),
    Col("kind", priority=1, no_wrap=True),
    Col("item"),
    Col("qty", priority=2, no_wrap=True, justify="right"),
    Col("dest", no_wrap=True),
    Col("outcome", no_wrap=True),
    Col("basis"),
    Col("rules", priority=3),
)
"""At 80 columns: id, date, item, destination, outcome and basis; kind, quantity
and the rules that spoke join as the terminal widens (``explain`` shows all)."""


def decisions_table(
    orders: Sequence[Order], records: Sequence[Mapping[str, Any]], console: Console
) -> Table:
    """One row per order: what it is, the outcome, and what it rests on.

    ``records`` are output lines (``Decision.to_record``, or a committed run's
    ledger lines, whose outcome may be ``refused``).
    """
    rows = []
    for order, record in zip(orders, records, strict=True):
        outcome = str(record["outcome"])
        rows.append(
            [
                escape(order.id),
                order.date.isoformat(),
                order.kind.value,
                escape(record.get("item") or (order.item or "")),
                str(order.quantity),
                order.destination,
                f"[{STYLE_BY_NAME.get(outcome, '')}]{outcome}[/]",
                record_basis(record),
                ", ".join(c for c in record.get("rules", ()) if c != "ITEM.CLASSIFY"),
            ]
        )
    return fitted_table("Decisions", DECISION_COLUMNS, rows, console)


def explained(decision: Decision) -> dict[str, Any]:
    """The output record of a decision with its reasoning chain: every finding, its
    effect, message, citations and obligations (``explain --format json``)."""
    record = decision.to_record()
    record["findings"] = [
        {
            "code": f.code,
            "effect": f.effect.value,
            "message": f.message,
            "citations": [c.model_dump(exclude_none=True) for c in f.citations],
            "obligations": list(f.obligations),
        }
        for f in decision.findings
    ]
    return record


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
