"""The exception hierarchy of chipgate.

Every error a user can cause says what was wrong, where (file, line, field) and what
was expected, so that a compliance officer can fix an order file without reading code.
Each class also subclasses the built-in it refines, so callers that only know Python's
own exceptions still catch it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI's start-up does not load pydantic
    from pydantic import ValidationError


class ChipgateError(Exception):
    """Base of every error raised on purpose by chipgate."""


@dataclass(frozen=True)
class Problem:
    """One problem in one place of an input: the unit of every error report.

    Attributes:
        message: what is wrong and what was expected.
        source: the file (or stream name) that holds the problem.
        line: 1-based line (CSV: physical line of the record; JSONL: line number).
        field: the column or key at fault, when one is.
    """

    message: str
    source: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class InputError(ChipgateError, ValueError):
    """One or more problems in user input (order files, license files, records).

    Raised with every problem found, not only the first, so that a user fixes a
    file in one pass.
    """

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    @classmethod
    def single(
        cls,
        message: str,
        *,
        source: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> InputError:
        """Build an error that reports a single problem."""
        return cls([Problem(message, str(source) if source else None, line, field)])


@dataclass
class AlreadyIngested(InputError):
    """An input taken in already (a usage file by its SHA-256, or every record of
    it).

    Kept apart from other bad input so a caller that re-sends what it sent (a
    retried upload) can answer with the earlier batch instead of an error.
    """

    batches: tuple[int, ...] = ()
    """The ids of the batches that hold these records."""
    sent: int | None = None
    """How many records were sent, when they were read (not for a file known by
    its bytes alone)."""


def validation_problems(
    exc: ValidationError, source: str | Path | None, line: int | None
) -> list[Problem]:
    """One problem per field pydantic rejected in one record (file and line given)."""
    return [
        Problem(
            err["msg"],
            str(source) if source else None,
            line,
            ".".join(str(p) for p in err["loc"]) or None,
        )
        for err in exc.errors()
    ]


class RuleDataError(ChipgateError, ValueError):
    """A rule data file (regime, catalog, country groups) is malformed.

    This is a defect of the shipped data, not of the user's input: it names the data
    file and the key so that whoever edits the data sees what to fix.
    """


class UnknownRegimeError(ChipgateError, KeyError):
    """A regime was asked for by a name that no regime pack declares."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown regime"


class UnknownItemError(ChipgateError, LookupError):
    """An order names an item that is neither in the catalog nor given by figures."""


class StoreError(ChipgateError, RuntimeError):
    """The ledger store refused an operation (over-allocation, unknown account ...)."""
