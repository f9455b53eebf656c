"""Fuzzed location records and landmark keys through ``location verify``: verdicts
(exit 0 or 1) or exit 2 naming the file; never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from .conftest import assert_clean_exit, run
from .families import jsonl_families


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("location")
    data = root / "data"
    out = root / "sample"
    made = run(
        data,
        "location",
        "export-sample",
        "--output-dir",
        str(out),
        "--chips",
        "4",
        "--landmarks",
        "6",
        "--seed",
        "11",
    )
    assert made.exit_code == 0, made.output
    registered = run(data, "fleet", "register", "--file", str(out / "fleet.jsonl"))
    assert registered.exit_code == 0, registered.output
    return data, out


@pytest.mark.parametrize("family", sorted(jsonl_families()))
@pytest.mark.parametrize("n", [0, 1])
def test_location_verify_ends_cleanly(
    sample: tuple[Path, Path], tmp_path: Path, family: str, n: int
) -> None:
    data, out = sample
    mutate = jsonl_families()[family]
    records = tmp_path / "records.jsonl"
    records.write_bytes(mutate((out / "records.jsonl").read_bytes(), random.Random(n)))
    result = run(
        data,
        "location",
        "verify",
        str(records),
        "--landmark-keys",
        str(out / "landmark_keys.json"),
        "--calibration",
        str(out / "calibration.json"),
        "--no-store",
        "--format",
        "jsonl",
    )
    assert_clean_exit(result, {0, 1, 2}, "records.jsonl")


@pytest.mark.parametrize("family", ["byte-flip", "truncation", "bad-utf8", "bom"])
def test_location_verify_with_fuzzed_keys_ends_cleanly(
    sample: tuple[Path, Path], tmp_path: Path, family: str
) -> None:
    data, out = sample
    keys = tmp_path / "landmark_keys.json"
    keys.write_bytes(
        jsonl_families()[family](
            (out / "landmark_keys.json").read_bytes(), random.Random(3)
        )
    )
    result = run(
        data,
        "location",
        "verify",
        str(out / "records.jsonl"),
        "--landmark-keys",
        str(keys),
        "--no-store",
        "--format",
        "jsonl",
    )
    assert_clean_exit(result, {0, 1, 2}, "landmark_keys.json")
