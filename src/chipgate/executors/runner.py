"""Executors: one way to map a partition function over partitions, two places to run.

The partition functions are plain module-level functions of picklable arguments, so
that a Dask worker can import and call them; they keep what is costly to load (the
regime packs, the catalog, the screening index) in a per-process cache
(``executors.worker``), so each worker loads it once, however many partitions it runs.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from chipgate.errors import ChipgateError

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]
"""Told (done, total) as partitions finish."""

TASK_RETRIES = 2
"""Times a partition that raised is run again (a lost worker is handled by Dask's
own rescheduling, whose limit is the scheduler's ``allowed-failures``)."""


class Executor(Protocol):
    """Maps a partition function over partitions and returns results in order."""

    name: str

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]:
        """``[fn(item) for item in items]``, wherever the executor runs them."""
        ...

    def workers(self) -> int:
        """How many partitions can run at once."""
        ...

    def close(self) -> None:
        """Release the cluster connection (and a cluster this executor started)."""
        ...


class LocalExecutor:
    """Runs every partition in this process, one after the other."""

    name = "local"

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]:
        results = []
        for item in items:
            results.append(fn(item))
            if progress is not None:
                progress(len(results), len(items))
        return results

    def workers(self) -> int:
        return 1

    def close(self) -> None:
        return None


class DaskExecutor:
    """Runs partitions as tasks on a Dask cluster.

    With an address it connects to that scheduler; without, it starts a local
    cluster of worker *processes* on 127.0.0.1 (each with one thread: the partition
    functions are CPU-bound Python) and shuts it down on ``close``.
    """

    name = "dask"

    def __init__(self, address: str | None = None, local_workers: int = 2) -> None:
        try:
            # typed as Any: the package's own annotations are partial
            distributed: Any = importlib.import_module("distributed")
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise ChipgateError(
                "the dask executor needs the 'distributed' package: "
                "pip install 'dask[distributed]'"
            ) from exc
        # The cluster's own chatter (worker start-up, lost workers being replaced)
        # is not the user's business unless something fails.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        self._cluster: Any = None
        try:
            if address:
                self._client = distributed.Client(address, timeout="30s")
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    # the scheduler's HTTP endpoint (health, metrics) on a free
                    # loopback port, with no dashboard: never on every interface
                    scheduler_kwargs={
                        "dashboard": False,
                        "dashboard_address": "127.0.0.1:0",
                    },
                )
                self._client = distributed.Client(self._cluster)
        except OSError as exc:
            raise ChipgateError(
                f"cannot reach the Dask scheduler {address or '(local cluster)'}: {exc}"
            ) from exc

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (tests use it to find and stop workers)."""
        return self._client

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]:
        distributed: Any = importlib.import_module("distributed")
        if not items:
            return []
        futures = self._client.map(fn, list(items), pure=False, retries=TASK_RETRIES)
        for done, _future in enumerate(distributed.as_completed(futures), start=1):
            if progress is not None:
                progress(done, len(items))
        return list(self._client.gather(futures))

    def workers(self) -> int:
        info = self._client.scheduler_info()
        return max(1, len(info.get("workers", {})))

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    name: str, address: str | None = None, local_workers: int | None = None
) -> Executor:
    """The executor called ``name`` (``local`` or ``dask``)."""
    if name == "local":
        return LocalExecutor()
    if name == "dask":
        count = local_workers or min(os.cpu_count() or 1, 8)
        return DaskExecutor(address, local_workers=count)
    raise ChipgateError(f"--executor: {name!r} is not local or dask")
