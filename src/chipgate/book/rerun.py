"""A book checked again after its commit: what its own orders already hold.

The order-by-order path reads the whole book before deciding, so it knows the
book's ids (``commit.own_draws``). The column-wise path and a partitioned run
gather every order's facts while they read, so the book's committed draws must be
known before the first chunk: this module reads the ids alone, once, and only when
the ledger holds any committed draw at all (a fresh ledger costs one row read).
Without it a committed book checked again to a file met its own draws twice and
its licensed orders came out ``license_required``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

from chipgate.book.batch import Fallback, read_chunks
from chipgate.errors import InputError
from chipgate.ledger import Ledger
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.reader import READERS, book_rows


def book_files(path: Path) -> list[Path]:
    """The files of a book: the file itself, or a folder's book files (as a
    partitioned run takes them)."""
    if not path.is_dir():
        return [path]
    return sorted(
        p
        for p in path.iterdir()
        if p.is_file()
        and p.suffix.lower() in READERS
        and not p.name.startswith((".", "_"))
    )


def _file_ids(path: Path, mapping: ColumnMapping | None) -> Iterator[str]:
    """The ids of one file, column-wise where the file reads so, else row by row.

    A file neither reader takes gives no ids: the check that follows names what is
    wrong with it.
    """
    ids: list[str] = []
    try:
        for frame in read_chunks(path, mapping):
            ids.extend(frame["id"].str.strip_chars().drop_nulls().to_list())
    except Fallback:
        return iter(_kept_ids(path, mapping, set()))
    return iter(ids)


def _kept_ids(path: Path, mapping: ColumnMapping | None, lines: set[int]) -> list[str]:
    """The ids of one file but those on ``lines`` (rows a run left out), read row
    by row: only the row reader numbers the lines as the run's problems do."""
    ids: list[str] = []
    try:
        for line, row, _plan in book_rows(path, mapping):
            value = row.get("id")
            if value is not None and line not in lines:
                ids.append(str(value).strip())
    except InputError:
        return []
    return ids


def book_own_draws(
    ledger: Ledger,
    path: Path,
    mapping: ColumnMapping | None = None,
    left_out: Collection[tuple[str, int]] = (),
) -> dict[tuple[str, str], float]:
    """What the orders of the book at ``path`` already hold on the ledger, per
    account and unit (``Checker.own_draws``); empty on a ledger with no draw.

    ``left_out`` names rows (file, line) a ``--keep-going`` run leaves out: their
    orders are not decided again, so what they committed stays in the balances, as
    the single-file path counts the draws of the good orders alone.
    """
    if not ledger.holds_draws():
        return {}
    lines: dict[str, set[int]] = {}
    for source, line in left_out:
        lines.setdefault(source, set()).add(line)
    ids = [
        i
        for f in book_files(path)
        for i in (
            _kept_ids(f, mapping, lines[str(f)])
            if str(f) in lines
            else _file_ids(f, mapping)
        )
        if i
    ]
    return ledger.committed_draws(list(dict.fromkeys(ids)))
