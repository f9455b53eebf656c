"""Decide a large order book column-wise: every distinct order is decided once.

A book of a million lines holds far fewer distinct orders: what moves where and why,
who (by headquarters, ownership and the facts screening found about them) and under
which law. This path reads the book with Arrow (CSV) or Polars (Parquet), validates
each distinct value once with the ordinary reader's own functions,
decides each distinct order once with the same engine, and assembles the output lines
column-wise. Orders whose decision reads a balance (LPP, allocations, VEU caps, quotas)
or names a license, a VEU or an arrangement are decided one by one, in date order, by
the ordinary path. Any problem in the book sends it to the ordinary reader, which names
every bad line exactly; the output is the same either way (a test holds them equal).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import shutil
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

from chipgate.book.pipeline import Checker
from chipgate.book.writer import atomic_file
from chipgate.collector import paused_gc, thawed_after
from chipgate.decide.decision import Decision
from chipgate.decide.engine import UNSHAREABLE, end_use_key, party_key
from chipgate.decide.record import OUTPUT_FIELDS, PER_ORDER_FIELDS, static_runs
from chipgate.draws import DrawTiming
from chipgate.errors import InputError
from chipgate.facts import OrderFacts
from chipgate.findings import Finding
from chipgate.limits import ORDER_ID_MAX
from chipgate.orders.columns import ALL_COLUMNS
from chipgate.orders.headers import plan_header
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.model import Kind, Order, Party
from chipgate.orders.parser import (
    PARTY_FIELDS,
    OrderParser,
    RowError,
    check_quantity,
)
from chipgate.orders.reader import csv_shape, parquet_problems
from chipgate.orders.sheets import EXCEL_SUFFIXES, read_sheet
from chipgate.regimes.view import resolve
from chipgate.rules.base import BalanceReader
from chipgate.textfiles import csv_header

WHAT_COLUMNS = tuple(
    c
    for c in ALL_COLUMNS
    if c not in ("id", "date", "quantity")
    and not c.startswith(("consignee", "end_user"))
)
CHUNK = 20_000
"""Output lines assembled at a time (bounds the memory the assembly holds)."""
CHUNK_ROWS = 1_000_000
"""Orders read and decided at a time: bounds the memory a book of any size needs
(about 1.5 GiB); a book up to this size is decided whole, each distinct order once."""
PARALLEL_FROM = 2_000
"""Distinct orders from which deciding them is spread over the machine's cores."""

Template = tuple[tuple[str, ...], float, float, str]
"""What identical output lines share: the JSON fragments of the shared fields, the
TPP and H100-equivalents per unit, and the outcome."""

GroupResult = tuple[int, int, Template | None] | None
"""A distinct order's template as (process, number, template): the template itself
only the first time that process meets it, its number after; None: one by one."""

_WORK: Callable[[int], GroupResult] | None = None


def _run(index: int) -> GroupResult:
    """Worker entry: decide one distinct order with the function the parent set."""
    assert _WORK is not None
    return _WORK(index)


