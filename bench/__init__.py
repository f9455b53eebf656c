"""Benchmarks: `python -m bench` runs them all."""

from pathlib import Path

# ``../shared/data`` beside the repository: the public data the benchmarks read
# in place (each folder's SOURCES.md says what it is), never copied here.
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
