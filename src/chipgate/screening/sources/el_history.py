"""Entity List changes with their Federal Register rules and dates (``el-history``).

The CSL says that a party is on the Entity List today, not since when. The change
history in ``lists/el-history/entity_list_additions.csv`` (one row per addition,
modification or removal after the CSL of 2022-04-21, with the FR citation, the FR
document, and the publication and effective dates) supplies the when, so that an
order is screened against the list as it stood on the order's date:

- an Entity List entry whose name and first (earliest) FR citation match an ``add``
  row applies from that rule's effective date (the publication date where the
  effective date was not found, said so in the explanation); an ``add`` row with
  neither date leaves the entry in force for every date (the safe side), also said
  so;
- an entry of that name that cites the ``add`` row's rule after an earlier one was
  listed before it (the rule only modified it: "84 FR 61538; 90 FR 14046" is a
  listing of 2019 that a rule of 2025 changed) and applies from the date the history
  gives its earliest citation, else on every date;
- a ``remove`` row whose party is no longer listed becomes an Entity List entry that
  applies until the removal's date (a removal without any date is left out);
- entries without an ``add`` row were listed before 2022-04-21 and apply always.

The file has no official source (the user writes or edits it), so each row's
``action`` must be one of ``ACTIONS`` and each date ``YYYY-MM-DD`` or empty: a
removal dated "11/16/2023" compared as text took the party off the list on every
date, and an action spelt "Remove" dropped out in silence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from chipgate.dates import parse_day
from chipgate.errors import InputError, Problem
from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.readers import header_rows

EL_NAME = "Entity List (EL) - Bureau of Industry and Security"
COLUMNS = ("name", "action", "federal_register", "published", "effective")
ACTIONS = ("add", "modify", "remove")
DATE_COLUMNS = ("published", "effective")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _citations(text: str | None) -> set[str]:
    return {" ".join(c.split()) for c in (text or "").split(";") if c.strip()}


_CITATION = re.compile(r"(\d+)\s*FR\s*(\d+)")


def first_citation(text: str | None) -> str | None:
    """The earliest of an entry's FR citations, by volume and page (a volume is a
    year), the rule that listed it; the first written where none reads as one.

    >>> first_citation("90 FR 14046; 84 FR 61538")
    '84 FR 61538'
    >>> first_citation(None) is None
    True
    """

    def order(cite: str) -> tuple[int, int]:
        match = _CITATION.search(cite)
        return (int(match[1]), int(match[2])) if match else (1 << 30, 0)

    cites = [" ".join(c.split()) for c in (text or "").split(";") if c.strip()]
    return min(cites, key=order, default=None)


def row_problems(row: Mapping[str, str], path: Path, line: int) -> list[Problem]:
    """What is wrong with one change row: an unknown action, a date not written
    ``YYYY-MM-DD`` (each named by file, line and column).

    >>> row = {"action": "Remove", "published": "", "effective": "11/16/2023"}
    >>> [(p.field, p.line) for p in row_problems(row, Path("el.csv"), 7)]
    [('action', 7), ('effective', 7)]
    """
    problems = []
    if row.get("action") not in ACTIONS:
        problems.append(
            Problem(
                f"unknown action {row.get('action')!r}; expected one of "
                f"{', '.join(ACTIONS)}",
                str(path),
                line,
                "action",
            )
        )
    for column in DATE_COLUMNS:
        value = row.get(column) or ""
        if not value:
            continue
        try:
            parse_day(value)
        except ValueError as exc:
            problems.append(Problem(str(exc), str(path), line, column))
    return problems


def _dated(row: Mapping[str, str]) -> tuple[str | None, str]:
    """The date a change applies from, and how it is known."""
    cite = row.get("federal_register") or "no FR citation"
    doc = f", FR Doc {row['fr_doc']}" if row.get("fr_doc") else ""
    if row.get("effective"):
        return row["effective"], f"effective {row['effective']} ({cite}{doc})"
    if row.get("published"):
        return row["published"], (
            f"published {row['published']} ({cite}{doc}; effective date not found, "
            "publication date used)"
        )
    return None, f"date of {cite} not found: treated as in force on every date"


@register
class EntityListHistory(Source):
    """Entity List additions, modifications and removals after 2022-04-21."""

    name = "el-history"
    title = "Entity List changes since 2022-04-21 (Federal Register rules and dates)"
    files = ("el-history/entity_list_additions.csv",)
    counted = "changes"
    urls = ("",)

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def download(self, dest: Path, base_url: str | None = None) -> list[str]:
        """Only from a mirror laid out like the lists folder (no official file)."""
        return super().download(dest, base_url) if base_url else []

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Keep every change row; removed parties become entries with an end date.

        Raises:
            InputError: a row's action or date is malformed (every such row named,
                before any entry is made).
        """
        path = paths[self.files[0]]
        problems = []
        for line, row in header_rows(path, COLUMNS):
            row["_line"] = str(line)
            problems += row_problems(row, path, line)
            self.rows.append(row)
        if problems:
            raise InputError(problems)
        for row in self.rows:
            if row["action"] != "remove":
                continue
            day, how = _dated(row)
            if day is None:
                continue  # removed on a date not found: neither listed nor datable
            yield ListEntry(
                source=self.name,
                list_code="EL",
                list_name=EL_NAME,
                entry_id=f"el-history:{row['_line']}",
                name=row["name"].strip(),
                aliases=tuple(
                    a.strip() for a in row.get("aliases", "").split(";") if a.strip()
                ),
                countries=tuple(c for c in row.get("country", "").split(";") if c),
                license_requirement=row.get("license_requirement") or None,
                license_policy=row.get("license_policy") or None,
                federal_register=row.get("federal_register") or None,
                end_date=day,
                listing=f"removed: {how}",
                source_url=row.get("source_url") or None,
                raw={k: v for k, v in row.items() if not k.startswith("_")},
            )

    def amend(self, entries: list[ListEntry]) -> list[ListEntry]:
        """Date the Entity List entries; drop removals of parties still listed."""
        adds: dict[str, list[dict[str, str]]] = {}
        rules: dict[str, dict[str, str]] = {}
        for row in self.rows:
            if row["action"] == "add":
                adds.setdefault(_key(row["name"]), []).append(row)
            if row.get("effective") or row.get("published"):
                rules.setdefault(" ".join(row["federal_register"].split()), row)
        listed = {
            _key(e.name)
            for e in entries
            if e.list_code == "EL" and e.source != self.name
        }
        out = []
        for entry in entries:
            if entry.source == self.name and _key(entry.name) in listed:
                continue  # removed once, listed again: the current entry stands
            if entry.list_code == "EL" and entry.source != self.name:
                entry = self._dated(entry, adds.get(_key(entry.name), []), rules)
            out.append(entry)
        return out

    def _dated(
        self,
        entry: ListEntry,
        rows: list[dict[str, str]],
        rules: Mapping[str, dict[str, str]],
    ) -> ListEntry:
        """``entry`` dated by the ``add`` rows of its name (``rows``): from the
        row of its first citation; listed before the rule of an ``add`` row it
        cites later, from its first citation's date in ``rules`` (a row of any
        action with that citation and a date), else on every date."""
        cited = _citations(entry.federal_register)
        first = first_citation(entry.federal_register)
        for row in rows:
            if not cited or row.get("federal_register") == first:
                day, how = _dated(row)
                return replace(entry, start_date=day, listing=f"added: {how}")
        if first is None or not any(r.get("federal_register") in cited for r in rows):
            return entry
        if first in rules:
            day, how = _dated(rules[first])
            return replace(entry, start_date=day, listing=f"listed: {how}")
        return replace(
            entry,
            listing=f"listed by {first}, before the changes recorded: in force on "
            "every date",
        )

    def changes(self) -> int:
        """Every change row read: additions and modifications date the other
        lists' entries, and only removals may become entries of their own."""
        return len(self.rows)

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The newest date of a change it records."""
        dates = [r.get(k) or "" for r in self.rows for k in ("effective", "published")]
        return max((d for d in dates if d), default=None)
