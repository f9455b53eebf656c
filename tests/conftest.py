"""Test set-up shared by every test.

Fixture strategy: rule scenarios are YAML files under ``tests/cases`` that a compliance
officer can read, one case per legal statement, collected by the plugin in
``yaml_cases.py``; unit tests build small objects by hand; tests that need the real
restricted-party lists read them in place from ``../shared/data`` and fail loudly when
the folder is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.yaml_cases import collect_case_file

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()


def pytest_collect_file(
    parent: pytest.Collector, file_path: Path
) -> pytest.Collector | None:
    """Collect every ``tests/cases/**/*.yaml`` file as a file of scenario cases."""
    return collect_case_file(parent, file_path)


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets a throwaway data folder unless it sets its own: the default
    (the user's data directory) is never touched by the test suite."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "chipgate-data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real list data beside the repository; a clear failure when absent."""
    if not SHARED_DATA.is_dir():
        pytest.fail(
            f"real data folder not found at {SHARED_DATA} (expected ../shared/data)"
        )
    return SHARED_DATA
