"""Dates as the contract writes them: exactly ``YYYY-MM-DD``.

Python's ``date.fromisoformat`` (3.11 and later) also reads ``20250601``, ISO week
dates (``2025-W23-1``, ``2025W01`` for 2024-12-30) and ordinal dates; an order file,
a license file or a ``--as-of`` that says ``YYYY-MM-DD`` takes that form only.
"""

from __future__ import annotations

import re
from datetime import date

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """``text`` as a date written ``YYYY-MM-DD``.

    >>> parse_day("2025-06-01")
    datetime.date(2025, 6, 1)

    Raises:
        ValueError: another form (``20250601``, ``2025-W23-1``) or no such day
            (``2025-02-30``).
    """
    if not DAY.fullmatch(text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    return date.fromisoformat(text)
