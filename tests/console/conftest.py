"""A real ``chipgate serve`` with the console, and a Chromium driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``make test`` when missing),
launched through Playwright's ``executable_path``; nothing is downloaded. The server
runs on 127.0.0.1 on a free port over a temporary data folder holding the example
licences, and keys of the roles the tests need. Screenshots go to a temporary folder
(``CHIPGATE_SCREENSHOTS`` keeps them elsewhere).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chipgate.ledger.db import make_engine
from chipgate.service.keys import Role, create_key
from tests.service.conftest import chipgate, cli_env, serving

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHIPGATE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Console:
    """The running console, its data folder and a key of each role."""

    url: str
    data_dir: Path
    keys: dict[str, str]
    shots: Path


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """``chipgate serve`` on a fresh SQLite store with the example licences."""
    data_dir = tmp_path_factory.mktemp("console-data")
    env = cli_env(data_dir, None)
    imported = chipgate(env, "license", "import", str(REPO / "examples/licenses.csv"))
    assert imported.returncode == 0, imported.stderr
    engine = make_engine(f"sqlite:///{data_dir / 'chipgate.db'}")
    keys = {
        name: create_key(engine, role, name, "test set-up")[0]
        for role, name in (
            (Role.VIEWER, "vera viewer"),
            (Role.OFFICER, "olga officer"),
            (Role.OFFICER, "otto officer"),
        )
    }
    engine.dispose()
    shots = Path(os.environ.get("CHIPGATE_SCREENSHOTS") or data_dir / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with serving(env) as url:
        yield Console(url, data_dir, keys, shots)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def sign_in(browser: Any, console: Console, who: str, width: int = 1280) -> Any:
    """A new browser page signed in with the key of ``who``."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{console.url}/")
    assert page.url.endswith("/login")
    page.fill("#key", console.keys[who])
    page.click("button[type=submit]")
    page.wait_for_url(f"{console.url}/")
    return page
