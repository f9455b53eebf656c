"""``check`` of a book on an executor: decide in parallel, draw in date order.

Three phases, the same on both executors:

1. *Decide* (parallel, one task per partition): the column-wise path of a single
   machine (``book.batch.stage_columns``) validates each distinct value once, gathers
   the facts of each distinct party pair and decides each distinct order once (once
   per worker, across its partitions), for every order whose decision reads no
   balance and draws nothing (most of a book). Its JSON line is final and is staged
   in a file. An order that reads a balance or draws on a cap is *pending*: its line
   is left blank and it travels back to the client with its facts. A partition the
   column-wise path refuses goes through the ordinary reader's row loop, which names
   every bad line (``validate_rows``).
2. *Draw* (serial, on the client): pending orders of every partition are decided in
   date order (ties in input order) against one running balance book seeded from the
   ledger, as ``Engine.evaluate_book`` does for a single file. Only these orders need
   the order of the whole book; they are few, and their facts came from the workers.
3. *Write* (parallel): each partition's staged lines, with its pending lines filled
   in, become one part file; a manifest names every part with its count and SHA-256.

With ``keep_going`` (``check --keep-going``) a bad row is left out, as the single-file
reader leaves it out: the partition's good orders are decided and its bad rows come
back as problems; a later use of an id already used in an earlier partition is left
out too (its partitions are read again without it). A problem with a file as a whole
(unreadable, a missing column) still stops the run. A book checked again after its
commit takes its own committed draws out of the balances (``CheckJob.own_draws``);
the draws of the rows left out stay in, as they do for one file: once phase 1 has
named those rows, the client takes out the draws of the decided orders alone.

With ``--commit`` the workers only validate; the client decides and commits the book
through the ledger exactly as a single-process run does (``commit.commit_book``), so
the ledger's guarantees (no over-allocation, idempotent by order id, one audit
chain) do not depend on the executor. A retried or re-run partition rewrites its own
staged file, and nothing is drawn or committed by a worker, so a lost worker cannot
draw twice.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl

from chipgate.book.batch import (
    Fallback,
    decide_in_date_order,
    fill_lines,
    read_chunks,
    stage_columns,
)
from chipgate.book.pipeline import Checker
from chipgate.book.rerun import book_files
from chipgate.book.writer import atomic_output
from chipgate.decide.engine import UNSHAREABLE
from chipgate.errors import InputError, Problem
from chipgate.executors.dataset import (
    DatasetOutput,
    digest_and_lines,
    file_digest,
    part_name,
    write_atomically,
)
from chipgate.executors.runner import Executor, Progress
from chipgate.executors.worker import job_key, worker_checker, worker_templates
from chipgate.facts import OrderFacts
from chipgate.orders.headers import HeaderPlan
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.model import Order
from chipgate.orders.parser import OrderParser, Row
from chipgate.orders.reader import (
    book_rows,
    raise_problems,
    validate_rows,
)
from chipgate.rules.base import BalanceReader

ROWS_PER_PARTITION = 100_000
"""Rows per partition when one file is split (a dataset keeps its own files)."""


@dataclass(frozen=True)
class BookPartition:
    """One partition of a book: a file of a dataset, or rows cut from one file."""

    index: int
    source: str
    """The file errors name (the user's file, never a staging file)."""
    path: str
    """What the worker reads: the dataset file, or the staged rows (``rows``)."""
    rows: bool = False
    """``path`` holds numbered rows cut from ``source`` (orjson), not a book file."""
    contract: bool = False
    """``path`` is a Parquet slice of ``source`` in the contract's columns, read
    column-wise; its line numbers are not the source's, so a problem in it sends the
    whole book back to row partitions, whose errors name the source's lines."""


@dataclass(frozen=True)
class CheckJob:
    """What every task of one run needs to know (small; sent with each task)."""

    settings_json: str
    screening: bool
    regime: str | None
    as_of: date | None
    staging: str
    mapping: ColumnMapping | None = None
    """The book's own header names translated to the contract (``--mapping``)."""
    fork: bool = False
    """Whether a partition may decide its distinct orders on forked processes (the
    local executor; a cluster worker keeps to the one core it was given)."""
    own_draws: tuple[tuple[tuple[str, str], float], ...] = ()
    """What the book's orders already hold on the ledger (a book checked again after
    its commit), per (account, unit): taken out of every worker's balances as the
    single-process run does (``Checker.own_draws``)."""
    keep_going: bool = False
    """Leave bad rows out and decide the good ones (``check --keep-going``)."""
    skip: tuple[tuple[str, int], ...] = ()
    """(source, line) of rows left out although valid: the later uses of an id an
    earlier partition holds."""


def job_checker(job: CheckJob) -> Checker:
    """The worker's checker for ``job``: loaded once per process and settings, with
    the book's own draws of this job (a copy, so that two jobs never share them)."""
    checker = worker_checker(job.settings_json, job.screening)
    if not job.own_draws:
        return checker
    return dataclasses.replace(checker, own_draws=dict(job.own_draws))


@dataclass(frozen=True)
class PendingOrder:
    """An order whose decision needs the running balances of the whole book."""

    partition: int
    row: int
    order: Order
    facts: OrderFacts


@dataclass
class DecidedPartition:
    """What phase 1 sends back to the client for one partition."""

    index: int
    count: int
    ids: np.ndarray
    """64-bit hashes of the partition's order ids (duplicates across partitions)."""
    pending: list[PendingOrder] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    """What stops the run: any bad row, or (``keep_going``) a file's own problem."""
    left_out: list[Problem] = field(default_factory=list)
    """Only with ``keep_going``: the bad rows left out."""
    orders: list[Order] = field(default_factory=list)
    """Only when validating for a commit: the partition's orders."""
    column_wise: bool = True
    """Decided column-wise; False: by the ordinary reader's row loop."""
    retry_by_rows: bool = False
    """A ``contract`` slice the column-wise path refused: the book is split again
    into row partitions, whose problems name the user's lines."""


@dataclass
class CheckRun:
    """What a partitioned check wrote."""

    count: int
    outcomes: Counter[str]
    partitions: int
    pending: int
    executor: str
    records: list[dict[str, Any]] = field(default_factory=list)
    """Only for ``--commit``: the output lines as the ledger holds them, in input
    order (``commit.lines``)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each phase: split, decide, draw (or commit), write."""
    column_wise: int = 0
    """Partitions decided column-wise (the others by the ordinary row loop)."""
    left_out: list[Problem] = field(default_factory=list)
    """Only with ``keep_going``: the bad rows left out, in the book's order."""


NumberedRow = tuple[int, Row, HeaderPlan | None]
OwnDraws = Callable[[list[tuple[str, int]]], dict[tuple[str, str], float]]
"""The book's own committed draws without those of the given (source, line) rows."""


def _plan_json(plan: HeaderPlan | None) -> dict[str, list[str | None]] | None:
    if plan is None:
        return None
    return {"targets": list(plan.targets), "absent": list(plan.absent)}


def _plan_of(data: dict[str, list[str]] | None) -> HeaderPlan | None:
    if data is None:
        return None
    return HeaderPlan(tuple(data["targets"]), tuple(data["absent"]))


def book_partitions(
    path: Path,
    staging: Path,
    mapping: ColumnMapping | None = None,
    *,
    by_rows: bool = False,
) -> list[BookPartition]:
    """The partitions of a book: a folder's files, or slices of one file.

    One file is cut column-wise into Parquet slices when it reads column-wise whole,
    else (or ``by_rows``) into slices of numbered rows for the ordinary row loop.
    """
    if path.is_dir():
        files = book_files(path)
        if not files:
            raise InputError.single(
                "the folder holds no .parquet, .csv or .jsonl book files", source=path
            )
        return [BookPartition(i, str(f), str(f)) for i, f in enumerate(files)]
    if not by_rows:
        parts = []
        try:
            chunks = read_chunks(path, mapping, ROWS_PER_PARTITION)
            for index, frame in enumerate(chunks):
                staged = staging / f"slice-{index:05d}.parquet"
                frame.write_parquet(staged)
                parts.append(
                    BookPartition(index, str(path), str(staged), contract=True)
                )
        except Fallback:
            for part in parts:
                Path(part.path).unlink(missing_ok=True)
        else:
            if parts:
                return parts
    parts = []
    rows = book_rows(path, mapping)
    for index, chunk in enumerate(_chunks(rows, ROWS_PER_PARTITION)):
        staged = staging / f"rows-{index:05d}.json"
        encoded = [(line, row, _plan_json(plan)) for line, row, plan in chunk]
        write_atomically(staged, orjson.dumps(encoded))
        parts.append(BookPartition(index, str(path), str(staged), rows=True))
    if not parts:
        raise InputError.single("the book holds no orders", source=path)
    return parts


def _chunks(rows: Iterator[NumberedRow], size: int) -> Iterator[list[NumberedRow]]:
    chunk: list[NumberedRow] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _partition_rows(
    part: BookPartition, mapping: ColumnMapping | None
) -> Iterator[NumberedRow]:
    if part.rows:
        for line, row, plan in orjson.loads(Path(part.path).read_bytes()):
            yield int(line), row, _plan_of(plan)
    else:
        yield from book_rows(Path(part.path), mapping)


def _read_partition(
    job: CheckJob, part: BookPartition, checker: Checker
) -> tuple[list[Order], list[Problem], list[Problem]]:
    """The partition's orders (without the rows ``job.skip`` names), the problems
    that stop the run and, with ``keep_going``, the bad rows left out; a problem of
    the file as a whole stops a ``keep_going`` run too, as it stops ``read_orders``."""
    engine = checker.engine
    try:
        result = validate_rows(
            _partition_rows(part, job.mapping),
            OrderParser(engine.catalog, engine.law_of_dates(job.regime, job.as_of)),
            part.source,
        )
    except InputError as exc:
        return [], list(exc.problems), []
    skip = {line for source, line in job.skip if source == part.source}
    orders = [o for o in result.orders if o.line not in skip]
    if job.keep_going:
        return orders, [], result.problems
    return orders, result.problems, []


def _id_hashes(orders: list[Order]) -> np.ndarray:
    return pl.Series([o.id for o in orders], dtype=pl.Utf8).hash(seed=0).to_numpy()


def decide_partition(job: CheckJob, part: BookPartition) -> DecidedPartition:
    """Phase 1 on a worker: validate, gather facts, decide what needs no balance.

    Column-wise (``book.batch.stage_columns``): each distinct order of the partition
    is decided once (and once per worker, across its partitions), and the lines are
    assembled column by column. A partition the column-wise path refuses goes
    through the ordinary reader's row loop, which names every bad line.
    """
    checker = job_checker(job)
    staged_path = Path(job.staging) / f"decided-{part.index:05d}.jsonl"
    # rows to skip are left out by the row loop (the column-wise path reads them all)
    if not part.rows and all(source != part.source for source, _ in job.skip):
        mapping = None if part.contract else job.mapping
        try:
            with atomic_output(staged_path) as stream:
                staged = stage_columns(
                    read_chunks(Path(part.path), mapping),
                    checker,
                    stream,
                    regime=job.regime,
                    as_of=job.as_of,
                    cache=worker_templates(job_key(job)),
                    parallel=job.fork,
                )
        except Fallback:
            if part.contract:
                return DecidedPartition(
                    part.index, 0, np.empty(0, np.uint64), retry_by_rows=True
                )
        else:
            return DecidedPartition(
                part.index,
                staged.count,
                np.concatenate(staged.id_hashes),
                pending=[
                    PendingOrder(part.index, row, order, facts)
                    for row, order, facts in staged.pending
                ],
                outcomes=staged.outcomes,
            )
    return _decide_rows(job, part, checker, staged_path)


def _decide_rows(
    job: CheckJob, part: BookPartition, checker: Checker, staged: Path
) -> DecidedPartition:
    """Phase 1 by the ordinary reader's row loop, order by order."""
    orders, problems, left_out = _read_partition(job, part, checker)
    result = DecidedPartition(
        part.index,
        len(orders),
        _id_hashes(orders),
        left_out=left_out,
        column_wise=False,
    )
    if problems:
        result.problems = problems
        return result
    engine = checker.engine
    lines: list[bytes] = []
    for row, order in enumerate(orders):
        facts = checker.facts_for(order)
        decision = None
        if not any(a.kind in UNSHAREABLE for a in order.authorizations):
            probe = BalanceReader()
            decision = engine.evaluate(
                order, regime=job.regime, facts=facts, balances=probe, as_of=job.as_of
            )
            if probe.reads or decision.draws:
                decision = None
        if decision is None:
            result.pending.append(PendingOrder(part.index, row, order, facts))
            lines.append(b"")
        else:
            result.outcomes[decision.outcome.value] += 1
            lines.append(orjson.dumps(decision.to_record()))
    write_atomically(staged, b"\n".join(lines) + b"\n" if lines else b"")
    return result


def validate_partition(job: CheckJob, part: BookPartition) -> DecidedPartition:
    """Phase 1 of a commit on a worker: validate only; the client decides."""
    checker = job_checker(job)
    orders, problems, left_out = _read_partition(job, part, checker)
    result = DecidedPartition(
        part.index, len(orders), _id_hashes(orders), left_out=left_out
    )
    result.problems = problems
    result.orders = [] if problems else orders
    return result


def write_partition(
    job: CheckJob, item: tuple[int, str, dict[int, bytes]]
) -> tuple[int, str]:
    """Phase 3 on a worker: staged lines with the pending ones filled in.

    A partition with nothing to fill is linked into place (no copy); the staged file
    stays, so a re-run of this task after a lost worker finds it again.
    """
    index, target, fills = item
    staged = Path(job.staging) / f"decided-{index:05d}.jsonl"
    out = Path(target)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}")
    try:
        if fills:
            with temp.open("wb") as stream:
                fill_lines(staged, fills, stream)
        else:
            os.link(staged, temp)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return digest_and_lines(out)


