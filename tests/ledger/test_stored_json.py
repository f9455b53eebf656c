"""``stored_json``: the canonical form, faster, for columns that are never hashed;
where orjson cannot write a value, ``canonical_json`` does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

from chipgate.ledger.canonical import canonical_json, stored_json


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Hit:
    name: str
    score: float
    listed: date


VALUES = [
    {"b": 1, "a": [1.5, "x"], "c": None, "d": True},
    {
        "ü": "Nordlicht Rechenzentrum GmbH – Frankfurt",
        "中": "华为",
        "z": {"y": {"x": []}},
    },
    {"when": date(2025, 3, 10), "at": datetime(2026, 12, 3, 8, 0, 1, 5, tzinfo=UTC)},
    {"colour": Colour.RED, "pair": (1, 2), "set": {"b", "a"}, "amount": Decimal("2.5")},
    {"hit": Hit("Huawei", 0.93, date(2020, 5, 15)), "tpp": 4055616.0, "n": -3},
    [0.1, 1e16, 123456789.125, 2**53],
]


def test_the_canonical_form_of_what_decisions_carry() -> None:
    for value in VALUES:
        assert stored_json(value) == canonical_json(value)


def test_what_orjson_refuses_is_written_canonically() -> None:
    for value in ({1: "integer key"}, {"big": 2**70}):
        assert stored_json(value) == canonical_json(value)


def test_what_orjson_writes_otherwise_reads_back_the_same() -> None:
    value = {"share": 1e-7}
    assert stored_json(value) != canonical_json(value)  # 1e-7 against 1e-07
    assert json.loads(stored_json(value)) == json.loads(canonical_json(value))