class Templates:
    """The output templates one process has met, numbered in the order met.

    Distinct orders far outnumber distinct output lines (they differ in what no
    output field shows), so a template is built and sent once per process and
    named by its number after. A decision is recognised by what its record is made
    of: the combined outcome, the item's figures and each finding's code, effect,
    message, policy, covers and the identity of its citation and unconfirmed
    tuples (the engine shares those between findings that read the same law). The
    findings of every decision met are kept, so no such identity is reused while
    the table lives.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._kept: list[tuple[Finding, ...]] = []

    def result(self, decision: Decision) -> GroupResult:
        """The (process, number, template or None) of ``decision``."""
        item = decision.item
        key = (
            decision.outcome,
            decision.authorization,
            decision.review_policy,
            decision.regime,
            item.name if item else None,
            item.eccn if item else None,
            item.tpp_per_unit if item else 0.0,
            item.h100e_per_unit if item else 0.0,
            decision.obligations,
            tuple(
                (
                    f.code,
                    f.effect,
                    f.message,
                    id(f.citations),
                    id(f.unconfirmed),
                    f.authorization,
                    f.covers,
                    f.review_policy,
                )
                for f in decision.findings
            ),
        )
        number = self._numbers.get(key)
        if number is not None:
            return os.getpid(), number, None
        number = self._numbers[key] = len(self._numbers)
        self._kept.append(decision.findings)
        return (
            os.getpid(),
            number,
            (
                _fragments(decision),
                item.tpp_per_unit if item else 0.0,
                item.h100e_per_unit if item else 0.0,
                decision.outcome.value,
            ),
        )


def _decide_groups(
    work: Callable[[int], GroupResult],
    count: int,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool = True,
) -> tuple[list[Template], np.ndarray]:
    """Decide every distinct order, on every core when there are many (and
    ``parallel``: a daemon process, such as a cluster worker, may not fork).

    Workers are forked, so they share the parent's engine, facts and parsed book
    without copying them; only the small results travel back. ``progress`` is told
    (done, total) as results arrive. Returns the distinct templates and, for each
    distinct order, the index of its template (-1: decide it one by one).

    Each process numbers the templates it sends; results arrive in task order,
    and a process takes its tasks in that order, so a template's first sending is
    read before any reference to it.
    """
    global _WORK
    workers = min(os.cpu_count() or 1, 8)
    templates: list[Template] = []
    of_group = np.full(count, -1, dtype=np.int64)
    known: dict[tuple[int, int], int] = {}

    def collect(stream: Iterable[GroupResult]) -> tuple[list[Template], np.ndarray]:
        for index, result in enumerate(stream):
            if result is not None:
                pid, number, template = result
                if template is not None:
                    known[pid, number] = len(templates)
                    templates.append(template)
                of_group[index] = known[pid, number]
            if progress is not None and (index + 1) % 1000 == 0:
                progress(index + 1, count)
        if progress is not None:
            progress(count, count)
        return templates, of_group

    _WORK = work
    # What the book built so far is moved out of the collector's sight first: the
    # collections while deciding then neither walk it nor (in a forked worker) copy
    # its pages; the run's ``thawed_after`` gives it back at its end.
    gc.freeze()
    try:
        if (
            not parallel
            or count < PARALLEL_FROM
            or workers < 2
            or "fork" not in mp.get_all_start_methods()
        ):
            return collect(_run(i) for i in range(count))
        with mp.get_context("fork").Pool(workers) as pool:
            return collect(pool.imap(_run, range(count), chunksize=256))
    finally:
        _WORK = None


def _stub_facts(
    checker: Checker, consignee: Party, end_user: Party, day: date, kind: Kind
) -> OrderFacts:
    """The facts of a pair of parties: those of an order that names them and no
    authorization (the facts of a named license come with its order, which is then
    decided one by one)."""
    stub = Order("probe", day, kind, None, 1, "US", consignee, end_user)
    return checker.facts_for(stub)


def _who(
    pair_keys: list[tuple[str, str, OrderFacts]],
    pair_facts: list[OrderFacts],
    pair_codes: np.ndarray,
    date_codes: np.ndarray,
    days: list[date],
) -> tuple[list[object], np.ndarray]:
    """Who each row's order concerns, as codes of distinct keys: its pair of parties
    and their facts, and, for a pair with location alerts, which of them stood on
    the order's date.

    An alert holds only orders dated from its observation to its closure
    (``LocationAlert.in_force_on``): two orders of one pair on either side of
    either day are decided apart, each on its own date. Without alerts the date
    does not split a pair.
    """
    if not any(f.location_alerts for f in pair_facts):
        keys: list[object] = list(dict.fromkeys(pair_keys))
        index = {key: i for i, key in enumerate(keys)}
        codes = np.array([index[k] for k in pair_keys], dtype=np.int64)[pair_codes]
        return keys, codes
    combo_codes, combo_first = _inverse(pair_codes, date_codes)
    combo_keys: list[object] = []
    for pair, day in zip(
        pair_codes[combo_first].tolist(),
        date_codes[combo_first].tolist(),
        strict=True,
    ):
        alerts = pair_facts[pair].location_alerts
        standing = tuple(a.in_force_on(days[day]) for a in alerts)
        combo_keys.append((pair_keys[pair], standing))
    keys = list(dict.fromkeys(combo_keys))
    index = {key: i for i, key in enumerate(keys)}
    codes = np.array([index[k] for k in combo_keys], dtype=np.int64)[combo_codes]
    return keys, codes


class Fallback(Exception):
    """The book needs the ordinary reader (a bad cell, or a shape this path skips)."""


@dataclass
class BatchResult:
    """What a column-wise check wrote."""

    count: int
    outcomes: Counter[str]
    decided_once: int
    one_by_one: int
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage: read, validate, decide, write."""


def _holds_quote(path: Path) -> bool:
    """Whether the file has a quote character anywhere (read at memchr speed).

    Without one, the csv module and Arrow split records the same way, and Arrow's
    own check of every row's width is enough; with one, quoting rules differ (Arrow
    accepts a stray quote the csv module refuses), so the records are split by the
    ordinary reader's splitter first.
    """
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if b'"' in chunk:
                return True
    return False


