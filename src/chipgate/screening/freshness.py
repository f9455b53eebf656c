"""How old the lists in use are: the dates a decision was screened against.

A screening answer is only as good as the list date behind it, so every check
reports the date of each list it used and warns when one is older than
``settings.lists_max_age_days`` (default 30 days) or states no date at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from chipgate.screening.model import ListInfo
from chipgate.settings import Settings


def stale_lists(
    infos: Sequence[ListInfo], settings: Settings, today: date | None = None
) -> list[str]:
    """Warnings for lists older than the setting, or without a date."""
    day = today or datetime.now(UTC).date()
    return [w for info in infos if (w := staleness(info, settings, day)) is not None]


# A list dated up to this many days after today is taken as of today: a publisher
# ahead of UTC dates its file by its own calendar.
AHEAD_DAYS = 1


def staleness(info: ListInfo, settings: Settings, day: date) -> str | None:
    """The warning for one list on ``day``: older than the setting, of no stated
    date, or dated after ``day`` (a mistyped year would otherwise read as fresh
    for decades); None when it is known to be fresh enough.

    >>> from chipgate.screening.model import ListInfo
    >>> info = ListInfo("un", "UN", (), "2062-12-05", 2)
    >>> staleness(info, Settings(), date(2026, 12, 7))[:45]
    'list un is dated 2062-12-05, after today (202'
    """
    age = info.age_days(day)
    if age is None:
        return f"list {info.source} states no date: its age is unknown"
    if age < -AHEAD_DAYS:
        return (
            f"list {info.source} is dated {info.list_date}, after today "
            f"({day.isoformat()}): its age is unknown (a mistyped date?); check "
            "the file"
        )
    if age > settings.lists_max_age_days:
        return (
            f"list {info.source} is {age} days old (dated {info.list_date}; "
            f"limit {settings.lists_max_age_days} days): {_remedy(info.source)}"
        )
    return None


def _remedy(source: str) -> str:
    """What refreshes ``source``: the official downloads, which may bring a list
    that replaces it (the trade.gov CSL JSON replaces ``csl-2026``), or for a
    list that has no official download and none replacing it (``el-history``)
    a newer file supplied.

    >>> _remedy("un")
    "run 'chipgate lists update'"
    >>> _remedy("csl-2026")
    "run 'chipgate lists update' (the official csl-json replaces it)"
    >>> _remedy("el-history")[:34]
    'it has no official download: give '
    """
    from chipgate.screening.sources.base import REGISTRY

    if any(cls.name == source and not all(cls.urls) for cls in REGISTRY):
        for cls in REGISTRY:
            if source in cls.supersedes and all(cls.urls):
                return (
                    f"run 'chipgate lists update' (the official {cls.name} replaces it)"
                )
        return (
            "it has no official download: give a newer file with 'chipgate lists "
            "update FILE' ('chipgate lists update' keeps the one in use)"
        )
    return "run 'chipgate lists update'"


def list_dates(infos: Sequence[ListInfo]) -> tuple[str, ...]:
    """Each list used and its date, as a decision records them.

    >>> from chipgate.screening.model import ListInfo
    >>> list_dates([ListInfo("un", "UN", (), "2026-02-27", 1003)])
    ('un of 2026-02-27',)
    """
    return tuple(f"{i.source} of {i.list_date or 'no stated date'}" for i in infos)


def list_dates_note(infos: Sequence[ListInfo], settings: Settings) -> str:
    """One line naming each list used and its date, with any staleness warning.

    >>> from chipgate.screening.model import ListInfo
    >>> info = ListInfo("un", "UN", (), "2026-02-27", 1003)
    >>> list_dates_note([info], Settings(lists_max_age_days=9999))
    'screening lists: un of 2026-02-27'
    """
    used = ", ".join(list_dates(infos))
    warnings = stale_lists(infos, settings)
    return f"screening lists: {used}" + "".join(f"; warning: {w}" for w in warnings)
