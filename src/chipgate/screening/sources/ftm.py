"""OpenSanctions entities in the FollowTheMoney JSON format (one entity per line).

A user may screen against an OpenSanctions export (``targets.nested.json`` or
``entities.ftm.json``): each line is ``{"id", "schema", "properties": {"name": [...],
"alias": [...], "country": [...], "program": [...]}, "datasets": [...], "target"}``.
Parties (persons, companies, organisations, vessels, aircraft) that are targets are
read; addresses, sanctions and other linked records are not parties.

An entity on several lists is one entry per list it is on: ``us_ofac_sdn`` is SDN,
``un_sc_sanctions`` UN and so on, so an SDN party also on the UN list is still
prohibited (one code kept for it made it only a red flag). ``us_trade_csl`` is the
whole Consolidated Screening List: the code comes from its program names where they
name a CSL list ("Entity List (EL) ..." is EL), else it is ``CSL``, a list the rules
cannot place, which they make a red flag; an entity of no known dataset is ``OS``,
likewise.

The listing date is the earliest ``startDate`` (else ``listingDate``) of the
entity's ``Sanction`` records (FtM: a Sanction's ``entity`` names the party; the
nested export puts them under the party's ``sanctions``). ``first_seen`` is when
OpenSanctions' crawler first saw the record, not when the authority listed the
party, so it is not a listing date: without a Sanction date the entry is in force
on every date. The file's date is the newest ``last_change`` of its entities.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.csl import LIST_CODES, list_code
from chipgate.screening.sources.readers import json_objects

PARTY_SCHEMAS = {
    "Person": "individual",
    "Company": "entity",
    "Organization": "entity",
    "LegalEntity": "entity",
    "PublicBody": "entity",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
DATASET_CODES = {
    "us_ofac_sdn": "SDN",
    "us_ofac_cons": "NONSDN",
    "us_bis_denied": "DPL",
    "un_sc_sanctions": "UN",
}
CSL_DATASET = "us_trade_csl"
UNPLACED_CSL = "CSL"  # a CSL entry whose own list is not named
UNKNOWN_DATASET = "OS"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    value = props.get(key) or []
    return [str(v) for v in value if v] if isinstance(value, list) else [str(value)]


def list_codes(datasets: Iterable[str], programs: Iterable[str]) -> tuple[str, ...]:
    """The list codes of an entity, one per list it is on, in the datasets' order.

    >>> list_codes(["un_sc_sanctions", "us_ofac_sdn"], [])
    ('UN', 'SDN')
    >>> list_codes(["us_trade_csl"], ["Entity List (EL) - Bureau of Industry and Security"])
    ('EL',)
    >>> list_codes(["us_trade_csl"], ["CHINA-EO13959"]), list_codes(["eu_fsf"], [])
    (('CSL',), ('OS',))
    """
    codes: list[str] = []
    for dataset in datasets:
        if dataset == CSL_DATASET:
            named = [list_code(p) for p in programs]
            known = [c for c in named if c in LIST_CODES.values()]
            codes += known or [UNPLACED_CSL]
        elif dataset in DATASET_CODES:
            codes.append(DATASET_CODES[dataset])
    return tuple(dict.fromkeys(codes)) or (UNKNOWN_DATASET,)


def _sanction_day(props: Mapping[str, Any]) -> str | None:
    days = _values(props, "startDate") or _values(props, "listingDate")
    return min((d[:10] for d in days if _DATE.match(d)), default=None)


def sanction_days(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The earliest start (else listing) date of each party's Sanction records:
    separate ``Sanction`` lines naming it as ``entity``, or nested ``sanctions``."""
    found: dict[str, list[str]] = defaultdict(list)
    for item in items:
        props = item.get("properties") or {}
        if item.get("schema") == "Sanction":
            day = _sanction_day(props)
            for party in _values(props, "entity"):
                found[party] += [day] if day else []
        for nested in props.get("sanctions") or []:
            if not isinstance(nested, dict):
                continue  # a reference by id: its own Sanction line is read
            day = _sanction_day(nested.get("properties") or {})
            found[str(item.get("id"))] += [day] if day else []
    return {party: min(days) for party, days in found.items() if days}


def _entries(
    item: Mapping[str, Any], source: str, listed: Mapping[str, str]
) -> Iterator[ListEntry]:
    kind = PARTY_SCHEMAS.get(str(item.get("schema")))
    props = item.get("properties") or {}
    names = _values(props, "name")
    if kind is None or not names or item.get("target") is False:
        return
    datasets = [str(d) for d in item.get("datasets") or []]
    programs = _values(props, "program")
    aliases = names[1:] + _values(props, "alias") + _values(props, "previousName")
    entry = ListEntry(
        source=source,
        list_code=UNKNOWN_DATASET,
        list_name=f"OpenSanctions ({', '.join(datasets) or 'unknown dataset'})",
        entry_id=str(item.get("id") or ""),
        name=names[0],
        aliases=tuple(a for a in dict.fromkeys(aliases) if a != names[0]),
        kind=kind,
        countries=tuple(c.upper() for c in _values(props, "country") if len(c) == 2),
        programs=tuple(programs),
        start_date=listed.get(str(item.get("id") or "")),
        source_url=f"https://www.opensanctions.org/entities/{item.get('id')}/",
        raw={"id": str(item.get("id")), "schema": str(item.get("schema"))},
    )
    for code in list_codes(datasets, programs):
        yield replace(entry, list_code=code)


@register
class OpenSanctionsFtm(Source):
    """OpenSanctions export, FollowTheMoney JSON lines."""

    name = "opensanctions"
    title = "OpenSanctions (FollowTheMoney entities)"
    files = ("opensanctions/entities.ftm.json",)
    urls = ("",)

    def download(self, dest: Path, base_url: str | None = None) -> list[str]:
        """Only from a mirror or a file the user names (no single official URL)."""
        return super().download(dest, base_url) if base_url else []

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read every party entity that is a target, once per list it is on."""
        path = paths[self.files[0]]
        listed = sanction_days(item for _, item in json_objects(path))
        for _, item in json_objects(path):
            yield from _entries(item, self.name, listed)

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The newest ``last_change`` of an entity."""
        dates = [
            str(item.get("last_change") or "")[:10]
            for _, item in json_objects(paths[self.files[0]])
        ]
        return max((d for d in dates if d), default=None)
