"""Service benchmark: the CLI's start-up, and single requests over HTTP on loopback.

`python -m bench service` prints:
- ``chipgate --help`` and ``chipgate version`` wall time (median and worst of 10);
- one-order checks (POST /v1/orders/check) at 100 and 500 requests/s, and one-name
  screening (POST /v1/screening/name) at 100 requests/s, each for
  ``BENCH_SERVICE_SECONDS`` (default 30) against ``chipgate serve`` (SQLite store,
  ``BENCH_SERVICE_WORKERS`` workers, default 1: on SQLite the writer process is
  the second process busy beside the worker, so one worker is what two cores take,
  docs/service.md), beside the targets;
- the same operations in-process (no HTTP), as a floor.

The load generator is open-loop and cheap, so that it measures the server and not
itself: an aiohttp client on uvloop sends request i at start + i/rate whatever the
server does, and counts its latency from that due time (a stalled server cannot hide
its queue: coordinated omission is avoided); bodies are encoded before the run; at
most ``IN_FLIGHT`` connections. Each run is preceded by ``WARM_SECONDS`` at the same
rate, not counted (connections opened, caches filled). Beside each figure it prints
the CPU the server's processes and the generator spent per request (from /proc and
the generator's own clock), so where the two cores went is on record; under it, per
request, the workers' and the writer process's CPU apart, and their threads'
context switches: waits (voluntary: for a request, the disk, an answer) and
preemptions (involuntary: the kernel ran another process in their place, e.g. one
that their own ``send`` had just woken).

What a latency is, exactly: from the moment request i was due to the moment the
generator has read the whole answer. It includes the generator's own delay in
sending (printed beside it as "sent late by": when that p99 is large the generator
was starved of CPU, and the figure says as much about the machine as the server) and
its delay in reading the answer once it arrived. The server's own view is printed
after each run: the server is started with ``CHIPGATE_SERVICE_TIMINGS``
(``chipgate.service.timing``), and for the requests of the run's window it gives the
time inside the application (from uvicorn handing the request over to the answer
given back) split into the key check, parsing, deciding, preparing the record,
waiting for the group commit, encoding and the framework's rest; the group commits
(size, queueing, turn-lock wait, transaction) and the garbage collector's pauses of
that window; and each worker's heap at its end. The generator's latency minus the
server's ``app`` time is the time in sockets, in uvicorn and in event loops' queues.

``python -m bench.service TREE_SRC [TREE_SRC...] [--rate R] [--seconds S]
[--rounds N]`` runs the same one-order check load against a server of each source
tree in turn (e.g. ``/work/main/src src``), for before/after figures under the same
machine load.

Orders come from the seeded benchmark book (bench/orderbook.py); names from the
shared screening benchmark's negatives (data/screening-bench/negatives_global.csv),
so the screener's memo never answers. The load generator shares the machine's cores
with the server: the load average is printed before and after.
"""

from __future__ import annotations

import asyncio
import bisect
import csv
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson
import uvloop

from bench import SHARED_DATA
from bench.machine import describe
from bench.orderbook import generate

SHARED = SHARED_DATA
NAMES = SHARED / "screening-bench" / "negatives_global.csv"
SECONDS = float(os.environ.get("BENCH_SERVICE_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_SERVICE_WORKERS", "1"))
IN_FLIGHT = 256
WARM_SECONDS = 2.0
TIMEOUT = 30.0
TARGET_P99_MS = 10.0
SRC = Path(__file__).resolve().parents[1] / "src"


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


@dataclass
class Usage:
    """What a group of processes used: CPU seconds (user + system), and context
    switches of their threads: voluntary (it waited: for a request, the disk, a
    lock) and involuntary (the kernel ran another process in its place)."""

    cpu: float = 0.0
    waits: int = 0
    preempted: int = 0

    def __sub__(self, before: Usage) -> Usage:
        return Usage(
            self.cpu - before.cpu,
            self.waits - before.waits,
            self.preempted - before.preempted,
        )


WRITER_MODULE = "chipgate.service.writer_process"


def _usage(pid: int) -> dict[str, Usage]:
    """What a process and all its descendants used, from /proc: the writer process
    (``WRITER_MODULE``) apart from the rest (the workers, and with several the
    process that supervises them)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {"workers": Usage(), "writer process": Usage()}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/cmdline", "rb") as handle:
                writer = WRITER_MODULE.encode() in handle.read()
            into = found["writer process" if writer else "workers"]
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(c) for c in handle.read().split())
                with open(f"/proc/{current}/task/{task}/status") as handle:
                    for line in handle:
                        name, _, value = line.partition(":")
                        if name == "voluntary_ctxt_switches":
                            into.waits += int(value)
                        elif name == "nonvoluntary_ctxt_switches":
                            into.preempted += int(value)
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            into.cpu += (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


@dataclass
class Run:
    """One open-loop run: latencies (ms) of good answers, errors, CPU per request,
    how late the generator sent (ms after each request was due), and the run's
    window on the system's monotonic clock (seconds)."""

    latencies: list[float]
    errors: int
    sent: int
    server_cpu_ms: float
    client_cpu_ms: float
    send_lags: list[float]
    window: tuple[float, float]
    server: dict[str, Usage]
    """What each part of the server used during the run (``_usage``)."""


