"""Screening benchmark: index build, batch throughput, single-query latency, and a peer.

`python -m bench screening` prints:
- build time and peak memory (RSS) of loading and indexing every list, measured in
  a child process so that nothing else in the run inflates it;
- batch throughput over 100,000 query names, in one process and in two (fork);
- single-query latency p50/p99 (memo bypassed);
- the same figures for the peer: a plain rapidfuzz ``process.extract`` scan over
  every indexed name (token_sort_ratio), on a sample, extrapolated per name;
- ``chipgate screen FILE --output`` run as a user runs it (streamed), its wall
  time, CPU time and peak memory, extrapolated to 1,000,000 names when the file
  is smaller (``CHIPGATE_BENCH_FILE_NAMES``; ``CHIPGATE_BENCH_QUERIES`` sets the
  in-process batch size), stopped after ``CHIPGATE_BENCH_FILE_TIMEOUT`` seconds
  (default 900) so that the run always ends;
- the same command on yente's 100,000 unlisted persons (names nobody here wrote,
  each met once), extrapolated to 1,000,000 distinct names.

Each figure that issue 13 sets a target for is printed with it and whether it is
met: 1,000,000 names in <= 120 s wall on 2 cores, <= 1 GiB peak memory, a single
query's p99 <= 5 ms, start-up from the cached index <= 1 s.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bench.machine import describe
from bench.screening_evalset import SEED, positive_variants

QUERIES = int(os.environ.get("CHIPGATE_BENCH_QUERIES", "100000"))
# Names in the file run of `chipgate screen FILE` (streamed); the 1,000,000-name
# figure is extrapolated from it when it is smaller.
FILE_NAMES = int(os.environ.get("CHIPGATE_BENCH_FILE_NAMES", "1000000"))
TARGET_NAMES = 1_000_000
# Issue 13's targets for `chipgate screen FILE` (2 cores) and the in-process figures.
TARGET_WALL_S = 120.0
TARGET_PEAK_MIB = 1024.0
TARGET_P99_MS = 5.0
TARGET_START_S = 1.0
# The file run is stopped after this long, so that the benchmark always ends.
FILE_TIMEOUT_S = float(os.environ.get("CHIPGATE_BENCH_FILE_TIMEOUT", "900"))
LATENCY_SAMPLE = 2_000
PEER_SAMPLE = 300
LISTED_SHARE = 0.2

_WORKER = None


def _lists_dir() -> Path:
    from chipgate.settings import Settings

    folder = Settings().lists_dir
    if folder is None:
        raise SystemExit("no lists folder: set CHIPGATE_LISTS_DIR")
    return folder


def _build_in_child(folder: Path) -> dict[str, float]:
    code = (
        "import json, resource, sys, time; from pathlib import Path;"
        "from chipgate.screening.sources import load_lists;"
        "from chipgate.screening.index import build_index;"
        "t = time.perf_counter(); loaded = load_lists(Path(sys.argv[1]));"
        "t1 = time.perf_counter(); index = build_index(loaded.infos, loaded.entries);"
        "t2 = time.perf_counter();"
        "print(json.dumps({'load_s': t1 - t, 'index_s': t2 - t1,"
        " 'entries': len(loaded.entries), 'names': len(index.name_text),"
        " 'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def make_queries(index: object, n: int) -> list[str]:
    """Query names: a share of variants of listed names, the rest made-up companies."""
    from chipgate.screening.index import ScreeningIndex

    assert isinstance(index, ScreeningIndex)
    rng = random.Random(SEED)
    words = [w for w in index.vocabulary if w.isalpha() and len(w) > 3]
    suffixes = ("Co., Ltd.", "LLC", "GmbH", "Inc.", "Trading Company", "OOO", "")
    queries = []
    for _ in range(n):
        if rng.random() < LISTED_SHARE:
            entry = rng.choice(index.entries)
            variants = positive_variants(entry, rng)
            if variants:
                queries.append(rng.choice(variants)[1])
                continue
        picked = [w.capitalize() for w in rng.sample(words, rng.randint(1, 4))]
        queries.append(" ".join([*picked, rng.choice(suffixes)]).strip())
    return queries


# `chipgate screen FILE --output OUT` in a child that reports, on its last line of
# standard error, the peak RSS (KiB) of its largest process: itself or a worker.
# Its own peak is read from /proc (VmHWM) where there is one: Linux carries the
# peak of the process that forked it (this bench, holding the index and its
# in-process batches' memos, some 750 MiB) over ``exec`` into ``RUSAGE_SELF``.
_SCREEN_FILE = """
import atexit, resource, sys