def _csv_chunks(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    """Every cell as text, ``rows`` records at a time; a row with more or fewer
    cells than the header, a broken quote or bytes that are not UTF-8 raise (the
    ordinary reader then names them).

    When the file holds a quote, the records are first split by the ordinary reader's
    own splitter (``orders.reader.csv_shape``), so both paths accept exactly the
    same files (Arrow alone would accept a stray quote the reader refuses; Polars
    would fill a short row). Arrow then builds the columns as a stream, told to
    expect newlines inside quoted cells only when a record spans lines (that parse
    is serial).
    """
    header = csv_header(path)
    # the records as the ordinary reader splits them (strict quoting, every row as
    # wide as the header); Arrow below only builds the columns
    multiline = False
    if _holds_quote(path):
        widths, multiline = csv_shape(path)
        if widths - {0, len(header)}:
            raise Fallback("a row is not as wide as the header")
    names = [f"c{i}" for i in range(len(header))]
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pa_csv.ParseOptions(newlines_in_values=multiline),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )

    def frame_of(table: pa.Table) -> pl.DataFrame:
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        frame.columns = header
        return frame

    held = pa.Table.from_batches([], schema=reader.schema)
    for batch in reader:
        held = pa.concat_tables([held, pa.Table.from_batches([batch])])
        while held.num_rows >= rows:
            yield frame_of(held.slice(0, rows))
            held = held.slice(rows)
    if held.num_rows:
        yield frame_of(held)


def _parquet_chunks(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    """The file ``rows`` rows at a time (Polars reads only the row groups a slice
    needs, and refuses the same damaged files as the ordinary reader)."""
    height = pl.scan_parquet(path).select(pl.len()).collect().item()
    for start in range(0, height, rows):
        frame = pl.scan_parquet(path).slice(start, rows).collect()
        if parquet_problems(frame.schema, str(path)):
            raise Fallback("column types")
        yield frame


def _whole_sheet(path: Path) -> Iterator[pl.DataFrame]:
    yield read_sheet(path)


def read_chunks(
    path: Path, mapping: ColumnMapping | None = None, rows: int | None = None
) -> Iterator[pl.DataFrame]:
    """The book ``path`` as frames of the contract's columns (all text), ``rows``
    orders at a time (``CHUNK_ROWS`` by default; a workbook comes whole).

    Raises:
        Fallback: the book must go through the ordinary reader; raised at the chunk
            where the problem shows, so a caller discards what it staged.
    """
    rows = rows or CHUNK_ROWS
    suffix = path.suffix.lower()
    if not path.is_file():  # a folder, a FIFO, nothing: the reader says which
        raise Fallback("not a file")
    chunks: Iterator[pl.DataFrame]
    if suffix == ".csv":
        chunks = _csv_chunks(path, rows)
    elif suffix == ".parquet":
        chunks = _parquet_chunks(path, rows)
    elif suffix in EXCEL_SUFFIXES:
        chunks = _whole_sheet(path)
    else:
        raise Fallback(suffix)
    try:
        for frame in chunks:
            yield _to_contract(frame, path, mapping)
    except (
        pl.exceptions.PolarsError,
        pa.ArrowException,
        OSError,
        UnicodeDecodeError,
        InputError,
    ) as exc:
        raise Fallback(str(exc)) from None


def _to_contract(
    frame: pl.DataFrame, path: Path, mapping: ColumnMapping | None
) -> pl.DataFrame:
    """The header stage of ``orders.headers`` on a whole frame: mapped, checked, the
    absent columns added as empty, every column as text in contract order."""
    try:
        plan = plan_header(frame.columns, str(path), mapping)
    except InputError:
        raise Fallback("columns") from None
    kinds = frame[frame.columns[plan.targets.index("kind")]]
    if any(plan.gaps(k) for k in kinds.cast(pl.Utf8).unique().to_list()):
        raise Fallback("a kind needs a column the file lacks")
    frame = frame.select(
        pl.col(name).alias(target)
        for name, target in zip(frame.columns, plan.targets, strict=True)
        if target is not None
    )
    frame = frame.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias(column) for column in plan.absent
    )
    return frame.select([pl.col(c).cast(pl.Utf8) for c in ALL_COLUMNS])