async def _open_loop(
    session: aiohttp.ClientSession, url: str, rate: float, bodies: Sequence[bytes]
) -> tuple[list[float], int, list[float]]:
    """Send ``bodies`` at ``rate`` per second, each timed from when it was due."""
    latencies: list[float] = []
    lags: list[float] = []
    errors = 0

    async def one(due: float, body: bytes) -> None:
        nonlocal errors
        lags.append((time.perf_counter() - due) * 1000)
        try:
            async with session.post(url, data=body) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        if ok:
            latencies.append((time.perf_counter() - due) * 1000)
        else:
            errors += 1

    tasks = []
    start = time.perf_counter()
    for index, body in enumerate(bodies):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, body)))
    await asyncio.gather(*tasks)
    return latencies, errors, lags


async def _load_async(
    url: str,
    key: str,
    rate: float,
    warm: Sequence[bytes],
    bodies: Sequence[bytes],
    pid: int,
) -> Run:
    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    ) as session:
        await _open_loop(session, url, rate, warm)
        before, client = _usage(pid), time.process_time()
        began = time.perf_counter()
        latencies, errors, lags = await _open_loop(session, url, rate, bodies)
        ended = time.perf_counter()
        after, client = _usage(pid), time.process_time() - client
    sent = len(bodies)
    server = {part: after[part] - before[part] for part in after}
    return Run(
        latencies,
        errors,
        sent,
        1000 * sum(used.cpu for used in server.values()) / sent,
        1000 * client / sent,
        lags,
        (began, ended),
        server,
    )


def _load(
    url: str, key: str, rate: float, body: Callable[[int], dict[str, Any]], pid: int
) -> Run:
    """A warm-up, then ``SECONDS`` of open-loop load at ``rate`` (bounded: the run
    sends rate x seconds requests, each given up after ``TIMEOUT``)."""
    warm_count, count = int(rate * WARM_SECONDS), int(rate * SECONDS)
    encoded = [orjson.dumps(body(i)) for i in range(warm_count + count)]
    return uvloop.run(
        _load_async(url, key, rate, encoded[:warm_count], encoded[warm_count:], pid)
    )


def _report(label: str, run: Run, target: bool = False) -> None:
    if not run.latencies:
        print(f"{label}: no successful request ({run.errors} errors of {run.sent})")
        return
    p99 = _percentile(run.latencies, 0.99)
    verdict = ""
    if target:
        met = p99 <= TARGET_P99_MS and run.errors == 0
        verdict = (
            f" [target p99 <= {TARGET_P99_MS:.0f} ms, 0 errors: "
            f"{'met' if met else 'NOT met'}]"
        )
    print(
        f"{label}: p50 {_percentile(run.latencies, 0.50):.2f} ms, p99 {p99:.2f} ms, "
        f"max {max(run.latencies):.1f} ms, errors {run.errors} of {run.sent}; "
        f"CPU per request: server {run.server_cpu_ms:.2f} ms, "
        f"load generator {run.client_cpu_ms:.2f} ms; generator sent late by "
        f"p99 {_percentile(run.send_lags, 0.99):.2f} ms{verdict}"
    )
    print(
        "  per request: "
        + "; ".join(
            f"{part} CPU {1000 * used.cpu / run.sent:.2f} ms, "
            f"{used.waits / run.sent:.2f} waits, "
            f"{used.preempted / run.sent:.2f} preempted"
            for part, used in run.server.items()
            if used.cpu or used.waits
        )
    )


def _read_timings(folder: Path) -> dict[str, list[dict[str, float]]]:
    """What the server's workers measured (``chipgate.service.timing``), merged."""
    merged: dict[str, list[dict[str, float]]] = {
        "requests": [],
        "batches": [],
        "gc": [],
    }
    heaps: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(folder.glob("timings-*.json")):
        data = orjson.loads(path.read_bytes())
        # the writer process (SQLite) answers no request: it commits the batches
        who = "worker" if data["requests"] else "writer process"
        heaps.append((who, data["heap"]))
        _mark_pauses(data["gc"], data["requests"], who)
        for part, rows in merged.items():
            rows.extend(data[part])
    for who, heap in heaps:
        print(
            f"  {who} heap at the end: {heap['generations']} objects in the "
            f"collector's generations, {heap['frozen']} frozen; "
            f"{heap.get('compactions', '-')} compactions of the oldest generation (service.heap), "
            f"{heap.get('idle_collections', '-')} young collections between requests, "
            f"{heap.get('kept_by_freezing', '-')} dead objects only an unfrozen "
            "collection freed"
        )
    return merged


