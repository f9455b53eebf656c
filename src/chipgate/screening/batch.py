"""Batch screening files, streamed: read parties in chunks, write results as they come.

Inputs are CSV, JSONL or Parquet, chosen by file extension; outputs CSV, JSONL or
Parquet the same way. Every input row appears in the output with all of its own
columns (so results join back), once per match, or once with empty match columns and
``status`` ``no match``. Neither the input nor the output is held in memory whole: a
million names take the memory of one chunk plus the index.
"""

from __future__ import annotations

import csv
import gc
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from chipgate.collector import paused_gc
from chipgate.countries.registry import iso_code, not_an_iso_code
from chipgate.errors import InputError
from chipgate.facts import ScreeningHit
from chipgate.limits import PARTY_NAME_MAX
from chipgate.outputs import check_output_path, spreadsheet_safe
from chipgate.screening.affinity import in_order
from chipgate.screening.sources.readers import json_objects
from chipgate.textfiles import csv_cells, csv_header, past_header

FORMATS = (".csv", ".jsonl", ".parquet")
NAME_COLUMNS = ("name", "party", "consignee", "end_user")
CHUNK = 20_000
# Result columns, after the input's own; a name the input already uses gets the
# prefix ``screen_``.
RESULT_COLUMNS = (
    "query",
    "status",
    "list_code",
    "list_name",
    "entry_id",
    "matched_name",
    "score",
    "is_hit",
    "license_requirement",
    "license_policy",
    "federal_register",
    "footnotes",
    "entry_country",
    "listed_from",
    "list_date",
    "explanation",
)
NO_MATCH, POSSIBLE, HIT = "no match", "possible match", "hit"
# A row whose name cell is empty: not screened, so not "no match", which an
# officer reads as a party found on no list.
NO_NAME = "no name"