def _groups(
    frame: pl.DataFrame, columns: Sequence[str]
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Group code of every row, and the first row of each group."""
    codes, distinct = _distinct(frame, columns)
    return codes, distinct.to_dicts()


def _parties(
    frame: pl.DataFrame, role: str, parser: OrderParser
) -> tuple[np.ndarray, list[Party]]:
    """Group code of every row's party in ``role``, and each distinct party.

    Each distinct cell of each of the party's columns is read once, as the
    ordinary reader reads it (``OrderParser.party_field``): a book names far fewer
    distinct names and countries than distinct parties.
    """
    columns = [role + f for f in PARTY_FIELDS]
    codes, distinct = _distinct(frame, columns)
    fields = []
    for name, column in zip(PARTY_FIELDS, columns, strict=True):
        cells = distinct[column].to_list()
        read = {cell: parser.party_field(role, name, cell) for cell in set(cells)}
        fields.append([read[cell] for cell in cells])
    return codes, [Party(*values) for values in zip(*fields, strict=True)]


def _distinct(
    frame: pl.DataFrame, columns: Sequence[str]
) -> tuple[np.ndarray, pl.DataFrame]:
    """Group code of every row, and the first row of each group (in that order)."""
    grouped = (
        frame.select(columns)
        .with_row_index("_row")
        .group_by(list(columns), maintain_order=True)
        .agg(pl.col("_row"))
        .with_row_index("_group")
    )
    exploded = grouped.select("_group", "_row").explode("_row")
    codes = np.empty(frame.height, dtype=np.int64)
    codes[exploded["_row"].to_numpy()] = exploded["_group"].to_numpy()
    return codes, grouped.drop("_group", "_row")


def _inverse(
    first_codes: np.ndarray, second_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct pairs of two code columns, and one row of each.

    The pair is folded into one integer key (mixed radix, so keys sort as the pairs
    would): a one-dimensional unique is several times faster than a row-wise one and
    gives the same codes. Codes are below the row count, so the key stays under
    rows² and fits 64 bits for any book that fits in memory.
    """
    radix = int(second_codes.max(initial=0)) + 1
    key = first_codes.astype(np.int64) * radix + second_codes
    _keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first


RUNS = static_runs()
"""The shared fields of the output record, in runs between per-order fields."""


def _fragments(decision: Decision) -> tuple[str, ...]:
    """The static JSON pieces of a decision's record, one per run of shared fields."""
    record = decision.shared_record()
    return tuple(
        orjson.dumps({k: record[k] for k in run}).decode()[1:-1] for run in RUNS
    )


def _line_parts() -> list[pl.Expr]:
    """The pieces of one output line, field by field in ``OUTPUT_FIELDS`` order,
    and its newline.

    Shared runs come from the gathered fragment columns ``s0``, ``s1`` ...; the
    per-order fields are computed from the book's columns.
    """
    per_order: dict[str, list[pl.Expr]] = {
        "id": [pl.struct("id").struct.json_encode().str.strip_chars("{}")],
        "as_of": [pl.lit('"as_of":"'), pl.col("as_of"), pl.lit('"')],
        "quantity": [pl.lit('"quantity":'), pl.col("q").cast(pl.Utf8)],
        "tpp": [
            pl.lit('"tpp":'),
            (pl.col("tu") * pl.col("q")).round(3).cast(pl.Utf8),
        ],
        "h100_equivalents": [
            pl.lit('"h100_equivalents":'),
            (pl.col("hu") * pl.col("q")).round(3).cast(pl.Utf8),
        ],
        "draws": [pl.lit('"draws":[]')],
    }
    parts: list[pl.Expr] = [pl.lit("{")]
    run = 0
    for index, name in enumerate(OUTPUT_FIELDS):
        if name in PER_ORDER_FIELDS:
            pieces = per_order[name]
        elif index == 0 or OUTPUT_FIELDS[index - 1] in PER_ORDER_FIELDS:
            pieces = [pl.col(f"s{run}")]
            run += 1
        else:
            continue  # inside a run already placed
        if len(parts) > 1:
            parts.append(pl.lit(","))
        parts.extend(pieces)
    parts.append(pl.lit("}\n"))
    return parts


def _line_bytes(lines: pl.Series) -> memoryview:
    """A column of whole output lines (each ending in a newline) as the bytes they
    make end to end: an Arrow text column holds its values so in one buffer, which
    is written as it lies, and no Python string is made per order (Polars' CSV
    writer, used before, took twice as long for the same bytes)."""
    array = lines.to_arrow()
    if not isinstance(array, pa.LargeStringArray) or array.null_count:
        raise Fallback("an output line could not be built")  # never: no input is null
    offsets = np.frombuffer(
        array.buffers()[1],
        dtype=np.int64,
        count=len(array) + 1,
        offset=array.offset * 8,
    )
    return memoryview(array.buffers()[2])[offsets[0] : offsets[-1]]


AHEAD = 2
"""Chunks of output lines built ahead of the one being written."""


def _write_in_order(
    stream: IO[bytes], lines: Callable[[int, int], memoryview], count: int
) -> None:
    """Write the lines of rows ``0 .. count`` to ``stream``, ``CHUNK`` rows at a
    time, in order.

    The next chunks are built on other threads while one is written (Polars and the
    write call both leave the interpreter lock), so building the lines and the
    system's copying them into the file take two cores instead of one after the
    other; at most ``AHEAD`` chunks wait in memory.
    """
    with ThreadPoolExecutor(max_workers=AHEAD) as builders:
        waiting: deque[Future[memoryview]] = deque()
        for start in range(0, count, CHUNK):
            waiting.append(builders.submit(lines, start, min(start + CHUNK, count)))
            if len(waiting) > AHEAD:
                stream.write(waiting.popleft().result())
        while waiting:
            stream.write(waiting.popleft().result())


CACHE_MAX = 100_000
"""Distinct orders (and templates) a cache keeps; beyond, new orders are not kept,
and a cache holding this many templates starts afresh at the next chunk."""


class TemplateCache:
    """Decided distinct orders by what decides them, kept from one chunk (or
    partition) of a book to the next so that an order repeated across chunks is
    decided once (a cluster worker keeps one per job: ``executors.worker``).

    Each distinct order maps to the index of its output template in ``templates``
    (-1: decided one by one); identical templates are kept once, so a chunk's
    lines are gathered from one short table.
    """

    def __init__(self) -> None:
        self.templates: list[Template] = []
        self.of_key: dict[tuple[Any, ...], int] = {}
        self._index: dict[Template, int] = {}

    def __len__(self) -> int:
        return len(self.of_key)

    def add(self, template: Template) -> int:
        """The index of ``template``, kept if new."""
        index = self._index.get(template)
        if index is None:
            index = self._index[template] = len(self.templates)
            self.templates.append(template)
        return index

    def remember(self, key: tuple[Any, ...], index: int) -> None:
        """Keep the template index of the distinct order ``key``, while there is room."""
        if len(self.of_key) < CACHE_MAX:
            self.of_key[key] = index

    def bound(self) -> None:
        """Start afresh when the templates fill the cache (memory stays bounded)."""
        if len(self.templates) >= CACHE_MAX:
            self.templates.clear()
            self.of_key.clear()
            self._index.clear()


Pending = tuple[Any, Order, OrderFacts]
"""An order whose decision reads running balances: (position, order, facts). The
position orders ties of one date (input order) and says where its line goes."""


@dataclass
class StagedBook:
    """What ``stage_columns`` wrote: a line per order, blank for the pending ones."""

    count: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    """Of the orders decided column-wise (the pending ones are not counted yet)."""
    decided_once: int = 0
    pending: list[Pending] = field(default_factory=list)
    """Position: the order's row in the whole book (from zero)."""
    id_hashes: list[np.ndarray] = field(default_factory=list)
    """64-bit hashes of the stripped order ids, chunk by chunk."""
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))