def peak():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            own = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)

atexit.register(lambda: print(peak(), file=sys.stderr))
sys.argv = ['chipgate', 'screen', sys.argv[1], '--output', sys.argv[2]]
from chipgate.cli.app import main
main()
"""


def _timed_screen(source: Path, out: Path) -> tuple[float, float, float] | None:
    """Wall seconds, CPU seconds and peak RSS (MiB, its largest process) of
    ``chipgate screen SOURCE --output OUT`` in a child, as a user runs it; None
    when it did not end within ``FILE_TIMEOUT_S``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SCREEN_FILE, str(source), str(out)],
            check=False,
            capture_output=True,
            text=True,
            timeout=FILE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # exit 1 says a hit was found; a run that did not end tells no peak
    lines = done.stderr.strip().splitlines()
    if done.returncode not in (0, 1) or not lines or not lines[-1].isdigit():
        raise SystemExit(f"chipgate screen {source.name} failed:\n{done.stderr}")
    return wall, cpu, int(lines[-1]) / 1024


def file_names(queries: list[str], rows: int) -> list[str]:
    """The names of the file run's ``rows`` rows: ``queries`` as they are, then
    again and again with the row number appended ("Acme Trading 123456"), as a
    register repeats its names."""
    return [
        queries[i % len(queries)] + ("" if i < len(queries) else f" {i}")
        for i in range(rows)
    ]


def _file_run(queries: list[str]) -> None:
    """Time ``chipgate screen FILE --output`` in a child process (cached index)."""
    import csv

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "parties.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name"])
            writer.writerows(enumerate(file_names(queries, FILE_NAMES)))
        timed = _timed_screen(source, Path(tmp) / "out.csv")
    if timed is None:
        print(
            f"chipgate screen FILE: {FILE_NAMES:,} names not done in "
            f"{FILE_TIMEOUT_S:.0f} s (stopped; target <= {TARGET_WALL_S:.0f} s "
            "for 1,000,000: not met)"
        )
        return
    wall, cpu, peak = timed
    scale = TARGET_NAMES / FILE_NAMES
    print(
        f"chipgate screen FILE: {FILE_NAMES:,} names in {wall:.1f} s wall "
        f"(1,000,000 in <= {TARGET_WALL_S:.0f} s on 2 cores: "
        f"{_met(wall * scale <= TARGET_WALL_S)}), {cpu:.1f} CPU-s = "
        f"{cpu / FILE_NAMES * 1000:.3f} CPU-s per 1,000 names, peak RSS {peak:.0f} MiB "
        f"(largest process; <= {TARGET_PEAK_MIB:.0f} MiB: {_met(peak <= TARGET_PEAK_MIB)})"
    )
    if FILE_NAMES < TARGET_NAMES:
        print(
            f"  extrapolated linearly to {TARGET_NAMES:,} names: {wall * scale:,.0f} s "
            f"wall, {cpu * scale:,.0f} CPU-s (memory stays flat: the file is streamed)"
        )


