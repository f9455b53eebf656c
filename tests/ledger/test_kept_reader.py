"""A read kept on one connection per thread (``ledger.db.KeptReader``): one
connection for the thread that reads first, every commit seen at once, other threads
through the pool, a broken connection replaced. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, text

from chipgate.ledger.db import KeptReader, make_engine
from chipgate.settings import Settings

SQL = "SELECT v FROM kept WHERE k = ?"


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    made = make_engine(settings.resolved_database_url())
    with made.begin() as conn:
        conn.execute(text("CREATE TABLE kept (k VARCHAR(10) PRIMARY KEY, v INTEGER)"))
        conn.execute(text("INSERT INTO kept VALUES ('a', 1)"))
    yield made
    made.dispose()


def _set(engine: Engine, value: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE kept SET v = :v WHERE k = 'a'"), {"v": value})


def test_one_connection_sees_every_commit_at_once(engine: Engine) -> None:
    checkouts: list[int] = []
    event.listen(engine, "checkout", lambda *args: checkouts.append(1))
    reader = KeptReader(engine, SQL)
    assert reader.row(("a",)) == (1,)
    before = len(checkouts)
    for value in (2, 3, 4):
        _set(engine, value)  # e.g. a key revoked by another worker
        assert reader.row(("a",)) == (value,)  # no snapshot held between reads
    assert reader.row(("zz",)) is None
    _set(engine, 5)
    reader.row(("a",))
    assert len(checkouts) - before == 4  # the four updates' own; no read checked out
    with engine.connect() as conn:  # no transaction of the reader blocks a writer
        conn.execute(text("SELECT 1"))
    _set(engine, 6)
    assert reader.row(("a",)) == (6,)
    reader.close()


def test_other_threads_read_through_the_pool(engine: Engine) -> None:
    reader = KeptReader(engine, SQL)
    assert reader.row(("a",)) == (1,)  # this thread owns the kept connection
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(reader.row(("a",))))
    thread.start()
    thread.join()
    assert seen == [(1,)]
    reader.close()


def test_a_broken_connection_is_replaced(engine: Engine) -> None:
    reader = KeptReader(engine, SQL)
    assert reader.row(("a",)) == (1,)
    assert reader._raw is not None
    reader._raw.close()  # the server went away, say
    assert reader.row(("a",)) == (1,)  # this read through the pool
    assert reader.row(("a",)) == (1,)  # and a new kept connection after it
    assert reader._raw is not None
    reader.close()
