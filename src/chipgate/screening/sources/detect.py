"""Which list a single downloaded file is, read from its first bytes.

``chipgate lists update FILE_OR_URL`` takes the file a user downloaded today, under
whatever name it was saved: the format decides the loader, and the file is staged
under that loader's path in the lists folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from chipgate.errors import InputError
from chipgate.screening.sources.base import REGISTRY, Source

HEAD = 1 << 16
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)[\s>/]")
XML_ROOTS = {b"sdnList": "ofac-sdn-xml", b"CONSOLIDATED_LIST": "un"}
FORMATS = (
    "trade.gov CSL (JSON or CSV), OFAC SDN (XML or CSV), UN consolidated XML, "
    "OpenSanctions FollowTheMoney JSON, the Entity List's changes (el-history CSV)"
)


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
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        root = _xml_root(text)
        return XML_ROOTS.get(root) if root else None
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
        return "ofac-sdn"
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
    return next(cls for cls in REGISTRY if cls.name == name)()