def _decide_frame(
    frame: pl.DataFrame,
    checker: Checker,
    stream: IO[bytes],
    staged: StagedBook,
    *,
    regime: str | None,
    as_of: date | None,
    progress: Callable[[int, int], None] | None,
    cache: TemplateCache,
    parallel: bool,
) -> None:
    """Decide one chunk of a book column-wise and write its lines to ``stream``.

    Every distinct order is decided once; an order whose decision reads or draws a
    balance gets a blank line and joins ``staged.pending`` (its row counted from the
    book's first order), to be decided in date order with the whole book's.
    """
    engine = checker.engine
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        staged.seconds[stage] += now - clock[0]
        clock[0] = now
        # what the stage built is moved out of the collector's sight (given back
        # by the run's ``thawed_after``)
        gc.freeze()

    # the tables below hold no reference cycles: the collector would only rescan them
    with paused_gc():
        n = frame.height
        offset = staged.count
        parser = OrderParser(engine.catalog, engine.law_of_dates(regime, as_of))
        # The rules of the ordinary reader, on each distinct value: any bad value sends
        # the book to it, which names every bad line with the same message.
        ids = frame["id"].str.strip_chars()
        if (
            # Python's strip (the reader's) also takes \x1c-\x1f, Polars' does not
            frame["id"].str.contains("[\x1c-\x1f]").any()
            or ids.null_count()
            or (ids == "").any()
            or (ids.str.len_chars() > ORDER_ID_MAX).any()
            or ids.is_duplicated().any()
        ):
            raise Fallback("ids")
        try:
            distinct = frame["quantity"].unique()
            if distinct.null_count():
                raise RowError("quantity", "a whole number above zero is required")
            values = {text: check_quantity(text) for text in distinct.to_list()}
        except RowError as exc:
            raise Fallback(exc.message) from None
        quantity = frame["quantity"].replace_strict(values, return_dtype=pl.Int64)
        try:
            date_codes, date_rows = _groups(frame, ("date",))
            days = [parser.parse_date(r) for r in date_rows]
            what_codes, what_rows = _groups(frame, WHAT_COLUMNS)
            whats = [parser.parse_what(r) for r in what_rows]
            consignee_codes, consignees = _parties(frame, "consignee", parser)
            end_user_codes, end_users = _parties(frame, "end_user", parser)
        except RowError as exc:
            raise Fallback(exc.message) from None

        lap("validate")
        # the law of each distinct day: regime and epoch (ChipgateError propagates)
        law_of_day: list[tuple[str, date]] = []
        for day in days:
            effective = as_of or day
            regime_id = regime or engine.regime_on(effective)
            law_of_day.append((regime_id, engine.epoch(regime_id, effective)))
        law_index = {law: i for i, law in enumerate(dict.fromkeys(law_of_day))}
        laws = list(law_index)
        law_codes = np.array([law_index[law] for law in law_of_day], dtype=np.int64)[
            date_codes
        ]

        pair_codes, pair_first = _inverse(consignee_codes, end_user_codes)
        # the facts of each distinct pair of parties; facts that cannot depend on
        # the parties are gathered once
        consignee_keys = [party_key(p, engine.listed_entries) for p in consignees]
        end_user_keys = [party_key(p, engine.listed_entries) for p in end_users]
        shared_facts = (
            None
            if checker.parties_matter()
            else _stub_facts(
                checker, consignees[0], end_users[0], days[0], whats[0]["kind"]
            )
        )
        pair_consignees = consignee_codes[pair_first].tolist()
        pair_end_users = end_user_codes[pair_first].tolist()
        pair_facts: list[OrderFacts]
        if shared_facts is not None:
            pair_facts = [shared_facts] * len(pair_consignees)
        else:
            pair_facts = [
                _stub_facts(
                    checker,
                    consignees[c],
                    end_users[e],
                    days[d],
                    whats[w]["kind"],
                )
                for c, e, d, w in zip(
                    pair_consignees,
                    pair_end_users,
                    date_codes[pair_first].tolist(),
                    what_codes[pair_first].tolist(),
                    strict=True,
                )
            ]
        pair_keys = [
            (consignee_keys[c], end_user_keys[e], facts)
            for c, e, facts in zip(
                pair_consignees, pair_end_users, pair_facts, strict=True
            )
        ]
        who_keys, who_codes = _who(pair_keys, pair_facts, pair_codes, date_codes, days)

        # what the rules read of each (law, what): end uses no rule reads do not split
        views = [resolve(engine.library, regime_id, epoch) for regime_id, epoch in laws]
        uses_read = [engine.end_uses_read(view) for view in views]
        what_keys = [
            tuple(what[k] for k in sorted(what) if k not in ("end_use", "value_usd"))
            for what in whats
        ]
        law_what_codes, law_what_first = _inverse(law_codes, what_codes)
        read_keys = [
            (laws[law], *what_keys[w], end_use_key(whats[w]["end_use"], uses_read[law]))
            for law, w in zip(
                law_codes[law_what_first].tolist(),
                what_codes[law_what_first].tolist(),
                strict=True,
            )
        ]
        read_index = {key: i for i, key in enumerate(dict.fromkeys(read_keys))}
        read_codes = np.array([read_index[k] for k in read_keys], dtype=np.int64)[
            law_what_codes
        ]
        group_codes, group_first = _inverse(read_codes, who_codes)
        quantities = quantity.to_numpy()

        def make_order(
            row: int,
            order_id: str,
            day: int,
            consignee: int,
            end_user: int,
            what: int,
            count: int,
        ) -> Order:
            """The order of ``row`` (from the chunk's first), from its codes."""
            return Order(
                id=order_id,
                date=days[day],
                quantity=count,
                consignee=consignees[consignee],
                end_user=end_users[end_user],
                line=offset + row + 2,
                **whats[what],
            )

        def order_at(row: int) -> Order:
            return make_order(
                row,
                ids[row],
                int(date_codes[row]),
                int(consignee_codes[row]),
                int(end_user_codes[row]),
                int(what_codes[row]),
                int(quantities[row]),
            )

        # each distinct order's first row and its codes, as Python lists (reading
        # an array one element at a time costs more than building the order)
        first_codes = list(
            zip(
                group_first.tolist(),
                ids.gather(group_first).to_list(),
                date_codes[group_first].tolist(),
                consignee_codes[group_first].tolist(),
                end_user_codes[group_first].tolist(),
                what_codes[group_first].tolist(),
                quantities[group_first].tolist(),
                strict=True,
            )
        )
        first_pairs = pair_codes[group_first].tolist()

    # one table per chunk; forked workers each take a copy of it (empty)
    seen = Templates()

    def decide_group(index: int) -> GroupResult:
        order = make_order(*first_codes[index])
        if any(a.kind in UNSHAREABLE for a in order.authorizations):
            return None
        reader = BalanceReader()
        decision = engine.evaluate(
            order,
            regime=regime,
            facts=pair_facts[first_pairs[index]],
            balances=reader,
            as_of=as_of,
            remember=False,
        )
        if reader.reads or any(d.timing is DrawTiming.NOW for d in decision.draws):
            return None
        return seen.result(decision)

    # what decides each distinct order, the same in every chunk: a repeat is not
    # decided again
    group_keys = [
        (read_keys[law_what], who_keys[who])
        for law_what, who in zip(
            law_what_codes[group_first].tolist(),
            who_codes[group_first].tolist(),
            strict=True,
        )
    ]
    cache.bound()
    of_group = np.empty(len(group_keys), dtype=np.int64)
    missing = []
    for index, key in enumerate(group_keys):
        known = cache.of_key.get(key)
        if known is None:
            missing.append(index)
        else:
            of_group[index] = known
    found, found_of = _decide_groups(
        lambda i: decide_group(missing[i]), len(missing), progress, parallel
    )
    # the chunk's templates join the cache's table (each distinct one kept once)
    in_cache = np.array([cache.add(t) for t in found] + [-1], dtype=np.int64)
    for index, local in zip(missing, found_of.tolist(), strict=True):
        of_group[index] = in_cache[local]
        cache.remember(group_keys[index], int(in_cache[local]))
    staged.decided_once += len(missing)
    templates = cache.templates

    unshared = of_group < 0
    pending_rows = np.flatnonzero(unshared[group_codes])
    for row in pending_rows.tolist():
        order = order_at(row)
        facts = checker.with_named_facts(order, pair_facts[pair_codes[row]])
        staged.pending.append((offset + row, order, facts))

    tpp_unit = [t[1] for t in templates]
    h100_unit = [t[2] for t in templates]
    if not (np.isfinite(tpp_unit).all() and np.isfinite(h100_unit).all()):
        raise Fallback("a figure is not finite")  # never written as inf or nan
    shared = np.flatnonzero(~unshared)
    sizes = np.bincount(
        of_group[shared],
        weights=np.bincount(group_codes, minlength=len(of_group))[shared],
        minlength=len(templates),
    )
    for index in np.flatnonzero(sizes).tolist():
        staged.outcomes[templates[index][3]] += int(sizes[index])
    # the template of every row (0 for pending rows: their lines are left blank)
    row_template = np.maximum(of_group, 0)[group_codes]
    lap("decide")

    as_of_text = pl.Series([(as_of or d).isoformat() for d in days])
    # Per distinct template, built once: gathered by template for every slice.
    frag_series = [
        pl.Series([t[0][i] for t in templates] or [""], dtype=pl.Utf8)
        for i in range(len(RUNS))
    ]
    tpp_series = pl.Series(tpp_unit or [0.0], dtype=pl.Float64)
    h100_series = pl.Series(h100_unit or [0.0], dtype=pl.Float64)
    blank = pl.Series(unshared, dtype=pl.Boolean)
    # a pending order's line is left blank: filled in once the book's draws are
    # decided in date order (``fill_lines``)
    line = (
        pl.when(pl.col("blank"))
        .then(pl.lit("\n"))
        .otherwise(pl.concat_str(_line_parts()))
        .alias("line")
    )

    def lines(start: int, stop: int) -> memoryview:
        gather = pl.Series(row_template[start:stop])
        part = pl.DataFrame(
            {
                "id": ids.slice(start, stop - start),
                "q": quantity.slice(start, stop - start),
                "as_of": as_of_text.gather(pl.Series(date_codes[start:stop])),
                **{
                    f"s{i}": series.gather(gather)
                    for i, series in enumerate(frag_series)
                },
                "tu": tpp_series.gather(gather),
                "hu": h100_series.gather(gather),
                "blank": blank.gather(pl.Series(group_codes[start:stop])),
            }
        )
        return _line_bytes(part.select(line).to_series())

    _write_in_order(stream, lines, n)
    staged.id_hashes.append(ids.hash(seed=0).to_numpy())
    staged.count += n
    lap("write")


