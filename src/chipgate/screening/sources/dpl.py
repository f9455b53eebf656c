"""The BIS Denied Persons List as BIS published it: a tab-separated text file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.denial_dates import denial_start, with_denial_ends
from chipgate.screening.sources.listed_names import split_listed_name
from chipgate.screening.sources.readers import header_rows

_US_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DPL_PAGE = (
    "https://www.bis.doc.gov/index.php/policy-guidance/"
    "lists-of-parties-of-concern/denied-persons-list"
)


def _iso(us_date: str) -> str | None:
    match = _US_DATE.match(us_date)
    return f"{match.group(3)}-{match.group(1)}-{match.group(2)}" if match else None


@register
class DeniedPersonsList(Source):
    """BIS Denied Persons List (one row per person, address and order)."""

    name = "bis-dpl"
    title = "Denied Persons List (DPL) - Bureau of Industry and Security"
    files = ("bis/dpl.txt",)
    urls = ("https://www.bis.doc.gov/dpl/dpl.txt",)

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read each row, dated by its first order and, where it can be believed,
        ended by its expiration (``denial_dates``)."""
        entries = list(self._rows(paths))
        return with_denial_ends(entries, self.list_date(entries, paths))

    def _rows(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Each row as an entry; the entry id is the row's line number in the file."""
        path = paths[self.files[0]]
        for line, row in header_rows(path, ("Name", "Country"), delimiter="\t"):
            if not row["Name"]:
                continue
            listed = split_listed_name(row["Name"])  # "PEARL (A.K.A. ...) LI"
            yield ListEntry(
                source=self.name,
                list_code="DPL",
                list_name=self.title,
                entry_id=f"dpl:{line}",
                name=listed.name,
                aliases=listed.aliases,
                kind="",
                countries=(row["Country"],) if row["Country"] else (),
                federal_register=row.get("FR_Citation") or None,
                start_date=denial_start(
                    _iso(row.get("Effective_Date", "")), row.get("FR_Citation")
                ),
                listing=f"name as published: {row['Name']!r}" if listed.split else None,
                source_url=DPL_PAGE,
                raw=row,
            )

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """Latest plausible ``Last_Update`` or effective date.

        The file has typos such as 2922-09-01, so an update more than a year after
        the newest effective date is not believed.
        """
        stated = (_iso(e.raw.get("Effective_Date", "")) for e in entries)
        effective = [d for d in stated if d]
        if not effective:
            return None
        limit = f"{int(max(effective)[:4]) + 1}-12-31"
        updates = [
            e.raw.get("Last_Update", "")
            for e in entries
            if _ISO_DATE.match(e.raw.get("Last_Update", ""))
        ]
        return max([d for d in updates if d <= limit] + effective)
