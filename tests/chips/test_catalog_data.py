"""Schema invariants of the shipped chip catalog, checked on the raw YAML.

The catalog is legal evidence: every figure must point to a declared source or
say openly that it is unconfirmed, names must resolve to exactly one item, and
the H100 reference must reproduce BIS's implied 15,832 TPP. The checks below
are written as problem-collecting functions so that the tests can also show
they catch a broken catalog.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pycountry
import pytest
import yaml

CATALOG_FILE = resources.files("chipgate.chips") / "catalog.yaml"

# Bit width of each numeric format a dense_tops row may use.
FORMAT_BITS = {
    "int4": 4,
    "fp4": 4,
    "fp6": 6,
    "int8": 8,
    "fp8": 8,
    "fp16": 16,
    "bf16": 16,
    "fp32": 32,
    "fp64": 64,
}
CHIP_FIGURES = (
    "datacenter",
    "die_area_mm2",
    "dies",
    "memory_bandwidth_gbs",
    "io_bandwidth_gbs",
)
H100_REFERENCE_TPP = 15_832


def _load() -> dict[str, Any]:
    data = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{CATALOG_FILE} must hold a mapping"
    return data


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return _load()


def normalize(name: str) -> str:
    """Matching key: lowercase with every non-alphanumeric character dropped."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def figures(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (where, figure) for every sourced figure in chips and systems."""
    for chip in data.get("chips", []):
        name = chip.get("name", "?")
        for field in CHIP_FIGURES:
            if field in chip:
                yield f"{name}.{field}", chip[field]
        for index, row in enumerate(chip.get("dense_tops") or []):
            yield f"{name}.dense_tops[{index}]", row
    for system in data.get("systems", []):
        yield f"{system.get('name', '?')}.count", system.get("count")


def figure_problems(data: dict[str, Any]) -> list[str]:
    """Every figure needs a declared source or an open 'unconfirmed' flag."""
    sources = data.get("sources") or {}
    problems: list[str] = []
    for where, figure in figures(data):
        if not isinstance(figure, dict):
            problems.append(f"{where}: not an object with value and source")
            continue
        source = figure.get("source")
        unconfirmed = figure.get("unconfirmed") is True
        if source is not None and source not in sources:
            problems.append(f"{where}: source {source!r} is not declared")
        if source is None and not unconfirmed:
            problems.append(f"{where}: neither source nor unconfirmed: true")
        if unconfirmed and not figure.get("note"):
            problems.append(f"{where}: unconfirmed figure without a note")
        if figure.get("derived") is True and (source is None or not figure.get("note")):
            problems.append(f"{where}: derived figure needs source and note")
        if "value" not in figure and not (unconfirmed and ".dense_tops[" in where):
            # Only a dense rate may be absent, and only openly: TPP is then unknown.
            problems.append(f"{where}: figure without a value")
        value = figure.get("value")
        if value is not None and not isinstance(value, int | float):
            problems.append(f"{where}: value {value!r} is not a number or boolean")
    return problems


def chip_problems(data: dict[str, Any]) -> list[str]:
    """Per-chip required fields and consistent dense_tops rows."""
    problems: list[str] = []
    for chip in data.get("chips", []):
        name = chip.get("name", "?")
        for field in ("name", "vendor", "designer_country", "family", "datacenter"):
            if field not in chip:
                problems.append(f"{name}: missing {field}")
        country = chip.get("designer_country", "")
        if pycountry.countries.get(alpha_2=country) is None:
            problems.append(f"{name}: designer_country {country!r} is not ISO alpha-2")
        datacenter = chip.get("datacenter") or {}
        if "value" in datacenter and not isinstance(datacenter["value"], bool):
            problems.append(f"{name}: datacenter value must be true or false")
        rows = chip.get("dense_tops") or []
        if not rows:
            problems.append(f"{name}: dense_tops needs at least one row")
        for row in rows:
            expected = FORMAT_BITS.get(row.get("format"))
            if expected is None:
                problems.append(f"{name}: unknown format {row.get('format')!r}")
            elif row.get("bits") != expected:
                problems.append(f"{name}: {row['format']} must have bits {expected}")
            value = row.get("value")
            if value is not None and value <= 0:
                problems.append(f"{name}: non-positive dense rate {value}")
    return problems


def name_problems(data: dict[str, Any]) -> list[str]:
    """Names and aliases of chips and systems must resolve to one item each."""
    seen: dict[str, str] = {}
    problems: list[str] = []
    for item in [*data.get("chips", []), *data.get("systems", [])]:
        owner = item.get("name", "?")
        for label in [owner, *(item.get("aliases") or [])]:
            key = normalize(label)
            if not key:
                problems.append(f"{owner}: label {label!r} is empty once normalized")
            elif key in seen:
                problems.append(f"{label!r} ({owner}) collides with {seen[key]!r}")
            else:
                seen[key] = f"{label} ({owner})"
    return problems


