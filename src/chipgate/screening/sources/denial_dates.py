"""When a Denied Persons List order is in force: its first order and its end.

The DPL (BIS's file and the CSL's DPL rows) dates each row by the order's
``Effective_Date`` / ``start_date``. For a temporary denial order (TDO), renewed
every 180 days, that is the *latest renewal*: the party was denied without a break
since the first order, so the renewal date as the listing date made a screen as of
any earlier day say "No match". The row's Federal Register citations list every
order, oldest first ("80 F.R. 30435 5/28/15, 80 F.R. 44930 7/28/15, ..."); the
listing date is the earliest of those dates and the effective date. A row with no
citation date is in force on every date (the safe side, as for any entry whose list
gives no date).

The row's ``Expiration_Date`` / ``end_date`` ends it only when it can be believed:

- an expiration on or before the list's own date is not an end: the list of that
  later date still holds the party, so the order was renewed or the row not yet
  updated (a TDO's stated expiration is routinely passed by its renewal), and the
  list answers "listed";
- a TDO's expiration after the list's date is not an end either: the renewal that
  usually follows is in a later list, which the list-age warning asks for; until
  then the party stays denied (the safe side). A row is read as a TDO when its text
  says so, or when its term is at most a year (``TEMPORARY_TERM_DAYS``): many TDO
  rows say only "F.R. NOTICE ADDED", and a TDO runs 180 days, or a year for
  some (15 CFR 766.24);
- any other order's expiration after the list's date (a fixed term: "DENIED UNTIL
  2056", a 10-year denial) ends it: as of that day the entry is not in force.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date

from chipgate.screening.model import ListEntry

_CITED_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TEMPORARY = re.compile(r"\bTDO\b|TEMPORARY DENIAL", re.IGNORECASE)
TEMPORARY_TERM_DAYS = 366
"""The longest term read as a temporary denial order's (15 CFR 766.24: 180 days,
renewable; up to a year for some)."""


def _day(month: str, day: str, year: str) -> str | None:
    full = (
        int(year)
        if len(year) == 4
        else 1900 + int(year) + (100 if int(year) < 70 else 0)
    )
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{full:04d}-{int(month):02d}-{int(day):02d}"


def us_date(text: str | None) -> str | None:
    """An MM/DD/YYYY date as ISO, or an ISO date kept; None otherwise.

    >>> us_date("05/13/2022"), us_date("2022-05-16"), us_date("")
    ('2022-05-13', '2022-05-16', None)
    """
    value = (text or "").strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    match = _US_DATE.match(value)
    return _day(*match.groups()) if match else None


def first_order_day(citations: str | None) -> str | None:
    """The earliest date in a row's Federal Register citations (ISO).

    >>> first_order_day("80 F.R. 30435 5/28/15, 86 F.R. 66277 11/22/2021")
    '2015-05-28'
    >>> first_order_day("50 F.R. 45138 10/30/85 and 50 F.R. 52982 12/27/85")
    '1985-10-30'
    """
    days = [_day(*m.groups()) for m in _CITED_DAY.finditer(citations or "")]
    return min((d for d in days if d), default=None)


def denial_start(effective: str | None, citations: str | None) -> str | None:
    """The day from which a DPL row is in force: its first order's, as far as the
    row tells; None (every date) when no citation date can be read.

    >>> denial_start("2022-05-13", "80 F.R. 30435 5/28/15, 87 F.R. 1 5/13/22")
    '2015-05-28'
    >>> denial_start("2001-03-01", "66 F.R. 13999 3/8/01"), denial_start("2022-05-13", "")
    ('2001-03-01', None)
    """
    first = first_order_day(citations)
    if first is None:
        return None
    return min(first, effective) if effective else first


def denial_end(
    expiration: str | None, list_date: str | None, *, temporary: bool
) -> str | None:
    """The day from which a DPL row is no longer in force, where it can be believed.

    >>> denial_end("2056-06-29", "2022-09-02", temporary=False)
    '2056-06-29'
    >>> denial_end("2022-05-16", "2022-09-02", temporary=False) is None
    True
    >>> denial_end("2022-11-09", "2022-09-02", temporary=True) is None
    True
    """
    if not expiration or temporary or not list_date or expiration <= list_date:
        return None
    return expiration


def temporary_term(effective: str | None, expiration: str | None) -> bool:
    """Whether a row's term, effective to expiration, is a temporary order's.

    >>> temporary_term("2022-04-07", "2022-10-04"), temporary_term("2016-06-29", "2056-06-29")
    (True, False)
    """
    if not effective or not expiration:
        return False
    try:
        days = (date.fromisoformat(expiration) - date.fromisoformat(effective)).days
    except ValueError:
        return False
    return 0 <= days <= TEMPORARY_TERM_DAYS


def with_denial_ends(
    entries: Iterable[ListEntry], list_date: str | None
) -> Iterator[ListEntry]:
    """The entries, each DPL row's ``end_date`` set from its stated expiration."""
    for entry in entries:
        if entry.list_code != "DPL":
            yield entry
            continue
        raw: Mapping[str, str] = entry.raw
        stated = us_date(raw.get("end_date") or raw.get("Expiration_Date"))
        history = " ".join(raw.get(k, "") for k in ("Action", "remarks"))
        effective = us_date(raw.get("start_date") or raw.get("Effective_Date"))
        temporary = bool(_TEMPORARY.search(history)) or temporary_term(
            effective, stated
        )
        end = denial_end(stated, list_date, temporary=temporary)
        yield replace(entry, end_date=end) if end else entry
