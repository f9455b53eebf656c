"""``make serve``: the console on the demo store, with orders that open cases.

Creates an officer key, starts ``chipgate serve``, checks the example order book
through the API when the store has no case yet (so its flagged orders open review
cases; ``make demo`` has already committed the same orders to the ledger), then
prints the URL and the key and keeps serving until interrupted.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from chipgate.ledger.db import make_engine
from chipgate.ledger.migrate import ensure_current
from chipgate.service.keys import Role, create_key
from chipgate.settings import Settings


def orders_of(path: Path) -> list[dict[str, Any]]:
    """The rows of an order-book CSV as API orders (empty cells left out)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {k: v for k, v in row.items() if v not in ("", None)}
            for row in csv.DictReader(handle)
        ]


def wait_ready(url: str, timeout: float = 180.0) -> None:
    """Wait until ``/readyz`` answers 200 (the engine and index have loaded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} was not ready after {timeout:.0f} s")


def seed(url: str, key: str, book: Path, route: str = "check") -> dict[str, Any]:
    """Check (or commit) an order book through the API; the answer counts outcomes."""
    answer = httpx.post(
        f"{url}/v1/orders/{route}",
        json={"orders": orders_of(book)},
        headers={"Authorization": f"Bearer {key}"},
        timeout=300,
    )
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def main(argv: list[str]) -> int:
    """Serve the console on the demo store until interrupted."""
    port = int(argv[0]) if argv else 8000
    book = Path(argv[1]) if len(argv) > 1 else Path("examples/orders.csv")
    settings = Settings()
    store = make_engine(settings.resolved_database_url())
    ensure_current(store)
    key, _ = create_key(store, Role.OFFICER, "console demo officer", "make serve")
    store.dispose()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [sys.executable, "-m", "chipgate.cli.app", "serve", "--port", str(port)],
        env=os.environ.copy(),
    )
    try:
        wait_ready(url)
        headers = {"Authorization": f"Bearer {key}"}
        if not httpx.get(f"{url}/v1/cases?limit=1", headers=headers).json():
            seed(url, key, book)
        print(f"\nconsole: {url}/")  # noqa: T201
        print(f"sign in with this officer key:\n{key}\n")  # noqa: T201
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
