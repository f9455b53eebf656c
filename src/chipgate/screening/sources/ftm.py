"""OpenSanctions entities in the FollowTheMoney JSON format (one entity per line).

A user may screen against an OpenSanctions export (``targets.nested.json`` or
``entities.ftm.json``): each line is ``{"id", "schema", "properties": {"name": [...],
"alias": [...], "country": [...], "program": [...]}, "datasets": [...], "target"}``.
Parties (persons, companies, organisations, vessels, aircraft) that are targets are
read; addresses, sanctions and other linked records are not parties. The list code
comes from the first dataset this loader knows (``us_ofac_sdn`` is SDN ...), else
``OS``. The file's date is the newest ``last_change`` of its entities.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
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
    "us_trade_csl": "CSL",
    "un_sc_sanctions": "UN",
}


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    value = props.get(key) or []
    return [str(v) for v in value if v] if isinstance(value, list) else [str(value)]


def _entry(item: Mapping[str, Any], source: str) -> ListEntry | None:
    kind = PARTY_SCHEMAS.get(str(item.get("schema")))
    props = item.get("properties") or {}
    names = _values(props, "name")
    if kind is None or not names or item.get("target") is False:
        return None
    datasets = [str(d) for d in item.get("datasets") or []]
    code = next((DATASET_CODES[d] for d in datasets if d in DATASET_CODES), "OS")
    aliases = names[1:] + _values(props, "alias") + _values(props, "previousName")
    return ListEntry(
        source=source,
        list_code=code,
        list_name=f"OpenSanctions ({', '.join(datasets) or 'unknown dataset'})",
        entry_id=str(item.get("id") or ""),
        name=names[0],
        aliases=tuple(a for a in dict.fromkeys(aliases) if a != names[0]),
        kind=kind,
        countries=tuple(c.upper() for c in _values(props, "country") if len(c) == 2),
        programs=tuple(_values(props, "program")),
        start_date=(str(item.get("first_seen") or "")[:10] or None),
        source_url=f"https://www.opensanctions.org/entities/{item.get('id')}/",
        raw={"id": str(item.get("id")), "schema": str(item.get("schema"))},
    )


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
        """Read every party entity that is a target."""
        for _, item in json_objects(paths[self.files[0]]):
            entry = _entry(item, self.name)
            if entry is not None:
                yield entry

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The newest ``last_change`` of an entity."""
        dates = [
            str(item.get("last_change") or "")[:10]
            for _, item in json_objects(paths[self.files[0]])
        ]
        return max((d for d in dates if d), default=None)