def _mark_pauses(
    pauses: list[dict[str, Any]], requests: list[dict[str, float]], who: str
) -> None:
    """Mark each of a process's collections with who ran it and whether a request
    of that process was in the application meanwhile (it held that request)."""
    spans = sorted((r["at"], r["at"] + r["app"] / 1000) for r in requests)
    starts = [start for start, _ in spans]
    reach: list[float] = []  # the latest end among the requests started so far
    for _, end in spans:
        reach.append(max(end, reach[-1]) if reach else end)
    for pause in pauses:
        begin, end = pause["at"], pause["at"] + pause["pause"] / 1000
        last = bisect.bisect_right(starts, end) - 1
        pause["who"] = who
        pause["in_request"] = last >= 0 and reach[last] >= begin


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return (
        f"p50 {_percentile(values, 0.5):.2f} / p99 {_percentile(values, 0.99):.2f} / "
        f"max {max(values):.1f}"
    )


def _breakdown(
    label: str, timings: dict[str, list[dict[str, float]]], run: Run
) -> None:
    """Where the run's requests spent their time inside the server (ms)."""
    began, ended = run.window
    requests = [r for r in timings["requests"] if began <= r["at"] <= ended]
    if not requests:
        print(f"{label}: the server measured nothing (timings off in this tree)")
        return
    phases = ("auth", "parse", "decide", "record", "wait", "encode")
    print(f"{label}, inside the server ({len(requests)} requests; ms p50 / p99 / max):")
    print(
        f"  app (handed over by uvicorn to answer given back): "
        f"{_spread([r['app'] for r in requests])}"
    )
    for name in phases:
        if any(name in r for r in requests):  # the route marks it
            print(f"  {name}: {_spread([r.get(name, 0.0) for r in requests])}")
    framework = [r["app"] - sum(r.get(n, 0.0) for n in phases) for r in requests]
    print(f"  framework (body, validation, routing): {_spread(framework)}")
    batches = [b for b in timings["batches"] if began <= b["at"] <= ended]
    if batches:
        print(
            f"  group commits ({len(batches)}): size "
            f"{_spread([b['size'] for b in batches])}; first job queued "
            f"{_spread([b['queued'] for b in batches])}; turn-lock wait "
            f"{_spread([b['lock_wait'] for b in batches])}; transaction "
            f"{_spread([b['commit'] for b in batches])}"
        )
    for who in ("worker", "writer process"):
        for generation in (0, 1, 2):
            found = [
                g
                for g in timings["gc"]
                if g["generation"] == generation
                and g.get("who", "worker") == who
                and began <= g["at"] <= ended
            ]
            if not found:
                continue
            held = [g["pause"] for g in found if g.get("in_request")]
            inside = (
                f" ({len(held)} while a request was in the application: "
                f"{_spread(held)})"
                if who == "worker"
                else ""
            )
            print(
                f"  GC generation {generation}, "
                f"{'workers' if who == 'worker' else who}: {len(found)} pauses, "
                f"{_spread([g['pause'] for g in found])}{inside}"
            )


def _report_in_process(label: str, latencies: list[float]) -> None:
    print(
        f"{label}: p50 {_percentile(latencies, 0.50):.2f} ms, "
        f"p99 {_percentile(latencies, 0.99):.2f} ms, max {max(latencies):.1f} ms "
        f"({len(latencies)} calls)"
    )


