"""The group writer: many requests' writes in one transaction, each answered only
once committed, and one request's failing write never failing another's."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    Text,
    event,
    insert,
    select,
)

from chipgate.errors import StoreError
from chipgate.ledger.db import make_engine
from chipgate.service import writer as writer_module
from chipgate.service.writer import GroupWriter

ROWS = Table("rows", MetaData(), Column("n", Integer, primary_key=True))


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = make_engine(f"sqlite:///{tmp_path / 'writer.db'}")
    ROWS.metadata.create_all(made)
    return made


def _commits(engine: Engine) -> list[int]:
    seen: list[int] = []
    event.listen(engine, "commit", lambda conn: seen.append(1))
    return seen


def _insert(n: int):  # type: ignore[no-untyped-def]
    def work(conn: Connection) -> int:
        conn.execute(insert(ROWS), [{"n": n}])
        return n

    return work


def _stored(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(select(ROWS.c.n)).scalars())


def test_what_queues_during_a_commit_is_committed_together(engine: Engine) -> None:
    commits = _commits(engine)
    writer = GroupWriter(engine)
    release, started = threading.Event(), threading.Event()

    def first(conn: Connection) -> int:
        started.set()
        release.wait(timeout=30)
        return _insert(0)(conn)

    head = writer.submit(first)
    started.wait(timeout=30)
    queued = [writer.submit(_insert(n)) for n in range(1, 51)]
    assert not head.done()  # not answered before its transaction commits
    assert 0 not in _stored(engine)
    release.set()
    assert [f.result(timeout=30) for f in [head, *queued]] == list(range(51))
    assert _stored(engine) == set(range(51))
    assert len(commits) == 2  # the first alone, the fifty queued behind it in one
    writer.close()


def test_a_failing_write_fails_alone(engine: Engine) -> None:
    writer = GroupWriter(engine)
    release, started = threading.Event(), threading.Event()

    def hold(conn: Connection) -> None:
        started.set()
        release.wait(timeout=30)

    def broken(conn: Connection) -> None:
        conn.execute(insert(ROWS), [{"n": 100}])
        raise ValueError("bad row")

    writer.submit(hold)
    started.wait(timeout=30)
    good = [writer.submit(_insert(n)) for n in (1, 2)]
    bad = writer.submit(broken)
    more = writer.submit(_insert(3))
    release.set()
    assert [f.result(timeout=30) for f in [*good, more]] == [1, 2, 3]
    with pytest.raises(ValueError, match="bad row"):
        bad.result(timeout=30)
    assert _stored(engine) == {1, 2, 3}  # the failed write left nothing behind
    writer.close()


def test_a_store_refusal_fails_the_batch_and_close_drains(engine: Engine) -> None:
    writer = GroupWriter(engine)
    refused = writer.submit(_insert(1))
    assert refused.result(timeout=30) == 1
    duplicate = writer.submit(_insert(1))  # the primary key refuses it
    with pytest.raises(Exception, match="UNIQUE"):
        duplicate.result(timeout=30)
    pending = [writer.submit(_insert(n)) for n in range(2, 20)]
    writer.close()  # commits what is queued before it stops
    assert all(f.done() for f in pending)
    assert _stored(engine) == set(range(1, 20))
    late = writer.submit(_insert(99))
    with pytest.raises(RuntimeError, match="closed"):
        late.result(timeout=1)
    assert not isinstance(duplicate.exception(), StoreError)


def test_writers_of_two_workers_take_turns_on_one_sqlite_file(engine: Engine) -> None:
    first, second = GroupWriter(engine), GroupWriter(make_engine(str(engine.url)))
    futures = [(first if n % 2 else second).submit(_insert(n)) for n in range(1, 201)]
    assert sorted(f.result(timeout=60) for f in futures) == list(range(1, 201))
    assert _stored(engine) == set(range(1, 201))
    assert Path(f"{engine.url.database}-writers").exists()
    first.close()
    second.close()


def test_one_connection_is_kept_and_a_broken_one_replaced(engine: Engine) -> None:
    opened: list[int] = []
    event.listen(engine, "checkout", lambda *args: opened.append(1))
    writer = GroupWriter(engine)
    assert [writer.submit(_insert(n)).result(timeout=30) for n in range(1, 6)] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert len(opened) == 1  # five transactions, one checkout

    def breaks(conn: Connection) -> None:
        conn.connection.dbapi_connection.close()  # type: ignore[union-attr]
        conn.execute(insert(ROWS), [{"n": 50}])

    with pytest.raises(Exception, match="closed"):
        writer.submit(breaks).result(timeout=30)
    assert writer.submit(_insert(6)).result(timeout=30) == 6  # on a fresh one
    assert len(opened) == 2
    assert _stored(engine) == set(range(1, 7))
    writer.close()


BLOBS = Table(
    "blobs",
    MetaData(),
    Column("n", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)


def _filled(engine: Engine, every: float, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write ~1,800 log pages (past SQLite's own 1,000-page checkpoint mark), one
    transaction a row, with checkpoints every ``every`` seconds; the database file."""
    monkeypatch.setattr(writer_module, "CHECKPOINT_EVERY", every)
    BLOBS.metadata.create_all(engine)
    writer = GroupWriter(engine)

    def add(n: int):  # type: ignore[no-untyped-def]
        def work(conn: Connection) -> None:
            conn.execute(insert(BLOBS), [{"n": n, "text": "x" * 8000}])

        return work

    for n in range(600):
        writer.submit(add(n)).result(timeout=30)
    database = Path(str(engine.url.database))
    deadline = time.monotonic() + 30
    while database.stat().st_size < 4_000_000 and time.monotonic() < deadline:
        if every > 60:
            break  # no checkpoint is due: look at once
        time.sleep(0.05)
    writer.close()
    return database


def test_commits_leave_the_checkpoints_to_their_thread(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _filled(engine, 3600.0, monkeypatch)
    assert database.with_name(database.name + "-wal").stat().st_size > 4_000_000
    assert database.stat().st_size < 1_000_000  # no commit copied the log


def test_the_log_is_checkpointed_in_the_background(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _filled(engine, 0.05, monkeypatch)
    assert database.stat().st_size >= 4_000_000  # copied into the database file
