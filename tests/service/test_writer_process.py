"""The writer process of a SQLite store: every worker's writes committed by one
process, each answered only once committed; a frame naming foreign code is refused;
a worker whose writer process is gone fails what it had not had answered and writes
on its own from then on."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from functools import partial
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, select

from chipgate.errors import StoreError
from chipgate.ledger.db import make_engine
from chipgate.ledger.migrate import ensure_current
from chipgate.service.decisions import keep_decisions
from chipgate.service.tables import DECISIONS
from chipgate.service.writer import GroupWriter
from chipgate.service.writer_process import (
    SOCKET_NAME,
    SOCKET_PATH_MAX,
    RemoteWriter,
    WriterProcess,
    _payloads,
    _Worker,
    committed,
    socket_folder,
)
from tests.service.conftest import cli_env, start_serving
from tests.service.loops import fresh_loop


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CHIPGATE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CHIPGATE_SERVICE_TIMINGS", raising=False)
    engine = make_engine(f"sqlite:///{tmp_path / 'chipgate.db'}")
    ensure_current(engine)
    yield engine
    engine.dispose()


def _row(decision_id: str) -> dict[str, object]:
    return {
        "decision_id": decision_id,
        "order_id": f"order-{decision_id}",
        "outcome": "no_license_required",
        "regime": "post-rescission-2025",
        "created_at": "2026-12-03T08:00:00.000000+00:00",
        "principal": "test",
        "committed": False,
        "order": "{}",
        "record": "{}",
        "reasoning": "{}",
    }


def _keep(decision_id: str) -> partial[list[str]]:
    return partial(keep_decisions, [_row(decision_id)], [], "test")


def _stored(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(DECISIONS.c.decision_id)).scalars())


def test_two_workers_writes_are_committed_before_they_are_answered(
    store: Engine,
) -> None:
    writer = WriterProcess()
    seen_committed: list[bool] = []

    async def worker(name: str) -> list[str]:
        client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        futures = [client.submit(_keep(f"{name}{n}")) for n in range(40)]
        for n, future in enumerate(futures):
            await asyncio.wrap_future(future)
            # answered: already on the store, seen from another connection
            seen_committed.append(f"{name}{n}" in _stored(store))
        assert client.remote
        client.close()
        return [f"{name}{n}" for n in range(40)]

    async def both() -> list[list[str]]:
        return await asyncio.gather(worker("a"), worker("b"))

    written = fresh_loop(both())
    writer.stop()
    assert all(seen_committed)
    assert len(seen_committed) == 80
    assert _stored(store) == set(written[0]) | set(written[1])


class _CountedSends(socket.socket):
    """A socket that counts its ``send`` calls."""

    sends = 0

    def send(self, data: object, *args: object) -> int:  # type: ignore[override]
        type(self).sends += 1
        return super().send(data, *args)  # type: ignore[arg-type]


def test_the_writes_of_one_loop_turn_go_in_one_send(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = WriterProcess()

    async def run() -> tuple[int, int]:
        with monkeypatch.context() as patched:
            patched.setattr(socket, "socket", _CountedSends)
            client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        futures = [client.submit(_keep(f"turn{n}")) for n in range(5)]
        await asyncio.sleep(0)  # the end of the turn: the flush
        after_turn = _CountedSends.sends
        for future in futures:
            await asyncio.wrap_future(future)
        await asyncio.wrap_future(client.submit(_keep("later")))
        client.close()
        return after_turn, _CountedSends.sends

    _CountedSends.sends = 0
    after_turn, after_all = fresh_loop(run())
    writer.stop()
    assert (after_turn, after_all) == (1, 2)  # five writes, one send; then one
    assert _stored(store) == {*(f"turn{n}" for n in range(5)), "later"}


def test_a_transactions_answers_reach_a_worker_in_one_send() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    worker = _Worker(theirs)
    outcomes: list[Future[list[str]]] = [Future() for _ in range(3)]
    outcomes[0].set_result(["case-a"])
    outcomes[1].set_result([])
    outcomes[2].set_exception(ValueError("refused"))
    for number, outcome in enumerate(outcomes):
        worker.answer(number, outcome)
    ours.setblocking(False)
    with pytest.raises(BlockingIOError):  # nothing sent while the batch is answered
        ours.recv(1)
    worker.send_answers()
    received = bytearray(ours.recv(1 << 16))  # one send: all three at once
    worker.send_answers()  # nothing left to send
    with pytest.raises(BlockingIOError):
        ours.recv(1)
    ours.close()
    theirs.close()
    assert [orjson.loads(frame) for frame in _payloads(received)] == [
        [0, True, ["case-a"]],
        [1, True, []],
        [2, False, "ValueError: refused"],
    ]


def test_a_write_that_fails_fails_alone(store: Engine) -> None:
    writer = WriterProcess()

    async def run() -> tuple[list[str], BaseException | None]:
        client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        first = client.submit(_keep("x1"))
        again = client.submit(_keep("x1"))  # the primary key refuses it
        other = client.submit(_keep("x2"))
        await asyncio.wrap_future(first)
        await asyncio.wrap_future(other)
        error: BaseException | None = None
        try:
            await asyncio.wrap_future(again)
        except Exception as exc:
            error = exc
        client.close()
        return sorted(_stored(store)), error

    stored, error = fresh_loop(run())
    writer.stop()
    assert stored == ["x1", "x2"]
    assert error is not None
    assert "UNIQUE" in str(error)


def test_a_frame_naming_foreign_code_is_refused(store: Engine, tmp_path: Path) -> None:
    writer = WriterProcess()
    marker = tmp_path / "ran"
    for frame in (
        orjson.dumps([0, "os.system", [f"touch {marker}"], 0.0]),
        orjson.dumps([0, "keep_decisions", "not the arguments", 0.0]),
        b"not a frame of ours",
    ):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(writer.path))
            sock.sendall(struct.pack("!I", len(frame)) + frame)
            sock.settimeout(30)
            assert sock.recv(1) == b""  # hung up on, nothing answered
    writer.stop()
    assert writer._process.returncode == 0  # it went on serving until stopped
    assert not marker.exists()
    assert writer.folder.exists() is False  # its socket's folder is removed


def test_only_the_named_writes_are_handed_over(store: Engine) -> None:
    writer = WriterProcess()

    async def run() -> BaseException | None:
        client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        future = client.submit(partial(os.system, "true"))  # type: ignore[arg-type]
        client.close()
        return future.exception()

    error = fresh_loop(run())
    writer.stop()
    assert isinstance(error, TypeError)


def test_a_worker_whose_writer_process_died_writes_on_its_own(store: Engine) -> None:
    writer = WriterProcess()

    async def run() -> tuple[list[str], bool]:
        client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        await asyncio.wrap_future(client.submit(_keep("before")))
        os.kill(writer._process.pid, signal.SIGKILL)
        writer._process.wait()
        results = []
        for n in range(3):  # the first may fail: it went to the dead process
            try:
                await asyncio.wrap_future(client.submit(_keep(f"after{n}")))
                results.append(f"after{n}")
            except StoreError:
                pass
            await asyncio.sleep(0.05)
        remote = client.remote
        client.close()
        return results, remote

    written, remote = fresh_loop(run())
    writer.stop()
    assert not remote
    assert {"after1", "after2"} <= set(written)
    assert _stored(store) == {"before", *written}


def test_an_interrupt_of_the_process_group_leaves_it_writing(store: Engine) -> None:
    writer = WriterProcess()
    os.kill(writer._process.pid, signal.SIGINT)  # as a Ctrl-C reaches the group
    os.kill(writer._process.pid, signal.SIGTERM)

    async def run() -> bool:
        client = RemoteWriter(writer.path, lambda: GroupWriter(store))
        await asyncio.wrap_future(client.submit(_keep("late")))  # a request finishing
        remote = client.remote
        client.close()
        return remote

    assert fresh_loop(run())
    writer.stop()  # the service closes its input: now it stops
    assert writer._process.returncode == 0
    assert _stored(store) == {"late"}


def test_a_result_is_awaited_from_the_loop_or_from_a_thread() -> None:
    async def run() -> list[object]:
        loop = asyncio.get_running_loop()
        on_loop: Future[str] = Future()
        loop.call_later(0.01, on_loop.set_result, "answered on the loop")
        from_thread: Future[str] = Future()
        threading.Timer(0.01, from_thread.set_result, ["from a writer thread"]).start()
        failed: Future[str] = Future()
        loop.call_later(0.01, failed.set_exception, StoreError("refused"))
        done: Future[str] = Future()
        done.set_result("already")
        results: list[object] = [
            await committed(on_loop),
            await committed(from_thread),
            await committed(done),
        ]
        try:
            await committed(failed)
        except StoreError as exc:
            results.append(str(exc))
        return results

    assert fresh_loop(run()) == [
        "answered on the loop",
        "from a writer thread",
        "already",
        "refused",
    ]


def test_a_stopped_service_stops_its_writer_process(service_data: Path) -> None:
    """uvicorn raises the stop signal again once it has shut down; ``serve`` still
    stops its writer process after the worker (it commits what it holds) and
    removes the folder of its socket, and exits as a process stopped by it."""
    # a short folder of its own, so that the socket is made where it is looked for
    temp = Path(tempfile.mkdtemp(prefix="cg-"))
    try:
        env = cli_env(service_data, f"sqlite:///{temp / 'stop.db'}")
        env["TMPDIR"] = str(temp)  # where the writer's socket folder is made
        process, _ = start_serving(env, workers=1)
        try:
            assert len(list(temp.glob("chipgate-writer-*"))) == 1
        finally:
            process.terminate()
            status = process.wait(timeout=60)
        assert status == 128 + signal.SIGTERM
        assert list(temp.glob("chipgate-writer-*")) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_a_socket_under_a_deep_temporary_folder_is_made_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Unix socket's path holds at most 107 bytes: under a deeper ``TMPDIR``
    the writer's folder is made in /tmp, and the writer starts there."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    folder = socket_folder()
    try:
        assert folder.parent == Path("/tmp")
        assert len(os.fsencode(folder / SOCKET_NAME)) < SOCKET_PATH_MAX
        assert list(deep.iterdir()) == []  # the folder tried first is removed
        assert folder.stat().st_mode & 0o777 == 0o700
    finally:
        folder.rmdir()
    process = WriterProcess()  # it starts, its socket in /tmp
    try:
        assert process.path.parent.parent == Path("/tmp")
    finally:
        process.stop()
    assert not process.folder.exists()
