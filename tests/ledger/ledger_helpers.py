"""Building draws and orders for the ledger tests, and the worker processes."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

from chipgate.draws import Draw, DrawTiming
from chipgate.ledger import CommitStatus, Ledger, OrderRequest
from chipgate.ledger.db import make_engine

CITATION = "test limit"


def draw(
    account: str,
    amount: float,
    limit: float | None,
    *,
    unit: str = "tpp",
    kind: str = "lpp",
    h100e: float = 0.0,
    timing: DrawTiming = DrawTiming.NOW,
) -> Draw:
    """A draw as the engine would state it."""
    return Draw(account, kind, amount, unit, limit, 0.0, h100e, timing, CITATION)


def request(order_id: str, *draws: Draw) -> OrderRequest:
    """An order request with a minimal order and decision."""
    return OrderRequest(
        order_id=order_id,
        order={"id": order_id},
        decision={"outcome": "authorized"},
        draws=draws,
        regime="test-regime",
        rules_version="test-1",
        who="tester",
    )


def open_url(url: str) -> Ledger:
    """A ledger on an already migrated store."""
    return Ledger(make_engine(url))


def draw_worker(
    url: str,
    worker: int,
    amounts: list[float],
    limit: float,
    barrier: Any,
    results: Any,
) -> None:
    """Commit one order per amount on the shared account, as one officer would."""
    ledger = open_url(url)
    barrier.wait()
    out = []
    for i, amount in enumerate(amounts):
        req = request(
            f"w{worker}-o{i}", draw("cap/shared", amount, limit, unit="units")
        )
        result = ledger.commit_batch([req])[0]
        out.append((req.order_id, amount, result.status.value))
    ledger.close()
    results.put(out)


def batch_worker(
    url: str, requests: list[OrderRequest], first: int, signal: Any
) -> None:
    """Commit ``requests[:first]``, then the rest, stalling half-way through it."""
    ledger = open_url(url)
    ledger.commit_batch(requests[:first])

    def stall(count: int) -> None:
        if count == (len(requests) - first) // 2:
            signal.send(os.getpid())
            time.sleep(600)

    ledger.commit_batch(requests[first:], progress=stall)


def statuses(results: list[Any]) -> dict[str, int]:
    """How many results of each status."""
    counts: dict[str, int] = {s.value: 0 for s in CommitStatus}
    for r in results:
        counts[r.status.value] += 1
    return counts


def mixed_worker(
    url: str, worker: int, accounts: list[str], cap: float, barrier: Any, results: Any
) -> None:
    """Commit small batches whose orders draw on two random shared accounts."""
    rng = random.Random(worker)
    ledger = open_url(url)
    barrier.wait()
    statuses = []
    for b in range(6):
        batch = []
        for i in range(5):
            first, second = rng.sample(accounts, 2)
            batch.append(
                request(
                    f"m{worker}-{b}-{i}",
                    draw(first, float(rng.randint(1, 30)), cap, unit="units"),
                    draw(second, float(rng.randint(1, 30)), cap, unit="units"),
                )
            )
        statuses.extend(r.status.value for r in ledger.commit_batch(batch))
    ledger.close()
    results.put(statuses)


def h100_order(order_id: str, day: str, units: int, consignee: str) -> Any:
    """An H100 export to an Indian data centre (Tier 2: LPP applies under AID)."""
    from datetime import date

    from chipgate.orders.model import EndUse, Kind, Order, Party

    return Order(
        order_id,
        date.fromisoformat(day),
        Kind.EXPORT,
        "NVIDIA H100 SXM5",
        units,
        "IN",
        consignee=Party(consignee, "IN"),
        end_use=frozenset({EndUse.DATACENTER}),
    )


def checker_on(ledger: Ledger) -> Any:
    """A checker whose balances, licenses and compute bases are the ledger's."""
    from chipgate.book.pipeline import Checker, FactSources
    from chipgate.decide.engine import Engine

    return Checker(
        Engine(), FactSources(licenses=ledger, balances=ledger, compute_bases=ledger)
    )


