"""Names typed or uploaded on the console's screening page, read as parties.

One party a line, ``name[,country]``, or a CSV file with a header naming its
columns as a batch file of ``chipgate screen`` does (``name``, ``party``,
``consignee`` or ``end_user``; ``country``). Split as CSV, so a quoted name
keeps its commas and loses its quotes, and an unquoted "Acme, Inc." stays one
name: read a line at a time on its last comma, a header was screened as a
party ("name,country"), a quoted name kept its quotes and a file's byte-order
mark stuck to its first name.
"""

from __future__ import annotations

import csv
import io

from chipgate.console.api import ApiError
from chipgate.screening.batch import NAME_COLUMNS


def parties_of(text: str) -> list[dict[str, str]]:
    r"""The parties of ``text``: ``{"name": ..., "country": ...}``, the country
    only where one is given (an ISO code of two letters after the last comma,
    or the ``country`` column).

    >>> parties_of("Huawei Technologies, CN\n\nNordlicht GmbH")
    [{'name': 'Huawei Technologies', 'country': 'CN'}, {'name': 'Nordlicht GmbH'}]
    >>> parties_of('\ufeffid,name,country\n7,"Acme, Inc.",cn\n8,Beta,')
    [{'name': 'Acme, Inc.', 'country': 'CN'}, {'name': 'Beta'}]
    >>> parties_of("Acme, Inc.\n\"Acme, Inc.\", DE")
    [{'name': 'Acme, Inc.'}, {'name': 'Acme, Inc.', 'country': 'DE'}]

    Raises:
        ApiError: 422, a record the csv module cannot split (a quote left
            open), with its line.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    try:
        records = [cells for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise ApiError(422, f"line {reader.line_num}: not CSV ({exc})") from None
    if not records:
        return []
    header = [cell.strip().lower() for cell in records[0]]
    named = next((c for c in NAME_COLUMNS if c in header), None)
    if named is None:
        return [party for cells in records if (party := _line_party(cells))]
    at = header.index(named)
    country_at = header.index("country") if "country" in header else None
    parties = []
    for cells in records[1:]:
        name = cells[at].strip() if at < len(cells) else ""
        if not name:
            continue
        party = {"name": name}
        if (
            country_at is not None
            and country_at < len(cells)
            and cells[country_at].strip()
        ):
            party["country"] = cells[country_at].strip().upper()
        parties.append(party)
    return parties


def _line_party(cells: list[str]) -> dict[str, str]:
    """One line's party: the cells rejoined as written, the last one the
    country when it is two letters."""
    last = cells[-1].strip()
    if len(cells) > 1 and len(last) == 2 and last.isalpha():
        return {"name": ",".join(cells[:-1]).strip(), "country": last.upper()}
    name = ",".join(cells).strip()
    return {"name": name} if name else {}
