"""Engine commands: check, classify, regimes, explain, compare, version.

Exit codes: 0 done (whatever the outcomes: a decision is a result, not an error);
1 ``--keep-going`` left bad lines out, or ``check --commit`` had orders the ledger
refused; 2 bad input or usage (file, line and field are named on stderr).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chipgate import __version__
from chipgate.cli.context import (
    EXIT_FINDINGS,
    console,
    day_option,
    err_console,
    fail,
    safe,
    settings_of,
)
from chipgate.cli.formats import Format, FormatOption, emit
from chipgate.errors import ChipgateError, InputError, Problem
from chipgate.outputs import check_dataset_path, check_output_path

if TYPE_CHECKING:
    from chipgate.book.pipeline import Checker
    from chipgate.decide.decision import Decision
    from chipgate.decide.engine import Engine
    from chipgate.ledger import Ledger
    from chipgate.orders.mapping import ColumnMapping
    from chipgate.orders.model import Order

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
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="YAML or CSV file mapping the file's own headers to the contract's.",
    ),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="The file's headers to the contract's: \"Document Number=id,Plant=-\" "
        "('-' ignores a column).",
    ),
]


def column_mapping(
    mapping_file: Path | None, columns: str | None
) -> ColumnMapping | None:
    """The mapping of ``--mapping`` and ``--columns`` (inline pairs win), if any."""
    from chipgate.orders.mapping import load_mapping, parse_inline

    try:
        found = load_mapping(mapping_file) if mapping_file else None
        inline = parse_inline(columns) if columns else None
    except InputError as exc:
        fail(exc)
    if found and inline:
        return found.merged(inline)
    return found or inline


def _progress(total: int, label: str) -> Any:

    def wrap(items: Iterable[Order]) -> Iterable[Order]:
        if total < PROGRESS_FROM:
            yield from items
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

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
    from chipgate.decide.engine import Engine

    return Engine()


def _machinery(ctx: typer.Context, screening: bool) -> tuple[Checker, Ledger]:

    from sqlalchemy.exc import SQLAlchemyError

    from chipgate.book.pipeline import Checker
    from chipgate.book.sources import load_sources
    from chipgate.ledger import Ledger

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
    ctx.call_on_close(ledger.close)
    for note in sources.notes:
        err_console.print(f"[dim]{safe(note)}[/]", highlight=False)
    return Checker(_engine(), sources), ledger


def print_bad_lines(problems: Iterable[Problem]) -> None:
    """Name each bad line ``--keep-going`` left out (file, line, field, what);
    soft-wrapped, as ``fail`` is, so a path copied from a log carries no break."""
    for problem in problems:
        err_console.print(
            f"[red]bad line:[/] {safe(problem)}", highlight=False, soft_wrap=True
        )


def print_left_out(bad: int) -> None:
    """Say how many bad lines ``--keep-going`` left out, if any."""
    if bad:
        err_console.print(
            f"{bad} bad line(s) left out (--keep-going); the other orders were decided",
            highlight=False,
        )


def _load(
    ctx: typer.Context,
    path: Path,
    keep_going: bool,
    screening: bool,
    regime: str | None,
    as_of: date | None,
    machinery: tuple[Checker, Ledger] | None = None,
    mapping: ColumnMapping | None = None,
) -> Loaded:
    """Read a book to be decided under ``regime``/``as_of`` (when neither is given,
    under the law of each order's date: a date no regime models is a bad line)."""
    from chipgate.book.commit import own_draws
    from chipgate.errors import InputError
    from chipgate.orders.reader import read_orders

    checker, ledger = machinery or _machinery(ctx, screening)
    try:
        result = read_orders(
            path,
            checker.engine.catalog,
            keep_going=keep_going,
            mapping=mapping,
            law_on=checker.engine.law_of_dates(regime, as_of),
        )
    except InputError as exc:
        fail(exc)
    print_bad_lines(result.problems)
    # the book's orders committed before hold their own draws: checked again (as
    # a commit of the book does) they meet the balances they were committed on,
    # not those balances with their own draws counted a second time
    checker.own_draws = own_draws(ledger, result.orders)
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


def output_format(output: Path, fmt: Format, folder: bool = False) -> str:
    """The file format of ``--output``: its suffix's, else ``--format``; a suffix
    that names another format than ``--format`` is a usage error, and so is, without
    ``--format``, a suffix that names none (``.xls``, ``.txt``, none at all), unless
    the output is a ``folder`` (a partitioned dataset of JSONL parts)."""
    from chipgate.book.writer import FILE_FORMATS

    by_suffix = FILE_FORMATS.get(output.suffix.lower())
    if fmt is Format.table:
        if by_suffix is None and not folder:
            what = (
                f"the suffix {output.suffix!r}"
                if output.suffix
                else "a name without a suffix"
            )
            fail(
                f"--output {output}: {what} names no output format; end it in "
                f"{', '.join(FILE_FORMATS)}, or name the format with --format"
            )
        return by_suffix or "jsonl"
    if by_suffix is not None and by_suffix != fmt.value:
        fail(
            f"--output {output} names {by_suffix} but --format is {fmt.value}; "
            "leave --format out or change the suffix"
        )
    return fmt.value


def _write_output(
    orders: list[Order],
    decisions: list[Decision],
    records: list[dict[str, Any]] | None,
    fmt: Format,
    file_fmt: str | None,
    output: Path | None,
) -> None:
    """Print or write the output lines; a committed run's are the ledger's records."""
    from chipgate.book.writer import COMMIT_CSV_COLUMNS, CSV_COLUMNS, write_records
    from chipgate.cli.render import decisions_table, records_summary

    columns = COMMIT_CSV_COLUMNS if records is not None else CSV_COLUMNS
    if records is None:
        records = [d.to_record() for d in decisions]
    if output is not None and file_fmt is not None:
        try:
            count = write_records(records, output, file_fmt, columns)
        except ChipgateError as exc:  # the path changed since it was checked
            fail(exc)
        except OSError as exc:
            fail(f"{output}: cannot be written: {exc.strerror or exc}")
        err_console.print(f"wrote {count} decisions to {safe(output)}")
    if fmt is Format.table:
        shown = min(len(orders), TABLE_ROWS)
        console.print(decisions_table(orders[:shown], records[:shown], console))
        if shown < len(orders):
            console.print(
                f"(first {shown} of {len(orders)} orders; use --format jsonl or csv "
                "with --output for all)"
            )
        console.print(records_summary(records))
    elif output is None:
        emit(records, fmt, columns)
    else:
        console.print(records_summary(records))


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
            Path, typer.Argument(help="Order book: .csv, .jsonl, .parquet or .xlsx")
        ],
        regime: RegimeOption = None,
        as_of: AsOfOption = None,
        fmt: FormatOption = Format.table,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                help="Write decisions here (atomically), in the format its suffix "
                "names: .xlsx, .csv, .jsonl or .json.",
            ),
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
        mapping_file: MappingOption = None,
        columns: ColumnsOption = None,
        executor: Annotated[
            str | None,
            typer.Option(
                "--executor",
                help="local or dask (CHIPGATE_EXECUTOR); a folder book or dask "
                "writes a partitioned dataset to --output",
            ),
        ] = None,
    ) -> None:
        """Decide every order of a book: outcome, authorization, draws and citations."""
        from chipgate.book.check import check_column_wise, column_wise_possible
        from chipgate.book.commit import commit_book
        from chipgate.book.commit import lines as committed_lines
        from chipgate.book.rerun import book_own_draws
        from chipgate.cli.render import counts_table
        from chipgate.ledger import CommitStatus

        day = day_option(as_of)
        chosen = executor or settings_of(ctx).executor
        if chosen not in ("local", "dask"):
            fail(f"--executor: {chosen!r} is not local or dask")
        partitioned = chosen == "dask" or file.is_dir()
        if output is not None:
            # a path that would lose an input (the book or the mapping) or not
            # become a file (a dataset folder) is refused first, whatever its
            # suffix says
            inputs = [p for p in (file, mapping_file) if p]
            try:
                if partitioned:
                    check_dataset_path(output, inputs)
                else:
                    check_output_path(output, inputs)
            except ChipgateError as exc:
                fail(exc)
        file_fmt = (
            output_format(output, fmt, partitioned) if output is not None else None
        )
        mapping = column_mapping(mapping_file, columns)
        if partitioned:
            from chipgate.cli.partitioned import check_partitioned_command

            check_partitioned_command(
                ctx,
                file,
                output,
                file_fmt or "jsonl",
                chosen,
                regime,
                day,
                not no_screening,
                commit,
                mapping,
                keep_going,
            )
            return
        machinery = _machinery(ctx, not no_screening)
        if output is not None and column_wise_possible(
            fmt is Format.table, file_fmt, output, commit
        ):
            try:
                with err_console.status("deciding"):
                    machinery[0].own_draws = book_own_draws(machinery[1], file, mapping)
                    batch = check_column_wise(
                        file,
                        machinery[0],
                        output,
                        regime=regime,
                        as_of=day,
                        mapping=mapping,
                    )
            except ChipgateError as exc:
                fail(exc)
            if batch is not None:
                err_console.print(
                    f"wrote {batch.count} decisions to {safe(output)} "
                    f"({batch.decided_once} distinct orders decided once, "
                    f"{batch.one_by_one} decided one by one)"
                )
                console.print(counts_table(batch.outcomes))
                return
        loaded = _load(
            ctx, file, keep_going, not no_screening, regime, day, machinery, mapping
        )
        checker, orders, bad = loaded.checker, loaded.orders, loaded.bad
        decisions = _decide(checker, orders, regime, day, "deciding")
        records: list[dict[str, Any]] | None = None
        refused = 0
        conflicts: list[Any] = []
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
                records = committed_lines(loaded.ledger, decisions, results)
            except ChipgateError as exc:
                fail(exc)
            counts = Counter(r.status.value for r in results)
            refused = counts.get(CommitStatus.REFUSED.value, 0)
            conflicts = [r for r in results if r.status is CommitStatus.CONFLICT]
            err_console.print(
                "ledger: "
                + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
                highlight=False,
            )
        _write_output(orders, decisions, records, fmt, file_fmt, output)
        print_left_out(bad)
        if refused:
            err_console.print(
                f"[bold red]{refused} order(s) refused by the ledger[/] "
                "(outcome 'refused'; ledger.refusal says which limit)",
                highlight=False,
            )
        for conflict in conflicts:
            err_console.print(f"[bold red]conflict:[/] {safe(conflict.detail)}")
        if bad or refused or conflicts:
            raise typer.Exit(EXIT_FINDINGS)

    @app.command()
    def classify(
        name: Annotated[
            str | None, typer.Argument(help="Catalog name of a chip or system")
        ] = None,
        fmt: FormatOption = Format.table,
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
        from chipgate.orders.model import StatedFigures

        if name is None and tpp is None:
            fail(
                "give a catalog NAME or --tpp (with --die-area) for a chip not in the catalog"
            )
        from rich.table import Table

        from chipgate.classification import classification_record

        day = day_option(as_of) or datetime.now(UTC).date()
        for option, figure, floor in (
            ("--tpp", tpp, 0.0),
            ("--die-area", die_area, None),
            ("--memory-bandwidth", memory_bandwidth, 0.0),
        ):
            # a negative or NaN die area made a 3A090 chip "uncontrolled", exit 0
            if figure is not None and not (
                math.isfinite(figure)
                and (figure >= floor if floor is not None else figure > 0)
            ):
                fail(
                    f"{option}: {figure} is not a figure a chip has "
                    f"({'0 or more' if floor is not None else 'above 0'})"
                )
        stated = (
            StatedFigures(tpp, die_area, datacenter, memory_bandwidth)
            if tpp is not None
            else None
        )
        try:
            record = classification_record(_engine(), name, day, regime, stated)
        except ChipgateError as exc:
            fail(exc)
        if fmt is not Format.table:
            emit([record], fmt, single=True)
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
    def regimes(fmt: FormatOption = Format.table) -> None:
        """List the regimes, their windows and overlays, and which is in force today."""
        from rich.table import Table

        from chipgate.regimes.listing import regime_rows

        engine = _engine()
        today = datetime.now(UTC).date()
        current = engine.library.in_force_on(today).id
        # the CLI's columns: in force *today*, overlays without their end or state
        rows: list[dict[str, Any]] = [
            {
                ("in_force_today" if k == "in_force" else k): (
                    [{f: o[f] for f in ("id", "title", "since")} for o in v]
                    if k == "overlays"
                    else v
                )
                for k, v in row.items()
            }
            for row in regime_rows(engine, today)
        ]
        if fmt is not Format.table:
            emit(rows, fmt)
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
        fmt: FormatOption = Format.table,
        mapping_file: MappingOption = None,
        columns: ColumnsOption = None,
    ) -> None:
        """The reasoning chain of one order, every finding with its citations."""
        from chipgate.cli.render import EFFECT_STYLE, OUTCOME_STYLE, explained

        day = day_option(as_of)
        mapping = column_mapping(mapping_file, columns)
        loaded = _load(ctx, file, False, not no_screening, regime, day, mapping=mapping)
        checker, orders = loaded.checker, loaded.orders
        if not any(o.id == order_id for o in orders):
            fail(f"{file}: no order with id {order_id!r}")
        decisions = _decide(checker, orders, regime, day, "deciding")
        decision = next(d for d in decisions if d.order_id == order_id)
        if fmt is not Format.table:
            emit([explained(decision)], fmt, single=True)
            return
        style = OUTCOME_STYLE[decision.outcome]
        console.print(
            f"[bold]Order {safe(order_id)}[/] under [bold]{decision.regime}[/] as of {decision.as_of}"
        )
        console.print(f"Outcome: [{style}]{decision.outcome.value}[/]", highlight=False)
        if decision.authorization:
            console.print(
                f"Authorization: {safe(decision.authorization)}", highlight=False
            )
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
                f"\n{number}. [{effect}]{finding.effect.value}[/] [bold]{finding.code}[/]: {safe(finding.message)}",
                highlight=False,
            )
            for citation in finding.citations:
                # soft-wrapped: a URL is never cut by an inserted line break
                console.print(
                    f"     cites {safe(citation.render())}",
                    highlight=False,
                    soft_wrap=True,
                )
            for obligation in finding.obligations:
                console.print(f"     obliges: {safe(obligation)}", highlight=False)
            for doubt in finding.unconfirmed:
                console.print(f"     unconfirmed: {safe(doubt)}", highlight=False)
        if decision.draws:
            console.print("\nDraws:")
            for draw in decision.draws:
                left = draw.remaining_after
                console.print(
                    f"  {safe(draw.account)}: {draw.amount:,.0f} {draw.unit} ({draw.timing.value})"
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
        fmt: FormatOption = Format.table,
        only_differences: Annotated[bool, typer.Option("--only-differences")] = False,
        no_screening: NoScreeningOption = False,
        mapping_file: MappingOption = None,
        columns: ColumnsOption = None,
    ) -> None:
        """The same book under several regimes: outcomes side by side, counts per regime."""
        from rich.markup import escape
        from rich.text import Text

        from chipgate.cli.render import (
            OUTCOME_STYLE,
            Col,
            basis,
            fitted_table,
            summary_table,
        )
        from chipgate.findings import Outcome

        names = [r.strip() for r in regimes_option.split(",") if r.strip()]
        if not names:
            fail("--regimes: name at least one regime")
        mapping = column_mapping(mapping_file, columns)
        # every order is decided under each named regime, whatever its date
        loaded = _load(
            ctx, file, False, not no_screening, regimes_option, None, mapping=mapping
        )
        checker, orders = loaded.checker, loaded.orders
        by_regime = {
            name: _decide(checker, orders, name, None, f"deciding under {name}")
            for name in names
        }
        records: list[dict[str, Any]] = []
        for index, order in enumerate(orders):
            decided = {n: by_regime[n][index] for n in names}
            differs = len({d.outcome for d in decided.values()}) > 1
            if only_differences and not differs:
                continue
            records.append(
                {
                    "id": order.id,
                    "item": order.item,
                    "destination": order.destination,
                    "differs": differs,
                    "outcomes": {n: d.outcome.value for n, d in decided.items()},
                    "bases": {
                        n: Text.from_markup(basis(d)).plain for n, d in decided.items()
                    },
                }
            )
        if fmt is Format.csv:
            emit(
                (
                    {
                        **{k: r[k] for k in ("id", "item", "destination", "differs")},
                        **r["outcomes"],
                        **{f"{n} basis": b for n, b in r["bases"].items()},
                    }
                    for r in records
                ),
                fmt,
                [
                    "id",
                    "item",
                    "destination",
                    "differs",
                    *names,
                    *(f"{n} basis" for n in names),
                ],
            )
            return
        if fmt is not Format.table:
            emit(records, fmt)
            return
        rows = []
        for record in records:
            cells = []
            for name in names:
                outcome = Outcome(record["outcomes"][name])
                text = f"[{OUTCOME_STYLE[outcome]}]{outcome.value}[/]"
                if record["bases"][name]:
                    text += f" ({escape(record['bases'][name])})"
                cells.append(text)
            marker = "[bold]*[/] " if record["differs"] else ""
            rows.append(
                [
                    marker + escape(record["id"]),
                    escape(record["item"] or "-"),
                    record["destination"],
                    *cells,
                ]
            )
        cols = [
            Col("id", no_wrap=True),
            Col("item", priority=1),
            Col("dest", priority=2, no_wrap=True),
        ]
        cols += [Col(name) for name in names]
        console.print(fitted_table("Outcomes by regime", cols, rows, console))
        differing = sum(1 for r in records if r["differs"])
        total = len(orders)
        console.print(
            f"{differing} of {total} orders differ between regimes (marked *)"
        )
        for name in names:
            console.print(summary_table(by_regime[name], title=f"Summary under {name}"))

    @app.command()
    def report(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Order book")],
        output: Annotated[
            Path,
            typer.Option("--output", "-o", help="The HTML file to write (atomically)."),
        ],
        regime: RegimeOption = None,
        as_of: AsOfOption = None,
        no_screening: NoScreeningOption = False,
        mapping_file: MappingOption = None,
        columns: ColumnsOption = None,
    ) -> None:
        """An HTML report of the decided book, printable to PDF from a browser."""
        from chipgate.book.writer import atomic_output
        from chipgate.cli.render import summary_table
        from chipgate.report import render_report
        from chipgate.screening.screener import Screener

        day = day_option(as_of)
        # an output that is the book or the mapping, a folder, a FIFO or a link is
        # refused before anything is decided (the report replaced the book, exit 0)
        try:
            check_output_path(output, [p for p in (file, mapping_file) if p])
        except ChipgateError as exc:
            fail(exc)
        mapping = column_mapping(mapping_file, columns)
        loaded = _load(ctx, file, False, not no_screening, regime, day, mapping=mapping)
        checker, orders = loaded.checker, loaded.orders
        decisions = _decide(checker, orders, regime, day, "deciding")
        screener = checker.sources.screener
        html = render_report(
            orders,
            decisions,
            source=file.name,
            lists=screener.infos if isinstance(screener, Screener) else (),
            notes=checker.sources.notes,
            generated=datetime.now(UTC),
            regime=regime,
            as_of=day,
        )
        try:
            with atomic_output(output, binary=False) as stream:
                stream.write(html)
        except ChipgateError as exc:  # the path changed while deciding
            fail(exc)
        except OSError as exc:
            fail(f"{output}: cannot be written: {exc.strerror or exc}")
        err_console.print(f"wrote the report of {len(orders)} orders to {output}")
        console.print(summary_table(decisions))