def run_book(ledger: Ledger, orders: list[Any], barrier: Any = None) -> list[Any]:
    """What ``chipgate check --commit --regime aid-2025`` does: output lines."""
    from chipgate.book.commit import commit_book, lines, own_draws

    checker = checker_on(ledger)
    checker.own_draws = own_draws(ledger, orders)
    decisions = checker.decide(orders, regime="aid-2025")
    if barrier is not None:
        barrier.wait()
    results = commit_book(
        checker, ledger, orders, decisions, who="officer", regime="aid-2025"
    )
    return lines(ledger, decisions, results)


def book_worker(url: str, orders: list[Any], barrier: Any, results: Any) -> None:
    """One officer committing one book, racing the others after deciding it."""
    ledger = open_url(url)
    try:
        results.put(run_book(ledger, orders, barrier))
    finally:
        ledger.close()


def _pg_database(pg_server: Any, template: str | None = None) -> str:
    import uuid

    import psycopg

    name = "c_" + uuid.uuid4().hex[:12]
    with psycopg.connect(str(pg_server.get_uri("postgres")), autocommit=True) as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return name


def _sa_url(pg_server: Any, name: str) -> str:
    uri = str(pg_server.get_uri(name))
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


_FILLED: dict[tuple[str, str], Any] = {}


def filled_store(kind: str, pg_server: Any, fill: Any) -> Any:
    """A store of ``kind`` filled once per session by ``fill(ledger, folder)``.

    SQLite: the folder holding ``chipgate.db``; PostgreSQL: a database name to use
    as a template. :func:`copy_store` makes a fresh copy for each example.
    """
    import tempfile
    from pathlib import Path

    from chipgate.ledger.migrate import upgrade

    ident = (kind, f"{fill.__module__}.{fill.__qualname__}")
    if ident not in _FILLED:
        folder = Path(tempfile.mkdtemp())
        if kind == "sqlite":
            url, source = f"sqlite:///{folder / 'chipgate.db'}", folder
        else:
            source = _pg_database(pg_server)
            url = _sa_url(pg_server, source)
        engine = make_engine(url)
        upgrade(engine)
        fill(Ledger(engine), folder)
        engine.dispose()
        _FILLED[ident] = source
    return _FILLED[ident]


def copy_store(kind: str, source: Any, pg_server: Any) -> tuple[str, Any]:
    """A fresh copy of a filled store: its URL, and a folder to delete (or None)."""
    import shutil
    import tempfile
    from pathlib import Path

    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp())
        shutil.copy(source / "chipgate.db", folder / "chipgate.db")
        return f"sqlite:///{folder / 'chipgate.db'}", folder
    return _sa_url(pg_server, _pg_database(pg_server, source)), None


def store_at(url: str, revision: str) -> Any:
    """An engine on a fresh store migrated only up to ``revision`` (an older one)."""
    from alembic import command

    from chipgate.ledger import migrate
    from chipgate.ledger.db import write_transaction

    engine = make_engine(url)
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return engine


def license_csv(tmp_path: Path, header: str, *lines: str) -> Path:
    """A license file ``licenses.csv`` with ``header`` and one line per ``lines``."""
    path = tmp_path / "licenses.csv"
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def assert_refused(
    ledger: Ledger, path: Path, line: int, field: str, message: str
) -> None:
    """Importing ``path`` fails on one problem, named by file, line and field, and
    writes nothing (no license, no audit entry)."""
    import pytest

    from chipgate.errors import InputError

    with pytest.raises(InputError) as info:
        ledger.import_licenses(path, "officer")
    [problem] = info.value.problems
    assert (problem.source, problem.line, problem.field) == (str(path), line, field)
    assert message in problem.message
    assert ledger.licenses() == []
    assert list(ledger.export()) == []
