"""Engine commands: check, classify, regimes, explain, compare, version.

Exit codes: 0 done; 2 bad input (file, line and field are named on stderr).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from chipgate import __version__
from chipgate.cli.context import EXIT_BAD_INPUT, console, err_console, fail, settings_of
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from chipgate.decision import Decision
    from chipgate.engine import Engine
    from chipgate.ledger import Ledger
    from chipgate.orders.model import Order
    from chipgate.pipeline import Checker

# The engine, the store and the reader (Polars, SQLAlchemy, rich tables) load inside
# each command, so that ``chipgate --help`` and ``chipgate version`` start fast.

PROGRESS_FROM = 2000
"""Books at least this long get a progress bar."""
TABLE_ROWS = 500
"""Rows the table format shows at most (the summary counts every order)."""

RegimeOption = Annotated[
    str | None,
    typer.Option("--regime", help="Force a regime (see 'chipgate regimes')."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Apply the law in force on this date (YYYY-MM-DD) to every order.",
    ),
]
NoScreeningOption = Annotated[
    bool, typer.Option("--no-screening", help="Skip restricted-party screening.")
]


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of: {text!r} is not a date (YYYY-MM-DD)")


def _progress(total: int, label: str) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    def wrap(items: Iterable[Order]) -> Iterable[Order]:
        if total < PROGRESS_FROM:
            yield from items
            return
        with Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        ) as progress:
            task = progress.add_task(label, total=total)
            for item in items:
                yield item
                progress.advance(task)

    return wrap


@dataclass
class Loaded:
    """A book read and the machinery to decide it."""

    checker: Checker
    orders: list[Order]
    bad: int
    ledger: Ledger


def _engine() -> Engine:
    from chipgate.engine import Engine

    return Engine()


def _machinery(ctx: typer.Context, screening: bool) -> tuple[Checker, Ledger]:
    from sqlalchemy.exc import SQLAlchemyError

    from chipgate.ledger import Ledger
    from chipgate.pipeline import Checker
    from chipgate.sources import load_sources

    settings = settings_of(ctx)
    try:
        ledger = Ledger.open(settings)
        with err_console.status("loading restricted-party lists"):
            sources = load_sources(settings, screening=screening, ledger=ledger)
    except ChipgateError as exc:
        fail(exc)
    except SQLAlchemyError as exc:
        fail(
            f"the store {settings.resolved_database_url()} cannot be opened: "
            f"{getattr(exc, 'orig', None) or exc}"
        )
    for note in sources.notes:
        err_console.print(f"[dim]{note}[/]", highlight=False)
    return Checker(_engine(), sources), ledger


def _load(
    ctx: typer.Context,
    path: Path,
    keep_going: bool,
    screening: bool,
    machinery: tuple[Checker, Ledger] | None = None,
) -> Loaded:
    from chipgate.errors import InputError
    from chipgate.orders.reader import read_orders

    checker, ledger = machinery or _machinery(ctx, screening)
    try:
        result = read_orders(path, checker.engine.catalog, keep_going=keep_going)
    except InputError as exc:
        fail(exc)
    for problem in result.problems:
        err_console.print(f"[red]bad line:[/] {problem}", highlight=False)
    return Loaded(checker, result.orders, len(result.problems), ledger)


def _decide(
    checker: Checker,
    orders: list[Order],
    regime: str | None,
    as_of: date | None,
    label: str,
) -> list[Decision]:
    try:
        return checker.decide(
            orders, regime=regime, as_of=as_of, progress=_progress(len(orders), label)
        )
    except ChipgateError as exc:
        fail(exc)


def register(app: typer.Typer) -> None:
    """Attach the engine commands to the root app."""

    @app.command()
    def version() -> None:
        """Print the chipgate version."""
        typer.echo(__version__)

    @app.command()
    def check(
        ctx: typer.Context,
        file: Annotated[
            Path, typer.Argument(help="Order book: .csv, .jsonl or .parquet")
        ],
        regime: RegimeOption = None,
        as_of: AsOfOption = None,
        fmt: Annotated[
            str, typer.Option("--format", help="table, jsonl or csv")
        ] = "table",
        output: Annotated[
            Path | None,
            typer.Option("--output", help="Write decisions here (atomically)."),
        ] = None,
        keep_going: Annotated[
            bool,
            typer.Option(
                "--keep-going", help="Report bad lines and decide the good ones."
            ),
        ] = False,
        no_screening: NoScreeningOption = False,
        commit: Annotated[
            bool,
            typer.Option(
                "--commit", help="Reserve and commit the draws in the ledger."
            ),
        ] = False,
    ) -> None:
        """Decide every order of a book: outcome, authorization, draws and citations."""
        from chipgate.batch import Fallback, check_to_jsonl
        from chipgate.cli.render import counts_table, decisions_table, summary_table
        from chipgate.commit import commit_book, own_draws
        from chipgate.orders.writer import (
            CSV_COLUMNS,
            csv_row,
            write_decisions,
            write_jsonl,
        )

        if fmt not in ("table", "jsonl", "csv"):
            fail(f"--format: {fmt!r} is not table, jsonl or csv")
        day = _as_of(as_of)
        machinery = _machinery(ctx, not no_screening)
        if fmt == "jsonl" and output is not None and not commit:
            try:
                with err_console.status("deciding"):
                    batch = check_to_jsonl(
                        file, machinery[0], output, regime=regime, as_of=day
                    )
            except Fallback:
                pass  # the ordinary reader names every bad line
            except ChipgateError as exc:
                fail(exc)
            else:
                err_console.print(
                    f"wrote {batch.count} decisions to {output} "
                    f"({batch.decided_once} distinct orders decided once, "
                    f"{batch.one_by_one} decided one by one)"
                )
                console.print(counts_table(batch.outcomes))
                return
        loaded = _load(ctx, file, keep_going, not no_screening, machinery)
        checker, orders, bad = loaded.checker, loaded.orders, loaded.bad
        if commit:
            checker.own_draws = own_draws(loaded.ledger, orders)
        decisions = _decide(checker, orders, regime, day, "deciding")
        if commit:
            try:
                results = commit_book(
                    checker,
                    loaded.ledger,
                    orders,
                    decisions,
                    who=settings_of(ctx).user,
                    regime=regime,
                    as_of=day,
                )
            except ChipgateError as exc:
                fail(exc)
            counts = Counter(r.status.value for r in results)
            err_console.print(
                "ledger: "
                + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
                highlight=False,
            )
        if fmt == "table":
            shown = min(len(orders), TABLE_ROWS)
            console.print(decisions_table(orders[:shown], decisions[:shown]))
            if shown < len(orders):
                console.print(
                    f"(first {shown} of {len(orders)} orders; use --format jsonl or csv "
                    "with --output for all)"
                )
            console.print(summary_table(decisions))
            if output is not None:
                write_decisions(decisions, output, "jsonl")
        elif output is not None:
            count = write_decisions(decisions, output, fmt)
            err_console.print(f"wrote {count} decisions to {output}")
            console.print(summary_table(decisions))
        elif fmt == "jsonl":
            write_jsonl((d.to_record() for d in decisions), sys.stdout.buffer)
        else:
            import csv

            writer = csv.writer(sys.stdout)
            writer.writerow(CSV_COLUMNS)
            for decision in decisions:
                writer.writerow(csv_row(decision.to_record()))
        if bad:
            raise typer.Exit(EXIT_BAD_INPUT)

    @app.command()
    def classify(
        name: Annotated[
            str | None, typer.Argument(help="Catalog name of a chip or system")
        ] = None,
        fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
        tpp: Annotated[
            float | None, typer.Option(help="TPP of a chip not in the catalog")
        ] = None,
        die_area: Annotated[
            float | None, typer.Option("--die-area", help="Applicable die area, mm2")
        ] = None,
        datacenter: Annotated[
            bool, typer.Option("--datacenter/--not-datacenter")
        ] = True,
        memory_bandwidth: Annotated[
            float | None,
            typer.Option("--memory-bandwidth", help="DRAM bandwidth, GB/s"),
        ] = None,
        regime: RegimeOption = None,
        as_of: AsOfOption = None,
    ) -> None:
        """Classify a chip: TPP, performance density, ECCN, H100-equivalents, sources."""
        from rich.table import Table

        from chipgate.orders.model import StatedFigures

        if name is None and tpp is None:
            fail(
                "give a catalog NAME or --tpp (with --die-area) for a chip not in the catalog"
            )
        from chipgate.classification import classification_record

        day = _as_of(as_of) or datetime.now(UTC).date()
        stated = (
            StatedFigures(tpp, die_area, datacenter, memory_bandwidth)
            if tpp is not None
            else None
        )
        try:
            record = classification_record(_engine(), name, day, regime, stated)
        except ChipgateError as exc:
            fail(exc)
        if fmt == "json":
            sys.stdout.write(
                orjson.dumps(record, option=orjson.OPT_INDENT_2).decode() + "\n"
            )
            return
        table = Table(title=f"Classification of {record['name']}", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for key, value in record.items():
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value) or "-"
            elif isinstance(value, float):
                value = f"{value:,.2f}"
            table.add_row(key, str(value))
        console.print(table)

    @app.command()
    def regimes(
        fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """List the regimes, their windows and overlays, and which is in force today."""
        from rich.table import Table

        engine = _engine()
        today = datetime.now(UTC).date()
        current = engine.library.in_force_on(today).id
        rows: list[dict[str, Any]] = []
        for pack in engine.library.regimes():
            overlays = engine.library.overlays_for(pack.id)
            rows.append(
                {
                    "id": pack.id,
                    "title": pack.title,
                    "status": pack.status.value if pack.status else None,
                    "since": pack.since.isoformat() if pack.since else None,
                    "until": pack.until.isoformat() if pack.until else None,
                    "in_force_today": pack.id == current,
                    "overlays": [
                        {
                            "id": o.id,
                            "title": o.title,
                            "since": o.since.isoformat() if o.since else None,
                        }
                        for o in sorted(overlays, key=lambda o: o.since or date.min)
                    ],
                    "rules": sorted(engine.view(pack.since or today, pack.id).rules),
                }
            )
        if fmt == "json":
            sys.stdout.write(
                orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n"
            )
            return
        table = Table(title=f"Regimes (today {today}: {current})", header_style="bold")
        for column in ("id", "status", "since", "until", "title", "overlays"):
            table.add_column(column, overflow="fold")
        for row in rows:
            overlay_text = (
                "\n".join(f"{o['since']} {o['id']}" for o in row["overlays"]) or "-"
            )
            marker = " *" if row["in_force_today"] else ""
            table.add_row(
                f"{row['id']}{marker}",
                row["status"],
                row["since"] or "-",
                row["until"] or "-",
                row["title"],
                overlay_text,
            )
        console.print(table)

    @app.command()
    def explain(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Order book")],
        order_id: Annotated[str, typer.Option("--id", help="The order to explain")],
        regime: RegimeOption = None,
        as_of: AsOfOption = None,
        no_screening: NoScreeningOption = False,
    ) -> None:
        """The reasoning chain of one order, every finding with its citations."""
        from chipgate.cli.render import EFFECT_STYLE, OUTCOME_STYLE

        loaded = _load(ctx, file, False, not no_screening)
        checker, orders = loaded.checker, loaded.orders
        if not any(o.id == order_id for o in orders):
            fail(f"{file}: no order with id {order_id!r}")
        decisions = _decide(checker, orders, regime, _as_of(as_of), "deciding")
        decision = next(d for d in decisions if d.order_id == order_id)
        style = OUTCOME_STYLE[decision.outcome]
        console.print(
            f"[bold]Order {order_id}[/] under [bold]{decision.regime}[/] as of {decision.as_of}"
        )
        console.print(f"Outcome: [{style}]{decision.outcome.value}[/]", highlight=False)
        if decision.authorization:
            console.print(f"Authorization: {decision.authorization}", highlight=False)
        if decision.review_policy:
            console.print(
                f"Review policy: {decision.review_policy.value}", highlight=False
            )
        console.print(
            f"TPP {decision.tpp:,.0f}  H100-equivalents {decision.h100_equivalents:,.1f}"
        )
        for number, finding in enumerate(decision.findings, start=1):
            effect = EFFECT_STYLE[finding.effect]
            console.print(
                f"\n{number}. [{effect}]{finding.effect.value}[/] [bold]{finding.code}[/]: {finding.message}",
                highlight=False,
            )
            for citation in finding.citations:
                console.print(f"     cites {citation.render()}", highlight=False)
            for obligation in finding.obligations:
                console.print(f"     obliges: {obligation}", highlight=False)
        if decision.draws:
            console.print("\nDraws:")
            for draw in decision.draws:
                left = draw.remaining_after
                console.print(
                    f"  {draw.account}: {draw.amount:,.0f} {draw.unit} ({draw.timing.value})"
                    + (
                        f", {left:,.0f} left of {draw.limit:,.0f}"
                        if left is not None and draw.limit
                        else ""
                    ),
                    highlight=False,
                )

    @app.command()
    def compare(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Order book")],
        regimes_option: Annotated[
            str,
            typer.Option("--regimes", help="Comma-separated regimes"),
        ] = "ac-2023,aid-2025,post-rescission-2025",
        fmt: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
        only_differences: Annotated[bool, typer.Option("--only-differences")] = False,
        no_screening: NoScreeningOption = False,
    ) -> None:
        """The same book under several regimes: outcomes side by side, counts per regime."""
        from rich.table import Table

        from chipgate.cli.render import OUTCOME_STYLE, summary_table

        names = [r.strip() for r in regimes_option.split(",") if r.strip()]
        if not names:
            fail("--regimes: name at least one regime")
        loaded = _load(ctx, file, False, not no_screening)
        checker, orders = loaded.checker, loaded.orders
        by_regime = {
            name: _decide(checker, orders, name, None, f"deciding under {name}")
            for name in names
        }
        if fmt == "jsonl":
            for index, order in enumerate(orders):
                record = {
                    "id": order.id,
                    "outcomes": {n: by_regime[n][index].outcome.value for n in names},
                }
                sys.stdout.write(orjson.dumps(record).decode() + "\n")
            return
        table = Table(title="Outcomes by regime", header_style="bold")
        table.add_column("id")
        table.add_column("item", overflow="fold")
        table.add_column("dest")
        for name in names:
            table.add_column(name, overflow="fold")
        differing = 0
        for index, order in enumerate(orders):
            outcomes = [by_regime[n][index] for n in names]
            differs = len({d.outcome for d in outcomes}) > 1
            differing += differs
            if only_differences and not differs:
                continue
            cells = []
            for decision in outcomes:
                style = OUTCOME_STYLE[decision.outcome]
                text = decision.outcome.value
                if decision.authorization:
                    text += f" ({decision.authorization})"
                elif decision.review_policy:
                    text += f" ({decision.review_policy.value})"
                cells.append(f"[{style}]{text}[/]")
            marker = "[bold]*[/] " if differs else ""
            table.add_row(
                marker + order.id, order.item or "-", order.destination, *cells
            )
        console.print(table)
        console.print(
            f"{differing} of {len(orders)} orders differ between regimes (marked *)"
        )
        for name in names:
            console.print(summary_table(by_regime[name], title=f"Summary under {name}"))
