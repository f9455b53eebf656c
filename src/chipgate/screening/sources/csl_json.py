"""The trade.gov Consolidated Screening List as JSON, and its compact projection.

Two layouts of the same data are read by one parser:

- the official bulk download (``consolidated.json``): ``{"results": [...]}``, one
  object per entry with the CSV's column names (``alt_names`` and ``programs`` as
  lists, ``addresses`` as objects with a ``country``), dated by
  ``search_performed_at``;
- the compact projection of it kept in ``lists/csl-2026`` (``screening-list.json``):
  ``{"fieldKey": ..., "tables": ..., "entries": [...]}``, short keys (``n`` name,
  ``a`` aliases, ``s`` source, ``c`` countries ...) with repeated texts stored once
  in ``tables`` and referred to by index, dated by ``sourceGeneratedAt``.

Either way an entry is built by ``csl.entry_from_row`` from a CSV-like row, so the
CSV and JSON forms of the list give the same entries.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from chipgate.errors import InputError
from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.csl import entry_from_row, give_ids
from chipgate.screening.sources.denial_dates import with_denial_ends

# The columns whose hash identifies an entry without ``_id`` (the projection's).
ID_KEY = ("source", "name", "entity_number")
# Compact key -> (CSV column, table the value indexes into, or None).
COMPACT_KEYS = {
    "n": ("name", None),
    "a": ("alt_names", None),
    "s": ("source", "sources"),
    "t": ("type", None),
    "c": ("countries", None),
    "e": ("entity_number", None),
    "lr": ("license_requirement", "licenceRequirements"),
    "lp": ("license_policy", "licencePolicies"),
    "pg": ("programs", "programmes"),
    "fr": ("federal_register_notice", None),
    "u": ("source_list_url", "urls"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v not in (None, ""))
    return str(value)


def _lookup(tables: Mapping[str, Any], table: str | None, value: Any) -> Any:
    if table is None:
        return value
    values = tables.get(table) or []
    if isinstance(value, list):
        return [_lookup(tables, table, v) for v in value]
    if isinstance(value, int) and 0 <= value < len(values):
        return values[value]
    return value


def compact_row(item: Mapping[str, Any], tables: Mapping[str, Any]) -> dict[str, str]:
    """A CSV-like row from one entry of the compact projection."""
    row: dict[str, str] = {}
    for key, (column, table) in COMPACT_KEYS.items():
        if key in item:
            row[column] = _text(_lookup(tables, table, item[key]))
    # Countries are ISO-2 codes alone: written as address tails so that the CSV
    # reader's country rule ("..., CN") reads them.
    row["addresses"] = "; ".join(f", {c}" for c in item.get("c") or [])
    return row


def official_row(item: Mapping[str, Any]) -> dict[str, str]:
    """A CSV-like row from one ``results`` object of the official JSON."""
    row = {k: _text(v) for k, v in item.items() if not isinstance(v, dict | list)}
    row["alt_names"] = _text(item.get("alt_names"))
    row["programs"] = _text(item.get("programs"))
    addresses = []
    for address in item.get("addresses") or []:
        if isinstance(address, dict):
            parts = [address.get(k) for k in ("address", "city", "state", "country")]
            addresses.append(", ".join(str(p) for p in parts if p))
    row["addresses"] = "; ".join(addresses)
    if item.get("id") and not row.get("_id"):
        row["_id"] = str(item["id"])
    return row


def read_document(path: Path) -> dict[str, Any]:
    """The JSON object of a CSL file.

    Raises:
        InputError: not JSON, or neither layout (file named).
    """
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError.single(f"not valid JSON: {exc}", source=path) from exc
    if not isinstance(data, dict) or not (
        isinstance(data.get("results"), list) or isinstance(data.get("entries"), list)
    ):
        raise InputError.single(
            "not a Consolidated Screening List JSON: expected a 'results' or "
            "'entries' array",
            source=path,
        )
    return data


def csl_rows(path: Path) -> Iterator[dict[str, str]]:
    """CSV-like rows of either JSON layout, each with a unique stable ``_id``."""
    data = read_document(path)
    if isinstance(data.get("entries"), list):
        tables = data.get("tables") or {}
        rows = (compact_row(item, tables) for item in data["entries"])
    else:
        total = data.get("total")
        if type(total) is int and total > len(data["results"]):
            # a saved page of the search API: screening on it would lose the rest
            raise InputError.single(
                f"a partial list: it states a total of {total} entries and holds "
                f"{len(data['results'])} (a page of the search API, not the bulk "
                "download)",
                source=path,
            )
        rows = (official_row(item) for item in data["results"])
    named = []
    for position, row in enumerate(rows, start=1):
        if not row.get("name", "").strip():
            continue
        if not row.get("source"):
            raise InputError.single(
                f"entry {position} has no 'source' (list)", source=path
            )
        named.append(row)
    yield from give_ids(named, ID_KEY)


def document_date(path: Path) -> str | None:
    """The generation date a CSL JSON file states (ISO date), if any."""
    data = read_document(path)
    for key in ("sourceGeneratedAt", "search_performed_at", "retrievedAt"):
        value = data.get(key)
        if isinstance(value, str) and len(value) >= 10:
            return value[:10]
    return None


@register
class ConsolidatedScreeningListJson(Source):
    """trade.gov Consolidated Screening List, JSON bulk download."""

    name = "csl-json"
    title = "trade.gov Consolidated Screening List (JSON)"
    files = ("csl/consolidated.json",)
    urls = (
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json",
    )
    supersedes = frozenset(
        {"csl", "csl-2026", "bis-dpl", "ofac-sdn", "ofac-sdn-2024", "ofac-nonsdn"}
    )

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read every entry with a name; DPL rows end as ``denial_dates`` says."""
        entries = [
            entry_from_row(row, self.name) for row in csl_rows(paths[self.files[0]])
        ]
        return with_denial_ends(entries, self.list_date(entries, paths))

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The date the file was generated, else the newest start date."""
        return document_date(paths[self.files[0]]) or super().list_date(entries, paths)


@register
class ConsolidatedScreeningList2026(ConsolidatedScreeningListJson):
    """The CSL of 2026-07-31 as a compact projection (``lists/csl-2026``).

    A third party's projection of the official JSON: no street addresses, no start
    dates, no remarks (see the folder's NOTE.md); Entity List dates come from
    ``el-history``. No official URL: it is only read from a lists folder.
    """

    name = "csl-2026"
    title = "Consolidated Screening List of 2026-07-31 (compact projection)"
    files = ("csl-2026/screening-list.json",)
    urls = ("",)
    supersedes = ConsolidatedScreeningListJson.supersedes - {"csl-2026"}
    gives_way_to = frozenset({"csl"})  # the official CSV of the same list

    def download(self, dest: Path, base_url: str | None = None) -> list[str]:
        """Only from a mirror laid out like the lists folder (no official URL)."""
        return super().download(dest, base_url) if base_url else []