def system_problems(data: dict[str, Any]) -> list[str]:
    """Systems must name a catalogued chip and hold a positive whole count."""
    chip_names = {chip["name"] for chip in data.get("chips", [])}
    problems: list[str] = []
    for system in data.get("systems", []):
        name = system.get("name", "?")
        if system.get("chip") not in chip_names:
            problems.append(f"{name}: chip {system.get('chip')!r} is not catalogued")
        count = (system.get("count") or {}).get("value")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            problems.append(f"{name}: count {count!r} is not a positive integer")
    return problems


def tpp(chip: dict[str, Any]) -> float:
    """Maximum of dense rate x bit length over the chip's valued rows."""
    return max(
        row["value"] * row["bits"] for row in chip["dense_tops"] if "value" in row
    )


def chip_named(data: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [chip for chip in data["chips"] if chip["name"] == name]
    assert len(matches) == 1, f"expected one chip named {name!r}"
    return matches[0]


# --------------------------------------------------------------------------- tests


def test_catalog_declares_its_schema(catalog: dict[str, Any]) -> None:
    assert catalog["schema"] == "chipgate.catalog/1"


def test_every_source_has_a_title_and_a_web_url(catalog: dict[str, Any]) -> None:
    for key, source in catalog["sources"].items():
        assert source.get("title"), f"source {key} has no title"
        assert str(source.get("url", "")).startswith(("https://", "http://")), key


def test_every_figure_is_sourced_or_marked_unconfirmed(catalog: dict[str, Any]) -> None:
    assert figure_problems(catalog) == []


def test_every_chip_has_datacenter_flag_and_dense_rows(catalog: dict[str, Any]) -> None:
    assert chip_problems(catalog) == []


def test_names_and_aliases_are_unique_after_normalization(
    catalog: dict[str, Any],
) -> None:
    assert name_problems(catalog) == []


def test_systems_reference_catalogued_chips(catalog: dict[str, Any]) -> None:
    assert system_problems(catalog) == []


def test_catalog_holds_at_least_thirty_chips(catalog: dict[str, Any]) -> None:
    assert len(catalog["chips"]) >= 30


def test_h100_sxm5_reproduces_the_bis_reference_tpp(catalog: dict[str, Any]) -> None:
    assert tpp(chip_named(catalog, "NVIDIA H100 SXM5")) == H100_REFERENCE_TPP


def test_every_source_is_cited_somewhere(catalog: dict[str, Any]) -> None:
    cited = {figure.get("source") for _, figure in figures(catalog)}
    unused = set(catalog["sources"]) - cited
    assert unused == set(), f"declared but never cited: {sorted(unused)}"


def test_checks_catch_an_undeclared_source(catalog: dict[str, Any]) -> None:
    broken = copy.deepcopy(catalog)
    broken["chips"][0]["dense_tops"][0]["source"] = "no-such-source"
    assert any("no-such-source" in p for p in figure_problems(broken))


def test_checks_catch_a_confirmed_figure_without_value(catalog: dict[str, Any]) -> None:
    broken = copy.deepcopy(catalog)
    del broken["chips"][0]["dense_tops"][0]["value"]
    assert any("without a value" in p for p in figure_problems(broken))


def test_checks_catch_a_figure_without_source_or_flag(catalog: dict[str, Any]) -> None:
    broken = copy.deepcopy(catalog)
    broken["chips"][0]["memory_bandwidth_gbs"] = {"value": 1}
    assert any("memory_bandwidth_gbs" in p for p in figure_problems(broken))


def test_checks_catch_a_wrong_bit_width(catalog: dict[str, Any]) -> None:
    broken = copy.deepcopy(catalog)
    broken["chips"][0]["dense_tops"][0] |= {"format": "fp8", "bits": 16}
    assert any("must have bits 8" in p for p in chip_problems(broken))


def test_checks_catch_aliases_equal_after_normalization(
    catalog: dict[str, Any],
) -> None:
    broken = copy.deepcopy(catalog)
    chip = chip_named(broken, "NVIDIA GeForce RTX 4090 D")
    chip["aliases"].append("rtx-4090-d")
    assert any("rtx-4090-d" in p for p in name_problems(broken))


def test_checks_catch_a_system_of_an_unknown_chip(catalog: dict[str, Any]) -> None:
    broken = copy.deepcopy(catalog)
    broken["systems"][0]["chip"] = "NVIDIA H999"
    assert any("H999" in p for p in system_problems(broken))


def test_normalize_drops_case_spaces_and_punctuation() -> None:
    assert normalize("H100-SXM5 80GB") == normalize("h100 sxm5_80gb") == "h100sxm580gb"
