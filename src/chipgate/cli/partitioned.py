"""``chipgate check`` of a folder book or on a Dask cluster: a partitioned dataset.

Kept apart from the single-file path so that the cluster libraries are imported only
by runs that use them.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from chipgate.book.commit import commit_book, own_draws
from chipgate.book.commit import lines as committed_lines
from chipgate.book.rerun import book_own_draws
from chipgate.cli.context import EXIT_FINDINGS, console, err_console, fail, settings_of
from chipgate.cli.render import counts_table
from chipgate.errors import ChipgateError
from chipgate.executors import make_executor
from chipgate.executors.check_job import CheckJob, check_partitioned
from chipgate.orders.mapping import ColumnMapping
from chipgate.orders.model import Order


def check_partitioned_command(
    ctx: typer.Context,
    book: Path,
    output: Path | None,
    fmt: str,
    executor_name: str,
    regime: str | None,
    as_of: date | None,
    screening: bool,
    commit: bool,
    mapping: ColumnMapping | None = None,
    keep_going: bool = False,
) -> None:
    """Decide ``book`` partition by partition and write the dataset ``output``;
    with ``keep_going`` the bad lines are named and left out, as for one file."""
    from chipgate.cli.engine_commands import _machinery, print_bad_lines, print_left_out

    if output is None:
        fail("a partitioned check writes a dataset folder: give --output FOLDER")
    if fmt != "jsonl":
        fail("--format: a partitioned check writes JSONL parts (use jsonl)")
    settings = settings_of(ctx)
    checker, ledger = _machinery(ctx, screening)
    own = {} if commit else book_own_draws(ledger, book, mapping)
    checker.own_draws = own
    job = CheckJob(
        settings.model_dump_json(),
        screening,
        regime,
        as_of,
        "",
        mapping,
        own_draws=tuple(sorted(own.items())),
        keep_going=keep_going,
    )

    def decide_and_commit(orders: list[Order]) -> list[dict[str, Any]]:
        checker.own_draws = own_draws(ledger, orders)
        decisions = checker.decide(orders, regime=regime, as_of=as_of)
        results = commit_book(
            checker,
            ledger,
            orders,
            decisions,
            who=settings.user,
            regime=regime,
            as_of=as_of,
        )
        counts = Counter(r.status.value for r in results)
        err_console.print(
            "ledger: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
            highlight=False,
        )
        return committed_lines(ledger, decisions, results)

    try:
        executor = make_executor(
            executor_name, settings.dask_scheduler, settings.dask_local_workers
        )
    except ChipgateError as exc:
        fail(exc)
    try:
        with Progress(
            TextColumn("partitions"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("partitions", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            run = check_partitioned(
                book,
                output,
                executor,
                checker,
                job,
                progress=progress,
                commit=decide_and_commit if commit else None,
                own_draws_without=functools.partial(
                    book_own_draws, ledger, book, mapping
                ),
            )
    except ChipgateError as exc:
        fail(exc)
    finally:
        executor.close()
    print_bad_lines(run.left_out)
    err_console.print(
        f"wrote {run.count} decisions in {run.partitions} parts to {output} "
        f"({run.executor} executor; {run.pending} decided in date order on the client)",
        highlight=False,
    )
    console.print(counts_table(run.outcomes))
    print_left_out(len(run.left_out))
    if run.left_out or (commit and run.outcomes.get("refused")):
        raise typer.Exit(EXIT_FINDINGS)
