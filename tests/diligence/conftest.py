"""Register fixtures: list folders built from the real list files (linked, never
copied), and stores of both kinds (SQLite and a real PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipgate.settings import Settings


def link_lists(folder: Path, files: dict[str, Path]) -> Path:
    """A lists folder whose files are links to real list files."""
    for rel, target in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return folder


@pytest.fixture(scope="session")
def ofac_2021(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OFAC's SDN list of mid-2021 (with its aliases file), as a lists folder."""
    root = shared_data / "lists" / "ofac"
    return link_lists(
        tmp_path_factory.mktemp("ofac2021"),
        {"ofac/sdn.csv": root / "sdn.csv", "ofac/alt.csv": root / "alt.csv"},
    )


@pytest.fixture(scope="session")
def ofac_2024(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OFAC's SDN list of 2024-05-03, laid out where the 2021 one was: a real change
    (entries added, removed and changed) of the same list."""
    return link_lists(
        tmp_path_factory.mktemp("ofac2024"),
        {"ofac/sdn.csv": shared_data / "lists" / "ofac-2024" / "sdn.csv"},
    )


@pytest.fixture(scope="session")
def csl_sample(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real CSL sample, as a lists folder (fast store tests)."""
    return link_lists(
        tmp_path_factory.mktemp("cslsample"),
        {"csl/consolidated-2022.csv": shared_data / "lists" / "csl" / "csl-sample.csv"},
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store_settings(
    request: pytest.FixtureRequest, tmp_path: Path, csl_sample: Path
) -> Settings:
    """Settings for a fresh store of each kind, screening against the CSL sample."""
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data", lists_dir=csl_sample)
    url = request.getfixturevalue("pg_url")
    return Settings(data_dir=tmp_path / "data", database_url=url, lists_dir=csl_sample)
