"""The output record of a decision: its fields, written once.

The JSONL writer, the CSV writer and the column-wise writer of ``book.batch`` all
read this list, so the three outputs cannot drift apart. Fields that depend on the
order (its id, date, quantity and what it draws) are ``PER_ORDER_FIELDS``; the rest
depend only on the decision and are shared by identical orders.
"""

from __future__ import annotations

OUTPUT_FIELDS: tuple[str, ...] = (
    "id",
    "outcome",
    "authorization",
    "review_policy",
    "regime",
    "as_of",
    "item",
    "eccn",
    "quantity",
    "rules",
    "citations",
    "tpp",
    "h100_equivalents",
    "draws",
    "red_flags",
    "obligations",
    "unconfirmed",
    "lists",
    "explanation",
)
"""Every field of a decision record, in output order (JSON key order, CSV columns)."""

PER_ORDER_FIELDS = frozenset(
    {"id", "as_of", "quantity", "tpp", "h100_equivalents", "draws"}
)
"""Fields that differ between identical orders."""

LIST_FIELDS = frozenset(
    {"rules", "citations", "red_flags", "obligations", "unconfirmed", "lists"}
)
"""Fields holding a list of texts (joined with `` | `` in CSV)."""


def static_runs() -> tuple[tuple[str, ...], ...]:
    """The runs of consecutive shared fields, in output order.

    >>> static_runs()[0]
    ('outcome', 'authorization', 'review_policy', 'regime')
    """
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for name in OUTPUT_FIELDS:
        if name in PER_ORDER_FIELDS:
            if current:
                runs.append(tuple(current))
            current = []
        else:
            current.append(name)
    if current:
        runs.append(tuple(current))
    return tuple(runs)
