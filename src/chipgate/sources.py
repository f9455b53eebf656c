"""Loads the fact sources a check uses from the settings: screening, ledger, location.

Each source is optional. A check without list files still decides and says that it
did not screen; the ledger (embedded SQLite by default) is always there.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from chipgate.facts import LocationAlert, LocationSource
from chipgate.ledger import Ledger
from chipgate.location.provider import load_location_source
from chipgate.pipeline import FactSources
from chipgate.screening.provider import active_lists_dir, load_screener
from chipgate.settings import Settings


def load_sources(
    settings: Settings, *, screening: bool = True, ledger: Ledger | None = None
) -> FactSources:
    """Build the fact sources the settings make available."""
    sources = FactSources()
    if screening:
        folder = active_lists_dir(settings.data_dir, settings.lists_dir)
        if folder.is_dir():
            sources.screener = load_screener(settings)
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
    sources.location = _MemoLocation(load_location_source(settings))
    return sources


class _MemoLocation:
    """Asks the store once per party and run: a book names the same owners often."""

    def __init__(self, inner: LocationSource) -> None:
        self._alerts = lru_cache(maxsize=65536)(self._fetch)
        self._inner = inner

    def _fetch(self, party: str) -> tuple[LocationAlert, ...]:
        return tuple(self._inner.alerts_for(party))

    def alerts_for(self, party: str) -> Sequence[LocationAlert]:
        """Open diversion alerts for chips owned by ``party``."""
        return self._alerts(party)
