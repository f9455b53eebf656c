"""``screen FILE`` on an executor: names screened by the workers, written in order.

Each worker loads the screening index once (``load_screener`` of the job's
settings) and screens chunks of names; the client reads the file as a stream, sends
a wave of chunks at a time (so memory stays bounded whatever the file's size) and
writes the results in input order, with every input column kept, as the
single-process run does (``screening.batch.screen_rows``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from chipgate.executors.dataset import write_dataset
from chipgate.executors.runner import Executor
from chipgate.facts import ScreeningHit
from chipgate.screening.batch import (
    PartyFile,
    ResultWriter,
    Row,
    output_rows,
    party_of,
    result_names,
)
from chipgate.screening.provider import load_screener
from chipgate.screening.screener import Screener
from chipgate.settings import Settings

NAMES_PER_TASK = 5_000
PARTIES_PER_PART = 100_000
"""Parties per part file of a screening written as a dataset."""
TASKS_PER_WAVE = 4
"""Chunks in flight per worker: enough to keep every worker busy, few enough that
the client holds only a few chunks of the file."""

_SCREENERS: dict[str, Screener] = {}


@dataclass(frozen=True)
class ScreenJob:
    """What every screening task needs (small; sent with each task)."""

    settings_json: str
    as_of: date | None


def _screener(settings_json: str) -> Screener:
    screener = _SCREENERS.get(settings_json)
    if screener is None:
        screener = load_screener(Settings.model_validate_json(settings_json))
        _SCREENERS[settings_json] = screener
    return screener


def screen_names(
    job: ScreenJob, names: Sequence[tuple[str, str | None]]
) -> list[list[ScreeningHit]]:
    """On a worker: the hits of each (name, country), in order, the task's
    names matched together (``Screener.screen_all``: their rankings made at
    once, as the local batch's workers do)."""
    screener = _screener(job.settings_json)
    return [list(hits) for hits in screener.screen_all(names, job.as_of)]


def screen_rows_on(
    executor: Executor,
    settings: Settings,
    parties: PartyFile,
    as_of: date | None = None,
) -> Iterator[tuple[Row, str, Sequence[ScreeningHit]]]:
    """``(row, name, hits)`` for every row of ``parties``, in input order."""
    job = ScreenJob(settings.model_dump_json(), as_of)
    task = functools.partial(screen_names, job)
    wave = max(1, executor.workers() * TASKS_PER_WAVE)
    rows = iter(parties.rows)
    while True:
        chunks = [list(islice(rows, NAMES_PER_TASK)) for _ in range(wave)]
        chunks = [c for c in chunks if c]
        if not chunks:
            return
        names = [[party_of(r, parties.name_column) for r in c] for c in chunks]
        for chunk, pairs, results in zip(
            chunks, names, executor.map(task, names), strict=True
        ):
            for row, (name, _country), hits in zip(chunk, pairs, results, strict=True):
                yield row, name, hits


Screened = tuple[Row, str, Sequence[ScreeningHit]]


def write_screened(
    output: Path,
    columns: list[str],
    results: Iterable[Screened],
    *,
    suffix: str,
    manifest: dict[str, Any],
) -> None:
    """Write screening results as the dataset ``output``: a part file (CSV, JSONL
    or Parquet, with the input's columns) per ``PARTIES_PER_PART`` parties in input
    order, and a manifest; all or nothing (``executors.dataset``)."""
    names = result_names(columns)

    def write_part(path: Path, chunk: list[Screened]) -> None:
        with ResultWriter(columns, path=path) as writer:
            for row, name, hits in chunk:
                for out in output_rows(row, name, hits, names):
                    writer.write(out)

    write_dataset(
        output,
        results,
        write_part,
        suffix=suffix,
        per_part=PARTIES_PER_PART,
        manifest={"job": "screen", **manifest},
    )
