"""Engine benchmark: a 1,000,000-order book through `chipgate check`, and by stage.

Measures, in one run on this machine:
- end to end: `chipgate check BOOK --format jsonl --output ... --no-screening` in a
  child process (parse, decide, write), its wall time and peak resident memory;
- in process, the split between stages: parse, decide (the engine alone), write.
Screening is left out of the end-to-end figure (its own benchmark measures it); the
ledger (embedded SQLite) is opened as in any check.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from bench.orderbook import generate

OUT = Path(__file__).resolve().parent / "out"
ORDERS = int(os.environ.get("CHIPGATE_BENCH_ORDERS", "1000000"))


def _batch(book: Path, output: Path) -> None:
    """The column-wise path `check` takes for JSONL output, stage by stage."""
    from chipgate.book.batch import check_to_jsonl
    from chipgate.book.pipeline import Checker
    from chipgate.decide.engine import Engine

    result = check_to_jsonl(book, Checker(Engine()), output)
    total = sum(result.seconds.values())
    print(
        f"column-wise path in process: {ORDERS / total:,.0f} orders/s; "
        f"{result.decided_once:,} distinct orders decided once, "
        f"{result.one_by_one:,} one by one"
    )
    for stage, seconds in result.seconds.items():
        print(f"  {stage:8s} {seconds:6.1f} s  {seconds / total:5.1%} of the time")


def _stages(book: Path, output: Path) -> dict[str, float]:
    from chipgate.book.writer import write_decisions
    from chipgate.decide.engine import Engine
    from chipgate.orders.reader import read_orders

    engine = Engine()
    start = time.perf_counter()
    orders = read_orders(book, engine.catalog).orders
    parsed = time.perf_counter()
    decisions = engine.evaluate_book(orders)
    decided = time.perf_counter()
    write_decisions(decisions, output, "jsonl")
    written = time.perf_counter()
    return {
        "parse": parsed - start,
        "decide": decided - parsed,
        "write": written - decided,
        "shared": 1 - engine.distinct_decisions / max(len(orders), 1),
    }


def run() -> None:
    """Generate the book, run the end-to-end check, then the stages in process."""
    print(f"machine: {describe()}")
    book = OUT / f"book-{ORDERS}.csv"
    if not book.exists():
        started = time.perf_counter()
        generate(book, ORDERS)
        print(
            f"generated {ORDERS:,} orders in {time.perf_counter() - started:.1f} s -> {book}"
        )
    with tempfile.TemporaryDirectory() as store:
        output = Path(store) / "decisions.jsonl"
        env = {**os.environ, "CHIPGATE_DATA_DIR": store}
        command = [
            sys.executable,
            "-m",
            "chipgate.cli.app",
            "check",
            str(book),
            "--format",
            "jsonl",
            "--output",
            str(output),
            "--no-screening",
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        peak_mib = (
            max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        )
        lines = sum(1 for _ in output.open("rb"))
        print(
            f"end to end: {lines:,} decisions in {wall:.1f} s = {lines / wall:,.0f} orders/s, "
            f"peak memory {peak_mib:,.0f} MiB (target >= 50,000 orders/s, <= 2,048 MiB)"
        )
        _batch(book, Path(store) / "batch.jsonl")
        print("ordinary path (order by order), in process:")
        stages = _stages(book, Path(store) / "stages.jsonl")
    total = stages["parse"] + stages["decide"] + stages["write"]
    for name in ("parse", "decide", "write"):
        seconds = stages[name]
        print(
            f"  {name:6s} {seconds:6.1f} s  {ORDERS / seconds:9,.0f} orders/s  "
            f"{seconds / total:5.1%} of the time"
        )
    print(f"  decisions shared between identical orders: {stages['shared']:.1%}")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  in-process peak memory {peak_self:,.0f} MiB")
