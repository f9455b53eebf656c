"""Restricted-party screening: list loaders, name normalization, index and matcher.

``load_screener(settings)`` gives the ``PartyScreener`` the engine consumes.
"""

from __future__ import annotations

from chipgate.screening.features import FeatureResult
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.matcher import Match, NameMatcher
from chipgate.screening.model import FileInfo, ListEntry, ListInfo
from chipgate.screening.normalize import NormalizedName, normalize
from chipgate.screening.provider import load_index, load_screener, update_lists
from chipgate.screening.screener import Screener

__all__ = [
    "FeatureResult",
    "FileInfo",
    "ListEntry",
    "ListInfo",
    "Match",
    "NameMatcher",
    "NormalizedName",
    "Screener",
    "ScreeningIndex",
    "build_index",
    "load_index",
    "load_screener",
    "normalize",
    "update_lists",
]