def _duplicates(
    parts: list[DecidedPartition],
    book: list[BookPartition],
    mapping: ColumnMapping | None = None,
) -> list[Problem]:
    """Each later use of an order id used in an earlier partition, naming the id
    and both lines (none: every id is used once).

    The workers send back only 64-bit hashes of the ids; a hash found in two
    partitions sends the client back over the files those partitions came from
    (a second pass, over those files only) for the ids and their lines. The rows
    left out as bad are passed over, as the single-file reader passes over them.
    """
    if len(parts) < 2:
        return []
    hashes = np.concatenate([p.ids for p in parts])
    values, counts = np.unique(hashes, return_counts=True)
    if not (counts > 1).any():
        return []
    clashing = set(values[counts > 1].tolist())
    where: dict[int, list[str]] = {}
    for part in parts:
        for position in np.flatnonzero(np.isin(part.ids, list(clashing))):
            where.setdefault(int(part.ids[position]), []).append(
                book[part.index].source
            )
    shared = {h for h, files in where.items() if len(files) > 1}
    sources = list(dict.fromkeys(s for h in shared for s in where[h]))
    # the sources in partition order, so the first use is the one named as first
    sources.sort(key=[part.source for part in book].index)
    bad = {(p.source, p.line) for part in parts for p in part.left_out}
    problems = _duplicate_lines(sources, shared, mapping, bad)
    if not problems:  # not found again (a hash shared by two ids): name the files
        problems = [
            Problem(f"an order id is used in several partitions: {', '.join(where[h])}")
            for h in shared
        ]
    return problems


