"""The UN Security Council Consolidated List (XML).

Individuals have no full-name field: the name is FIRST..FOURTH_NAME joined. Names in
their original script (Arabic and others) are kept as aliases, so that a query typed
in that script matches after both sides are transliterated the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.country_names import country_codes
from chipgate.screening.sources.xmltools import parse_root

NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
UN_PAGE = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"


def _text(node: Element, tag: str) -> str:
    child = node.find(tag)
    return " ".join((child.text or "").split()) if child is not None else ""


def _entry(node: Element, kind: str) -> ListEntry:
    prefix = kind.upper()
    name = " ".join(p for p in (_text(node, t) for t in NAME_PARTS) if p)
    aliases = [_text(a, "ALIAS_NAME") for a in node.findall(f"{prefix}_ALIAS")]
    aliases.append(_text(node, "NAME_ORIGINAL_SCRIPT"))
    countries = [  # every VALUE of a NATIONALITY: a person may hold two
        " ".join((v.text or "").split()) for v in node.iterfind("NATIONALITY/VALUE")
    ]
    countries += [_text(a, "COUNTRY") for a in node.findall(f"{prefix}_ADDRESS")]
    raw = {
        child.tag: " ".join((child.text or "").split())
        for child in node
        if len(child) == 0
    }
    return ListEntry(
        source="un",
        list_code="UN",
        list_name="UN Security Council Consolidated List",
        entry_id=_text(node, "REFERENCE_NUMBER") or _text(node, "DATAID"),
        name=name,
        aliases=tuple(a for a in dict.fromkeys(aliases) if a and a != name),
        kind=kind,
        countries=country_codes(countries),
        programs=(_text(node, "UN_LIST_TYPE"),),
        start_date=_text(node, "LISTED_ON")[:10] or None,
        source_url=UN_PAGE,
        raw=raw,
    )


@register
class UnConsolidatedList(Source):
    """UN Security Council Consolidated List: individuals and entities."""

    name = "un"
    title = "UN Security Council Consolidated List"
    files = ("un/consolidated.xml",)
    urls = ("https://scsanctions.un.org/resources/xml/en/consolidated.xml",)

    def _root(self, path: Path) -> Element:
        return parse_root(path, "CONSOLIDATED_LIST")

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read individuals then entities."""
        root = self._root(paths[self.files[0]])
        for node in root.iterfind("INDIVIDUALS/INDIVIDUAL"):
            yield _entry(node, "individual")
        for node in root.iterfind("ENTITIES/ENTITY"):
            yield _entry(node, "entity")

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """The ``dateGenerated`` attribute of the root element."""
        stamp = self._root(paths[self.files[0]]).get("dateGenerated", "")
        return stamp[:10] or super().list_date(entries, paths)
