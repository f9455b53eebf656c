"""Prepare the cloud-diligence demo: `python -m bench.diligence_demo DIR [COUNT]`.

Writes into DIR: ``lists-before/`` (the real 2022 CSL without its rows listed from
2022-01-01), ``lists-after/`` (the full file, linked), ``customers.csv`` (COUNT
synthetic customers, default 10,000, from real list vocabulary with planted listed
names), ``usage.parquet`` (usage records of a third of them) and ``planted.csv``.
The commands to run next are printed (and are what ``make demo`` runs).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polars as pl

from bench.diligence_data import customers, link_after_lists, usage, write_before_lists

USAGE_PER_CUSTOMER = 20


def _lists_dir() -> Path:
    from chipgate.settings import Settings

    folder = Settings().lists_dir
    if folder is None:
        raise SystemExit("no lists folder: set CHIPGATE_LISTS_DIR")
    return folder


def main(argv: list[str]) -> int:
    """Write the demo files and print the commands that use them."""
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    count = int(argv[1]) if len(argv) > 1 else 10_000
    lists = _lists_dir()
    for sub in ("lists-before", "lists-after"):
        shutil.rmtree(out / sub, ignore_errors=True)
    left_out = write_before_lists(lists, out / "lists-before")
    link_after_lists(lists, out / "lists-after")
    frame, planted = customers(lists, count)
    frame.write_csv(out / "customers.csv")
    pl.DataFrame(
        {"id": list(planted), "why": list(planted.values())},
        schema={"id": pl.Utf8, "why": pl.Utf8},
    ).write_csv(out / "planted.csv")
    usage(frame["id"].to_list(), count * USAGE_PER_CUSTOMER // 3).write_parquet(
        out / "usage.parquet"
    )
    print(
        f"{count} customers ({len(planted)} planted), list change of {left_out} rows; "
        f"files in {out}"
    )
    print(
        "next:\n"
        f"  chipgate lists update --from {out}/lists-before --allow-shrink\n"
        f"  chipgate customers import {out}/customers.csv\n"
        f"  chipgate lists update --from {out}/lists-after   # delta re-screen, alerts\n"
        f"  chipgate usage ingest {out}/usage.parquet\n"
        "  chipgate usage report --as-of 2026-12-01            # compute and flags\n"
        "  chipgate customers show ID / customers report ID --output DIR"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
