"""One writer process for every worker of a SQLite store, and its client in each worker.

SQLite lets one connection write at a time. With a group writer thread in each
worker (``service.writer``) the workers' writers took turns on a lock: a request
waited for its own worker's commit in flight, then for the other worker's, then its
own, and a writer thread holding the turn needed its worker's interpreter back after
the disk's flush (behind requests being decided, or a garbage collection, on that
worker's event loop) while every worker's commits waited for it.

``chipgate serve`` on a SQLite store therefore starts one more process beside the
workers (:class:`WriterProcess`). It owns the only group writer of the service's
decision records: workers hand it their writes over a Unix socket
(:class:`RemoteWriter`), it commits everything that queued while the previous flush
ran as one transaction, and it answers each write once that transaction is durable
(a worker's answers of one transaction in one ``send``: one wake-up of it, not one
a write).
The workers' requests are batched together under one flush, nothing of the commit
runs under a worker's interpreter lock, and no lock passes between processes.

Durability is the group writer's: a write is answered (and so its request) only
after the transaction holding it has committed with ``synchronous=FULL``. If the
process stops, a worker fails the writes it had handed over and not had answered
(the request gets a 503; whether they were committed is not known to it, as when a
worker dies) and commits with a group writer of its own from then on.

The process stops when the service closes its standard input, after the workers
have stopped (or when the service dies): an interrupt or a stop signal sent to the
whole process group leaves it running until the workers have finished their
requests.

The socket lives in a folder only the service's user may open (mode 0700). A write
travels as JSON: the name of one of the functions in ``WRITES`` and its arguments
(plain JSON values), so a frame cannot name anything else to run; its outcome comes
back as the function's JSON result, or the text of its error.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Connection

from chipgate.errors import StoreError
from chipgate.service.decisions import keep_decisions
from chipgate.service.heap import collect_young_between, take_young_collections
from chipgate.service.writer import MAX_BATCH, Committer, GroupWriter, Job, job

T = TypeVar("T")

SOCKET_ENV = "CHIPGATE_SERVICE_WRITER"
"""Where ``chipgate serve`` tells its workers the writer process listens."""

_HEADER = struct.Struct("!I")
_READY = b"ready\n"


WRITES: dict[str, Callable[..., Any]] = {"keep_decisions": keep_decisions}
"""What a worker may hand over, by name: each takes JSON values, then the
transaction's connection, and returns a JSON value."""
_NAMES = {function: name for name, function in WRITES.items()}


def _frame(obj: object) -> bytes:
    payload = orjson.dumps(obj)
    return _HEADER.pack(len(payload)) + payload


def _encoded(number: int, work: Callable[[Connection], Any]) -> bytes:
    """A write's frame: its number, the name of its function, the function's
    arguments, and when it was handed over (the system's monotonic clock, the
    same in every process: the writer process counts its queueing from it)."""
    if isinstance(work, partial) and not work.keywords:
        name = _NAMES.get(work.func)
        if name is not None:
            return _frame([number, name, list(work.args), time.perf_counter()])
    raise TypeError(
        "the writer process runs only a functools.partial of one of "
        f"{sorted(WRITES)} with positional arguments"
    )


def _decoded(payload: bytes) -> tuple[int, Callable[[Connection], Any], float] | None:
    """A write from its frame (None: not a frame of a worker)."""
    try:
        number, name, args, sent = orjson.loads(payload)
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return None
    function = WRITES.get(name) if isinstance(name, str) else None
    if (
        function is None
        or not isinstance(number, int)
        or not isinstance(args, list)
        or not isinstance(sent, float)
    ):
        return None
    return number, partial(function, *args), sent


def _drain(sock: socket.socket, into: bytearray) -> bool:
    """Append what ``sock`` holds to ``into`` without waiting; False when the other
    side hung up (or the socket failed)."""
    try:
        while True:
            chunk = sock.recv(1 << 16, socket.MSG_DONTWAIT)
            if not chunk:
                return False
            into += chunk
            if len(chunk) < 1 << 16:
                return True
    except BlockingIOError:
        return True
    except OSError:
        return False