def _duplicate_lines(
    sources: list[str],
    shared: set[int],
    mapping: ColumnMapping | None,
    bad: set[tuple[str | None, int | None]],
) -> list[Problem]:
    """Each later use of an id whose hash is in ``shared``, naming the first use
    (the ``bad`` rows, by source and line, are no use)."""
    first: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for source in sources:
        found: list[tuple[int, str]] = []
        for line, row, _plan in book_rows(Path(source), mapping):
            value = row.get("id")
            text = str(value).strip() if value is not None else ""
            if text and (source, line) not in bad:
                found.append((line, text))
        if not found:
            continue
        ids = pl.Series([text for _line, text in found], dtype=pl.Utf8)
        hits = np.isin(ids.hash(seed=0).to_numpy(), list(shared))
        for position in np.flatnonzero(hits):
            line, text = found[position]
            if text not in first:
                first[text] = (source, line)
                continue
            earlier, at = first[text]
            place = f"on line {at}" if earlier == source else f"in {earlier}, line {at}"
            problems.append(
                Problem(
                    f"order id {text!r} already used {place} (another partition)",
                    source,
                    line,
                    "id",
                )
            )
    return problems


def _decide_pending(
    checker: Checker, parts: list[DecidedPartition], job: CheckJob
) -> tuple[dict[int, dict[int, bytes]], Counter[str]]:
    """Phase 2 on the client: the balance-reading orders, in date order (ties in
    input order: partition, then row), as ``book.batch`` does for one file."""
    lines, outcomes = decide_in_date_order(
        checker,
        (
            ((p.partition, p.row), p.order, p.facts)
            for part in parts
            for p in part.pending
        ),
        regime=job.regime,
        as_of=job.as_of,
    )
    fills: dict[int, dict[int, bytes]] = {part.index: {} for part in parts}
    for (partition, row), line in lines.items():
        fills[partition][row] = line
    return fills, outcomes


