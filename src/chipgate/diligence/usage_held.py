"""Usage records sent again are counted once: a new batch loses the records that
stored batches hold already.

The report sums every batch, so a record kept twice counts its compute twice. A
record carries no id of its own; it is known by its six values (customer, site
country, chip model, chip count, start and end to the microsecond, as validated).
A file sent again whole, or records re-sent among new ones (a retry split
otherwise, an export whose window overlaps the last), keep only what is new. Two
equal records inside one file are two jobs, and both count: copies are matched by
their occurrence (the n-th copy in the file against the n-th stored copy), so a
file holding a record twice, when the stored batches hold it once, keeps one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from chipgate.diligence.usage import REQUIRED

KEY = list(REQUIRED)
_FILE = "_held_file"
_COPY = "_held_copy"
_HELD = "_held_count"
_SENT = "_sent_count"


def _numbered(records: pl.LazyFrame) -> pl.LazyFrame:
    """Each record's key with its occurrence among equal records (0 for the first
    copy, 1 for the second...), so that copies are matched one to one."""
    return records.with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).over(KEY).alias(_COPY)
    )


@dataclass(frozen=True)
class Kept:
    """What is left of a batch once held records are left out."""

    rows: int
    """Records of the batch that are new."""
    held: int
    """Records of the batch that stored batches hold already (left out)."""
    held_in: tuple[int, ...]
    """The stored batches holding them, by id."""

    def then(self, later: Kept) -> Kept:
        """This, followed by a second pass over what it kept (``later``)."""
        return Kept(
            later.rows,
            self.held + later.held,
            tuple(sorted(set(self.held_in) | set(later.held_in))),
        )


def _count(path: Path) -> int:
    return int(pl.scan_parquet(path).select(pl.len()).collect().item())


def leave_out_held(batch: Path, held: Mapping[int, Path]) -> Kept:
    """Rewrite ``batch`` (a stored Parquet batch) without the records that the
    batches ``held`` (id to stored file) hold already; unchanged if none.

    The batch is rewritten to a temporary file and moved into place, so a failure
    leaves it whole. Batches whose file is missing are skipped (the report skips
    them too).
    """
    by_path = {str(p): i for i, p in held.items() if p.is_file()}
    if not by_path:
        return Kept(_count(batch), 0, ())
    mine = pl.scan_parquet(batch)
    first, last = (
        mine.select(
            pl.col("start").min().alias("first"), pl.col("start").max().alias("last")
        )
        .collect()
        .row(0)
    )
    if first is None:
        return Kept(0, 0, ())
    # only stored records starting within the batch's starts can equal one of its
    # records: the Parquet statistics skip the rest of the history unread
    stored = pl.scan_parquet(list(by_path), include_file_paths=_FILE).filter(
        pl.col("start").is_between(first, last)
    )
    # the stored copies of each record the batch holds (equal records share their
    # start, so all pass the filter together), and the batches holding them
    copies = stored.join(mine.select(KEY).unique(), on=KEY, how="semi")
    counts, files = pl.collect_all(
        [
            copies.group_by(KEY).agg(pl.len().alias(_HELD)),
            copies.select(pl.col(_FILE).unique()),
        ],
        engine="streaming",
    )
    if counts.height == 0:
        return Kept(_count(batch), 0, ())
    sent = _count(batch)
    tmp = batch.with_name(f".{batch.name}.held.tmp")
    _unheld(mine, counts.lazy()).sink_parquet(tmp)
    rows = _count(tmp)
    tmp.replace(batch)
    return Kept(rows, sent - rows, tuple(sorted(by_path[f] for f in files[_FILE])))


def _unheld(mine: pl.LazyFrame, held: pl.LazyFrame) -> pl.LazyFrame:
    """The records of ``mine`` that the stored copies (``held``: each key with its
    stored count) do not account for.

    Copies match one to one: a record the batch holds ``n`` times and the store
    ``h`` times keeps ``n - h`` copies (none when ``h >= n``). Only the records held
    fewer times than the batch holds them are numbered: a batch sent again whole
    numbers nothing, and pays one count of its records besides the anti-join.
    """
    surplus = (
        mine.group_by(KEY)
        .agg(pl.len().alias(_SENT))
        .join(held, on=KEY)
        .filter(pl.col(_SENT) > pl.col(_HELD))
        .select(*KEY, _HELD)
    )
    extra = (
        _numbered(mine.join(surplus, on=KEY))
        .filter(pl.col(_COPY) >= pl.col(_HELD))
        .drop(_COPY, _HELD)
    )
    return pl.concat([mine.join(held, on=KEY, how="anti"), extra])