def _real_names_run() -> None:
    """Time ``chipgate screen FILE`` on names nobody here wrote, each met once.

    The file run above repeats its names with numbers, and the in-process names
    are made up here from listed words; yente's 100,000 unlisted persons
    (``negatives_*.csv`` of the public benchmarks, many scripts) are the nearest
    public stand-in for a customer file of distinct names, so their rate,
    extrapolated to 1,000,000 names, is the figure the wall-time target is held
    to for distinct names.

    A run pays its start-up once (imports, the cached index, the workers' warm
    up), so multiplying the whole run by ten would count it ten times. Every
    tenth name (the same mix of scripts) is screened too, and the two runs
    split the time into a cost a name and a cost a run (``split_fixed_cost``);
    the plain ten-fold figure is printed beside it.
    """
    import csv

    from bench.screening_public import BENCH

    names: list[str] = []
    for file in ("negatives_global.csv", "negatives_us.csv"):
        with (BENCH / file).open(encoding="utf-8", newline="") as handle:
            names.extend(row["full_name"] for row in csv.DictReader(handle))
    tenth = names[::10]
    runs: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, batch in (("tenth", tenth), ("all", names)):
            source = Path(tmp) / f"unlisted-{label}.csv"
            with source.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "name"])
                writer.writerows(enumerate(batch))
            timed = _timed_screen(source, Path(tmp) / f"out-{label}.csv")
            if timed is None:
                print(f"yente's unlisted persons: not done in {FILE_TIMEOUT_S:.0f} s")
                return
            runs.append(timed)
    (tenth_wall, tenth_cpu, _), (wall, cpu, peak) = runs
    scale = TARGET_NAMES / len(names)
    walls = split_fixed_cost(len(tenth), tenth_wall, len(names), wall)
    cpus = split_fixed_cost(len(tenth), tenth_cpu, len(names), cpu)
    million_wall = walls.fixed + walls.per_name * TARGET_NAMES
    million_cpu = cpus.fixed + cpus.per_name * TARGET_NAMES
    print(
        f"chipgate screen FILE, yente's {len(names):,} unlisted persons "
        f"({len(set(names)):,} distinct): {wall:.1f} s wall, {cpu:.1f} CPU-s, peak "
        f"RSS {peak:.0f} MiB; every tenth name ({len(tenth):,}): "
        f"{tenth_wall:.1f} s wall, {tenth_cpu:.1f} CPU-s"
    )
    print(
        f"  a run's own cost {walls.fixed:.1f} s wall ({cpus.fixed:.1f} CPU-s), "
        f"then {walls.per_name * 1e6:,.0f} µs wall ({cpus.per_name * 1e6:,.0f} "
        f"CPU-µs) a name; 1,000,000 distinct names: {million_wall:,.0f} s wall "
        f"(<= {TARGET_WALL_S:.0f} s: {_met(million_wall <= TARGET_WALL_S)}), "
        f"{million_cpu:,.0f} CPU-s (ten times the whole run: {wall * scale:,.0f} s "
        f"wall, {cpu * scale:,.0f} CPU-s)"
    )


class FixedCost(NamedTuple):
    """A run's time as a cost paid once and a cost a name."""

    fixed: float
    per_name: float


def split_fixed_cost(
    small_n: int, small_time: float, large_n: int, large_time: float
) -> FixedCost:
    """The line through two runs of one command on ``small_n`` and ``large_n``
    names: its slope is the cost a name, its value at no names the run's own
    cost (never below 0, which noise could give)."""
    if large_n <= small_n:
        raise ValueError(f"the larger run has {large_n} names, not more than {small_n}")
    per_name = (large_time - small_time) / (large_n - small_n)
    fixed = max(0.0, small_time - per_name * small_n)
    return FixedCost(fixed, (large_time - fixed) / large_n)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _init(threshold: float, review: float) -> None:
    global _WORKER
    _WORKER = _SCREENER


def _screen_chunk(chunk: list[str]) -> int:
    assert _WORKER is not None
    return sum(len(_WORKER.matches(q)) for q in chunk)


_SCREENER = None