def check_partitioned(
    book: Path,
    output: Path,
    executor: Executor,
    checker: Checker,
    job: CheckJob,
    *,
    progress: Progress | None = None,
    commit: Callable[[list[Order]], list[dict[str, Any]]] | None = None,
    own_draws_without: OwnDraws | None = None,
) -> CheckRun:
    """Decide ``book`` (a file or a folder of files) into the dataset ``output``.

    ``checker`` is the client's (its ledger seeds the running balances); ``commit``,
    when given, decides and commits the whole book on the client and returns the
    output lines as the ledger holds them. ``own_draws_without`` gives the book's
    own committed draws without those of the rows left out (``keep_going``): taken
    out before the pending orders are drawn, as the single-file path takes out the
    draws of its good orders alone.

    Raises:
        InputError: any bad row of any partition (all listed, by file and line);
            with ``job.keep_going`` only a file's own problem (the bad rows are
            then left out and listed in ``CheckRun.left_out``).
    """
    dataset = DatasetOutput(output)
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        seconds[phase] = now - clock[0]
        clock[0] = now

    try:
        job = dataclasses.replace(
            job, staging=str(dataset.staging), fork=executor.name == "local"
        )
        # a commit validates by the row loop: its orders go to the client whole
        by_rows = commit is not None
        parts_in = book_partitions(book, dataset.staging, job.mapping, by_rows=by_rows)
        lap("split")
        phase = validate_partition if commit else decide_partition
        decided = executor.map(functools.partial(phase, job), parts_in, progress)
        if any(part.retry_by_rows for part in decided):
            parts_in = book_partitions(book, dataset.staging, job.mapping, by_rows=True)
            decided = executor.map(functools.partial(phase, job), parts_in, progress)
        raise_problems([p for part in decided for p in part.problems])
        twice = _duplicates(decided, parts_in, job.mapping)
        if twice and job.keep_going and all(p.line is not None for p in twice):
            # the later uses are left out as bad rows, as one file's reader does
            job = dataclasses.replace(
                job, skip=tuple((str(p.source), int(p.line or 0)) for p in twice)
            )
            parts_in, decided = _read_again(
                book, parts_in, decided, job, executor, phase
            )
        else:
            raise_problems(twice)
            twice = []
        left_out = [p for part in decided for p in part.left_out] + twice
        lap("decide")
        if commit is not None:
            run, written = _write_committed(decided, dataset, commit, executor.name)
            lap("commit")
        else:
            if own_draws_without is not None and job.own_draws and left_out:
                lines = [(str(p.source), p.line) for p in left_out if p.line]
                _own_draws_again(checker, decided, job, own_draws_without(lines))
            fills, outcomes = _decide_pending(checker, decided, job)
            lap("draw")
            items = [
                (part.index, str(dataset.part(part.index)), fills[part.index])
                for part in decided
            ]
            written = executor.map(functools.partial(write_partition, job), items)
            for part in decided:
                outcomes.update(part.outcomes)
            run = CheckRun(
                sum(count for count, _ in written),
                outcomes,
                len(decided),
                sum(len(part.pending) for part in decided),
                executor.name,
                column_wise=sum(part.column_wise for part in decided),
            )
            lap("write")
        run.seconds = seconds
        run.left_out = _in_book_order(left_out, parts_in)
        _publish(dataset, book, job, run, parts_in, written)
    except BaseException:
        dataset.discard()
        raise
    return run


