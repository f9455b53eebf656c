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

The writer keeps one connection for its life (a pooled one's checkout and reset
cost more than the statements). On SQLite its commits never checkpoint the
write-ahead log: a thread of the writer does, in the background (``_Checkpoints``),
so that no request waits for the log to be copied into the database file.

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
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Connection, Engine

from chipgate.cases.writes import write
from chipgate.errors import StoreError
from chipgate.ledger.db import WRITE_OPTION, is_sqlite
from chipgate.service.timing import Timings

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

MAX_BATCH = 512
"""Requests committed in one transaction at most (bounds one commit's duration)."""

CHECKPOINT_EVERY = 0.25
"""Seconds between two checkpoints of a SQLite store's log (when it grew)."""


class Writes(Protocol):
    """Where a worker's records go: its group writer, or the service's writer
    process (``service.writer_process``)."""

    timings: Timings | None

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        """Run ``work`` in a write transaction; its result once committed."""
        ...

    def close(self, timeout: float = 60.0) -> None:
        """Commit what was handed over, then stop."""
        ...


@dataclass(frozen=True, slots=True)
class Job(Generic[T]):
    """A write: what to run in the transaction, and the future its result goes to."""

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


class _Turns:
    """An exclusive lock on a file beside a SQLite store (nothing when None).

    The group writers of a SQLite store's workers take their turns on this lock
    before SQLite's own: the kernel hands it over the moment it is released, where
    SQLite's busy handler would sleep (1, 2, 5, 10 ms...) and poll again. The file
    stays open for the writer's life; each batch locks and unlocks it.
    """

    def __init__(self, path: Path | None) -> None:
        self._fd = (
            os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if path is not None and fcntl is not None
            else None
        )

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the enclosed transaction."""
        if self._fd is None:
            yield
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the file (releasing the lock, if held)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _Checkpoints:
    """Copies a SQLite store's write-ahead log into the database file, on a thread
    of its own, so that no commit does it.

    SQLite checkpoints by itself at the commit that takes the log past 1,000 pages:
    that commit writes the pages into the database file and flushes it too, some
    milliseconds while the writers' turn lock is held and every worker's requests
    wait (a one-order check adds about 6 pages: at 500 checks a second, three such
    commits a second). The group writer's connection turns that off; this thread
    runs a passive checkpoint every ``CHECKPOINT_EVERY`` seconds when something was
    committed. A passive checkpoint takes no writer's lock (commits go on appending
    to the log meanwhile) and gives up on what a reader still needs, for the next
    round. Durability is the commit's own: its log pages are flushed before it
    returns, whether or not they were copied yet.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="chipgate-checkpoints", daemon=True
        )
        self._thread.start()

    def committed(self) -> None:
        """Note that the log grew."""
        self._dirty.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self.database, isolation_level=None)
        try:
            while not self._stop.wait(CHECKPOINT_EVERY):
                if self._dirty.is_set():
                    self._dirty.clear()
                    with suppress(sqlite3.Error):  # busy: the next round
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()

    def close(self) -> None:
        """Stop the thread (a last checkpoint is left to SQLite's next opener)."""
        self._stop.set()
        self._thread.join(10)


class Committer:
    """Commits batches of writes as one transaction each, on a connection it keeps:
    the group writer's thread (:class:`GroupWriter`), or the service's writer
    process (``service.writer_process``), calls :meth:`commit` with each batch."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        database = _sqlite_file(engine)
        self._turns = _Turns(
            database.with_name(database.name + "-writers") if database else None
        )
        self._checkpoints = _Checkpoints(database) if database else None
        self._conn: Connection | None = None
        self.timings: Timings | None = None
        """Where batches are counted (``service.timing``), when a run measures."""

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """A write transaction on the writer's own connection, opened once and kept
        (a pooled one's checkout, reset and return cost twice the statements); a
        transaction that fails gives it up, and the next one opens another."""
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(**{WRITE_OPTION: True})
            if self._checkpoints is not None:  # they checkpoint, not our commits
                raw: Any = self._conn.connection.dbapi_connection
                raw.execute("PRAGMA wal_autocheckpoint=0")
        try:
            with self._conn.begin():
                yield self._conn
        except BaseException:
            self._release()
            raise
        if self._checkpoints is not None:
            self._checkpoints.committed()

    def _release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with suppress(Exception):  # a broken connection may fail to close
                conn.close()

    def close(self) -> None:
        """Release the connection, the turn lock's file and the checkpoint thread."""
        self._release()
        self._turns.close()
        if self._checkpoints is not None:
            self._checkpoints.close()

    def _write(self, work: Callable[[Connection], T]) -> T:
        with self._turns.held():
            return write(self.engine, work, begin=self._begin)

    def commit(self, batch: list[Job[Any]]) -> None:
        """One transaction for the batch; alone for each job if the batch fails.
        Each job's future is resolved once its transaction has committed."""
        live = [job for job in batch if job.future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            started = time.perf_counter()
            with self._turns.held():
                locked = time.perf_counter()
                results = write(
                    self.engine,
                    lambda conn: [job.work(conn) for job in live],
                    begin=self._begin,
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
                    result = self._write(job.work)
                except Exception as alone:  # reported to that request alone
                    job.future.set_exception(alone)
                else:
                    job.future.set_result(result)
            return
        for job, result in zip(live, results, strict=True):
            job.future.set_result(result)


def job(work: Callable[[Connection], T], submitted: float | None = None) -> Job[T]:
    """A write for :meth:`Committer.commit`, submitted at ``submitted`` (seconds of
    ``time.perf_counter``; default: now)."""
    return Job(work, Future(), time.perf_counter() if submitted is None else submitted)


class GroupWriter:
    """The worker's writer thread, started at once and stopped by :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._committer = Committer(engine)
        self._queue: queue.SimpleQueue[Job[Any] | None] = queue.SimpleQueue()
        self._closing = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, name="chipgate-group-writer", daemon=True
        )
        self._thread.start()

    @property
    def timings(self) -> Timings | None:
        """Where batches are counted (``service.timing``), when a run measures."""
        return self._committer.timings

    @timings.setter
    def timings(self, timings: Timings | None) -> None:
        self._committer.timings = timings

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        """Run ``work`` in the next batch's transaction; its result once committed."""
        with self._closing:
            if self._closed:
                future: Future[T] = Future()
                future.set_exception(RuntimeError("the group writer is closed"))
                return future
            queued = job(work)
            self._queue.put(queued)
        return queued.future

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
        try:
            self._serve()
        finally:
            self._committer.close()

    def _serve(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch: list[Job[Any]] = [first]
            while len(batch) < MAX_BATCH:
                try:
                    queued = self._queue.get_nowait()
                except queue.Empty:
                    break
                if queued is None:
                    stopping = True
                    break
                batch.append(queued)
            self._committer.commit(batch)
