"""An answered decision is on the store: the whole service (its workers and its
writer process) killed at once, right after answering, loses none of what it
answered (SQLite, two workers; decisions committed by the writer process, or by
each worker's writer thread when it is switched off)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from chipgate.ledger.db import make_engine
from chipgate.ledger.migrate import ensure_current
from chipgate.service.keys import Role, create_key
from chipgate.service.tables import DECISIONS
from tests.service.conftest import cli_env, start_serving
from tests.service.orders import licensed

CHECKS = 96


@pytest.mark.parametrize("writer_process", [True, False])
def test_every_answered_check_survives_killing_the_service(
    service_data: Path, tmp_path: Path, writer_process: bool
) -> None:
    store_url = f"sqlite:///{tmp_path / 'crash.db'}"
    env = cli_env(service_data, store_url)  # the session's index, a store of its own
    env["CHIPGATE_SERVICE_WRITER_PROCESS"] = str(writer_process).lower()
    engine = make_engine(store_url)
    ensure_current(engine)
    key = create_key(engine, Role.ANALYST, "crash test", "test set-up")[0]
    engine.dispose()
    process, url = start_serving(env, workers=2, own_session=True)
    ready, deadline = 0, time.monotonic() + 180
    while ready < 20 and time.monotonic() < deadline:  # both workers, most likely
        ok = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
        ready = ready + 1 if ok else 0
        time.sleep(0.05)
    children = subprocess.run(
        ["ps", "-o", "args=", "--ppid", str(process.pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert ("chipgate.service.writer_process" in children) is writer_process
    run = uuid.uuid4().hex[:6]
    answered: list[str] = []
    try:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client:

            def check(n: int) -> str:
                response = client.post(
                    "/v1/orders/check",
                    json={"orders": [licensed(f"K-{run}-{n}")], "review": False},
                )
                assert response.status_code == 200, response.text
                return str(response.json()["results"][0]["decision_id"])

            with ThreadPoolExecutor(8) as pool:
                answered = list(pool.map(check, range(CHECKS)))
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # serve, its workers, the writer
        process.wait(timeout=30)
    engine = make_engine(store_url)  # SQLite replays the log on opening
    with engine.connect() as conn:
        stored = set(conn.execute(select(DECISIONS.c.decision_id)).scalars())
    engine.dispose()
    assert len(answered) == CHECKS
    assert set(answered) <= stored
