"""A real ``chipgate serve`` per store kind: uvicorn in a subprocess on 127.0.0.1.

One server per session and store (SQLite file; PostgreSQL from the embedded server),
on a free port, sharing one data folder so the screening index is built once. Keys of
every role are made the ways users make them: the admin key with ``chipgate keys
create`` (its printed line), the others through the key store.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from chipgate.ledger.db import make_engine
from chipgate.service.keys import Role, create_key

READY_TIMEOUT = 180.0


@dataclass
class Served:
    """A running server, its store and a key of each role."""

    url: str
    store_url: str
    data_dir: Path
    keys: dict[str, str] = field(default_factory=dict)
    _clients: dict[str | None, httpx.Client] = field(default_factory=dict)

    def client(self, role: str | None = None) -> httpx.Client:
        """The HTTP client sending the key of ``role`` (none when None), kept open
        for the session (a client is costly to build)."""
        found = self._clients.get(role)
        if found is None:
            headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
            found = httpx.Client(base_url=self.url, headers=headers, timeout=60)
            self._clients[role] = found
        return found

    def close(self) -> None:
        """Close every client."""
        for client in self._clients.values():
            client.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli_env(data_dir: Path, store_url: str | None) -> dict[str, str]:
    """The environment of a CLI run (or a server) on this store and data folder."""
    env = dict(os.environ)
    env["CHIPGATE_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2] / "src"), env.get("PYTHONPATH", "")]
    )
    env.pop("CHIPGATE_DATABASE_URL", None)
    if store_url:
        env["CHIPGATE_DATABASE_URL"] = store_url
    return env


def chipgate(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "chipgate.cli.app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server not ready in time")


def start_serving(
    env: dict[str, str], workers: int = 1, *, own_session: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    """``chipgate serve`` in a subprocess (and a session of its own) on a free
    loopback port, and its URL, once it answers ``/readyz``."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chipgate.cli.app",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=own_session,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
    except BaseException:
        process.kill()
        process.wait(timeout=30)
        raise
    return process, url


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """``chipgate serve`` in a subprocess on a free loopback port, until the block
    ends; yields its URL once it answers ``/readyz``."""
    process, url = start_serving(env)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def service_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for every server of the session (one screening index)."""
    return tmp_path_factory.mktemp("service-data")


def _session_pg(pg_server: Any) -> str:
    name = "svc_" + uuid.uuid4().hex[:12]
    with psycopg.connect(str(pg_server.get_uri("postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return str(pg_server.get_uri(name)).replace(
        "postgresql://", "postgresql+psycopg://", 1
    )


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, service_data: Path) -> Iterator[Served]:
    """A running server on each kind of store, with keys of every role."""
    if request.param == "sqlite":
        store_url = f"sqlite:///{service_data / 'service-test.db'}"
    else:
        store_url = _session_pg(request.getfixturevalue("pg_server"))
    env = cli_env(service_data, store_url)
    created = chipgate(env, "keys", "create", "--role", "admin", "--name", "root")
    assert created.returncode == 0, created.stderr
    admin_key = created.stdout.strip().splitlines()[-1]
    engine = make_engine(store_url)
    keys = {"admin": admin_key}
    for role, name in (
        (Role.VIEWER, "viewer"),
        (Role.ANALYST, "analyst"),
        (Role.OFFICER, "officer"),
        (Role.OFFICER, "officer2"),
    ):
        keys[name] = create_key(engine, role, name, "test set-up")[0]
    engine.dispose()
    with serving(env) as url:
        running = Served(url, store_url, service_data, keys)
        yield running
        running.close()
