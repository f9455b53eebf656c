"""Register commands: ``customers import|list|show|rescreen|report``.

Exit codes: 0 done; 2 bad input (every bad row named by file, line and field;
nothing stored).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from chipgate.cli.context import console, fail, settings_of
from chipgate.diligence import api, reads
from chipgate.diligence.store import open_store
from chipgate.errors import ChipgateError
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
    engine = open_store(settings)
    try:
        with engine.connect() as conn:
            return reads.customers(
                conn, ids, review=settings.screening_review_threshold, limit=limit
            )
    finally:
        engine.dispose()


def _table(rows: list[dict[str, Any]]) -> Table:
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
                f"{kind[:-2] if kind == 'hits' else 'possible'}: {h['role']} "
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
            f"alert {a['id']} ({a['status'] if 'status' in a else a['kind']}): "
            f"{a['kind']} {a['role']} '{a['name']}' ~ {a['list']} '{a['matched_name']}' "
            f"cause {a['cause']} in run {a['run']} ({a['run_kind']})",
            highlight=False,
        )
    if record["compute"]:
        c = record["compute"]
        console.print(
            f"compute: {c['gpu_hours']:,.0f} GPU-hours, {c['operations']:.3e} "
            f"operations, {c['training_jobs']} training-scale job(s)",
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
        settings = settings_of(ctx)
        try:
            day = date.fromisoformat(as_of) if as_of else None
            summary = api.import_file(settings, path, day=day)
        except ValueError as exc:
            if isinstance(exc, ChipgateError):
                fail(exc)
            fail(f"--as-of: {exc}")
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
        try:
            summary = api.rescreen(settings_of(ctx), full=full)
        except ChipgateError as exc:
            fail(exc)
        _summary(summary, fmt)

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
