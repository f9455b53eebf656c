"""Checking a book: the library call that chooses the column-wise or per-order path.

The column-wise path (``book.batch``) decides each distinct order once and writes JSON
lines directly; it serves JSONL output to a file without ``--commit``. Anything else,
and any book the column-wise reader cannot take whole (a bad line, an unknown column),
goes order by order through the ordinary reader, which names every bad line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from chipgate.book.batch import BatchResult, Fallback, check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.orders.mapping import ColumnMapping


def column_wise_possible(
    table: bool, file_format: str | None, output: Path | None, commit: bool
) -> bool:
    """Whether a check with these options may take the column-wise path: JSON lines
    to a file, no table shown, nothing committed."""
    return not table and file_format == "jsonl" and output is not None and not commit


def check_column_wise(
    path: Path,
    checker: Checker,
    output: Path,
    *,
    regime: str | None = None,
    as_of: date | None = None,
    mapping: ColumnMapping | None = None,
) -> BatchResult | None:
    """Decide and write ``path`` column-wise; ``None`` when the book must go order by
    order instead (the ordinary reader then names every bad line)."""
    try:
        return check_to_jsonl(
            path, checker, output, regime=regime, as_of=as_of, mapping=mapping
        )
    except Fallback:
        return None