def file_format(path: Path) -> str:
    """A party or result file's type by its suffix, refused when it is none we read
    and write."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError.single(
            f"unsupported file type '{suffix}'; expected one of {', '.join(FORMATS)}",
            source=path,
        )
    return suffix


Row = dict[str, Any]
Party = tuple[str, str | None]  # (name, country)


def _csv_rows(path: Path) -> Iterator[tuple[list[str], int, Row]]:
    """Each record as ``(header, line, row)``: the line it starts on, a cell the
    record lacks None, empty cells None; records with no text left out.

    Split as an order book is (``textfiles.csv_records``: strict quoting, UTF-8
    checked line by line on error), since a lenient reader loses names without
    a word: an unterminated quote ran the rest of the file into one name, and a
    name with an unquoted comma ("Acme, Inc.") was screened as "Acme", the
    cell past the header dropped.

    Raises:
        InputError: a record with text past the header's cells, malformed CSV or
            bytes that are not UTF-8, each with its line.
    """
    header = csv_header(path)
    width = len(header)
    for line, values in csv_cells(path):
        if (problem := past_header(values, width)) is not None:
            raise InputError.single(problem, source=path, line=line)
        row = {k: (v or None) for k, v in zip(header, values, strict=False)}
        if len(values) < width:
            for key in header[len(values) :]:
                row[key] = None
        yield header, line, row


def _jsonl_rows(path: Path) -> Iterator[tuple[list[str], int, Row]]:
    """Each line's object with the keys of every line of the file, in the order
    they first appear: the file is read once for them before the rows are
    streamed, since the output's columns are fixed before its first row and a key
    only later lines have was dropped from a CSV or Parquet output (and a later
    key named as a result column was overwritten, not kept beside ``screen_``)."""
    seen: dict[str, None] = {}
    for _, row in json_objects(path):
        seen.update(dict.fromkeys(row))
    header = list(seen)
    for line, row in json_objects(path):
        yield header, line, row


def _parquet_rows(path: Path) -> Iterator[tuple[list[str], int, Row]]:
    """Each row with its place counted as a CSV's line would be (the header
    line 1)."""
    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    header = list(handle.schema_arrow.names)
    line = 1
    for batch in handle.iter_batches(batch_size=CHUNK):
        for row in batch.to_pylist():
            line += 1
            yield header, line, row


SCREENED_COLUMN = "screen_column"
"""Output column naming the party column a row screened, when a file has several."""


@dataclass
class PartyFile:
    """The rows of a party file, streamed, and the columns holding the names.

    With several name columns each input row comes once per column, tagged with
    ``SCREENED_COLUMN`` (``party_of`` reads the name from the column it names).
    """

    path: Path
    name_column: str
    columns: list[str]
    rows: Iterator[Row]
    name_columns: tuple[str, ...] = ()


def open_parties(
    path: Path, name_column: str | Sequence[str] | None = None
) -> PartyFile:
    """Open a CSV, JSONL or Parquet file of parties for streaming.

    The name columns are those given (``name_column``), else every one of
    ``name``, ``party``, ``consignee``, ``end_user`` the file has: a file with a
    consignee and an end user screened only the consignee, and a listed end
    user's row read "no match". ``country`` is optional.

    Raises:
        InputError: unreadable file, unknown type, no name column, a column
            given that the file lacks, or a column named twice in the header.
    """
    kind = file_format(path)
    reader: Callable[[Path], Iterator[tuple[list[str], int, Row]]] = {
        ".csv": _csv_rows,
        ".jsonl": _jsonl_rows,
        ".parquet": _parquet_rows,
    }[kind]
    try:
        stream = reader(path)
        first = next(stream, None)
    except OSError as exc:
        raise InputError.single(f"cannot read file: {exc}", source=path) from exc
    header = first[0] if first else _header_only(path, kind)
    given = (name_column,) if isinstance(name_column, str) else name_column
    wanted = tuple(dict.fromkeys(given)) if given else NAME_COLUMNS
    if first is None and kind == ".jsonl":
        # no line, so no keys to look for a name in: no party, as a CSV of a
        # header alone
        return PartyFile(path, wanted[0], [], iter(()))
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:  # the second cell replaced the first in every row
        raise InputError.single(
            f"column {', '.join(twice)} named twice in the header",
            source=path,
            line=1,
        )
    names = tuple(c for c in wanted if c in header)
    lacking = [c for c in wanted if c not in header] if given else []
    if not names or lacking:
        raise InputError.single(
            f"no name column {', '.join(lacking or wanted)}; expected "
            f"{'each' if lacking else 'one'} of {', '.join(wanted)}, "
            f"found {', '.join(header)}",
            source=path,
            line=1,
        )
    if SCREENED_COLUMN in header:
        raise InputError.single(
            f"the file has a column {SCREENED_COLUMN!r}, which the output uses to "
            "say which party column a row screened",
            source=path,
            line=1,
        )
    column = names[0]

    def checked(line: int, row: Row) -> Row:
        for one in names:
            _check_name(row.get(one), line, one)
        country = str(row.get("country") or "").strip()
        if country and iso_code(country) is None:
            # "China" was compared with no entry's country, in silence; an
            # order book refuses it the same way
            raise InputError.single(
                not_an_iso_code(country), source=path, line=line, field="country"
            )
        return row

    def _check_name(name: Any, line: int, column: str) -> None:
        if isinstance(name, list | dict | tuple):
            # a JSON list or object, a Parquet list column: screened as its
            # Python text ("['A', 'B']") it met nothing
            raise InputError.single(
                f"a name must be text, not a {type(name).__name__}",
                source=path,
                line=line,
                field=column,
            )
        if name is not None and len(str(name)) > PARTY_NAME_MAX:
            raise InputError.single(
                f"a name of {len(str(name))} characters, more than the "
                f"{PARTY_NAME_MAX} allowed",
                source=path,
                line=line,
                field=column,
            )

    def rows() -> Iterator[Row]:
        if first is not None:
            yield checked(first[1], first[2])
        for _, line, row in stream:
            yield checked(line, row)

    if len(names) == 1:
        return PartyFile(path, column, list(header), rows(), names)

    def each_party() -> Iterator[Row]:
        for row in rows():
            for one in names:
                yield {**row, SCREENED_COLUMN: one}

    return PartyFile(path, column, [*header, SCREENED_COLUMN], each_party(), names)


def _header_only(path: Path, kind: str) -> list[str]:
    """The columns of a file without rows: a CSV's header (an empty file is an
    error, ``csv_header``), a Parquet file's schema; none for JSONL, whose
    columns are its lines' keys."""
    if kind == ".csv":
        return csv_header(path)
    if kind == ".parquet":
        return list(pq.read_schema(path).names)
    return []


def party_of(row: Row, name_column: str) -> tuple[str, str | None]:
    """``(name, country)`` of one input row (of the party column it is tagged
    with, ``SCREENED_COLUMN``, when the file has several)."""
    name = row.get(row.get(SCREENED_COLUMN) or name_column)
    country = str(row.get("country") or "").strip()
    return (str(name) if name is not None else "", country or None)


def status_of(hits: Sequence[ScreeningHit], query: str) -> str:
    """``hit``, ``possible match`` or ``no match`` for one party's results;
    ``no name`` for a row without a name (``NO_NAME``).

    >>> status_of((), "Acme Trading"), status_of((), "  ")
    ('no match', 'no name')
    """
    if any(h.is_hit for h in hits):
        return HIT
    if hits:
        return POSSIBLE
    return NO_MATCH if query.strip() else NO_NAME


def result_names(columns: Sequence[str]) -> dict[str, str]:
    """Output name of each result column, prefixed where the input has it."""
    taken = set(columns)
    return {c: f"screen_{c}" if c in taken else c for c in RESULT_COLUMNS}


