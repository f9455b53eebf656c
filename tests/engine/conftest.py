"""Fixtures of the engine and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner with its own store and a wide terminal."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()