def stage_columns(
    frames: Iterable[pl.DataFrame],
    checker: Checker,
    stream: IO[bytes],
    *,
    regime: str | None = None,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: TemplateCache | None = None,
    parallel: bool = True,
) -> StagedBook:
    """Decide a book (or a partition of one), given as frames of the contract's
    columns, and write one JSON line per order to ``stream``, in input order.

    The entry point of every column-wise run: ``check_to_jsonl`` on one machine, a
    partition on a cluster worker (``executors.check_job``). Lines of orders that
    read or draw a running balance are left blank; their orders are returned in
    ``pending``, for ``decide_in_date_order`` over the whole book, and
    ``fill_lines`` puts their lines in place. ``cache`` carries decided distinct
    orders from one call to the next; ``parallel`` lets the distinct orders of a
    large chunk be decided on forked processes (not in a daemon process).

    Each stage's objects are frozen out of the cyclic collector's sight once the
    stage ends (reference counting still frees them): its full collections would
    otherwise walk the whole book again and again. They are given back at the end
    of the call (``collector.thawed_after``), so a long-lived worker's frozen heap
    does not grow from one partition to the next.

    Raises:
        Fallback: the book must go through the ordinary reader (``stream`` then
            holds a partial output the caller discards).
    """
    with thawed_after():
        staged = StagedBook()
        cache = TemplateCache() if cache is None else cache
        frames = iter(frames)
        while True:
            started = time.perf_counter()
            frame = next(frames, None)
            staged.seconds["read"] += time.perf_counter() - started
            if frame is None:
                break
            if frame.height:
                _decide_frame(
                    frame,
                    checker,
                    stream,
                    staged,
                    regime=regime,
                    as_of=as_of,
                    progress=progress,
                    cache=cache,
                    parallel=parallel,
                )
        if staged.count == 0:
            raise Fallback("empty")
        if len(staged.id_hashes) > 1:
            hashes = np.concatenate(staged.id_hashes)
            if len(np.unique(hashes)) != len(hashes):
                raise Fallback("ids")  # an id used in two chunks (the reader names it)
        return staged


