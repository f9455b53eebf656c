"""Shared fixtures of the location tests: landmarks, borders, a temp store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from chipgate.ledger.db import make_engine
from chipgate.location.borders import Borders, load_borders
from chipgate.location.landmarks import Landmark, load_landmarks


@pytest.fixture(scope="session")
def landmarks() -> tuple[Landmark, ...]:
    return load_landmarks()


@pytest.fixture(scope="session")
def borders() -> Borders:
    return load_borders()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield eng
    eng.dispose()


def by_id(landmarks: tuple[Landmark, ...], *ids: str) -> list[Landmark]:
    index = {lm.id: lm for lm in landmarks}
    return [index[i] for i in ids]