def _own_draws_again(
    checker: Checker,
    decided: list[DecidedPartition],
    job: CheckJob,
    own: dict[tuple[str, str], float],
) -> None:
    """Take ``own`` (the book's committed draws less those of the rows left out)
    out of the balances instead of what the workers took out (``job.own_draws``):
    the pending orders' license facts are gathered again with it. The orders decided
    on the workers read no balance and name no license, so no line of theirs
    changes."""
    if own == dict(job.own_draws):
        return
    checker.own_draws = own
    for part in decided:
        part.pending = [
            dataclasses.replace(p, facts=checker.with_named_facts(p.order, p.facts))
            for p in part.pending
        ]


def _read_again(
    book: Path,
    parts: list[BookPartition],
    decided: list[DecidedPartition],
    job: CheckJob,
    executor: Executor,
    phase: Callable[[CheckJob, BookPartition], DecidedPartition],
) -> tuple[list[BookPartition], list[DecidedPartition]]:
    """Phase 1 again for the partitions of the files holding ``job.skip``'s rows,
    by the row loop, which leaves them out (slices of one file become row slices:
    their lines are the file's)."""
    if any(part.contract for part in parts):
        parts = book_partitions(book, Path(job.staging), job.mapping, by_rows=True)
    sources = {source for source, _line in job.skip}
    again = [part for part in parts if part.source in sources]
    by_index = {part.index: part for part in decided}
    by_index.update(
        (part.index, part)
        for part in executor.map(functools.partial(phase, job), again)
    )
    return parts, [by_index[part.index] for part in parts]