_NO_MATCH_VALUES = (None,) * (len(RESULT_COLUMNS) - 2)


def _match_values(hit: ScreeningHit | None, query: str, status: str) -> tuple[Any, ...]:
    """The result columns' values, in the order of ``RESULT_COLUMNS``."""
    if hit is None:
        return (query, status, *_NO_MATCH_VALUES)
    return (
        query,
        status,
        hit.list_code,
        hit.list_name,
        hit.entry_id,
        hit.matched_name,
        hit.score,
        hit.is_hit,
        hit.license_requirement,
        hit.license_policy,
        hit.federal_register,
        ",".join(hit.footnotes),
        hit.entry_country,
        hit.listed_from,
        hit.list_date,
        hit.explanation,
    )


def output_rows(
    row: Row, query: str, hits: Sequence[ScreeningHit], names: dict[str, str]
) -> Iterator[Row]:
    """The input row once per match (or once with empty match columns)."""
    status = status_of(hits, query)
    found: Sequence[ScreeningHit | None] = hits or [None]
    keys = [names[c] for c in RESULT_COLUMNS]
    for hit in found:
        out = dict(row)
        out.update(zip(keys, _match_values(hit, query, status), strict=True))
        yield out


@dataclass
class ResultWriter:
    """Writes result rows to a CSV, JSONL or Parquet file (or a text stream).

    The file is written under a temporary name and renamed on success, so a failed
    run never leaves a half-written result.
    """

    input_columns: list[str]
    path: Path | None = None
    stream: IO[str] | None = None
    kind: str = ".jsonl"
    _tmp: Path | None = None
    _handle: IO[Any] | None = None
    _csv: Any = None
    _columns: list[str] = field(default_factory=list)
    _parquet: pq.ParquetWriter | None = None
    _pending: list[Row] = field(default_factory=list)
    _names: dict[str, str] = field(default_factory=dict)
    _cells: list[tuple[str, int]] = field(default_factory=list)
    _plain: bool = False

    @property
    def columns(self) -> list[str]:
        """The input's columns, then the result columns."""
        return [*self.input_columns, *result_names(self.input_columns).values()]

    def __enter__(self) -> ResultWriter:
        if self.path is not None:
            self.kind = file_format(self.path)
            check_output_path(self.path)
            self._tmp = self.path.with_name(f".{self.path.name}.tmp")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.kind != ".parquet":
                    self._handle = self._tmp.open("w", encoding="utf-8", newline="")
            except OSError as exc:  # a folder not writable, a file as a folder
                raise InputError.single(
                    f"cannot write the results: {exc.strerror or exc}",
                    source=self.path,
                ) from exc
        else:
            self._handle = self.stream
        if self.kind == ".csv":
            assert self._handle is not None
            self._columns = self.columns
            self._csv = csv.writer(self._handle)
            self._csv.writerow(self._columns)
            # each column's cell: a result value (its place in
            # ``RESULT_COLUMNS``; a result column overrides an input column of
            # the same name, as ``output_rows`` does) or the input row's value
            self._names = result_names(self.input_columns)
            place = {name: at for at, name in enumerate(self._names.values())}
            self._cells = [(c, place.get(c, -1)) for c in self._columns]
            # no input column named as a result column: each row is its input
            # cells, then the result values in order (``write_result``)
            self._plain = set(self.input_columns).isdisjoint(self._names.values())
        return self

    def write_result(
        self, row: Row, query: str, hits: Sequence[ScreeningHit], names: dict[str, str]
    ) -> None:
        """Write ``output_rows(row, query, hits, names)``: for CSV each row's cells
        straight from the input row and the result values, the dict of
        ``output_rows`` not made (a million rows of 18 cells)."""
        if self.kind != ".csv" or names != self._names:
            for out in output_rows(row, query, hits, names):
                self.write(out)
            return
        status = status_of(hits, query)
        if self._plain:
            # the input's cells, then the result's: made and checked once a row
            head = [spreadsheet_safe(v) for v in map(row.get, self.input_columns)]
            if not hits:  # most rows: no match, one row of empty result cells
                self._csv.writerow(
                    [*head, spreadsheet_safe(query), status, *_NO_MATCH_VALUES]
                )
                return
            for found in hits:
                values = _match_values(found, query, status)
                self._csv.writerow([*head, *map(spreadsheet_safe, values)])
            return
        get, write_cells = row.get, self._write_cells
        for hit in hits or (None,):
            values = _match_values(hit, query, status)
            write_cells(
                values[at] if at >= 0 else get(column) for column, at in self._cells
            )

    def _write_cells(self, cells: Iterable[Any]) -> None:
        """One CSV row; a text cell a spreadsheet would run as a formula gets an
        apostrophe (``outputs.spreadsheet_safe``)."""
        self._csv.writerow(list(map(spreadsheet_safe, cells)))

    def write(self, row: Row) -> None:
        """Write one row (buffered per chunk for Parquet)."""
        if self.kind == ".csv":
            # a column the row lacks is an empty cell, one the header lacks is left out
            self._write_cells(map(row.get, self._columns))
        elif self.kind == ".jsonl":
            assert self._handle is not None
            self._handle.write(orjson.dumps(row, default=str).decode() + "\n")
        else:
            self._pending.append(row)
            if len(self._pending) >= CHUNK:
                self._flush()

    def _schema(self) -> pa.Schema:
        names = result_names(self.input_columns)
        typed = {names["score"]: pa.float64(), names["is_hit"]: pa.bool_()}
        return pa.schema([(c, typed.get(c, pa.string())) for c in self.columns])

    def _flush(self, final: bool = False) -> None:
        if not self._pending and not (final and self._parquet is None):
            return
        schema = self._schema()
        data = {
            c: [_cell(r.get(c), schema.field(c).type) for r in self._pending]
            for c in self.columns
        }
        if self._parquet is None:
            assert self._tmp is not None
            self._parquet = pq.ParquetWriter(self._tmp, schema)
        self._parquet.write_table(pa.table(data, schema=schema))
        self._pending.clear()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.kind == ".parquet":
            if error is None:
                self._flush(final=True)
            if self._parquet is not None:
                self._parquet.close()
        elif self.path is not None and self._handle is not None:
            self._handle.close()
        if self._tmp is not None and self.path is not None:
            if error is None:
                self._tmp.replace(self.path)
            else:
                self._tmp.unlink(missing_ok=True)


