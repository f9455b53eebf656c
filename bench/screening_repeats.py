"""One screening worker's share of the bench file, timed in parts, with a digest.

``python -m bench.screening_repeats [ROWS]`` screens, in this one process, the
rows of the bench's 1,000,000-name file (``bench.screening._file_run``: 100,000
names, then the same names with the row number appended) that the first of two
workers takes (``affinity.worker_of``), the first ``ROWS`` rows (default 300,000),
in chunks of 1,000 as ``screening.batch`` hands them out, the collector frozen
after each as there. It prints the CPU time of each 50,000 names and a digest of
every hit's text (explanations included).

So it tells apart what the file run mixes: the plain names met first, their first
numbered repeats, and the later repeats that the matcher's memos serve (the shape
of a ranking, the scores of a name with another number). Two trees that answer
the same give the same digest (with one ``PYTHONHASHSEED``, and, as the weights
are summed exactly rounded, with any).
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time

from bench.screening import _lists_dir, file_names, make_queries
from chipgate.screening.affinity import worker_of
from chipgate.screening.batch import paused_gc
from chipgate.screening.provider import load_index, screener_for
from chipgate.settings import Settings

CHUNK = 1_000
PART = 50_000


def main(rows: int) -> None:
    settings = Settings()
    index = load_index(_lists_dir(), settings.data_dir)
    screener = screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )
    queries = make_queries(index, 100_000)
    mine = [name for name in file_names(queries, rows) if worker_of(name, 2) == 0]
    screener.warm()
    digest = hashlib.sha1()
    start = part = time.process_time()
    for at in range(0, len(mine), CHUNK):
        with paused_gc():
            found = screener.screen_all([(n, None) for n in mine[at : at + CHUNK]], None)
            gc.freeze()
        for hits in found:
            digest.update(repr(tuple(str(hit) for hit in hits)).encode())
        if (at + CHUNK) % PART == 0:
            now = time.process_time()
            print(f"names {at + CHUNK - PART:,}-{at + CHUNK:,}: {now - part:.1f} CPU-s")
            part = now
    print(
        f"{len(mine):,} names of {rows:,} rows: {time.process_time() - start:.1f} "
        f"CPU-s; digest {digest.hexdigest()[:16]}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
