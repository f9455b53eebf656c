"""Forked screening workers, each name family always screened by the same worker.

A worker remembers what it worked out for a name: the rankings of its words
(``NameMatcher._retrieve``), its organisation scores with a number left out
(``NameMatcher._numbered_score``), its words' expansions and similarities. A
large register repeats names, often with a number appended ("Acme Trading
123456", "Acme Trading 234567"), and far apart in the file. Handed out chunk by
chunk to whichever worker was free, a repeat met the worker that had screened
the name before only half the time, and each worker's memory held every name
of the file. Here each distinct name of a chunk goes to the worker its family
(``family``: the name without a trailing number) is assigned to, so a name's
repeats find what their worker remembered, and each worker remembers only its
share of the names. The results are the same whichever worker screens a name.

Each worker has its own queue of tasks and of results, both served in order,
so the parent knows which answer belongs to which chunk without tagging them.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

P = TypeVar("P", bound=Hashable)
R = TypeVar("R")
T = TypeVar("T")

# How long the parent waits for an answer before it checks that the worker lives.
POLL_S = 1.0
# Chunks handed out ahead of the one being written.
AHEAD = 4
_DIGITS = "0123456789 "


def family(name: str) -> str:
    """The name a worker is chosen by: ``name`` without a trailing number.

    >>> family("Acme Trading 123456") == family("Acme Trading 7") == "Acme Trading"
    True
    """
    return name.rstrip(_DIGITS)


def worker_of(name: str, workers: int) -> int:
    """The worker (``0 .. workers - 1``) that screens ``name`` and its family.

    A checksum of the family's text, the same in every run (``hash`` of a string
    changes with ``PYTHONHASHSEED``, which would make runs differ in speed).
    """
    return zlib.crc32(family(name).encode("utf-8", "surrogatepass")) % workers


class _Failed:
    """A task's exception, sent back in place of its result."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _sendable(error: BaseException) -> BaseException:
    """``error``, or a RuntimeError naming it when the queue cannot send it
    (its pickling would fail in the queue's thread, and the parent wait on)."""
    try:
        ForkingPickler.dumps(error)
    except Exception:  # any failure to pickle means: send its text
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _serve(task: Callable[[list[Any]], list[Any]], tasks: Any, results: Any) -> None:
    """A worker's loop: answer each task in order until the parent sends None."""
    while True:
        parties = tasks.get()
        if parties is None:
            return
        try:
            results.put(task(parties))
        except Exception as error:  # handed back, raised by the parent
            results.put(_Failed(_sendable(error)))


class AffineWorkers(Generic[P, R]):
    """``count`` forked processes running ``task`` on lists of parties.

    ``task`` must be a module-level function (the workers are forked, so it and
    everything it reads, like the screener, are inherited, not pickled).
    """

    def __init__(self, task: Callable[[list[P]], list[R]], count: int) -> None:
        context = mp.get_context("fork")
        self._tasks = [context.Queue() for _ in range(count)]
        self._results = [context.Queue() for _ in range(count)]
        self._processes = [
            context.Process(target=_serve, args=(task, t, r), daemon=True)
            for t, r in zip(self._tasks, self._results, strict=True)
        ]
        for process in self._processes:
            process.start()

    @property
    def count(self) -> int:
        """How many workers there are."""
        return len(self._processes)

    def submit(self, parties: Sequence[P]) -> list[list[P]]:
        """Hand each party to its worker (``worker_of`` its name, the first item
        of a tuple party or the party itself); the parts sent, one per worker."""
        parts: list[list[P]] = [[] for _ in self._processes]
        for party in parties:
            name = party[0] if isinstance(party, tuple) else party
            parts[worker_of(str(name), len(parts))].append(party)
        for tasks, part in zip(self._tasks, parts, strict=True):
            tasks.put(part)
        return parts

    def collect(self, parts: list[list[P]]) -> dict[P, R]:
        """The answers to the oldest parts submitted (``submit``), by party.

        Raises:
            Exception: what a worker's task raised.
            RuntimeError: a worker ended without answering.
        """
        found: dict[P, R] = {}
        for at, part in enumerate(parts):
            answer = self._answer(at)
            if isinstance(answer, _Failed):
                raise answer.error
            found.update(zip(part, answer, strict=True))
        return found

    def _answer(self, at: int) -> Any:
        results, process = self._results[at], self._processes[at]
        while True:
            try:
                return results.get(timeout=POLL_S)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(
                        f"screening worker {process.pid} ended "
                        f"(exit code {process.exitcode})"
                    ) from None

    def close(self, finished: bool) -> None:
        """Stop the workers: asked to end when ``finished``, else ended at once."""
        for tasks in self._tasks:
            if finished:
                tasks.put(None)
            tasks.cancel_join_thread()
        for process in self._processes:
            if finished:
                process.join(POLL_S * 10)
            if process.is_alive():
                process.terminate()
                process.join()
        for handle in (*self._tasks, *self._results):
            handle.cancel_join_thread()
            handle.close()


def in_order(
    task: Callable[[list[P]], list[R]],
    count: int,
    pending: Iterator[tuple[T, list[P]]],
) -> Iterator[tuple[T, list[P], dict[P, R]]]:
    """``(item, parties, answers)`` for each ``(item, parties)`` of ``pending``,
    in order, the distinct parties screened by ``count`` affine workers a few
    chunks (``AHEAD``) ahead of the one yielded."""
    workers: AffineWorkers[P, R] = AffineWorkers(task, count)
    window: list[tuple[T, list[P], list[list[P]]]] = []
    finished = False
    try:
        for item, parties in pending:
            window.append((item, parties, workers.submit(list(dict.fromkeys(parties)))))
            if len(window) >= AHEAD:
                item, parties, parts = window.pop(0)
                yield item, parties, workers.collect(parts)
        for item, parties, parts in window:
            yield item, parties, workers.collect(parts)
        finished = True
    finally:
        workers.close(finished)