def run() -> None:
    """Measure and print the screening figures."""
    global _SCREENER
    from chipgate.screening.provider import load_index, screener_for
    from chipgate.settings import Settings

    settings = Settings()
    if "CHIPGATE_DATA_DIR" not in os.environ:  # a throwaway cache, not the user's
        settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="chipgate-bench-")))
        # the file runs' children read the cache written below, not a cache of
        # their own that an index change would make them rebuild inside the run
        os.environ["CHIPGATE_DATA_DIR"] = str(settings.data_dir)
    folder = _lists_dir()
    print(f"machine: {describe()}")
    # the file run inherits it; a fixed seed makes runs comparable (it orders
    # set and dict iteration, which the results do not depend on)
    print(f"string-hash seed: {os.environ.get('PYTHONHASHSEED', 'random')}")
    print(f"load average at start (other work on the machine): {_load()}")
    build = _build_in_child(folder)
    print(
        f"build (all lists, no cache): load {build['load_s']:.1f} s + index "
        f"{build['index_s']:.1f} s; {build['entries']:,.0f} entries, "
        f"{build['names']:,.0f} names; peak RSS {build['peak_mib']:.0f} MiB"
    )
    load_index(folder, settings.data_dir)  # writes the cache if it is not there yet
    start = time.perf_counter()
    index = load_index(folder, settings.data_dir)
    started = time.perf_counter() - start
    print(
        f"start-up from the disk cache: {started:.2f} s "
        f"(<= {TARGET_START_S:.0f} s: {_met(started <= TARGET_START_S)})"
    )
    screener = screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )
    _SCREENER = screener
    queries = make_queries(index, QUERIES)

    start, cpu = time.perf_counter(), time.process_time()
    found = sum(len(screener.matches(q)) for q in queries)
    single, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"batch, 1 process: {QUERIES:,} names in {single:.1f} s = "
        f"{QUERIES / single:,.0f} names/s wall, {QUERIES / cpu:,.0f} names per "
        f"CPU-second ({found:,} matches)"
    )
    chunks = [queries[i : i + 2_000] for i in range(0, len(queries), 2_000)]
    start = time.perf_counter()
    with mp.get_context("fork").Pool(2, initializer=_init, initargs=(0.0, 0.0)) as pool:
        found2 = sum(pool.map(_screen_chunk, chunks))
    double = time.perf_counter() - start
    print(f"batch, 2 processes: {QUERIES / double:,.0f} names/s ({found2:,} matches)")
    # The file run below repeats these names with numbers appended, which the
    # screener partly remembers; a file of names that each appear once runs at
    # the rate above, so say what that rate means for the target.
    print(
        f"at that rate, {TARGET_NAMES:,} names each written once: "
        f"{TARGET_NAMES * double / QUERIES:.0f} s wall on 2 processes "
        f"(the file run: {QUERIES:,} names, then the same with a number appended)"
    )

    sample = random.Random(SEED).sample(queries, LATENCY_SAMPLE)
    latencies = []
    for query in sample:
        t = time.perf_counter()
        screener.matches(query)
        latencies.append((time.perf_counter() - t) * 1000)
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"single query: p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms "
        f"(p99 <= {TARGET_P99_MS:.0f} ms: {_met(cuts[98] <= TARGET_P99_MS)})"
    )
    print(f"load average after the batch runs: {_load()}")

    _file_run(queries)
    _real_names_run()

    choices = [n.text for n in index.name_norm]
    from chipgate.screening.normalize import normalize

    peer = []
    for query in sample[:PEER_SAMPLE]:
        t = time.perf_counter()
        process.extract(
            normalize(query).text, choices, scorer=fuzz.token_sort_ratio, limit=10
        )
        peer.append((time.perf_counter() - t) * 1000)
    peer_cuts = statistics.quantiles(peer, n=100)
    print(
        f"peer (rapidfuzz process.extract over {len(choices):,} names, {PEER_SAMPLE} "
        f"queries): {1000 / statistics.mean(peer):,.0f} names/s in 1 process, "
        f"p50 {peer_cuts[49]:.2f} ms, p99 {peer_cuts[98]:.2f} ms"
    )
