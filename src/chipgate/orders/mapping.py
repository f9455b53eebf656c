"""Column mappings: an ERP export's header names, translated to the order-file contract.

An export from SAP GTS, Oracle or a spreadsheet names its columns its own way
("Document Number", "Ship-To Country"). A mapping says which contract column each of
those holds, or that a column is to be ignored, so that the export is read as it
comes instead of being edited by hand. A mapping is given as a YAML or CSV file
(``--mapping``) or inline (``--columns "theirs=ours,..."``); both may be combined,
the inline pairs winning.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chipgate.errors import InputError, Problem
from chipgate.orders.columns import ALL_COLUMNS, nearest_columns
from chipgate.textfiles import csv_records, malformed_csv

IGNORE_WORDS = frozenset({"", "-", "~", "ignore", "null"})
"""Targets that mean "the file has this column; leave it out" (YAML ``~`` too)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Their header name → our column name, or ``None`` to ignore the column."""

    renames: dict[str, str | None] = field(default_factory=dict)

    def target(self, header: str) -> tuple[bool, str | None]:
        """Whether ``header`` is mapped, and to what (``None``: ignored).

        Names match exactly, then ignoring case and surrounding spaces, because
        exports differ in the case of their headers from one release to the next.
        """
        name = header.strip()
        if name in self.renames:
            return True, self.renames[name]
        folded = name.casefold()
        for theirs, ours in self.renames.items():
            if theirs.casefold() == folded:
                return True, ours
        return False, None

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping with ``other``'s pairs added (``other`` wins)."""
        return ColumnMapping({**self.renames, **other.renames})


def _build(pairs: list[tuple[str, object, int | None]], source: str) -> ColumnMapping:
    """Validate (theirs, ours, line) pairs into a mapping; every problem at once."""
    renames: dict[str, str | None] = {}
    problems: list[Problem] = []
    used: dict[str, str] = {}
    for theirs, ours, line in pairs:
        name = str(theirs).strip()
        target = None if ours is None else str(ours).strip()
        if not name:
            problems.append(Problem("a mapping needs a header name", source, line))
            continue
        if target is not None and target.lower() in IGNORE_WORDS:
            target = None
        if target is not None and target not in ALL_COLUMNS:
            near = nearest_columns(target)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            problems.append(
                Problem(
                    f"{target!r} (for {name!r}) is not a column of the order-file "
                    f"contract{hint}",
                    source,
                    line,
                    name,
                )
            )
            continue
        if name in renames:
            problems.append(Problem(f"{name!r} is mapped twice", source, line, name))
            continue
        if target is not None and target in used:
            problems.append(
                Problem(
                    f"{name!r} and {used[target]!r} are both mapped to {target!r}",
                    source,
                    line,
                    name,
                )
            )
            continue
        if target is not None:
            used[target] = name
        renames[name] = target
    if problems:
        raise InputError(problems)
    return ColumnMapping(renames)


def parse_inline(text: str) -> ColumnMapping:
    """Read ``--columns "Document Number=id,Material Description=item,Plant=-"``."""
    pairs: list[tuple[str, object, int | None]] = []
    for part in text.split(","):
        if not part.strip():
            continue
        theirs, sep, ours = part.partition("=")
        if not sep:
            raise InputError.single(
                f"{part.strip()!r} is not THEIRS=OURS (use OURS '-' to ignore a column)",
                source="--columns",
            )
        pairs.append((theirs, ours, None))
    return _build(pairs, "--columns")


def _yaml_pairs(path: Path) -> list[tuple[str, object, int | None]]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError.single(
            f"malformed YAML: {getattr(exc, 'problem', exc)}",
            source=path,
            line=mark.line + 1 if mark else None,
        ) from None
    if isinstance(loaded, dict) and set(loaded) == {"columns"}:
        loaded = loaded["columns"]
    if not isinstance(loaded, dict):
        raise InputError.single(
            "a mapping file holds 'their header: our column' pairs (under 'columns:')",
            source=path,
        )
    return [(str(k), v, None) for k, v in loaded.items()]


def _csv_pairs(path: Path) -> list[tuple[str, object, int | None]]:
    pairs: list[tuple[str, object, int | None]] = []
    # strict quoting, UTF-8 checked line by line (``textfiles.csv_records``)
    with csv_records(path) as reader:
        try:
            for cells in reader:
                if not cells or all(not c.strip() for c in cells):
                    continue
                if [c.strip().lower() for c in cells] == ["theirs", "ours"]:
                    continue
                if len(cells) != 2:
                    raise InputError.single(
                        f"{len(cells)} cells where a mapping line has 2 (theirs,ours)",
                        source=path,
                        line=reader.line_num,  # type: ignore[attr-defined]
                    )
                pairs.append((cells[0], cells[1], reader.line_num))  # type: ignore[attr-defined]
        except csv.Error as exc:
            raise malformed_csv(path, exc, reader) from None
    return pairs


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file: ``.yaml``/``.yml`` or ``.csv`` (two columns theirs,ours)."""
    if not path.is_file():
        raise InputError.single("no such mapping file", source=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _build(_yaml_pairs(path), str(path))
    if suffix == ".csv":
        return _build(_csv_pairs(path), str(path))
    raise InputError.single(
        f"unsupported mapping file type {path.suffix!r}; use .yaml or .csv",
        source=path,
    )