def decide_in_date_order(
    checker: Checker,
    pending: Iterable[Pending],
    *,
    regime: str | None = None,
    as_of: date | None = None,
) -> tuple[dict[Any, bytes], Counter[str]]:
    """The pending orders of a whole book decided in date order, ties in input order
    (their positions), against one running balance book seeded from the ledger:
    what ``Engine.evaluate_book`` does. Returns each position's line, and the
    outcome counts."""
    running = checker.balances()
    lines: dict[Any, bytes] = {}
    outcomes: Counter[str] = Counter()
    for position, order, facts in sorted(pending, key=lambda p: (p[1].date, p[0])):
        decision = checker.engine.evaluate(
            order, regime=regime, facts=facts, balances=running, as_of=as_of
        )
        running.apply(decision.draws)
        lines[position] = orjson.dumps(decision.to_record())
        outcomes[decision.outcome.value] += 1
    return lines, outcomes


def fill_lines(staged: Path, fills: Mapping[int, bytes], out: IO[bytes]) -> None:
    """Copy the staged lines to ``out``, the blank line of row ``r`` (from zero)
    replaced by ``fills[r]``."""
    with staged.open("rb") as handle:
        if not fills:
            shutil.copyfileobj(handle, out, 1 << 22)
            return
        for row, line in enumerate(handle):
            out.write(fills[row] + b"\n" if row in fills else line)


