"""Synthetic cloud customers and usage built from real list vocabulary.

Customer names recombine words of the real list names (so that screening meets the
near-misses a real register meets); planted customers carry real listed names, some
of entries the demo's list change adds, so that the change raises real alerts.
Nothing here is committed data: the demo and the benchmark generate it on the fly.

The list change is a real one: the 2022 Consolidated Screening List as it stood
before the entries it lists as starting from ``CHANGE_SINCE`` (the "before" file is
the real file without those rows), then the full file (``lists update`` adds them).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

CSL = Path("csl") / "consolidated-2022.csv"
CHANGE_SINCE = "2022-01-01"
"""Rows of the 2022 CSL listed from this date are the demo's list change (300 rows,
270 of them Entity List additions of early 2022)."""

FORMS = ("Ltd", "LLC", "Inc", "GmbH", "Pte Ltd", "Co Ltd", "SA", "BV", "AG", "")
COUNTRIES = (
    ("US", 30), ("DE", 8), ("GB", 8), ("SG", 8), ("JP", 6), ("IN", 6), ("FR", 5),
    ("AE", 4), ("MY", 4), ("NL", 4), ("KR", 3), ("CA", 3), ("BR", 2), ("CN", 3),
    ("HK", 2), ("MO", 1), ("RU", 1), ("TR", 2), ("VN", 2), ("IL", 2),
)  # fmt: skip
CONCERN = ("CN", "MO", "RU", "IR", "BY", "VE", "HK")
USES = (
    ("training", 25), ("inference", 30), ("training;inference", 15), ("research", 8),
    ("", 15), ("datacenter;inference", 5), ("training;military-intelligence", 1),
    ("wmd;training", 1),
)  # fmt: skip
CHIPS = (
    ("H100", 40),
    ("H200", 20),
    ("A100", 15),
    ("B200", 10),
    ("MI300X", 10),
    ("H20", 5),
)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def read_csl(lists: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of the real 2022 CSL under ``lists``."""
    with (lists / CSL).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_before_lists(lists: Path, folder: Path) -> int:
    """The CSL without the rows listed since ``CHANGE_SINCE``; returns rows left out."""
    header, rows = read_csl(lists)
    kept = [r for r in rows if not (r.get("start_date") or "") >= CHANGE_SINCE]
    target = folder / CSL
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(kept)
    return len(rows) - len(kept)


def link_after_lists(lists: Path, folder: Path) -> None:
    """The full real CSL, linked (never copied)."""
    target = folder / CSL
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    target.symlink_to((lists / CSL).resolve())


def vocabulary(rows: Sequence[dict[str, str]]) -> tuple[list[str], list[str]]:
    """Words of entity names and of individuals' names in the lists."""
    entity: set[str] = set()
    person: set[str] = set()
    for row in rows:
        words = [w.strip(",.()\"'").title() for w in row["name"].split()]
        words = [w for w in words if len(w) >= 4 and w.isalpha()]
        (person if row.get("type") == "Individual" else entity).update(words)
    return sorted(entity), sorted(person)


def customers(
    lists: Path, count: int, seed: int = 7
) -> tuple[pl.DataFrame, dict[str, str]]:
    """``count`` customers, and the planted ones with why they were planted."""
    rng = random.Random(seed)
    _, rows = read_csl(lists)
    entity, person = vocabulary(rows)
    added = [
        r for r in rows if (r.get("start_date") or "") >= CHANGE_SINCE and r["name"]
    ]
    older = [
        r for r in rows if not (r.get("start_date") or "") >= CHANGE_SINCE and r["name"]
    ]
    planted: dict[str, str] = {}
    records = []
    for n in range(count):
        cid = f"C{n:07d}"
        name = (
            " ".join(rng.sample(entity, rng.choice((2, 2, 3))))
            + " "
            + rng.choice(FORMS)
        )
        roll = rng.random()
        if roll < 0.004 and added:
            name = rng.choice(added)["name"]
            planted[cid] = "named after an entry the list change adds"
        elif roll < 0.008 and older:
            name = rng.choice(older)["name"]
            planted[cid] = "named after an entry listed before the change"
        hq = _weighted(rng, COUNTRIES)
        parent = parent_hq = share = None
        if rng.random() < 0.08:
            parent = " ".join(rng.sample(entity, 2)) + " Holdings"
            parent_hq = (
                rng.choice(CONCERN) if rng.random() < 0.5 else _weighted(rng, COUNTRIES)
            )
            share = rng.choice((None, 20.0, 35.0, 50.0, 51.0, 75.0, 100.0))
            if rng.random() < 0.05 and added:
                parent = rng.choice(added)["name"]
                planted[cid] = "parent named after an entry the list change adds"
        owners = ""
        if rng.random() < 0.1 and person:
            owners = ";".join(
                " ".join(rng.sample(person, 2)) for _ in range(rng.choice((1, 2)))
            )
        opened = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2600))
        payment = hq if rng.random() > 0.03 else _weighted(rng, COUNTRIES)
        records.append(
            {
                "id": cid,
                "name": name.strip(),
                "aliases": "",
                "country": hq,
                "headquarters": hq if rng.random() > 0.02 else None,
                "parent": parent,
                "parent_headquarters": parent_hq,
                "parent_share": share,
                "owners": owners,
                "opened": opened.isoformat(),
                "declared_use": _weighted(rng, USES),
                "payment_country": payment,
            }
        )
    return pl.DataFrame(records, infer_schema_length=None), planted


def usage(customer_ids: Sequence[str], records: int, seed: int = 11) -> pl.DataFrame:
    """``records`` usage records over a third of the customers, in 2026.

    Most are small (1-8 chips, hours); a few customers run multi-node jobs of
    64-4096 chips for days (training-scale).
    """
    rng = np.random.default_rng(seed)
    active = np.asarray(customer_ids)[: max(1, len(customer_ids) // 3)]
    who = rng.choice(active, size=records)
    trainers = set(rng.choice(active, size=max(1, len(active) // 20), replace=False))
    big = np.isin(who, list(trainers)) & (rng.random(records) < 0.2)
    chips = np.where(
        big,
        rng.choice([64, 128, 256, 512, 1024, 4096], records),
        rng.integers(1, 9, records),
    )
    hours = np.where(
        big, rng.uniform(24, 24 * 14, records), rng.uniform(0.5, 12, records)
    )
    start = np.datetime64("2026-01-01T00:00:00", "us") + (
        rng.uniform(0, 300 * 24 * 3600, records).astype("timedelta64[s]")
    ).astype("timedelta64[us]")
    end = start + (hours * 3600).astype("timedelta64[s]").astype("timedelta64[us]")
    models = [m for m, _ in CHIPS]
    weights = np.asarray([w for _, w in CHIPS], dtype=float)
    return pl.DataFrame(
        {
            "customer": who,
            "site_country": rng.choice(["US", "SG", "DE", "MY", "AE", "JP"], records),
            "chip_model": rng.choice(models, records, p=weights / weights.sum()),
            "chip_count": chips.astype(np.int64),
            "start": start,
            "end": end,
        }
    ).with_columns(
        pl.col("start").dt.replace_time_zone("UTC"),
        pl.col("end").dt.replace_time_zone("UTC"),
    )
