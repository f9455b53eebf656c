"""Generate a large, realistic order book for benchmarks (seeded, reproducible)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from chipgate.orders.columns import CORE_COLUMNS

ITEMS = (
    "NVIDIA H100 SXM5",
    "NVIDIA H200 SXM",
    "NVIDIA B200",
    "NVIDIA L40S",
    "NVIDIA L4",
    "NVIDIA GeForce RTX 4090",
    "NVIDIA H20",
    "AMD Instinct MI300X",
    "AMD Instinct MI325X",
    "Intel Gaudi 3",
    "NVIDIA DGX H100",
    "NVIDIA HGX H200 8-GPU",
    "Huawei Ascend 910B",
    "NVIDIA A100 SXM4 80GB",
    "NVIDIA GB200 NVL72",
)
DESTINATIONS = (
    "DE",
    "JP",
    "GB",
    "FR",
    "NL",
    "IN",
    "BR",
    "MY",
    "SG",
    "TH",
    "VN",
    "AE",
    "SA",
    "CN",
    "HK",
    "MO",
    "RU",
    "IL",
    "MX",
    "ID",
    "KR",
    "TW",
    "US",
    "CA",
    "ZA",
)
KINDS = ("export",) * 8 + ("reexport", "transfer", "cloud", "use")
END_USES = (
    "datacenter",
    "training",
    "inference",
    "research",
    "datacenter;training",
    "",
)


def generate(path: Path, count: int, seed: int = 20261123) -> Path:
    """Write ``count`` orders to ``path`` (CSV) and return it."""
    rng = random.Random(seed)
    start = date(2023, 12, 1)
    consignees = [f"Customer {i:05d} Ltd" for i in range(5000)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CORE_COLUMNS)
        for number in range(count):
            destination = rng.choice(DESTINATIONS)
            hq = destination if rng.random() < 0.85 else rng.choice(DESTINATIONS)
            writer.writerow(
                (
                    f"B{number:08d}",
                    (start + timedelta(days=rng.randrange(1090))).isoformat(),
                    rng.choice(KINDS),
                    rng.choice(ITEMS),
                    rng.choice((1, 2, 4, 8, 16, 64, 256, 1024)),
                    destination,
                    rng.choice(consignees),
                    hq,
                    "",
                    "",
                    rng.choice(END_USES),
                    "",
                    "",
                    "",
                )
            )
    return path