def check_to_jsonl(
    path: Path,
    checker: Checker,
    output: Path,
    *,
    regime: str | None = None,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    mapping: ColumnMapping | None = None,
) -> BatchResult:
    """Decide ``path`` column-wise and write one JSON line per order to ``output``.

    The book is read ``CHUNK_ROWS`` orders at a time, so memory is bounded by the
    chunk, the distinct orders and the orders decided in date order, not by the
    book. Lines are staged beside ``output``; the pending orders (those drawing on
    cumulative caps) are decided in date order once the whole book is read, and
    their lines filled in. ``progress`` is told (done, total) while each chunk's
    distinct orders are decided; ``mapping`` translates the file's own header names
    to the contract. What the staging froze stays frozen while the pending orders
    are decided, and is given back to the collector at the end.

    Raises:
        Fallback: the book must go through the ordinary reader.
    """
    with thawed_after(), atomic_file(output) as final:
        staging = final.with_name(final.name + ".staged")
        try:
            with staging.open("wb") as stream:
                staged = stage_columns(
                    read_chunks(path, mapping),
                    checker,
                    stream,
                    regime=regime,
                    as_of=as_of,
                    progress=progress,
                )
            started = time.perf_counter()
            fills, outcomes = decide_in_date_order(
                checker, staged.pending, regime=regime, as_of=as_of
            )
            staged.seconds["draw"] += time.perf_counter() - started
            started = time.perf_counter()
            # the empty placeholder is removed first: replacing (or truncating) an
            # existing file makes ext4 flush the new one to disk at once
            # (auto_da_alloc), which holds the run up for the whole output
            final.unlink()
            if fills:
                with final.open("xb") as out:
                    fill_lines(staging, fills, out)
            else:
                os.rename(staging, final)
            staged.seconds["fill"] += time.perf_counter() - started
        finally:
            staging.unlink(missing_ok=True)
    outcomes.update(staged.outcomes)
    return BatchResult(
        staged.count,
        outcomes,
        staged.decided_once,
        len(staged.pending),
        dict(staged.seconds),
    )
