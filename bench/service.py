"""Service benchmark: the CLI's start-up, and single requests over HTTP on loopback.

`python -m bench service` prints:
- ``chipgate --help`` and ``chipgate version`` wall time (median and worst of 10);
- one-order checks (POST /v1/orders/check) at 100 and 500 requests/s, and one-name
  screening (POST /v1/screening/name) at 100 requests/s, each for
  ``BENCH_SERVICE_SECONDS`` (default 30) against ``chipgate serve`` (SQLite store,
  ``BENCH_SERVICE_WORKERS`` workers, default 2) with an open-loop async httpx load
  generator: request i is due at start + i/rate, its latency counts from when it was
  due (so a stalled server cannot hide its queue), at most 256 in flight;
- the same operations in-process (no HTTP), as a floor.

Orders come from the seeded benchmark book (bench/orderbook.py); names from the
shared screening benchmark's negatives (data/screening-bench/negatives_global.csv),
so the screener's memo never answers. The load generator shares the machine's cores
with the server: the load average is printed before and after.
"""

from __future__ import annotations

import asyncio
import csv
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.machine import describe
from bench.orderbook import generate

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
NAMES = SHARED / "screening-bench" / "negatives_global.csv"
SECONDS = float(os.environ.get("BENCH_SERVICE_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_SERVICE_WORKERS", "2"))
IN_FLIGHT = 256


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cli_startup() -> None:
    exe = Path(sys.executable).with_name("chipgate")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    for args in (["--help"], ["version"]):
        times = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([str(exe), *args], env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        print(
            f"chipgate {' '.join(args)}: median {statistics.median(times):.3f} s, "
            f"worst {max(times):.3f} s (10 runs)"
        )


def _orders(count: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        book = generate(Path(folder) / "book.csv", count)
        with book.open(newline="", encoding="utf-8") as handle:
            return [
                {k: v for k, v in row.items() if v} for row in csv.DictReader(handle)
            ]


def _names(count: int) -> list[str]:
    with NAMES.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return [row["full_name"] for _, row in zip(range(count), rows, strict=False)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _load(
    url: str, key: str, rate: float, bodies: Callable[[int], dict[str, Any]]
) -> tuple[list[float], int, int]:
    """Open-loop load: latencies (ms) of good answers, errors, requests sent."""
    total = int(rate * SECONDS)
    latencies: list[float] = []
    errors = 0
    gate = asyncio.Semaphore(IN_FLIGHT)
    limits = httpx.Limits(
        max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT
    )
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {key}"}, limits=limits, timeout=30
    ) as client:
        start = time.perf_counter()

        async def one(index: int) -> None:
            nonlocal errors
            due = start + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            async with gate:
                try:
                    response = await client.post(url, json=bodies(index))
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
            if ok:
                latencies.append((time.perf_counter() - due) * 1000)
            else:
                errors += 1

        await asyncio.gather(*(one(i) for i in range(total)))
    return latencies, errors, total


def _report(label: str, latencies: list[float], errors: int, sent: int) -> None:
    if not latencies:
        print(f"{label}: no successful request ({errors} errors of {sent})")
        return
    print(
        f"{label}: p50 {_percentile(latencies, 0.50):.2f} ms, "
        f"p99 {_percentile(latencies, 0.99):.2f} ms, "
        f"max {max(latencies):.1f} ms, errors {errors} of {sent}"
    )


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    env = {
        **os.environ,
        "CHIPGATE_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
    }
    env.pop("CHIPGATE_DATABASE_URL", None)
    cli = [sys.executable, "-m", "chipgate.cli.app"]
    created = subprocess.run(
        [*cli, "keys", "create", "--role", "analyst", "--name", "bench"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = created.stdout.strip()
    port = _free_port()
    process = subprocess.Popen(
        [
            *cli,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    ready = 0
    while time.monotonic() < deadline and ready < 20:
        try:
            ready = ready + 1 if httpx.get(f"{url}/readyz").status_code == 200 else 0
        except httpx.TransportError:
            ready = 0
        time.sleep(0.1)  # every worker answers ready (20 in a row)
    return process, url, key


def _in_process(orders: list[dict[str, Any]], names: list[str], data_dir: Path) -> None:
    from chipgate.service.decisions import record
    from chipgate.service.runtime import Runtime
    from chipgate.settings import Settings

    runtime = Runtime.load(Settings(data_dir=data_dir))
    checks = []
    for index, order in enumerate(orders[:2000]):
        row = {**order, "id": f"inproc-{index}"}
        start = time.perf_counter()
        decided = runtime.decide(runtime.parse([row], "bench"))
        record(runtime.records, decided, "bench", review=False)
        checks.append((time.perf_counter() - start) * 1000)
    _report("in-process one-order check (decide + record)", checks, 0, len(checks))
    screener = runtime.screener
    if screener is None:
        print("in-process screening: no lists")
        return
    screens = []
    for name in names[:2000]:
        start = time.perf_counter()
        screener.matches(name)
        screens.append((time.perf_counter() - start) * 1000)
    _report("in-process one-name screening (memo bypassed)", screens, 0, len(screens))
    runtime.close()


def run() -> None:
    """Print the figures."""
    print(describe())
    print(f"load average before: {os.getloadavg()}")
    _cli_startup()
    orders = _orders(40_000)
    names = _names(40_000)
    with tempfile.TemporaryDirectory(prefix="chipgate-bench-service-") as folder:
        data_dir = Path(folder)
        process, url, key = _serve(data_dir)
        try:
            for rate in (100.0, 500.0):

                def check(index: int, rate: float = rate) -> dict[str, Any]:
                    order = {
                        **orders[index % len(orders)],
                        "id": f"r{rate:.0f}-{index}",
                    }
                    return {"orders": [order], "review": False}

                result = asyncio.run(_load(f"{url}/v1/orders/check", key, rate, check))
                _report(
                    f"HTTP one-order check at {rate:.0f}/s for {SECONDS:.0f} s "
                    f"({WORKERS} workers)",
                    *result,
                )
            result = asyncio.run(
                _load(
                    f"{url}/v1/screening/name",
                    key,
                    100.0,
                    lambda i: {"name": names[i % len(names)]},
                )
            )
            _report(f"HTTP one-name screening at 100/s for {SECONDS:.0f} s", *result)
        finally:
            process.terminate()
            process.wait(timeout=60)
        _in_process(orders, names, data_dir)
    print(f"load average after: {os.getloadavg()}")