def _in_book_order(
    problems: list[Problem], parts: list[BookPartition]
) -> list[Problem]:
    """``problems`` by file (in the book's order), then line."""
    place = {part.source: part.index for part in reversed(parts)}
    return sorted(problems, key=lambda p: (place.get(str(p.source), 0), p.line or 0))


def _write_committed(
    decided: list[DecidedPartition],
    dataset: DatasetOutput,
    commit: Callable[[list[Order]], list[dict[str, Any]]],
    executor_name: str,
) -> tuple[CheckRun, list[tuple[int, str]]]:
    orders = [order for part in decided for order in part.orders]
    records = commit(orders)
    start = 0
    written = []
    for part in decided:
        lines = [orjson.dumps(r) for r in records[start : start + part.count]]
        start += part.count
        target = dataset.part(part.index)
        write_atomically(target, b"\n".join(lines) + b"\n" if lines else b"")
        written.append((len(lines), file_digest(target)))
    run = CheckRun(
        len(records),
        Counter(str(r["outcome"]) for r in records),
        len(decided),
        len(records),
        executor_name,
        records,
    )
    return run, written


def _publish(
    dataset: DatasetOutput,
    book: Path,
    job: CheckJob,
    run: CheckRun,
    parts: list[BookPartition],
    written: list[tuple[int, str]],
) -> None:
    dataset.publish(
        {
            "job": "check",
            "input": str(book),
            "executor": run.executor,
            "regime": job.regime,
            "as_of": job.as_of.isoformat() if job.as_of else None,
            "orders": run.count,
            "outcomes": dict(sorted(run.outcomes.items())),
            "decided_in_date_order": run.pending,
            "left_out": [dataclasses.asdict(problem) for problem in run.left_out],
            "parts": [
                {
                    "file": part_name(part.index),
                    "source": part.source,
                    "orders": count,
                    "sha256": digest,
                }
                for part, (count, digest) in zip(parts, written, strict=True)
            ],
        }
    )
