"""Scale-out benchmark: one Parquet dataset book, the local path and a Dask cluster.

Measures, on this machine, for the same book (``CHIPGATE_BENCH_SCALE_ORDERS`` orders,
default 10,000,000, in ``CHIPGATE_BENCH_SCALE_PARTS`` Parquet files):
- the single-process column-wise path (`chipgate check BOOK.parquet --format jsonl`);
- the partitioned path on a LocalCluster of 1 and of 2 worker processes;
each in a fresh process: wall time, peak memory of the client and of each worker,
per-partition compute time (Dask's task stream), scheduler overhead (wall time not
spent computing on some worker), and the data moved between client and workers.
The figures feed the N-machine model of docs/scale.md.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import describe
from bench.orderbook import generate

ORDERS = int(os.environ.get("CHIPGATE_BENCH_SCALE_ORDERS", "10000000"))
PARTS = int(os.environ.get("CHIPGATE_BENCH_SCALE_PARTS", "40"))
REGIME = os.environ.get("CHIPGATE_BENCH_SCALE_REGIME") or None
"""The law in force on each order's date; ``aid-2025`` replays the AI Diffusion
rule, whose LPP and allocations make a third of the book wait for its order."""


def _book(folder: Path) -> tuple[Path, Path]:
    import polars as pl

    csv = generate(folder / "book.csv", ORDERS)
    frame = pl.read_csv(csv, infer_schema=False)
    csv.unlink()
    single = folder / "book.parquet"
    frame.write_parquet(single)
    dataset = folder / "dataset"
    dataset.mkdir()
    size = -(-ORDERS // PARTS)
    for index in range(PARTS):
        frame.slice(index * size, size).write_parquet(
            dataset / f"part-{index:04d}.parquet"
        )
    return single, dataset


def _mib(kib: int) -> float:
    return kib / 1024


def _one_local(single: Path, out: Path) -> dict[str, Any]:
    from chipgate.book.batch import check_to_jsonl
    from chipgate.book.pipeline import Checker
    from chipgate.book.sources import load_sources
    from chipgate.decide.engine import Engine
    from chipgate.settings import Settings

    settings = Settings()
    checker = Checker(Engine(), load_sources(settings, screening=False))
    start = time.perf_counter()
    result = check_to_jsonl(single, checker, out / "local.jsonl", regime=REGIME)
    wall = time.perf_counter() - start
    return {
        "wall_s": wall,
        "orders": result.count,
        "client_peak_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "one_by_one": result.one_by_one,
    }


def _one_dask(dataset: Path, out: Path, workers: int) -> dict[str, Any]:
    import pickle

    from distributed import get_task_stream

    from chipgate.book.pipeline import Checker
    from chipgate.book.sources import load_sources
    from chipgate.decide.engine import Engine
    from chipgate.executors.check_job import CheckJob, check_partitioned
    from chipgate.executors.runner import DaskExecutor
    from chipgate.settings import Settings

    settings = Settings()
    checker = Checker(Engine(), load_sources(settings, screening=False))
    executor = DaskExecutor(local_workers=workers)
    moved = {"to_client": 0, "to_workers": 0}
    original_map = executor.map

    def measuring_map(fn: Any, items: Any, progress: Any = None) -> Any:
        # what crosses the wire is the pickled task argument and result
        moved["to_workers"] += sum(len(pickle.dumps(i)) for i in items)
        results = original_map(fn, items, progress)
        moved["to_client"] += sum(len(pickle.dumps(r)) for r in results)
        return results

    executor.map = measuring_map  # type: ignore[method-assign]
    job = CheckJob(settings.model_dump_json(), False, REGIME, None, "")
    try:
        with get_task_stream(executor.client) as stream:
            start = time.perf_counter()
            run = check_partitioned(
                dataset, out / f"dask{workers}", executor, checker, job
            )
            wall = time.perf_counter() - start
        peaks = executor.client.run(
            lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        )
    finally:
        executor.close()
    computes: dict[str, list[float]] = {}
    busy = 0.0
    for task in stream.data:
        for span in task["startstops"]:
            if span["action"] == "compute":
                seconds = span["stop"] - span["start"]
                busy += seconds
                computes.setdefault(task["key"][0].split("-")[0], []).append(seconds)
    return {
        "wall_s": wall,
        "orders": run.count,
        "pending": run.pending,
        "phases_s": run.seconds,
        "client_peak_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "worker_peak_mib": sorted(_mib(v) for v in peaks.values()),
        "busy_s": busy,
        "overhead_s": wall - busy / workers,
        "per_task_s": {
            name: sum(times) / len(times) for name, times in computes.items()
        },
        "moved_mib": {k: v / 2**20 for k, v in moved.items()},
    }


def _child(kind: str, path: Path, out: Path) -> dict[str, Any]:
    """Run one configuration in a fresh process (its own peak memory)."""
    env = {**os.environ, "CHIPGATE_DATA_DIR": str(out / f"data-{kind}")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--one", kind, str(path), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run() -> None:
    """Generate the book, run the three configurations, print the figures."""
    print(describe())
    law = REGIME or "the law in force on each date"
    print(f"book: {ORDERS:,} orders in {PARTS} Parquet files, under {law}")
    with tempfile.TemporaryDirectory(prefix="chipgate-scale-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        single, dataset = _book(folder)
        print(f"generated in {time.perf_counter() - started:.0f} s")
        results = {
            "local": _child("local", single, folder),
            "dask1": _child("dask1", dataset, folder),
            "dask2": _child("dask2", dataset, folder),
        }
        for kind in ("dask1", "dask2"):
            with (folder / kind / "manifest.json").open() as fh:
                assert json.load(fh)["orders"] == ORDERS
        if _sorted_lines(folder / "local.jsonl") != _dataset_sorted(folder / "dask2"):
            print("MISMATCH: the cluster's decisions differ from the local path's")
    for kind, figures in results.items():
        rate = figures["orders"] / figures["wall_s"]
        print(
            f"{kind:6s} wall {figures['wall_s']:7.1f} s  {rate:9,.0f} orders/s  "
            + json.dumps({k: v for k, v in figures.items() if k not in ("wall_s",)})
        )


def _sorted_lines(path: Path) -> list[bytes]:
    return sorted(path.read_bytes().splitlines())


def _dataset_sorted(folder: Path) -> list[bytes]:
    lines: list[bytes] = []
    for part in sorted(folder.glob("part-*.jsonl")):
        lines.extend(part.read_bytes().splitlines())
    return sorted(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        kind, path, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        if kind == "local":
            figures = _one_local(path, out)
        else:
            figures = _one_dask(path, out, int(kind.removeprefix("dask")))
        print(json.dumps(figures))
    else:
        run()
