"""What a worker process loads once and keeps: the checker of a job's settings.

A Dask worker runs many partitions; loading the regime packs, the chip catalog and
the screening index for each would cost more than deciding a partition. The cache
is keyed by the job's settings, so one worker can serve two jobs with other stores.
"""

from __future__ import annotations

from typing import Any

from chipgate.book.batch import TemplateCache
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


_TEMPLATES: dict[tuple[Any, ...], TemplateCache] = {}


def job_key(job: Any) -> tuple[Any, ...]:
    """What the decided distinct orders of a check depend on besides the order:
    the settings (stores, lists), screening, the regime asked for, the date and the
    book's own committed draws."""
    return (job.settings_json, job.screening, job.regime, job.as_of, job.own_draws)


def worker_templates(key: tuple[Any, ...]) -> TemplateCache:
    """The decided distinct orders of the job ``key``, kept across the partitions
    this process runs (only the latest job's, so memory stays bounded)."""
    cache = _TEMPLATES.get(key)
    if cache is None:
        _TEMPLATES.clear()
        cache = _TEMPLATES[key] = TemplateCache()
    return cache
