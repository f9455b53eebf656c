"""Fuzzed list folders through ``lists update``: exit 0 with a usable set, or exit 2
naming the file at fault with the previous set still active; never a traceback."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from chipgate.screening.store import read_pointer
from tests.screening.conftest import FIXTURE_LISTS

from .conftest import assert_clean_exit, run, text_of
from .families import (
    MARKUP,
    Case,
    bad_utf8,
    bom,
    byte_flips,
    crlf,
    short_row,
    split_row,
    truncation,
)

LIST_FILES = sorted(
    str(p.relative_to(FIXTURE_LISTS)) for p in FIXTURE_LISTS.rglob("*") if p.is_file()
)


def _markup(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(MARKUP).encode() + data[at:]


def _entity(data: bytes, rng: random.Random) -> bytes:
    return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'


def _empty(data: bytes, rng: random.Random) -> bytes:
    return b""


def _header_only(data: bytes, rng: random.Random) -> bytes:
    return data.split(b"\n")[0] + b"\n"


FAMILIES = {
    "byte-flip": byte_flips,
    "truncation": truncation,
    "bom": bom,
    "crlf": crlf,
    "bad-utf8": bad_utf8,
    "markup": _markup,
    "split-row": lambda d, r: (
        split_row(d, r) if d.count(b"\n") > 2 and b"," in d else d
    ),
    "short-row": lambda d, r: short_row(d, r) if d.count(b"\n") > 2 else d,
    "empty": _empty,
    "header-only": _header_only,
    "xml-entity": _entity,
}


def _cases() -> list[tuple[Case, str]]:
    cases = []
    for index, (family, mutate) in enumerate(sorted(FAMILIES.items())):
        for n in range(3):
            seed = 7000 + 100 * index + n
            rng = random.Random(seed)
            rel = LIST_FILES[rng.randrange(len(LIST_FILES))]
            if family == "xml-entity":
                rel = "un/consolidated.xml"
            data = (FIXTURE_LISTS / rel).read_bytes()
            cases.append((Case(family, seed, mutate(data, rng)), rel))
    return cases


@pytest.mark.parametrize(("case", "rel"), _cases(), ids=lambda c: getattr(c, "id", c))
def test_lists_update_ends_cleanly(case: Case, rel: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # the fixture lists replace the (shared) lists in use: far fewer entries
    first = run(data, "lists", "update", "--from", str(FIXTURE_LISTS), "--allow-shrink")
    assert first.exit_code == 0, first.output
    before = read_pointer(data)
    folder = tmp_path / "lists"
    shutil.copytree(FIXTURE_LISTS, folder)
    (folder / rel).write_bytes(case.data)
    result = run(data, "lists", "update", "--from", str(folder))
    assert_clean_exit(result, {0, 2}, str(folder))
    if result.exit_code == 2:
        assert read_pointer(data) == before
        assert not list((data / "screening").glob(".staging-*"))
    else:
        assert (
            read_pointer(data) != before
            or case.data == (FIXTURE_LISTS / rel).read_bytes()
        )
    if case.family in ("empty", "xml-entity"):
        assert result.exit_code == 2
        assert rel in text_of(result)
    screened = run(data, "screen", "Acme Rocket Works", "--json")
    assert_clean_exit(screened, {0, 1}, "")