def _cell(value: Any, kind: pa.DataType) -> Any:
    """A value for a Parquet column: input values of any type become text."""
    if value is None or kind != pa.string() or isinstance(value, str):
        return value
    return str(value)


PARALLEL_CHUNK = 2_000
# rows screened together in one process: enough for the batched ranking to pay,
# few enough that the first results are written at once
SERIAL_CHUNK = 256
_WORKER: tuple[Any, Any] | None = None  # (screener, as_of) inherited by forked workers


def _screen_chunk(parties: list[Party]) -> list[tuple[ScreeningHit, ...]]:
    """Screen one chunk in a worker, the cyclic collector kept off its objects.

    Screening a name makes thousands of short-lived objects, freed by reference
    counting, and leaves entries in the caches (word expansions, word
    similarities, remembered results): some 170,000 tracked objects a chunk, none
    in a reference cycle. With the collector merely paused, its first pass after
    the chunk walked all of them (60 ms a chunk), and its older generations
    walked the caches again and again as they grew: a tenth of a worker's time,
    and more the longer the file. So what survives the chunk is frozen
    (``gc.freeze``) like the index: no collection walks it again, and what a
    cache drops later is still freed by reference counting.
    """
    assert _WORKER is not None
    screener, as_of = _WORKER
    with paused_gc():
        # the chunk's names matched together (``Screener.screen_all``)
        found = [tuple(hits) for hits in screener.screen_all(parties, as_of)]
        gc.freeze()
    return found


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_rows(
    screener: Any,
    parties: PartyFile,
    as_of: Any = None,
    workers: int = 1,
) -> Iterator[tuple[Row, str, Sequence[ScreeningHit]]]:
    """``(row, name, hits)`` for every row of ``parties``, in input order.

    With ``workers`` > 1 the rows are screened in chunks by forked processes that
    share the index copy-on-write (on platforms with ``fork``), each distinct name
    by the worker of its family (``affinity``); the file is still read and
    written as a stream, a few chunks ahead at most.
    """
    global _WORKER
    column = parties.name_column
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        # in chunks too, so that a chunk's names are matched together
        # (``Screener.screen_all``) as in the workers: a fifth less CPU a name
        for chunk in _chunks(parties.rows, SERIAL_CHUNK):
            names = [party_of(row, column) for row in chunk]
            found = screener.screen_all(names, as_of)
            for row, (name, _), hits in zip(chunk, names, found, strict=True):
                yield row, name, hits
        return
    # the tables the matcher builds on first use, built once here and shared
    # copy-on-write, not once in every worker
    screener.warm()
    _WORKER = (screener, as_of)
    chunks = _chunks(parties.rows, PARALLEL_CHUNK)
    pending = ((chunk, [party_of(r, column) for r in chunk]) for chunk in chunks)
    # each distinct name of a chunk to the worker of its family, so that its
    # repeats find what that worker remembered (``affinity``)
    for chunk, names, results in in_order(_screen_chunk, workers, pending):
        for row, party in zip(chunk, names, strict=True):
            yield row, party[0], results[party]
