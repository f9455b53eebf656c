"""Register commands: ``customers import|list|show|rescreen|report`` and
``usage ingest|report``.

Exit codes: 0 done; 2 bad input (every bad row named by file, line and field;
nothing stored).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from chipgate.cli.context import (
    console,
    day_option,
    fail,
    marked_settings,
    settings_of,
)
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from rich.table import Table

    from chipgate.diligence import api, usage_api
    from chipgate.settings import Settings


class Format(StrEnum):
    """Output formats of the register commands."""

    TABLE = "table"
    JSON = "json"


def _summary(summary: api.RunSummary, fmt: Format) -> None:
    if fmt is Format.JSON:
        typer.echo(orjson.dumps(summary.as_dict()).decode())
        return
    for note in summary.notes:
        console.print(f"[dim]{note}[/]", highlight=False)
    if summary.run_id is None:
        return
    console.print(
        f"run {summary.run_id} ({summary.kind}): {summary.customers or ''}"
        f"{' customers, ' if summary.customers else ''}{summary.screened} names "
        f"screened; list change +{summary.added} -{summary.removed} "
        f"~{summary.changed}; {summary.new_hits} new hit(s), "
        f"{summary.cleared_hits} cleared; {summary.seconds:.1f} s",
        highlight=False,
    )


def _read(settings: Settings, ids: list[str] | None, limit: int | None) -> list[Any]:
    from chipgate.diligence import reads
    from chipgate.diligence.store import open_store

    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            return reads.customers(
                conn, ids, review=settings.screening_review_threshold, limit=limit
            )
    finally:
        engine.dispose()


def _table(rows: list[dict[str, Any]]) -> Table:
    from rich.table import Table

    table = Table(title="Customers", header_style="bold")
    for column in (
        "id",
        "name",
        "HQ",
        "HQ class",
        "hits",
        "possible",
        "flags",
        "alerts",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["headquarters"] or "",
            r["hq_class"],
            "; ".join(f"{h['list']} {h['matched_name']}" for h in r["hits"]),
            str(len(r["possible_matches"])),
            ", ".join(f["code"] for f in r["flags"]),
            str(len(r["open_alerts"])),
        )
    return table


def _show(record: dict[str, Any]) -> None:
    console.print(f"[bold]{record['id']}[/] {record['name']}", highlight=False)
    hq = record["hq"]
    console.print(f"headquarters rule: {record['hq_class']} - {hq['reason']}")
    for c in hq["citations"]:
        console.print(f"  [dim]{c}[/]", highlight=False)
    for kind in ("hits", "possible_matches"):
        for h in record[kind]:
            console.print(
                f"{'hit' if kind == 'hits' else 'possible'}: {h['role']} "
                f"'{h['name']}' ~ {h['list']} {h['entry']} '{h['matched_name']}' "
                f"({h['score']:.3f})",
                highlight=False,
            )
    for f in record["flags"]:
        console.print(f"[magenta]{f['code']}[/] {f['message']}", highlight=False)
        for c in f["citations"]:
            console.print(f"  [dim]{c}[/]", highlight=False)
    for a in record["history"]:
        console.print(
            f"alert {a['id']}: {a['kind']} {a['role']} '{a['name']}' ~ {a['list']} "
            f"'{a['matched_name']}' "
            f"cause {a['cause']} in run {a['run']} ({a['run_kind']})",
            highlight=False,
        )
    if record["compute"]:
        c = record["compute"]
        console.print(
            f"compute: {c['gpu_hours']:,.0f} GPU-hours, "
            f"{c['estimated_operations']:.3e} operations (estimated), "
            f"{c['training_jobs']} training-scale job(s)",
            highlight=False,
        )
    for d in record["decisions"]:
        console.print(f"decision {d['order_id']} ({d['kind']}): {d['outcome']}")


def register(app: typer.Typer) -> None:
    """Attach ``customers`` to the root app."""
    customers_app = typer.Typer(
        help="The cloud customer register.", no_args_is_help=True
    )
    app.add_typer(customers_app, name="customers")

    @customers_app.command("import")
    def import_(
        ctx: typer.Context,
        path: Annotated[
            Path, typer.Argument(help="CSV, Excel (.xlsx), JSONL or Parquet.")
        ],
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Read the law as of this date.")
        ] = None,
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """Import customers: validate all rows, screen, classify, store in one go."""
        from sqlalchemy.exc import SQLAlchemyError

        from chipgate.diligence import api

        settings = settings_of(ctx)
        day = day_option(as_of)
        try:
            summary = api.import_file(settings, path, day=day)
        except ValueError as exc:
            if isinstance(exc, ChipgateError):
                fail(exc)
            fail(str(exc))
        except ChipgateError as exc:
            fail(exc)
        except SQLAlchemyError as exc:
            fail(f"the store cannot be written: {getattr(exc, 'orig', None) or exc}")
        _summary(summary, fmt)

    @customers_app.command("rescreen")
    def rescreen(
        ctx: typer.Context,
        full: Annotated[
            bool, typer.Option("--full", help="Screen every name against all lists.")
        ] = False,
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """Bring the register to the active lists (only what the change touches)."""
        from chipgate.diligence import api

        try:
            summary = api.rescreen(settings_of(ctx), full=full)
        except ChipgateError as exc:
            fail(exc)
        _summary(summary, fmt)

    @customers_app.command("transfer")
    def transfer(
        ctx: typer.Context,
        chips: Annotated[
            str, typer.Option(help="Registered fleet chip ids, comma-separated.")
        ],
        to: Annotated[
            str | None, typer.Option(help="Register customer receiving the chips.")
        ] = None,
        to_name: Annotated[
            str | None, typer.Option(help="Receiving party, when not a customer.")
        ] = None,
        to_hq: Annotated[
            str | None, typer.Option(help="ISO-2 headquarters of that party.")
        ] = None,
        reference: Annotated[str, typer.Option("--id", help="Transfer reference.")] = (
            "transfer"
        ),
        on: Annotated[
            str | None, typer.Option("--date", help="Date of the transfer (ISO).")
        ] = None,
        end_use: Annotated[
            str, typer.Option(help="Declared end uses, ';'-separated.")
        ] = "",
        lease: Annotated[bool, typer.Option(help="Leased, not sold.")] = False,
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """Decide a transfer (in-country) of fleet chips to another party."""
        from chipgate.countries.registry import iso_code, not_an_iso_code
        from chipgate.diligence.transfer import Transfer, decide_transfer, recipient_of
        from chipgate.orders.model import EndUse, Party

        settings = settings_of(ctx)
        try:
            if (to is None) == (to_name is None):
                fail("give exactly one of --to CUSTOMER_ID or --to-name NAME")
            if to_hq is not None and to is not None:
                fail(
                    "--to-hq goes with --to-name: a customer's headquarters is "
                    "the register's"
                )
            if to_hq is not None and iso_code(to_hq) is None:
                fail(f"--to-hq: {not_an_iso_code(to_hq)}")
            recipient = (
                recipient_of(settings, to)
                if to is not None
                else Party(name=to_name, hq=iso_code(to_hq) if to_hq else None)
            )
            uses = frozenset(EndUse(u.strip()) for u in end_use.split(";") if u.strip())
            day = day_option(on, "--date") or datetime.now(UTC).date()
            records = decide_transfer(
                settings,
                Transfer(
                    id=reference,
                    day=day,
                    chip_ids=tuple(c.strip() for c in chips.split(",") if c.strip()),
                    recipient=recipient,
                    customer_id=to,
                    end_use=uses,
                    lease=lease,
                ),
            )
        except ChipgateError as exc:
            fail(exc)
        except ValueError as exc:
            fail(str(exc))
        if fmt is Format.JSON:
            typer.echo(orjson.dumps(records).decode())
            return
        for r in records:
            console.print(
                f"[bold]{r['id']}[/] {r['item']} x{r['quantity']}: {r['outcome']} "
                f"({r['regime']})",
                highlight=False,
            )
            console.print(f"  {r['explanation']}", highlight=False)

    @customers_app.command("report")
    def report(
        ctx: typer.Context,
        customer_id: Annotated[str, typer.Argument(help="Customer id.")],
        output: Annotated[
            Path, typer.Option(help="HTML file, or a folder for customer-<id>.html.")
        ] = Path("."),
    ) -> None:
        """Write the auditor's HTML report of one customer."""
        from chipgate.diligence.report import write_customer_report

        try:
            path = write_customer_report(settings_of(ctx), customer_id, output)
        except ChipgateError as exc:
            fail(exc)
        except OSError as exc:
            fail(f"{output}: cannot be written: {exc.strerror or exc}")
        console.print(f"wrote {path}", highlight=False)

    @customers_app.command("list")
    def list_(
        ctx: typer.Context,
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
        limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    ) -> None:
        """Each customer with its screening hits, flags and open alerts."""
        rows = _read(settings_of(ctx), None, limit)
        if fmt is Format.JSON:
            typer.echo(orjson.dumps(rows).decode())
        else:
            console.print(_table(rows))

    @customers_app.command("show")
    def show(
        ctx: typer.Context,
        customer_id: Annotated[str, typer.Argument(help="Customer id.")],
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """One customer: hits, flags, screening history, compute, decisions."""
        from chipgate.diligence import reads
        from chipgate.diligence.store import open_store

        settings = settings_of(ctx)
        engine = open_store(settings)
        try:
            with engine.connect() as conn:
                record = reads.customer_file(
                    conn, customer_id, review=settings.screening_review_threshold
                )
        finally:
            engine.dispose()
        if record is None:
            fail(f"no customer {customer_id!r} in the register")
        if fmt is Format.JSON:
            typer.echo(orjson.dumps(record).decode())
        else:
            _show(record)


def _usage_table(report: usage_api.UsageReport) -> Table:
    from rich.table import Table

    table = Table(
        title=f"Compute by customer (as of {report.day}; {report.records:,} records)",
        header_style="bold",
    )
    for column in (
        "customer",
        "GPU-hours",
        "peak ops",
        "est. ops",
        "training jobs",
        "max chips",
        "sustained",
        "flags",
    ):
        table.add_column(column, overflow="fold")
    for r in report.customers:
        table.add_row(
            r["customer"],
            f"{r['gpu_hours']:,.0f}",
            f"{r['peak_operations']:.2e}",
            f"{r['estimated_operations']:.2e}",
            str(r["training_jobs"]),
            str(r["max_job_chips"]),
            "yes" if r["sustained"] else "",
            ", ".join(f["code"] for f in r.get("flags", [])),
        )
    return table


def register_usage(app: typer.Typer) -> None:
    """Attach ``usage`` to the root app."""
    from chipgate.diligence.method import Method

    usage_app = typer.Typer(
        help="Compute monitoring of cloud customers.", no_args_is_help=True
    )
    app.add_typer(usage_app, name="usage")

    @usage_app.command("ingest")
    def ingest(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="CSV or Parquet usage records.")],
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """Validate usage records (every bad line named) and keep them as a batch."""
        from chipgate.diligence import usage_api

        try:
            summary = usage_api.ingest_usage(marked_settings(ctx), path)
        except ChipgateError as exc:
            fail(exc)
        if fmt is Format.JSON:
            typer.echo(orjson.dumps(summary.__dict__).decode())
        else:
            console.print(
                f"batch {summary.batch}: {summary.rows:,} records stored "
                f"({summary.seconds:.1f} s)",
                highlight=False,
            )
            if summary.held:
                console.print(
                    f"[yellow]{summary.held:,} record(s) were ingested already[/] "
                    f"(batch(es) {', '.join(map(str, summary.held_in))}): left out, "
                    "so they count once",
                    highlight=False,
                )

    @usage_app.command("report")
    def report(
        ctx: typer.Context,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Read the law as of this date.")
        ] = None,
        utilisation: Annotated[
            float, typer.Option(help="Share of peak operations assumed achieved.")
        ] = Method.utilisation,
        precision: Annotated[
            list[str] | None,
            typer.Option(help="Dense formats to rate chips by, in order (repeat)."),
        ] = None,
        training_min_chips: Annotated[
            int, typer.Option(help="Chips of one job that make it training-scale.")
        ] = Method.training_min_chips,
        training_min_hours: Annotated[
            float, typer.Option(help="Hours of one job that make it training-scale.")
        ] = Method.training_min_hours,
        replay: Annotated[
            list[str] | None,
            typer.Option(help="Other regimes whose thresholds to read (repeat)."),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    ) -> None:
        """GPU-hours, operations and training signals per customer, with flags."""
        from chipgate.diligence import usage_api
        from chipgate.diligence.method import Method

        day = day_option(as_of)
        try:
            if not 0.0 < utilisation <= 1.0:
                fail("--utilisation must be above 0 and at most 1")
            method = Method(
                utilisation=utilisation,
                precisions=tuple(precision) if precision else Method.precisions,
                training_min_chips=training_min_chips,
                training_min_hours=training_min_hours,
            )
            result = usage_api.usage_report(
                marked_settings(ctx),
                day=day,
                method=method,
                replays=tuple(replay)
                if replay is not None
                else usage_api.DEFAULT_REPLAYS,
            )
        except ChipgateError as exc:
            fail(exc)
        except ValueError as exc:
            fail(str(exc))
        if fmt is Format.JSON:
            typer.echo(orjson.dumps(result.as_dict()).decode())
            return
        console.print(_usage_table(result))
        for r in result.customers:
            for f in r.get("flags", []):
                console.print(
                    f"[magenta]{r['customer']} {f['code']}[/] ({f['regime']}): "
                    f"{f['message']}",
                    highlight=False,
                )
        if result.unregistered:
            console.print(
                f"[yellow]{len(result.unregistered)} customer id(s) in usage are not "
                f"in the register[/], e.g. {', '.join(result.unregistered[:5])}",
                highlight=False,
            )
        console.print(
            f"[dim]method: {result.method}; regimes read: {', '.join(result.regimes)}; "
            f"{result.seconds:.1f} s[/]",
            highlight=False,
        )
