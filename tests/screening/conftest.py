"""Shared fixtures: the real lists from ../shared (indexed once) and small fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.screener import Screener
from chipgate.screening.sources import REGISTRY, LoadedLists, load_lists, load_source

REPO = Path(__file__).resolve().parents[2]
SHARED_LISTS = REPO / ".." / "shared" / "data" / "lists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_LISTS = FIXTURES / "lists"


def shared_lists() -> Path:
    """The real list folder, or a failure that names where it was looked for."""
    if not SHARED_LISTS.is_dir():
        pytest.fail(
            f"real list data missing: expected the folder {SHARED_LISTS.resolve()}"
        )
    return SHARED_LISTS


def person_score(screener: Screener, query: str, listed: str) -> float:
    """``query`` scored against the listed ``listed`` as two person names (the
    pair comparison the public benchmark makes)."""
    return screener.matcher.compare(query, listed, person=True)


@pytest.fixture(scope="session")
def real_lists() -> LoadedLists:
    return load_lists(shared_lists())


@pytest.fixture(scope="session")
def every_list() -> LoadedLists:
    """Every list of the shared folder, each read alone (none superseded)."""
    loaded = LoadedLists()
    for cls in REGISTRY:
        source = cls()
        if source.present(shared_lists()):
            info, entries = load_source(source, shared_lists())
            loaded.infos.append(info)
            loaded.entries.extend(entries)
    return loaded


@pytest.fixture(scope="session")
def real_index(real_lists: LoadedLists) -> ScreeningIndex:
    return build_index(real_lists.infos, real_lists.entries)


@pytest.fixture(scope="session")
def real_screener(real_index: ScreeningIndex) -> Screener:
    return Screener(real_index, threshold=0.90, review_threshold=0.80)


@pytest.fixture(scope="session")
def fixture_lists() -> LoadedLists:
    return load_lists(FIXTURE_LISTS)


@pytest.fixture(scope="session")
def fixture_screener(fixture_lists: LoadedLists) -> Screener:
    index = build_index(fixture_lists.infos, fixture_lists.entries)
    return Screener(index, threshold=0.90, review_threshold=0.80)


@pytest.fixture
def http_server(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[int, bytes], None]]:
    """Answer every download with ``(status, body)`` through httpx's mock transport."""
    clients: list[httpx.Client] = []

    def install(status: int, body: bytes = b"") -> None:
        client = httpx.Client(
            transport=httpx.MockTransport(
                lambda _: httpx.Response(status, content=body)
            )
        )
        clients.append(client)

        def stream(method: str, url: str, **_: object) -> object:
            return client.stream(method, url)

        monkeypatch.setattr("chipgate.screening.download.httpx.stream", stream)

    yield install
    for client in clients:
        client.close()
