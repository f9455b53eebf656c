"""Group commit: one writer thread per worker keeps the decisions of many requests
in one transaction, and each request is answered only once its transaction is
committed.

A store commit waits for the disk (SQLite ``synchronous=FULL`` in WAL mode; PostgreSQL's
synchronous commit): a few milliseconds of ``fsync``, far more than deciding an order.
Committing each request on its own puts those waits end to end behind SQLite's one
writer lock, and many request threads queueing for that lock sleep in its busy handler
long after it is free. Here the requests of one worker hand their writes to one
thread, which takes everything that queued while the previous commit was on the disk
and commits it as one transaction: one ``fsync`` for the batch, one writer per worker
(and on SQLite the workers' writers take turns on a file lock beside the database).

Durability is unchanged by the batching: a request's future resolves only after the
transaction holding its rows has committed durably, so nothing acknowledged can be
lost, by a crash of the service or of the machine. A batch that fails for one
request's own write is run again one request at a time, so that write never fails
another's; a store that refuses (after the retries of ``cases.writes.write``) fails
the whole batch.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from chipgate.cases.writes import write
from chipgate.errors import StoreError
from chipgate.ledger.db import is_sqlite
from chipgate.service.timing import Timings

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

MAX_BATCH = 512
"""Requests committed in one transaction at most (bounds one commit's duration)."""


@dataclass(frozen=True, slots=True)
class _Job(Generic[T]):
    work: Callable[[Connection], T]
    future: Future[T]
    submitted: float


def _sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite store (None: PostgreSQL, or in memory)."""
    if not is_sqlite(engine) or not engine.url.database:
        return None
    if engine.url.database == ":memory:":
        return None
    return Path(engine.url.database)


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (nothing when None).

    The group writers of a SQLite store's workers take their turns on this lock
    before SQLite's own: the kernel hands it over the moment it is released, where
    SQLite's busy handler would sleep (1, 2, 5, 10 ms...) and poll again.
    """
    if path is None or fcntl is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


class GroupWriter:
    """The worker's writer thread, started at once and stopped by :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        database = _sqlite_file(engine)
        self._turns = (
            database.with_name(database.name + "-writers") if database else None
        )
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._closing = threading.Lock()
        self._closed = False
        self.timings: Timings | None = None
        """Where batches are counted (``service.timing``), when a run measures."""
        self._thread = threading.Thread(
            target=self._run, name="chipgate-group-writer", daemon=True
        )
        self._thread.start()

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        """Run ``work`` in the next batch's transaction; its result once committed."""
        future: Future[T] = Future()
        with self._closing:
            if self._closed:
                future.set_exception(RuntimeError("the group writer is closed"))
            else:
                self._queue.put(_Job(work, future, time.perf_counter()))
        return future

    def close(self, timeout: float = 60.0) -> None:
        """Commit what is queued, then stop the thread (waiting ``timeout`` seconds
        at most, so a hung store cannot hang the worker's shutdown)."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)  # after every job submitted before it
        self._thread.join(timeout)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch: list[_Job[Any]] = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stopping = True
                    break
                batch.append(job)
            self._commit(batch)

    def _commit(self, batch: list[_Job[Any]]) -> None:
        """One transaction for the batch; alone for each job if the batch fails."""
        live = [job for job in batch if job.future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            started = time.perf_counter()
            with _file_lock(self._turns):
                locked = time.perf_counter()
                results = write(
                    self.engine, lambda conn: [job.work(conn) for job in live]
                )
            if self.timings is not None:
                self.timings.batch(
                    len(live),
                    started - live[0].submitted,
                    locked - started,
                    time.perf_counter() - locked,
                )
        except Exception as exc:  # a job's own error: each job again on its own
            if len(live) == 1 or isinstance(exc, StoreError):  # the store's: all
                for job in live:
                    job.future.set_exception(exc)
                return
            for job in live:
                try:
                    with _file_lock(self._turns):
                        result = write(self.engine, job.work)
                except Exception as alone:  # reported to that request alone
                    job.future.set_exception(alone)
                else:
                    job.future.set_result(result)
            return
        for job, result in zip(live, results, strict=True):
            job.future.set_result(result)
