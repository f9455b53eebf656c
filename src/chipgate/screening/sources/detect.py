"""Which list a single downloaded file is, read from its first bytes.

``chipgate lists update FILE_OR_URL`` takes the file a user downloaded today, under
whatever name it was saved: the format decides the loader, and the file is staged
under that loader's path in the lists folder.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from chipgate.errors import InputError
from chipgate.screening.sources.base import REGISTRY, Source

HEAD = 1 << 16
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)[\s>/]")
XML_ROOTS = {b"sdnList": "ofac-sdn-xml", b"CONSOLIDATED_LIST": "un"}
FORMATS = (
    "trade.gov CSL (JSON or CSV), OFAC SDN (XML or CSV), OFAC non-SDN "
    "(cons_prim.csv), UN consolidated XML, "
    "OpenSanctions FollowTheMoney JSON, the Entity List's changes (el-history CSV)"
)


# What marks an entry of OFAC's non-SDN consolidated list (``cons_prim.csv``): its
# programs, or the remarks its sectoral (SSI), CMIC and menu-based entries carry.
# It shares the SDN files' layout, so only its content tells it apart: in the
# shared files 440 of its 442 entries are so marked, 6 of the 8,976 SDN entries of
# 2021 and 66 of the 14,965 of 2024.
NON_SDN_PROGRAMS = frozenset(
    {
        "NS-PLC",
        "NS-ISA",
        "NS-MBS",
        "CMIC-EO13959",
        "CMIC-EO14032",
        "561-Related",
        "FSE-IR",
        "FSE-SY",
        "FSE-WMD",
        "FSE-SDGT",
    }
)
NON_SDN_REMARKS = re.compile(
    rb"Subject to Directive|Directive Determination|Executive Order 1395\d information"
    rb"|Executive Order 14032 information|Menu-Based Sanctions|Sectoral Sanctions"
    rb"|Foreign Sanctions Evader",
    re.IGNORECASE,
)
# Files of a known layout that are no list by themselves: refused with what they are.
NOT_ALONE = {
    "ofac-alt": (
        "an OFAC alias file (alt.csv or cons_alt.csv: ent_num, alt_num, type, "
        "name), which only adds names to its list's main file"
    ),
    "ofac-add": (
        "an OFAC address file (add.csv or cons_add.csv: ent_num, add_num, "
        "address, city, country), which only adds countries to its list's main file"
    ),
    "ofac-nonsdn-xml": (
        "OFAC's non-SDN consolidated list as XML (the SDN XML's layout), which no "
        "loader reads as the non-SDN list; give its CSV, cons_prim.csv"
    ),
}


def _mostly_non_sdn(entries: list[tuple[bytes, bytes]]) -> bool:
    """Whether most of ``entries`` (programs, remarks) are marked non-SDN."""
    marked = 0
    for programs, remarks in entries:
        names = {p.strip(b"[] ").decode("latin-1") for p in programs.split(b"] [")}
        if names & NON_SDN_PROGRAMS or NON_SDN_REMARKS.search(remarks):
            marked += 1
    return bool(entries) and 2 * marked > len(entries)


def _ofac_csv(text: bytes) -> str:
    """Which file of OFAC's headerless CSV sets ``text`` starts: the SDN or the
    non-SDN main file, or an alias or address file (``NOT_ALONE``), by the
    columns and content of its first complete rows."""
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # cut off by the sniffer's read
    rows = list(csv.reader(io.StringIO(b"\n".join(lines[:200]).decode("latin-1"))))
    widths = {len(r) for r in rows if r}
    if widths == {5} and rows[0][2].strip().lower() in {"aka", "fka", "nka"}:
        return "ofac-alt"
    if widths == {6}:
        return "ofac-add"
    entries = [
        (r[3].encode("latin-1"), r[11].encode("latin-1")) for r in rows if len(r) == 12
    ]
    return "ofac-nonsdn" if _mostly_non_sdn(entries) else "ofac-sdn"


def _sdn_xml(text: bytes) -> str:
    """``ofac-sdn-xml``, or ``ofac-nonsdn-xml`` when most of the entries in
    ``text`` are marked non-SDN (OFAC's non-SDN XML shares the SDN root)."""
    entries = [
        (
            b"] [".join(re.findall(rb"<(?:\w+:)?program>([^<]*)<", chunk)),
            b" ".join(re.findall(rb"<(?:\w+:)?remarks>([^<]*)<", chunk)),
        )
        for chunk in re.split(rb"<(?:\w+:)?sdnEntry[\s>]", text)[1:-1]
    ]
    return "ofac-nonsdn-xml" if _mostly_non_sdn(entries) else "ofac-sdn-xml"


def _xml_root(head: bytes) -> bytes | None:
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    match = _XML_ROOT.search(body)
    return match.group(1) if match else None


def sniff(head: bytes) -> str | None:
    """The loader name for a file starting with ``head``, or None.

    >>> sniff(b'{"results": [{"name": "X", "source": "Entity List (EL)"}]}')
    'csl-json'
    >>> sniff(b'{"id": "Q1", "schema": "Person", "properties": {}}\\n')
    'opensanctions'
    >>> sniff(b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- \\r\\n')
    'ofac-sdn'
    >>> sniff(b"name,aliases,federal_register,published,effective,action,source_url\\n")
    'el-history'
    >>> sniff(b'9639,"HANIYA, Ismail","individual","NS-PLC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1962."\\n')
    'ofac-nonsdn'
    >>> sniff(b'36,12,"aka","AERO-CARIBBEAN",-0- \\r\\n')
    'ofac-alt'
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        root = _xml_root(text)
        name = XML_ROOTS.get(root) if root else None
        return _sdn_xml(text) if name == "ofac-sdn-xml" else name
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0]
        if b'"schema"' in first and b'"properties"' in first:
            return "opensanctions"
        if b'"results"' in text or b'"entries"' in text:
            return "csl-json"
        return None
    first_line = text.split(b"\n", 1)[0].lower()
    columns = {c.strip().strip(b'"') for c in first_line.rstrip(b"\r").split(b",")}
    if {b"name", b"action", b"federal_register", b"effective"} <= columns:
        # the Entity List's changes (before the CSL: its "source_url" column
        # read as the CSL's "source")
        return "el-history"
    if b"source" in first_line and b"name" in first_line and b"," in first_line:
        return "csl"
    if re.match(rb"\d+,", text):
        return _ofac_csv(text)
    return None


def source_for_file(path: Path) -> Source:
    """The loader of the list in ``path``.

    Raises:
        InputError: the format is not one of the known list formats.
    """
    with path.open("rb") as handle:
        name = sniff(handle.read(HEAD))
    if name is None:
        raise InputError.single(
            f"not a list format chipgate reads; expected one of: {FORMATS}",
            source=path,
        )
    if name in NOT_ALONE:
        raise InputError.single(
            f"this file is {NOT_ALONE[name]}; it is no list by itself: give the "
            "list's main file, or a folder with all its files "
            "('chipgate lists update --from DIR')",
            source=path,
        )
    return next(cls for cls in REGISTRY if cls.name == name)()