def _payloads(buffer: bytearray) -> list[bytes]:
    """The whole frames at the start of ``buffer``, taken out of it."""
    found, start = [], 0
    while len(buffer) - start >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer, start)
        end = start + _HEADER.size + size
        if len(buffer) < end:
            break
        found.append(bytes(buffer[start + _HEADER.size : end]))
        start = end
    del buffer[:start]
    return found


# -- the process -------------------------------------------------------------------


class _Worker:
    """One worker's connection to the writer process, and what it sent so far."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = bytearray()
        self.answers = bytearray()
        """Outcomes of a batch's writes, sent together (``send_answers``)."""

    def received(self) -> list[tuple[int, Callable[[Connection], Any], float]] | None:
        """The writes that arrived whole (None: the worker hung up, or sent what
        is not a write)."""
        if not _drain(self.conn, self.buffer):
            return None
        writes = []
        for payload in _payloads(self.buffer):
            write = _decoded(payload)
            if write is None:  # not a write of a worker: hang up on it
                return None
            writes.append(write)
        return writes

    def answer(self, number: int, future: Future[Any]) -> None:
        """Add a write's outcome (once its transaction committed, or failed) to
        what ``send_answers`` sends."""
        error = future.exception()
        try:
            frame = _frame(
                [number, True, future.result()]
                if error is None
                else [number, False, f"{type(error).__name__}: {error}"]
            )
        except TypeError as exc:  # a result that is not JSON
            frame = _frame([number, False, f"the write's result: {exc}"])
        self.answers += frame

    def send_answers(self) -> None:
        """Send the outcomes added since the last call, in one ``send``: one
        wake-up of the worker for all its writes of a transaction, however many."""
        if not self.answers:
            return
        with suppress(OSError):  # the worker is gone: nobody to tell
            self.conn.sendall(self.answers)
        self.answers.clear()


def run(path: Path) -> None:
    """The writer process: listen on ``path`` and commit what workers hand over,
    until standard input closes (the service stopping, or dying).

    One thread does everything: it waits until writes arrive, takes every write
    that arrived (from every worker), commits them as one transaction, answers
    each, and waits again; what arrives during a commit is the next batch.
    """
    from chipgate.ledger.db import make_engine
    from chipgate.service.timing import Timings
    from chipgate.settings import Settings

    # an interrupt or a stop reaches the whole process group: the workers finish
    # their requests, which need this process, before the service closes its input
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    settings = Settings()
    engine = make_engine(settings.resolved_database_url())
    committer = Committer(engine)
    timings = Timings(settings.service_timings) if settings.service_timings else None
    if timings is not None:
        committer.timings = timings
        timings.start()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(64)
    # what is loaded (about 90,000 objects) is never walked again: a full
    # collection of it would hold every worker's commits for tens of milliseconds
    gc.collect()
    gc.freeze()
    # and the young collections run between two batches, not inside a commit
    young = take_young_collections()[0]
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(sys.stdin.fileno(), selectors.EVENT_READ)
    sys.stdout.buffer.write(_READY)
    sys.stdout.buffer.flush()
    stopping = False
    try:
        while not stopping:
            batch: list[tuple[_Worker, int, Job[Any]]] = []
            for key, _ in events.select():
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    events.register(conn, selectors.EVENT_READ, _Worker(conn))
                elif key.data is None:  # standard input: closed when stopping
                    stopping = not os.read(sys.stdin.fileno(), 4096)
                else:
                    worker: _Worker = key.data
                    writes = worker.received()
                    if writes is None:
                        events.unregister(worker.conn)
                        worker.conn.close()
                        continue
                    batch.extend(
                        (worker, n, job(work, sent)) for n, work, sent in writes
                    )
            for start in range(0, len(batch), MAX_BATCH):
                part = batch[start : start + MAX_BATCH]
                committer.commit([queued for _, _, queued in part])
                for worker, number, queued in part:
                    worker.answer(number, queued.future)
                for worker in dict.fromkeys(worker for worker, _, _ in part):
                    worker.send_answers()
            collect_young_between(young)
    finally:
        listener.close()
        committer.close()
        engine.dispose()
        if timings is not None:
            timings.write()


