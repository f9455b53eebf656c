"""OFAC lists in the legacy CSV layout: SDN (2021 set with aliases), SDN 2024, non-SDN.

The three share one layout (a main file joined by ``ent_num`` to optional alias and
address files), so one reader serves them and each class only names its files.
Aliases also hide in ``Remarks`` as ``a.k.a. 'NAME'``: the 2024 file has no alias
file, so those are the only aliases it has.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from chipgate.screening.model import ListEntry
from chipgate.screening.sources.base import Source, register
from chipgate.screening.sources.country_names import country_codes
from chipgate.screening.sources.readers import headerless_rows

MAIN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = (
    "ent_num",
    "add_num",
    "address",
    "city_state_province_postal",
    "country",
    "add_remarks",
)
# One ``a.k.a. '...'`` segment of ``Remarks`` (segments are joined by "; "): the
# alias is everything between its first and last quote, since names hold quotes
# themselves ('ABU-'UMAR', 'AL-QA'QA') and OFAC doubles the opening one of a name
# that starts with a quote (''ABD AL-RAHMAN').
REMARK_ALIAS = re.compile(r"^[afn]\.k\.a\.,?\s*'(.*)'\s*\.?$", re.IGNORECASE)
SDN_URL = "https://sanctionssearch.ofac.treas.gov/"


def remark_aliases(remarks: str) -> list[str]:
    """The ``a.k.a. '...'`` names of an OFAC ``Remarks`` cell, inner quotes kept.

    A name wholly in quotes (a nickname, ``''FOOPIE''``) loses them; one name
    split by a stray quote and comma (``'ABU-AL-KARKH', 'Yusuf'``) is joined.

    >>> remark_aliases("DOB 1957; a.k.a. 'HAJJ AS'AD AHMAD'; a.k.a. ''FOOPIE''.")
    ["HAJJ AS'AD AHMAD", 'FOOPIE']
    >>> remark_aliases("a.k.a. ''ABD AL-RAHMAN'; a.k.a. 'ABU-AL-KARKH', 'Yusuf'.")
    ["'ABD AL-RAHMAN", 'ABU-AL-KARKH, Yusuf']
    """
    found = []
    for segment in remarks.split("; "):
        match = REMARK_ALIAS.match(segment.strip())
        if match is None:
            continue
        name = match.group(1).replace("', '", ", ").strip()
        if len(name) > 2 and name[0] == name[-1] == "'":
            name = name[1:-1].strip()
        if name.strip("'"):
            found.append(name)
    return found


def _aliases(path: Path | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if path is not None:
        for _, cells in headerless_rows(path, len(ALT_COLUMNS)):
            if cells[3]:
                found[cells[0]].append(cells[3])
    return found


def _countries(path: Path | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if path is not None:
        for _, cells in headerless_rows(path, len(ADD_COLUMNS)):
            if cells[4] and cells[4] not in found[cells[0]]:
                found[cells[0]].append(cells[4])
    return found


def read_ofac(
    paths: Mapping[str, Path],
    files: tuple[str, ...],
    *,
    source: str,
    list_code: str,
    list_name: str,
) -> Iterator[ListEntry]:
    """Join a main/alt/add file triple into entries (alt and add may be absent)."""
    main = paths[files[0]]
    alt, add = (paths.get(rel) for rel in (*files[1:], "", "")[:2])
    aliases = _aliases(alt)
    countries = _countries(add)
    for _, cells in headerless_rows(main, len(MAIN_COLUMNS)):
        row = dict(zip(MAIN_COLUMNS, cells, strict=True))
        ent = row["ent_num"]
        names = list(aliases.get(ent, []))
        names += remark_aliases(row["Remarks"])
        yield ListEntry(
            source=source,
            list_code=list_code,
            list_name=list_name,
            entry_id=ent,
            name=row["SDN_Name"],
            aliases=tuple(
                dict.fromkeys(n for n in names if n and n != row["SDN_Name"])
            ),
            kind=row["SDN_Type"].lower() or "entity",
            countries=country_codes(countries.get(ent, [])),
            programs=tuple(p.strip("[] ") for p in row["Program"].split("] [") if p),
            source_url=SDN_URL,
            raw=row,
        )


class _OfacSource(Source):
    list_code = "SDN"

    def parse(self, paths: Mapping[str, Path]) -> Iterator[ListEntry]:
        """Read the main file joined with its alias and address files."""
        return read_ofac(
            paths,
            self.files,
            source=self.name,
            list_code=self.list_code,
            list_name=self.title,
        )

    def list_date(
        self, entries: list[ListEntry], paths: Mapping[str, Path]
    ) -> str | None:
        """OFAC's legacy files carry no publication date."""
        return None


@register
class OfacSdnLegacy(_OfacSource):
    """OFAC SDN list, legacy CSV set with aliases and addresses."""

    name = "ofac-sdn"
    title = "Specially Designated Nationals (SDN) - Treasury Department"
    files = ("ofac/sdn.csv", "ofac/alt.csv", "ofac/add.csv")
    urls = tuple(
        f"https://www.treasury.gov/ofac/downloads/{f}.csv"
        for f in ("sdn", "alt", "add")
    )
    optional = frozenset({"ofac/alt.csv", "ofac/add.csv"})


@register
class OfacSdn2024(_OfacSource):
    """OFAC SDN main file of a later date; aliases only from its remarks."""

    name = "ofac-sdn-2024"
    title = "Specially Designated Nationals (SDN) - Treasury Department"
    files = ("ofac-2024/sdn.csv",)
    urls = ("https://www.treasury.gov/ofac/downloads/sdn.csv",)


@register
class OfacNonSdn(_OfacSource):
    """OFAC consolidated non-SDN lists (NS-CMIC, SSI, FSE, PLC, CAPTA, NS-MBS)."""

    name = "ofac-nonsdn"
    title = "OFAC Consolidated Sanctions List (non-SDN)"
    list_code = "NONSDN"
    files = (
        "ofac-nonsdn/cons_prim.csv",
        "ofac-nonsdn/cons_alt.csv",
        "ofac-nonsdn/cons_add.csv",
    )
    urls = tuple(
        f"https://www.treasury.gov/ofac/downloads/consolidated/cons_{f}.csv"
        for f in ("prim", "alt", "add")
    )
    optional = frozenset({"ofac-nonsdn/cons_alt.csv", "ofac-nonsdn/cons_add.csv"})
