"""Many processes on one small account; a process killed mid-batch (SQLite and PG)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
from typing import Any

import pytest
from ledger_helpers import (
    batch_worker,
    draw,
    draw_worker,
    mixed_worker,
    open_url,
    request,
    statuses,
)

from chipgate.ledger import Ledger
from chipgate.settings import Settings

PROCESSES = 16
ORDERS_EACH = 12
CAP = 1_000.0

_FORK = multiprocessing.get_context("fork")


def _url(ledger: Ledger, settings: Settings) -> str:
    ledger.close()
    return settings.resolved_database_url()


def _run_all(procs: list[Any], results: Any) -> list[Any]:
    """Start the workers, gather what each reports, check they all exited cleanly."""
    for p in procs:
        p.start()
    gathered = [item for _ in procs for item in results.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return gathered


def _replay(entries: list[dict[str, Any]]) -> tuple[float, int, int]:
    """Walk the audit log in chain order, checking each outcome against the total."""
    total, committed, refused = 0.0, 0, 0
    for entry in entries:
        payload = entry["payload"]
        amount = payload["draws"][0]["amount"]
        if entry["kind"] == "order.committed":
            assert payload["taken"][0]["used_before"] == pytest.approx(total)
            total += amount
            assert total <= CAP
            committed += 1
        else:
            assert entry["kind"] == "order.refused"
            assert payload["refusal"]["used"] == pytest.approx(total)
            assert total + amount > CAP  # refused only when it would not fit
            refused += 1
    return total, committed, refused


@pytest.mark.slow
def test_sixteen_processes_never_over_allocate(
    ledger: Ledger, settings: Settings
) -> None:
    url = _url(ledger, settings)
    rng = random.Random(7)
    plans = [
        [float(rng.randint(5, 40)) for _ in range(ORDERS_EACH)]
        for _ in range(PROCESSES)
    ]
    barrier, results = _FORK.Barrier(PROCESSES), _FORK.Queue()
    procs = [
        _FORK.Process(target=draw_worker, args=(url, w, plan, CAP, barrier, results))
        for w, plan in enumerate(plans)
    ]
    outcomes = _run_all(procs, results)
    with open_url(url) as check:
        entries = list(check.export())
        total, committed, refused = _replay(entries)
        assert check.used("cap/shared") == pytest.approx(total)
        assert check.verify().ok
    assert committed == sum(1 for *_, s in outcomes if s == "committed")
    assert refused == sum(1 for *_, s in outcomes if s == "refused") > 0
    assert committed + refused == PROCESSES * ORDERS_EACH
    # demand far exceeds the cap, and the smallest order is 5: the cap is nearly full
    assert total > CAP - 40


@pytest.mark.slow
def test_a_process_killed_mid_batch_leaves_no_half_written_order(
    ledger: Ledger, settings: Settings
) -> None:
    url = _url(ledger, settings)
    batch = [
        request(
            f"b{i}", draw("lpp/k/2025", 10.0, 1e6), draw("country/K/2025", 1.0, 1e6)
        )
        for i in range(30)
    ]
    receiver, sender = _FORK.Pipe(duplex=False)
    proc = _FORK.Process(target=batch_worker, args=(url, batch, 10, sender))
    proc.start()
    assert receiver.poll(60), "the worker never reached the middle of its batch"
    assert receiver.recv() == proc.pid
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    with open_url(url) as after_kill:
        # the first batch is whole, nothing of the killed one was written
        assert after_kill.used("lpp/k/2025") == 100.0
        assert after_kill.used("country/K/2025") == 10.0
        assert len(list(after_kill.export())) == 10
        assert after_kill.verify().ok
        results = after_kill.commit_batch(batch)
        assert statuses(results)["already_committed"] == 10
        assert statuses(results)["committed"] == 20
        assert after_kill.used("lpp/k/2025") == 300.0
        assert after_kill.used("country/K/2025") == 30.0
        history = after_kill.history("lpp/k/2025")
        drawn = sorted(line.order_id for line in history)
        assert drawn == sorted(r.order_id for r in batch)
        report = after_kill.verify()
        assert (report.ok, report.entries) == (True, 30)


@pytest.mark.slow
def test_concurrent_batches_over_shared_accounts_never_deadlock(
    ledger: Ledger, settings: Settings
) -> None:
    url = _url(ledger, settings)
    accounts = [f"country/{c}/2025" for c in "ABCDEF"]
    cap = 600.0
    barrier, results = _FORK.Barrier(PROCESSES), _FORK.Queue()
    procs = [
        _FORK.Process(
            target=mixed_worker, args=(url, w, accounts, cap, barrier, results)
        )
        for w in range(PROCESSES)
    ]
    outcomes = _run_all(procs, results)
    assert len(outcomes) == PROCESSES * 30
    assert {"committed", "refused"} <= set(outcomes)
    with open_url(url) as check:
        for balance in check.balances():
            assert balance.used <= cap
            drawn = sum(
                line.amount
                for line in check.history(balance.account)
                if line.status == "committed"
            )
            assert balance.committed == pytest.approx(drawn)
        entries = list(check.export())
        assert len(entries) == len(outcomes)
        assert check.verify().ok