# Bytes of a Unix socket's path, its final NUL included: ``sun_path`` of
# ``struct sockaddr_un`` on Linux (unix(7), "Address format")
SOCKET_PATH_MAX = 108
SOCKET_NAME = "writer.sock"  # in the folder of ``socket_folder``


def socket_folder() -> Path:
    """A new folder for the writer's socket, only the service's user may open
    (mode 0700): in the temporary folder (``TMPDIR``), or in the system's
    ``/tmp`` when a socket under ``TMPDIR`` would have a path longer than a Unix
    socket may (108 bytes): a deep ``TMPDIR`` would leave every worker to write
    on its own."""
    folder = Path(tempfile.mkdtemp(prefix="chipgate-writer-"))
    if len(os.fsencode(folder / SOCKET_NAME)) < SOCKET_PATH_MAX:
        return folder
    folder.rmdir()
    return Path(tempfile.mkdtemp(prefix="chipgate-writer-", dir="/tmp"))


class WriterProcess:
    """The writer process of ``chipgate serve`` (SQLite): started before the workers,
    stopped after them."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.folder = socket_folder()
        self.path = self.folder / SOCKET_NAME
        self._process = subprocess.Popen(  # noqa: S603 (this interpreter)
            [sys.executable, "-m", "chipgate.service.writer_process", str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline() != _READY:
            self.stop()
            raise StoreError("the writer process did not start")

    def stop(self, timeout: float = 60.0) -> None:
        """Let it commit what it holds and exit; then remove its socket."""
        if self._process.stdin is not None:
            with suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


# -- the client, in a worker -------------------------------------------------------


class RemoteWriter:
    """A worker's door to the writer process, with the group writer's interface.

    Made on the worker's event loop, which does all of its socket's I/O without
    blocking: writes handed over on the loop (from other threads, through the loop)
    are sent at the end of the loop's turn, those of one turn in one ``send`` (each
    ``send`` wakes the writer process, which then took the worker's core from it:
    requests read in one turn, when the worker had fallen behind, woke it once a
    request); answers are read there as they arrive and resolve the futures
    ``submit`` returned. If the writer process goes away, the writes handed over and
    not answered fail with ``StoreError`` and later ones go to a group writer of this
    worker (``fallback``).
    """

    def __init__(self, path: Path, fallback: Callable[[], GroupWriter]) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.connect(str(path))
        self._sock.setblocking(False)
        self._fallback_factory = fallback
        self._fallback: GroupWriter | None = None
        self._numbers = itertools.count()
        self._pending: dict[int, Future[Any]] = {}
        self._inbox = bytearray()
        self._outbox = bytearray()
        self._flushing = False
        """A flush of the outbox is due at the end of the loop's turn."""
        self._blocked = False
        """The socket took less than the outbox: the rest goes when it can."""
        self._closed = False
        self.timings: Any = None
        """Unused: the writer process counts its batches (``service.timing``)."""
        self._loop.add_reader(self._sock, self._readable)

    @property
    def remote(self) -> bool:
        """Whether writes still go to the writer process."""
        return self._fallback is None

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        """Hand ``work`` to the writer process; its result once committed."""
        fallback = self._fallback
        if fallback is not None:
            return fallback.submit(work)
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(RuntimeError("the group writer is closed"))
            return future
        number = next(self._numbers)
        try:
            frame = _encoded(number, work)
        except TypeError as exc:  # not a write the process can run
            future.set_exception(exc)
            return future
        self._pending[number] = future
        if threading.get_ident() == self._loop_thread:
            self._send(number, frame, work)
        else:
            try:
                self._loop.call_soon_threadsafe(self._send, number, frame, work)
            except RuntimeError:  # the loop has closed: the worker is stopping
                self._pending.pop(number, None)
                future.set_exception(RuntimeError("the group writer is closed"))
        return future

    def _send(
        self, number: int, frame: bytes, work: Callable[[Connection], Any]
    ) -> None:
        """Queue one write (on the loop) for the flush at the end of this turn of
        the loop, which sends every write queued in the turn at once."""
        if self._fallback is not None:  # lost since it was handed over
            future = self._pending.pop(number, None)
            if future is not None:
                _chain(self._fallback.submit(work), future)
            return
        self._outbox += frame
        if not self._flushing and not self._blocked:
            self._flushing = True
            # after the callbacks ready now: the other requests read in this turn
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        """Send what is queued; what the socket does not take now is sent when it
        can take more."""
        self._flushing = False
        if self._blocked or not self._outbox or self._fallback is not None:
            return
        try:
            sent = self._sock.send(self._outbox)
        except BlockingIOError:
            sent = 0
        except OSError:
            self._lost()
            return
        del self._outbox[:sent]
        if self._outbox:
            self._blocked = True
            self._loop.add_writer(self._sock, self._writable)

    def _writable(self) -> None:
        try:
            sent = self._sock.send(self._outbox)
        except BlockingIOError:
            return
        except OSError:
            self._lost()
            return
        del self._outbox[:sent]
        if not self._outbox:
            self._blocked = False
            self._loop.remove_writer(self._sock)

    def _readable(self) -> None:
        """Read what arrived (on the loop), and resolve the answered writes."""
        if not _drain(self._sock, self._inbox):
            self._lost()
            return
        self._deliver()

    def _deliver(self) -> None:
        for payload in _payloads(self._inbox):
            number, ok, value = orjson.loads(payload)
            future = self._pending.pop(number, None)
            if future is None or future.done():  # cancelled: nobody waits
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(
                    StoreError(f"the store refused the write: {value}")
                )

    def _lost(self) -> None:
        """The writer process went away (on the loop): fail what it held, and
        write with a group writer of this worker from now on."""
        if self._fallback is None and not self._closed:
            self._fallback = self._fallback_factory()
        with suppress(Exception):
            self._loop.remove_reader(self._sock)
            self._loop.remove_writer(self._sock)
        self._outbox.clear()
        self._blocked = False
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(
                    StoreError("the writer process stopped before answering")
                )

    def close(self, timeout: float = 60.0) -> None:
        """Wait (at most ``timeout`` seconds) for the answers to the writes handed
        over, then hang up (on the loop, once no request is served)."""
        if self._closed:
            return
        self._closed = True
        if self._fallback is None:
            with suppress(Exception):
                self._loop.remove_reader(self._sock)
                self._loop.remove_writer(self._sock)
            self._sock.settimeout(timeout)
            with suppress(OSError):
                self._sock.sendall(self._outbox)
                while self._pending:  # nobody reads for us on the loop any more
                    chunk = self._sock.recv(1 << 16)
                    if not chunk:
                        break
                    self._inbox += chunk
                    self._deliver()
            self._lost()
        self._sock.close()
        if self._fallback is not None:
            self._fallback.close(timeout)


