"""Loaders of the official lists, one ``Source`` class per list, in ``REGISTRY``.

Importing this package registers every loader; ``load_lists`` loops over them.
"""

from __future__ import annotations

from chipgate.screening.sources import (
    csl,
    csl_json,
    dpl,
    el_history,
    ftm,
    ofac,
    ofac_xml,
    un,
)
from chipgate.screening.sources.base import REGISTRY, Source, register
from chipgate.screening.sources.load import LoadedLists, load_lists, load_source

__all__ = [
    "REGISTRY",
    "LoadedLists",
    "Source",
    "csl",
    "csl_json",
    "dpl",
    "el_history",
    "ftm",
    "load_lists",
    "load_source",
    "ofac",
    "ofac_xml",
    "register",
    "un",
]
