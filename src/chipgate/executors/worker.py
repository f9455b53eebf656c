"""What a worker process loads once and keeps: the checker of a job's settings.

A Dask worker runs many partitions; loading the regime packs, the chip catalog and
the screening index for each would cost more than deciding a partition. The cache
is keyed by the job's settings, so one worker can serve two jobs with other stores.
"""

from __future__ import annotations

from chipgate.book.pipeline import Checker
from chipgate.book.sources import load_sources
from chipgate.decide.engine import Engine
from chipgate.ledger import Ledger
from chipgate.settings import Settings

_CHECKERS: dict[tuple[str, bool], Checker] = {}


def worker_checker(settings_json: str, screening: bool) -> Checker:
    """The checker for these settings, built on the first call in this process."""
    key = (settings_json, screening)
    checker = _CHECKERS.get(key)
    if checker is None:
        settings = Settings.model_validate_json(settings_json)
        ledger = Ledger.open(settings)
        sources = load_sources(settings, screening=screening, ledger=ledger)
        checker = Checker(Engine(), sources)
        _CHECKERS[key] = checker
    return checker


def loaded_checkers() -> int:
    """How many checkers this process has built (tests: loaded once per worker)."""
    return len(_CHECKERS)
