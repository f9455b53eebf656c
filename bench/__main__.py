"""Run the benchmarks: `python -m bench` runs every area, `python -m bench AREA` one.

Each area is a module ``bench/<area>.py`` exposing ``run() -> None``; it prints its
figures and the machine it ran on. The figures are copied into docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import sys

AREAS = (
    "engine",
    "ledger",
    "screening",
    "screening_cache",
    "location",
    "location_real",
    "diligence",
    "service",
    "scale",
)


def main(argv: list[str]) -> int:
    """Run the requested areas (all when none is named)."""
    wanted = argv or list(AREAS)
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        print(f"unknown benchmark area(s): {', '.join(unknown)}; known: {AREAS}")
        return 2
    for area in wanted:
        try:
            module = importlib.import_module(f"bench.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{area}":
                print(f"== {area}: no benchmark module yet")
                continue
            raise
        print(f"== {area}")
        module.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
