"""The header stage of reading an order book, shared by both reading paths.

Before any row is validated, a file's header is mapped to the contract (an ERP's
names through a ``ColumnMapping``), checked (required, unknown and duplicate
columns, with the nearest names for a misspelt one), and the contract columns the
file leaves out are added as empty. The row reader (``orders.reader``) and the
column-wise path (``batch``) both call these functions, so they accept the same
files. Whether an order's kind needs a column the file lacks is asked per row
(``HeaderPlan.gaps``), since only the rows say which kinds a book holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from chipgate.errors import InputError, Problem
from chipgate.orders.columns import (
    ALL_COLUMNS,
    KIND_COLUMNS,
    REQUIRED_COLUMNS,
    nearest_columns,
)
from chipgate.orders.mapping import ColumnMapping


@dataclass(frozen=True)
class HeaderPlan:
    """How a file's columns become contract columns.

    Attributes:
        targets: the contract column of each of the file's columns, in file order;
            ``None`` for a column the mapping says to ignore.
        absent: contract columns the file does not have (read as empty).
    """

    targets: tuple[str | None, ...]
    absent: tuple[str, ...]
    _gaps: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def present(self) -> tuple[str, ...]:
        """The contract columns the file has, in file order."""
        return tuple(t for t in self.targets if t is not None)

    def gaps(self, kind: object) -> tuple[str, ...]:
        """Columns an order of ``kind`` needs that the file lacks (memoized)."""
        key = str(kind or "").strip().lower()
        found = self._gaps.get(key)
        if found is None:
            have = set(self.present)
            found = tuple(
                " or ".join(choices)
                for choices in KIND_COLUMNS.get(key, ())
                if not have.intersection(choices)
            )
            self._gaps[key] = found
        return found

    def gap_problem(self, kind: object, source: str, line: int) -> Problem | None:
        """The located problem of a row whose kind needs a column the file lacks."""
        missing = self.gaps(kind)
        if not missing:
            return None
        return Problem(
            f"the file has no {' / '.join(missing)} column, which "
            f"{str(kind).strip().lower()} orders need",
            source,
            line,
            missing[0].split(" or ")[0],
        )


def _unknown_problem(unknown: Sequence[str], source: str) -> Problem:
    hints = []
    for name in unknown:
        near = nearest_columns(name)
        hints.append(
            f"{name!r} (did you mean {', '.join(near)}?)" if near else repr(name)
        )
    return Problem(
        f"unknown column(s) {', '.join(hints)}; the contract's columns are "
        f"{', '.join(ALL_COLUMNS)}; map other names with --columns THEIRS=OURS or a "
        "--mapping file (OURS '-' ignores a column)",
        source,
        1,
        unknown[0],
    )


def _targets(
    names: Sequence[str], mapping: ColumnMapping | None
) -> tuple[tuple[str | None, ...], list[str]]:
    """The contract column of each name (``None``: ignored), and the unknown names."""
    targets: list[str | None] = []
    unknown: list[str] = []
    for name in names:
        mapped, target = mapping.target(name) if mapping else (False, None)
        if not mapped:
            target = name
            if name not in ALL_COLUMNS:
                unknown.append(name)
        targets.append(target)
    return tuple(targets), unknown


def plan_header(
    header: Sequence[str], source: str, mapping: ColumnMapping | None = None
) -> HeaderPlan:
    """Map and check a header; raises ``InputError`` with every problem of it."""
    targets, unknown = _targets([str(raw).strip() for raw in header], mapping)
    present = [t for t in targets if t is not None]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        problems.append(
            Problem(f"missing column(s) {', '.join(missing)}", source, 1, missing[0])
        )
    if unknown:
        problems.append(_unknown_problem(unknown, source))
    duplicated = sorted({c for c in present if present.count(c) > 1})
    if duplicated:
        problems.append(
            Problem(f"duplicate column(s) {', '.join(duplicated)}", source, 1)
        )
    if problems:
        raise InputError(problems)
    absent = tuple(c for c in ALL_COLUMNS if c not in present)
    return HeaderPlan(targets, absent)


def rename_keys(
    keys: Sequence[str], source: str, line: int, mapping: ColumnMapping | None
) -> tuple[str | None, ...]:
    """Contract names of a JSON object's keys (``None``: ignored); unknown keys fail.

    In JSONL a key left out is an empty cell, so no column is required here.
    """
    names, unknown = _targets(keys, mapping)
    if unknown:
        problem = _unknown_problem(unknown, source)
        raise InputError(
            [
                Problem(
                    problem.message.replace("column(s)", "field(s)", 1),
                    source,
                    line,
                    unknown[0],
                )
            ]
        )
    return names
