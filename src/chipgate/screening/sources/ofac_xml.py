"""OFAC's SDN list as XML (``sdn.xml``), the format OFAC publishes beside the CSVs.

Each ``sdnEntry`` has a ``uid``, ``lastName`` (the whole name of an entity),
``firstName`` for individuals, ``sdnType``, ``programList``, ``akaList`` and
``addressList``; the file is dated by ``publshInformation/Publish_Date``
(MM/DD/YYYY, OFAC's own spelling of the tag). Newer files put every tag in a
namespace, which is set aside.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.country_names import country_codes
from chipgate.screening.sources.xmltools import parse_root, text

SDN_TITLE = "Specially Designated Nationals (SDN) - Treasury Department"
SDN_PAGE = "https://sanctionssearch.ofac.treas.gov/"


def _name(node: Element) -> str:
    return " ".join(p for p in (text(node, "firstName"), text(node, "lastName")) if p)


def _entry(node: Element, source: str) -> ListEntry:
    kind = text(node, "sdnType").lower()
    aliases = [_name(a) for a in node.iterfind("akaList/aka")]
    countries = [text(a, "country") for a in node.iterfind("addressList/address")]
    return ListEntry(
        source=source,
        list_code="SDN",
        list_name=SDN_TITLE,
        entry_id=text(node, "uid"),
        name=_name(node),
        aliases=tuple(a for a in dict.fromkeys(aliases) if a),
        kind=kind if kind in {"individual", "vessel", "aircraft"} else "entity",
        countries=country_codes(countries),
        programs=tuple(
            (p.text or "").strip() for p in node.iterfind("programList/program")
        ),
        source_url=SDN_PAGE,
        raw={c.tag: " ".join((c.text or "").split()) for c in node if len(c) == 0},
    )


@register
class OfacSdnXml(Source):
    """OFAC SDN list, XML."""

    name = "ofac-sdn-xml"
    title = SDN_TITLE
    files = ("ofac/sdn.xml",)
    urls = (
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML",
    )
    supersedes = frozenset({"ofac-sdn", "ofac-sdn-2024"})

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read every ``sdnEntry``."""
        root = parse_root(paths[self.files[0]], "sdnList")
        for node in root.iterfind("sdnEntry"):
            if _name(node):
                yield _entry(node, self.name)

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """``Publish_Date`` of the file (MM/DD/YYYY) as an ISO date."""
        root = parse_root(paths[self.files[0]], "sdnList")
        stamp = text(root, "publshInformation/Publish_Date")
        try:
            return datetime.strptime(stamp, "%m/%d/%Y").date().isoformat()  # noqa: DTZ007
        except ValueError:
            return None
