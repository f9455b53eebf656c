"""The trade.gov Consolidated Screening List (CSL) CSV.

The CSL merges the Commerce, State and Treasury lists; it is the only source here of
the BIS Entity List with its license requirement, license policy and Federal Register
citations, and of the Unverified and Military End-User lists. The short list code is
the text in parentheses of the ``source`` column.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from chipgate.screening.footnotes import detect_footnotes
from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.readers import header_rows, split_multi

# CSL short source code -> the list code the engine keys on. Treasury's non-SDN lists
# collapse into NONSDN; State's ISN and DTC keep their own codes.
LIST_CODES = {
    "EL": "EL",
    "MEU": "MEU",
    "UVL": "UVL",
    "DPL": "DPL",
    "SDN": "SDN",
    "SSI": "NONSDN",
    "PLC": "NONSDN",
    "CMIC": "NONSDN",
    "CAP": "NONSDN",
    "NS-MBS LIST": "NONSDN",
    "FSE": "NONSDN",
    "ISN": "ISN",
    "DTC": "DTC",
}
_CODE = re.compile(r"\(([^)]+)\)")
_AFFILIATE = re.compile(r"\.?\s*Affiliated Entity:\s*", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def list_code(source: str) -> str:
    """The engine's list code for a CSL ``source`` value.

    >>> list_code("Entity List (EL) - Bureau of Industry and Security")
    'EL'
    """
    match = _CODE.search(source)
    short = (match.group(1) if match else source).strip().upper()
    return LIST_CODES.get(short, short)


def _countries(addresses: list[str]) -> tuple[str, ...]:
    found = []
    for address in addresses:
        last = address.rsplit(",", 1)[-1].strip()
        if _COUNTRY.match(last) and last not in found:
            found.append(last)
    return tuple(found)


def _entry_id(row: dict[str, str]) -> str:
    if row.get("_id"):
        return row["_id"]
    key = "|".join(row.get(k, "") for k in ("source", "name", "addresses"))
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


def entry_from_row(row: dict[str, str], source: str) -> ListEntry:
    """Build an entry from one CSL row (the 28- and 29-column layouts)."""
    name = row["name"].strip()
    parts = _AFFILIATE.split(name, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        name = parts[1].strip()  # "Parent (P). Affiliated Entity: Child" lists Child
    aliases = [re.sub(r"^and\s+", "", a) for a in split_multi(row.get("alt_names"))]
    requirement = row.get("license_requirement") or None
    return ListEntry(
        source=source,
        list_code=list_code(row["source"]),
        list_name=row["source"],
        entry_id=_entry_id(row),
        name=name,
        aliases=tuple(a for a in dict.fromkeys(aliases) if a and a != name),
        kind=(row.get("type") or "").lower(),
        countries=_countries(split_multi(row.get("addresses"))),
        programs=tuple(split_multi(row.get("programs"))),
        license_requirement=requirement,
        license_policy=row.get("license_policy") or None,
        federal_register=" ".join((row.get("federal_register_notice") or "").split())
        or None,
        footnotes=detect_footnotes(requirement) if requirement else (),
        start_date=row.get("start_date") or None,
        source_url=row.get("source_information_url")
        or row.get("source_list_url")
        or None,
        raw=row,
    )


@register
class ConsolidatedScreeningList(Source):
    """trade.gov Consolidated Screening List (EL, MEU, UVL, DPL and more)."""

    name = "csl"
    title = "trade.gov Consolidated Screening List"
    files = ("csl/consolidated-2022.csv",)
    urls = (
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
    )

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read every CSL row with a name."""
        for _, row in header_rows(paths[self.files[0]], ("source", "name")):
            if row["name"].strip():
                yield entry_from_row(row, self.name)
