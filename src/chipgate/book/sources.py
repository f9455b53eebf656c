"""Loads the fact sources a check uses from the settings: screening, ledger, location.

Each source is optional. A check without list files still decides and says that it
did not screen; the ledger (embedded SQLite by default) is always there.
"""

from __future__ import annotations

from chipgate.book.pipeline import FactSources
from chipgate.ledger import Ledger
from chipgate.location.provider import load_location_source
from chipgate.screening.freshness import list_dates_note
from chipgate.screening.provider import active_lists_dir, load_screener
from chipgate.settings import Settings


def load_sources(
    settings: Settings, *, screening: bool = True, ledger: Ledger | None = None
) -> FactSources:
    """Build the fact sources the settings make available.

    Location alerts are read once, as a snapshot, so every order of a run meets the
    same alerts; the ledger is asked as orders need it, since a run's own draws
    change its balances.
    """
    sources = FactSources()
    if screening:
        folder = active_lists_dir(settings.data_dir, settings.lists_dir)
        if folder.is_dir():
            screener = load_screener(settings, sources.notes)
            sources.screener = screener
            sources.notes.append(list_dates_note(screener.infos, settings))
        else:
            sources.notes.append(
                f"screening skipped: no list folder at {folder} (set CHIPGATE_LISTS_DIR)"
            )
    else:
        sources.notes.append("screening skipped (--no-screening)")
    store = ledger or Ledger.open(settings)
    sources.licenses = store
    sources.balances = store
    sources.compute_bases = store
    location = load_location_source(settings)
    try:
        sources.location = location.snapshot()
    finally:
        location.engine.dispose()  # the snapshot holds the alerts; free the pool
    return sources
