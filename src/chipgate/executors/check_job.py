"""``check`` of a book on an executor: decide in parallel, draw in date order.

Three phases, the same on both executors:

1. *Decide* (parallel, one task per partition): validate the partition's rows with
   the ordinary reader's row loop, gather each order's facts, and decide every order
   whose decision reads no balance and draws nothing (most of a book). Its JSON line
   is final and is staged in a file. An order that reads a balance or draws on a cap
   is *pending*: it travels back to the client with its facts.
2. *Draw* (serial, on the client): pending orders of every partition are decided in
   date order (ties in input order) against one running balance book seeded from the
   ledger, as ``Engine.evaluate_book`` does for a single file. Only these orders need
   the order of the whole book; they are few, and their facts came from the workers.
3. *Write* (parallel): each partition's staged lines, with its pending lines filled
   in, become one part file; a manifest names every part with its count and SHA-256.

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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl

from chipgate.book.pipeline import Checker
from chipgate.decide.engine import UNSHAREABLE
from chipgate.errors import InputError, Problem
from chipgate.executors.dataset import (
    DatasetOutput,
    file_digest,
    part_name,
    write_atomically,
)
from chipgate.executors.runner import Executor, Progress
from chipgate.executors.worker import worker_checker
from chipgate.facts import OrderFacts
from chipgate.orders.headers import HeaderPlan
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.model import Order
from chipgate.orders.parser import OrderParser, Row
from chipgate.orders.reader import (
    READERS,
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
    orders: list[Order] = field(default_factory=list)
    """Only when validating for a commit: the partition's orders."""


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


NumberedRow = tuple[int, Row, HeaderPlan | None]


def _plan_json(plan: HeaderPlan | None) -> dict[str, list[str | None]] | None:
    if plan is None:
        return None
    return {"targets": list(plan.targets), "absent": list(plan.absent)}


def _plan_of(data: dict[str, list[str]] | None) -> HeaderPlan | None:
    if data is None:
        return None
    return HeaderPlan(tuple(data["targets"]), tuple(data["absent"]))


def book_partitions(
    path: Path, staging: Path, mapping: ColumnMapping | None = None
) -> list[BookPartition]:
    """The partitions of a book: a folder's files, or slices of one file."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and p.suffix.lower() in READERS
            and not p.name.startswith((".", "_"))
        )
        if not files:
            raise InputError.single(
                "the folder holds no .parquet, .csv or .jsonl book files", source=path
            )
        return [BookPartition(i, str(f), str(f)) for i, f in enumerate(files)]
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
    part: BookPartition, checker: Checker, mapping: ColumnMapping | None
) -> tuple[list[Order], list[Problem]]:
    try:
        result = validate_rows(
            _partition_rows(part, mapping),
            OrderParser(checker.engine.catalog),
            part.source,
        )
    except InputError as exc:
        return [], list(exc.problems)
    return result.orders, result.problems


def _id_hashes(orders: list[Order]) -> np.ndarray:
    return pl.Series([o.id for o in orders], dtype=pl.Utf8).hash(seed=0).to_numpy()


def decide_partition(job: CheckJob, part: BookPartition) -> DecidedPartition:
    """Phase 1 on a worker: validate, gather facts, decide what needs no balance."""
    checker = worker_checker(job.settings_json, job.screening)
    orders, problems = _read_partition(part, checker, job.mapping)
    result = DecidedPartition(part.index, len(orders), _id_hashes(orders))
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
    staged = Path(job.staging) / f"decided-{part.index:05d}.jsonl"
    write_atomically(staged, b"\n".join(lines) + b"\n" if lines else b"")
    return result


def validate_partition(job: CheckJob, part: BookPartition) -> DecidedPartition:
    """Phase 1 of a commit on a worker: validate only; the client decides."""
    checker = worker_checker(job.settings_json, job.screening)
    orders, problems = _read_partition(part, checker, job.mapping)
    result = DecidedPartition(part.index, len(orders), _id_hashes(orders))
    result.problems = problems
    result.orders = [] if problems else orders
    return result


def write_partition(
    job: CheckJob, item: tuple[int, str, dict[int, bytes]]
) -> tuple[int, str]:
    """Phase 3 on a worker: staged lines with the pending ones filled in."""
    index, target, fills = item
    staged = Path(job.staging) / f"decided-{index:05d}.jsonl"
    out = []
    with staged.open("rb") as handle:
        for row, line in enumerate(handle):
            body = line.rstrip(b"\n")
            out.append(body or fills[row])
    write_atomically(Path(target), b"\n".join(out) + b"\n" if out else b"")
    return len(out), file_digest(Path(target))


def _duplicates(parts: list[DecidedPartition], book: list[BookPartition]) -> None:
    """Refuse an order id used in two partitions, naming both places."""
    if len(parts) < 2:
        return
    hashes = np.concatenate([p.ids for p in parts])
    values, counts = np.unique(hashes, return_counts=True)
    if not (counts > 1).any():
        return
    clashing = set(values[counts > 1].tolist())
    where: dict[int, list[str]] = {}
    for part in parts:
        for position in np.flatnonzero(np.isin(part.ids, list(clashing))):
            where.setdefault(int(part.ids[position]), []).append(
                book[part.index].source
            )
    problems = [
        Problem(f"an order id is used in several partitions: {', '.join(files)}")
        for files in where.values()
        if len(files) > 1
    ]
    raise_problems(problems)


def _decide_pending(
    checker: Checker, parts: list[DecidedPartition], job: CheckJob
) -> tuple[dict[int, dict[int, bytes]], Counter[str]]:
    """Phase 2 on the client: the balance-reading orders, in date order."""
    pending = [p for part in parts for p in part.pending]
    pending.sort(key=lambda p: (p.order.date, p.partition, p.row))
    running = checker.balances()
    fills: dict[int, dict[int, bytes]] = {part.index: {} for part in parts}
    outcomes = Counter[str]()
    for item in pending:
        decision = checker.engine.evaluate(
            item.order,
            regime=job.regime,
            facts=item.facts,
            balances=running,
            as_of=job.as_of,
        )
        running.apply(decision.draws)
        fills[item.partition][item.row] = orjson.dumps(decision.to_record())
        outcomes[decision.outcome.value] += 1
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
) -> CheckRun:
    """Decide ``book`` (a file or a folder of files) into the dataset ``output``.

    ``checker`` is the client's (its ledger seeds the running balances); ``commit``,
    when given, decides and commits the whole book on the client and returns the
    output lines as the ledger holds them.

    Raises:
        InputError: any bad row of any partition (all listed, by file and line).
    """
    dataset = DatasetOutput(output)
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        seconds[phase] = now - clock[0]
        clock[0] = now

    try:
        job = dataclasses.replace(job, staging=str(dataset.staging))
        parts_in = book_partitions(book, dataset.staging, job.mapping)
        lap("split")
        phase = validate_partition if commit else decide_partition
        decided = executor.map(functools.partial(phase, job), parts_in, progress)
        raise_problems([p for part in decided for p in part.problems])
        _duplicates(decided, parts_in)
        lap("decide")
        if commit is not None:
            run, written = _write_committed(decided, dataset, commit, executor.name)
            lap("commit")
        else:
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
            )
            lap("write")
        run.seconds = seconds
        _publish(dataset, book, job, run, parts_in, written)
    except BaseException:
        dataset.discard()
        raise
    return run


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
