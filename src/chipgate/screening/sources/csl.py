"""The trade.gov Consolidated Screening List (CSL) CSV.

The CSL merges the Commerce, State and Treasury lists; it is the only source here of
the BIS Entity List with its license requirement, license policy and Federal Register
citations, and of the Unverified and Military End-User lists. The short list code is
the text in parentheses of the ``source`` column.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from chipgate.screening.footnotes import detect_footnotes
from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.denial_dates import denial_start, with_denial_ends
from chipgate.screening.sources.listed_names import split_listed_name
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
# The columns whose hash identifies a CSV row that has no ``_id`` (28-column layout).
ID_KEY = ("source", "name", "addresses")


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


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _key_id(row: Mapping[str, str], key: Sequence[str]) -> str:
    return _digest("|".join(row.get(k, "") for k in key))


def _content(row: Mapping[str, str]) -> str:
    return "|".join(f"{k}={row[k]}" for k in sorted(row) if k != "_id" and row[k])


def give_ids(
    rows: Iterable[dict[str, str]], key: Sequence[str]
) -> list[dict[str, str]]:
    """The rows, each row without an ``_id`` given a stable one of its own.

    The id is a hash of the ``key`` columns, which stays the same while the party's
    other columns change between list versions. Distinct rows with the same key
    (one party's two addresses or orders; 322 rows of the 2026 projection shared
    147 keys) would be one entry to the screen, which keeps one item per id, so
    each of those is hashed over all its columns instead; a row repeated whole
    takes its place in the file after the hash (``-2``, ``-3``).
    """
    rows = list(rows)
    keyed = {id(r): _key_id(r, key) for r in rows}
    shared = Counter(keyed[id(r)] for r in rows if not r.get("_id"))
    seen: Counter[str] = Counter()
    for row in rows:
        if row.get("_id"):
            continue
        base = keyed[id(row)]
        if shared[base] > 1:
            base = _digest(_content(row))
        seen[base] += 1
        row["_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return rows


def entry_from_row(row: dict[str, str], source: str) -> ListEntry:
    """Build an entry from one CSL row (the 28- and 29-column layouts)."""
    name = row["name"].strip()
    parts = _AFFILIATE.split(name, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        name = parts[1].strip()  # "Parent (P). Affiliated Entity: Child" lists Child
    listed = split_listed_name(name)  # "X -AKA- Y", "X; and any successor ..."
    name = listed.name
    aliases = [re.sub(r"^and\s+", "", a) for a in split_multi(row.get("alt_names"))]
    aliases += listed.aliases
    requirement = row.get("license_requirement") or None
    code = list_code(row["source"])
    start = row.get("start_date") or None
    if code == "DPL":  # a TDO's start_date is its latest renewal
        start = denial_start(start, row.get("federal_register_notice"))
    return ListEntry(
        source=source,
        list_code=code,
        list_name=row["source"],
        entry_id=row.get("_id") or _key_id(row, ID_KEY),
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
        start_date=start,
        listing=f"name as published: {row['name'].strip()!r}" if listed.split else None,
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
        """Read every CSL row with a name; rows without ``_id`` get unique ids."""
        rows = header_rows(paths[self.files[0]], ("source", "name"))
        named = (row for _, row in rows if row["name"].strip())
        entries = [entry_from_row(row, self.name) for row in give_ids(named, ID_KEY)]
        return with_denial_ends(entries, self.list_date(entries, paths))

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The newest ``start_date`` the file states (DPL rows' own included)."""
        dates = [e.raw.get("start_date", "") for e in entries]
        return max((d[:10] for d in dates if d), default=None)
