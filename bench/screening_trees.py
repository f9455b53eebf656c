"""Two or more source trees of chipgate on the same screening queries, in turn.

A speed change to the matcher must keep every match and should cost less CPU;
on a shared or drifting host only trees run in the same minutes compare. Each
tree runs in a fresh process with ``PYTHONHASHSEED=0`` on the bench's query mix
(``bench.screening.make_queries``) and prints:

- the CPU milliseconds a name over 7,700 names (the first 300 warm the caches);
- the number of matches of 20,000 names and a digest of them (query, list, score,
  rule names), which must be equal for a change that keeps every match.

Export a commit's tree with ``git archive REV src | tar -x -C /tmp/rev``, then::

    python -m bench.screening_trees /tmp/rev/src src --rounds 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Runs in the child, the tree first on its path (bench itself from this repository).
_CHILD = """
import hashlib, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2])
from bench.screening import _lists_dir, make_queries
from chipgate.screening.provider import load_index, screener_for
from chipgate.settings import Settings
settings = Settings(data_dir=Path(tempfile.mkdtemp()))
index = load_index(_lists_dir(), settings.data_dir)
screener = screener_for(
    index, settings.screening_threshold, settings.screening_review_threshold
)
queries = make_queries(index, 20000)
for q in queries[:300]:
    screener.matches(q)
start = time.process_time()
for q in queries[300:8000]:
    screener.matches(q)
per_name = (time.process_time() - start) / 7700 * 1000
digest, count = hashlib.sha256(), 0
for q in queries:
    for m in screener.matches(q):
        rules = [f.name for f in m.features]
        digest.update(repr((q, m.entry.list_code, m.score, "", rules)).encode())
        count += 1
print(f"{per_name:.3f} ms CPU a name; {count} matches, digest {digest.hexdigest()[:16]}")
"""


def run_tree(tree: Path) -> str:
    """One tree's line, from a fresh process."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree.resolve()), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return f"failed (exit {done.returncode}): {done.stderr.strip()[-400:]}"
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="+", type=Path, help="src folders to compare")
    parser.add_argument("--rounds", type=int, default=1, help="times each tree runs")
    args = parser.parse_args(argv)
    for missing in [t for t in args.trees if not (t / "chipgate").is_dir()]:
        parser.error(f"{missing}: no chipgate package in this folder")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for round_ in range(1, args.rounds + 1):
        for tree in args.trees:
            print(f"round {round_} {tree}: {run_tree(tree)}", flush=True)


if __name__ == "__main__":
    main()