async def committed(future: Future[T]) -> T:
    """The result of a write's future, awaited on the event loop.

    ``asyncio.wrap_future`` hands every result over with ``call_soon_threadsafe``
    (a wake-up of the loop through its pipe, and one more turn of the loop). The
    writer process's answers resolve their futures on the loop itself: those are
    handed over at once; a group writer's, resolved on its thread, as before.
    """
    if future.done():
        return future.result()
    loop = asyncio.get_running_loop()
    loop_thread = threading.get_ident()
    waiter: asyncio.Future[T] = loop.create_future()

    def settle(done: Future[T]) -> None:
        if waiter.done():  # the request was cancelled
            return
        error = done.exception()
        if error is not None:
            waiter.set_exception(error)
        else:
            waiter.set_result(done.result())

    def resolved(done: Future[T]) -> None:
        if threading.get_ident() == loop_thread:
            settle(done)
        else:
            with suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(settle, done)

    future.add_done_callback(resolved)
    return await waiter


def _chain(source: Future[T], target: Future[T]) -> None:
    """Resolve ``target`` as ``source`` resolves."""

    def copy(done: Future[T]) -> None:
        error = done.exception()
        if error is not None:
            target.set_exception(error)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


if __name__ == "__main__":
    run(Path(sys.argv[1]))