def _serve(
    data_dir: Path, src: Path = SRC, workers: int = WORKERS
) -> tuple[subprocess.Popen[bytes], str, str]:
    """``chipgate serve`` of the tree ``src`` on a fresh store, and an analyst's key;
    each worker writes its timings to ``data_dir/timings`` when it stops."""
    env = {
        **os.environ,
        "CHIPGATE_DATA_DIR": str(data_dir),
        "CHIPGATE_SERVICE_TIMINGS": str(data_dir / "timings"),
        "PYTHONPATH": str(src),
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
            str(workers),
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


def _disk_flush(folder: Path) -> None:
    """The floor of a durable answer: one write + fsync on the store's disk."""
    times = []
    path = folder / "flush-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(200):
            os.write(fd, b"x" * 4096)
            start = time.perf_counter()
            os.fsync(fd)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    print(
        f"disk flush (4 KiB write + fsync, the floor of a durable answer): "
        f"p50 {_percentile(times, 0.5):.2f} ms, p99 {_percentile(times, 0.99):.2f} ms"
    )


def _in_process(orders: list[dict[str, Any]], names: list[str], data_dir: Path) -> None:
    from chipgate.service.decisions import record
    from chipgate.service.runtime import Runtime
    from chipgate.settings import Settings

    runtime = Runtime.load(Settings(data_dir=data_dir))
    checks = []
    cpu = time.process_time()
    for index, order in enumerate(orders[:2000]):
        row = {**order, "id": f"inproc-{index}"}
        start = time.perf_counter()
        decided = runtime.decide(runtime.parse([row], "bench"))
        record(runtime.records, decided, "bench", review=False).result()
        checks.append((time.perf_counter() - start) * 1000)
    cpu_ms = 1000 * (time.process_time() - cpu) / len(checks)
    _report_in_process(
        f"in-process one-order check (decide + durable record; CPU {cpu_ms:.2f} ms "
        "a check, the writer's thread included)",
        checks,
    )
    screener = runtime.screener
    if screener is None:
        print("in-process screening: no lists")
        return
    screens = []
    for name in names[:2000]:
        start = time.perf_counter()
        screener.matches(name)
        screens.append((time.perf_counter() - start) * 1000)
    _report_in_process("in-process one-name screening (memo bypassed)", screens)
    runtime.close()


def _check_body(
    orders: list[dict[str, Any]], tag: str
) -> Callable[[int], dict[str, Any]]:
    """Request ``index`` of a one-order check run (a fresh order id each)."""

    def body(index: int) -> dict[str, Any]:
        order = {**orders[index % len(orders)], "id": f"{tag}-{index}"}
        return {"orders": [order], "review": False}

    return body


def run() -> None:
    """Print the figures."""
    print(describe())
    print(f"load average before: {os.getloadavg()}")
    _cli_startup()
    orders = _orders(40_000)
    names = _names(40_000)
    with tempfile.TemporaryDirectory(prefix="chipgate-bench-service-") as folder:
        data_dir = Path(folder)
        _disk_flush(data_dir)
        process, url, key = _serve(data_dir)
        runs: list[tuple[str, Run]] = []
        try:
            for rate in (100.0, 500.0):
                label = (
                    f"HTTP one-order check at {rate:.0f}/s for {SECONDS:.0f} s "
                    f"({WORKERS} workers)"
                )
                body = _check_body(orders, f"r{rate:.0f}")
                runs.append(
                    (
                        label,
                        _load(f"{url}/v1/orders/check", key, rate, body, process.pid),
                    )
                )
                _report(label, runs[-1][1], target=rate == 500.0)
            label = f"HTTP one-name screening at 100/s for {SECONDS:.0f} s"
            runs.append(
                (
                    label,
                    _load(
                        f"{url}/v1/screening/name",
                        key,
                        100.0,
                        lambda i: {"name": names[i % len(names)]},
                        process.pid,
                    ),
                )
            )
            _report(label, runs[-1][1], target=True)
        finally:
            process.terminate()
            process.wait(timeout=60)
        timings = _read_timings(data_dir / "timings")
        for label, measured in runs:
            _breakdown(label, timings, measured)
        _in_process(orders, names, data_dir)
    print(f"load average after: {os.getloadavg()}")


def compare(trees: Sequence[Path], rate: float, seconds: float, rounds: int) -> None:
    """The same one-order check load against a server of each tree in turn
    (``rounds`` times), for before/after figures under the same machine load."""
    global SECONDS
    SECONDS = seconds
    orders = _orders(int(rate * (seconds + WARM_SECONDS)) + 1)
    print(describe())
    for round_no in range(rounds):
        for tree in trees:
            with tempfile.TemporaryDirectory(prefix="chipgate-bench-ab-") as folder:
                data_dir = Path(folder)
                process, url, key = _serve(data_dir, tree)
                load = os.getloadavg()[0]
                try:
                    body = _check_body(orders, f"ab{round_no}")
                    measured = _load(
                        f"{url}/v1/orders/check", key, rate, body, process.pid
                    )
                finally:
                    process.terminate()
                    process.wait(timeout=60)
                label = (
                    f"{tree} at {rate:.0f}/s for {seconds:.0f} s, {WORKERS} workers, "
                    f"load {load:.1f}"
                )
                _report(label, measured, target=True)
                _breakdown(label, _read_timings(data_dir / "timings"), measured)


if __name__ == "__main__":
    # python -m bench.service TREE_SRC [TREE_SRC...] [--rate R] [--seconds S] [--rounds N]
    import argparse

    parser = argparse.ArgumentParser(description=compare.__doc__)
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    compare(args.trees, args.rate, args.seconds, args.rounds)
