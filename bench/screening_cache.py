"""Start-up from the screening index cache: MessagePack read, checks included.

`python -m bench screening_cache` builds the index of the real lists once into a
throwaway data folder, then times ``load_index`` from the cache (hashing the list
files, reading the header, rebuilding the index, checking it against the hashes):
the median of five loads, with the load average, since the machine is shared.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.machine import describe

RUNS = 5


def run() -> None:
    """Measure and print the cache start-up."""
    from chipgate.screening.provider import cache_key, cache_name, load_index
    from chipgate.settings import Settings

    folder = Settings().lists_dir
    assert folder is not None, "no lists folder (CHIPGATE_LISTS_DIR)"
    data = Path(tempfile.mkdtemp(prefix="chipgate-bench-"))
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f}")
    start = time.perf_counter()
    index = load_index(folder, data)
    print(f"build and write the cache: {time.perf_counter() - start:.1f} s")
    size = (data / "screening" / cache_name(cache_key(folder))).stat().st_size
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        loaded = load_index(folder, data)
        times.append(time.perf_counter() - start)
    assert loaded.name_text == index.name_text
    print(
        f"start-up from the cache: median {statistics.median(times):.2f} s of {RUNS} "
        f"(min {min(times):.2f} s); {len(index.name_text):,} names, "
        f"cache {size / 2**20:.0f} MiB; load average {os.getloadavg()[0]:.1f}"
    )
