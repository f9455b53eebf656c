"""Scale-out benchmark: one Parquet book, the local path and a Dask cluster.

Measures, on this machine, for the same book (``CHIPGATE_BENCH_SCALE_ORDERS`` orders,
default 10,000,000, as one Parquet file and as a dataset of
``CHIPGATE_BENCH_SCALE_PARTS`` Parquet files, default 40):
- ``local``: the single-process column-wise path, `chipgate check BOOK.parquet
  --format jsonl --output FILE` (the book read 250,000 orders at a time; the
  distinct orders of a chunk decided on forked processes);
- ``dataset``: the same path over the dataset folder, `chipgate check BOOK_DIR`
  (partition by partition in this process; only with ``dataset`` in the configs);
- ``dask1``, ``dask2``: the dataset on a LocalCluster of 1 and 2 worker processes;
each in a fresh process, one after the other: wall time, CPU time and peak memory of
the client, of its forked processes and of each worker; per-partition compute time
(Dask's task stream); scheduler overhead (wall time not spent computing on some
worker) and the data moved between client and workers. From the 1-worker run the
N-machine model of docs/scale.md is fitted and checked against the 2-worker run.
Every output is compared with the local one (SHA-256 of the lines in input order:
the dataset's parts follow the book's order) and deleted once measured.

Settings: ``CHIPGATE_BENCH_SCALE_REGIME`` (replay a regime, e.g. ``aid-2025``),
``CHIPGATE_BENCH_SCALE_CONFIGS`` (default ``local,dask1,dask2``),
``CHIPGATE_BENCH_SCALE_TIMEOUT`` (seconds per configuration, default 3600): a
configuration that runs longer is stopped and reported, so the run is bounded.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import resource
import shutil
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
CONFIGS = os.environ.get("CHIPGATE_BENCH_SCALE_CONFIGS", "local,dask1,dask2").split(",")
TIMEOUT = float(os.environ.get("CHIPGATE_BENCH_SCALE_TIMEOUT", "3600"))
GENERATE_ROWS = 1_000_000
"""Orders generated (and held) at a time while the book is written."""

TARGETS = {
    "identity": "every output's lines equal the local output's, byte for byte",
    "memory": "local and dataset client peak flat in the book's size (under 2.5 GiB)",
    "speed-up": "2 workers at least 1.6x the orders/s of 1 worker (idle machine)",
    "model": "2-worker wall within 20 % of the model fitted on the 1-worker run",
}


def _book(folder: Path) -> tuple[Path, Path]:
    """The seeded book as one Parquet file and as a dataset, written in pieces."""
    import polars as pl
    import pyarrow.parquet as pq

    single = folder / "book.parquet"
    dataset = folder / "dataset"
    dataset.mkdir()
    size = -(-ORDERS // PARTS)
    writer: Any = None
    part_frames: list[Any] = []
    part_index = 0
    held = 0
    for start in range(0, ORDERS, GENERATE_ROWS):
        count = min(GENERATE_ROWS, ORDERS - start)
        csv = generate(folder / "piece.csv", count, seed=20261123 + start)
        frame = pl.read_csv(csv, infer_schema=False).with_columns(
            # ids unique across pieces, in input order
            (pl.lit(f"P{start // GENERATE_ROWS:04d}-") + pl.col("id")).alias("id")
        )
        csv.unlink()
        table = frame.to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(single, table.schema)
        writer.write_table(table, row_group_size=262_144)
        while frame.height:
            take = min(size - held, frame.height)
            part_frames.append(frame.slice(0, take))
            frame = frame.slice(take)
            held += take
            if held == size:
                pl.concat(part_frames).write_parquet(
                    dataset / f"part-{part_index:04d}.parquet"
                )
                part_frames, held, part_index = [], 0, part_index + 1
    if part_frames:
        pl.concat(part_frames).write_parquet(dataset / f"part-{part_index:04d}.parquet")
    writer.close()
    return single, dataset


def _mib(kib: int) -> float:
    return kib / 1024


def _self_usage() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    forked = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "client_peak_mib": _mib(own.ru_maxrss),
        "client_cpu_s": own.ru_utime + own.ru_stime,
        "forked_peak_mib": _mib(forked.ru_maxrss),
        "forked_cpu_s": forked.ru_utime + forked.ru_stime,
    }


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


def _checker() -> Any:
    from chipgate.book.pipeline import Checker
    from chipgate.book.sources import load_sources
    from chipgate.decide.engine import Engine
    from chipgate.settings import Settings

    return Checker(Engine(), load_sources(Settings(), screening=False))


def _one_local(single: Path, out: Path) -> dict[str, Any]:
    from chipgate.book.batch import check_to_jsonl

    checker = _checker()
    target = out / "local.jsonl"
    start = time.perf_counter()
    result = check_to_jsonl(single, checker, target, regime=REGIME)
    wall = time.perf_counter() - start
    figures = {
        "wall_s": wall,
        "orders": result.count,
        "pending": result.one_by_one,
        "decided_once": result.decided_once,
        "phases_s": result.seconds,
        **_self_usage(),
        "sha256": _digest([target]),
    }
    target.unlink()
    return figures


def _dataset_figures(run: Any, folder: Path) -> dict[str, Any]:
    parts = sorted(folder.glob("part-*.jsonl"))
    figures = {
        "orders": run.count,
        "pending": run.pending,
        "column_wise_parts": run.column_wise,
        "phases_s": run.seconds,
        "sha256": _digest(parts),
    }
    shutil.rmtree(folder)
    return figures


def _one_dataset(dataset: Path, out: Path) -> dict[str, Any]:
    from chipgate.executors.check_job import CheckJob, check_partitioned
    from chipgate.executors.runner import LocalExecutor
    from chipgate.settings import Settings

    job = CheckJob(Settings().model_dump_json(), False, REGIME, None, "")
    start = time.perf_counter()
    target = out / "dataset-out"
    run = check_partitioned(dataset, target, LocalExecutor(), _checker(), job)
    wall = time.perf_counter() - start
    return {"wall_s": wall, **_dataset_figures(run, target), **_self_usage()}


def _one_dask(dataset: Path, out: Path, workers: int) -> dict[str, Any]:
    import pickle

    from distributed import get_task_stream

    from chipgate.executors.check_job import CheckJob, check_partitioned
    from chipgate.executors.runner import DaskExecutor
    from chipgate.settings import Settings

    checker = _checker()
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
    job = CheckJob(Settings().model_dump_json(), False, REGIME, None, "")
    try:
        with get_task_stream(executor.client) as stream:
            start = time.perf_counter()
            run = check_partitioned(
                dataset, out / f"dask{workers}", executor, checker, job
            )
            wall = time.perf_counter() - start

        def usage() -> tuple[float, float]:
            own = resource.getrusage(resource.RUSAGE_SELF)
            return _mib(own.ru_maxrss), own.ru_utime + own.ru_stime

        used = executor.client.run(usage)
    finally:
        executor.close()
    computes: dict[str, list[float]] = {}
    busy = 0.0
    for task in stream.data:
        for span in task["startstops"]:
            if span["action"] == "compute":
                seconds = span["stop"] - span["start"]
                busy += seconds
                key = task["key"][0] if isinstance(task["key"], tuple) else task["key"]
                name = str(key).split("-")[0]
                computes.setdefault(name, []).append(seconds)
    return {
        "wall_s": wall,
        **_dataset_figures(run, out / f"dask{workers}"),
        # the cluster's workers are this process's children: counted below
        **{k: v for k, v in _self_usage().items() if k.startswith("client")},
        "worker_peak_mib": sorted(peak for peak, _cpu in used.values()),
        "worker_cpu_s": sorted(cpu for _peak, cpu in used.values()),
        "busy_s": busy,
        "overhead_s": wall - busy / workers,
        "tasks": {name: len(times) for name, times in computes.items()},
        "per_task_s": {
            name: sum(times) / len(times) for name, times in computes.items()
        },
        "moved_mib": {k: v / 2**20 for k, v in moved.items()},
    }


def _child(kind: str, path: Path, out: Path) -> dict[str, Any]:
    """Run one configuration in a fresh process (its own peak memory), bounded."""
    env = {**os.environ, "CHIPGATE_DATA_DIR": str(out / f"data-{kind}")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.scale", "--one", kind, str(path), str(out)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {TIMEOUT:.0f} s"}
    except subprocess.CalledProcessError as exc:
        return {"error": (exc.stderr or "").strip().splitlines()[-3:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _model(results: dict[str, dict[str, Any]]) -> list[str]:
    """Fit T(n) = B*d/n + q*B*s + o*ceil(P/n) on the 1-worker run; check on 2."""
    one, two = results.get("dask1", {}), results.get("dask2", {})
    if "wall_s" not in one or "wall_s" not in two:
        return ["model: needs the dask1 and dask2 runs"]
    orders = one["orders"]
    serial = one["phases_s"].get("draw", 0.0)
    d = one["busy_s"] / orders
    o = (one["wall_s"] - one["busy_s"] - serial) / PARTS
    predicted = orders * d / 2 + serial + o * math.ceil(PARTS / 2)
    error = (two["wall_s"] - predicted) / predicted
    return [
        f"model fitted on 1 worker: d = {d * 1e3:.3f} ms/order of compute, "
        f"o = {o:.2f} s/partition not computing, serial draw {serial:.1f} s",
        f"model check: 2 workers predicted {predicted:.1f} s, measured "
        f"{two['wall_s']:.1f} s ({error:+.0%}; target within 20 %)",
        f"model: 10,000,000 orders on n worker cores ~ {1e7 * d:.0f}/n s + "
        f"{o:.2f} s x ceil(P/n) + the serial draw",
    ]


def run() -> None:
    """Generate the book, run the configurations one by one, print the figures."""
    print(describe())
    law = REGIME or "the law in force on each date"
    print(f"book: {ORDERS:,} orders in {PARTS} Parquet files, under {law}")
    print(f"load average before: {os.getloadavg()}")
    for name, target in TARGETS.items():
        print(f"target {name}: {target}")
    with tempfile.TemporaryDirectory(prefix="chipgate-scale-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        single, dataset = _book(folder)
        print(f"generated in {time.perf_counter() - started:.0f} s")
        results: dict[str, dict[str, Any]] = {}
        for kind in CONFIGS:
            path = single if kind == "local" else dataset
            results[kind] = _child(kind, path, folder)
            print(f"{kind}: {json.dumps(results[kind])}", flush=True)
    print(f"load average after: {os.getloadavg()}")
    reference = results.get("local", {}).get("sha256")
    for kind, figures in results.items():
        if "wall_s" not in figures:
            print(f"{kind:8s} FAILED {figures.get('error')}")
            continue
        rate = figures["orders"] / figures["wall_s"]
        same = figures["sha256"] == reference if reference else None
        workers = ", ".join(f"{p:.0f}" for p in figures.get("worker_peak_mib", []))
        print(
            f"{kind:8s} wall {figures['wall_s']:8.1f} s  {rate:9,.0f} orders/s  "
            f"client {figures['client_peak_mib']:6.0f} MiB"
            + (
                f"  forked {figures['forked_peak_mib']:.0f} MiB"
                if "forked_peak_mib" in figures
                else ""
            )
            + (f"  workers {workers} MiB" if workers else "")
            + f"  identical to local: {same}"
        )
        if "busy_s" in figures:
            per = figures["per_task_s"]
            print(
                "         per partition: "
                + ", ".join(f"{k} {v:.2f} s" for k, v in per.items())
                + f"; not computing {figures['overhead_s']:.1f} s; moved "
                + ", ".join(f"{k} {v:.2f} MiB" for k, v in figures["moved_mib"].items())
            )
    if "dask1" in results and "dask2" in results and "wall_s" in results["dask2"]:
        speed = results["dask1"]["wall_s"] / results["dask2"]["wall_s"]
        print(f"speed-up 2 workers over 1: {speed:.2f}x (target at least 1.6x)")
    for line in _model(results):
        print(line)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        kind, path, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        if kind == "local":
            figures = _one_local(path, out)
        elif kind == "dataset":
            figures = _one_dataset(path, out)
        else:
            figures = _one_dask(path, out, int(kind.removeprefix("dask")))
        print(json.dumps(figures))
    else:
        run()
