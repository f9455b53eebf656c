"""Loads the fact sources a check uses from the settings (screening, ledger, location).

Each source is optional: a check without list files still decides, and says that it
did not screen.
"""

from __future__ import annotations

from chipgate.pipeline import FactSources
from chipgate.settings import Settings


def load_sources(settings: Settings, *, screening: bool = True) -> FactSources:
    """Build the fact sources the settings make available."""
    sources = FactSources()
    if screening:
        sources.notes.append("screening: not available in this build")
    return sources
