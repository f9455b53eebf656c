"""Ledger commands: db upgrade, ledger balances/history/release/report-base,
license import/list, audit verify/export.

Exit codes: 0 success; 1 ``audit verify`` found tampering; 2 bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chipgate.cli.context import EXIT_FINDINGS, console, fail, settings_of
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from chipgate.ledger import Ledger

# The store (SQLAlchemy, Alembic) and rich tables load inside each command, so that
# every other chipgate command starts without them.

db_app = typer.Typer(help="The store: migrations.", no_args_is_help=True)
ledger_app = typer.Typer(
    help="Balances of caps, allocations and licenses.", no_args_is_help=True
)
license_app = typer.Typer(
    help="Licenses granted by BIS, imported by you.", no_args_is_help=True
)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table.")
]


@contextmanager
def _ledger(ctx: typer.Context) -> Iterator[Ledger]:
    """Open the configured ledger; report chipgate errors plainly."""
    from chipgate.ledger import Ledger

    try:
        with Ledger.open(settings_of(ctx)) as ledger:
            yield ledger
    except ChipgateError as exc:
        fail(exc)


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply every pending migration (ledger, location and service branches)."""
    from chipgate.ledger.db import make_engine
    from chipgate.ledger.migrate import upgrade

    engine = make_engine(settings_of(ctx).resolved_database_url())
    try:
        heads = upgrade(engine)
    finally:
        engine.dispose()
    console.print(f"store at {', '.join(heads)}")


@ledger_app.command("balances")
def balances(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every account: used, limit, what is left, in its unit and in H100-equivalents."""
    with _ledger(ctx) as ledger:
        rows = ledger.balances()
    if as_json:
        _print_json([b.to_dict() for b in rows])
        return
    from rich.table import Column, Table

    table = Table(
        Column("account", overflow="fold"),
        "kind",
        "unit",
        "used",
        "limit",
        "remaining",
        "H100e",
    )
    for b in rows:
        table.add_row(
            b.account,
            b.kind,
            b.unit,
            _num(b.used),
            _num(b.limit),
            _num(b.remaining),
            _num(b.h100e),
        )
    console.print(table)


@ledger_app.command("history")
def history(ctx: typer.Context, account: str, as_json: JsonFlag = False) -> None:
    """Every draw on ACCOUNT, oldest first."""
    with _ledger(ctx) as ledger:
        lines = ledger.history(account)
    if as_json:
        _print_json([line.to_dict() for line in lines])
        return
    from rich.table import Table

    table = Table(
        "at", "order", "unit", "amount", "used before", "limit", "H100e", "status"
    )
    for line in lines:
        table.add_row(
            line.at,
            line.order_id,
            line.unit,
            _num(line.amount),
            _num(line.used_before),
            _num(line.limit),
            _num(line.h100e),
            line.status,
        )
    console.print(table)


@ledger_app.command("release")
def release(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(metavar="ORDER-ID")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (kept in the audit log).")
    ],
) -> None:
    """Give a committed order's draws back to their accounts."""
    with _ledger(ctx) as ledger:
        result = ledger.release(order_id, reason, settings_of(ctx).user)
    if result.already_released:
        console.print(f"order {order_id} was already released; nothing changed")
    else:
        console.print(
            f"released {len(result.released)} draw(s) of order {order_id} "
            f"(audit entry {result.audit_seq})"
        )


@ledger_app.command("report-base")
def report_base(
    ctx: typer.Context,
    holder: str,
    tpp: Annotated[float, typer.Option("--tpp", help="Total compute base in TPP.")],
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date of the report, YYYY-MM-DD.")
    ],
) -> None:
    """Record a UVEU holder's reported compute base (shares are checked on it)."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        fail(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}")
    with _ledger(ctx) as ledger:
        seq = ledger.report_base(holder, tpp, day, settings_of(ctx).user)
    console.print(
        f"recorded compute base of {holder}: {tpp:,.6g} TPP as of {day} (entry {seq})"
    )


@license_app.command("import")
def license_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or JSONL license file.")],
) -> None:
    """Import licenses: all of the file, or nothing when any line is wrong."""
    with _ledger(ctx) as ledger:
        count = ledger.import_licenses(file, settings_of(ctx).user)
    console.print(f"imported {count} license(s) from {file}")


@license_app.command("list")
def license_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Imported licenses with what is used of each."""
    with _ledger(ctx) as ledger:
        facts = ledger.licenses()
    if as_json:
        _print_json(
            [{f: getattr(lic, f) for f in lic.__dataclass_fields__} for lic in facts]
        )
        return
    from rich.table import Table

    table = Table(
        "number", "destination", "consignee", "units", "value USD", "TPP", "expires"
    )
    for lic in facts:
        table.add_row(
            lic.number,
            lic.destination or "-",
            lic.consignee or "-",
            f"{lic.quantity_used}/{_num(lic.quantity)}",
            f"{_num(lic.value_used)}/{_num(lic.value_usd)}",
            f"{_num(lic.tpp_used)}/{_num(lic.tpp)}",
            str(lic.expires or "-"),
        )
    console.print(table)


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Walk the chain; exit 1 and name the first entry that does not match."""
    with _ledger(ctx) as ledger:
        report = ledger.verify()
    if as_json:
        _print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "head_hash": report.head_hash,
                "first_bad_seq": report.first_bad_seq,
                "reason": report.reason,
                "balance_mismatches": list(report.balance_mismatches),
            }
        )
    elif report.balance_mismatches:
        console.print(f"[bold red]{report.reason}:[/]")
        for line in report.balance_mismatches:
            console.print(f"  {line}", highlight=False)
    elif report.ok:
        console.print(
            f"audit chain intact: {report.entries} entries, head {report.head_hash}"
        )
    else:
        console.print(
            f"[bold red]audit chain broken at entry {report.first_bad_seq}:[/] "
            f"{report.reason}"
        )
    if not report.ok:
        raise typer.Exit(EXIT_FINDINGS)


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL file.")
    ] = None,
) -> None:
    """Write every audit entry as JSONL (stdout by default)."""
    with _ledger(ctx) as ledger:
        if output is None:
            for entry in ledger.export():
                typer.echo(json.dumps(entry, sort_keys=True))
            return
        tmp = output.with_name(output.name + ".tmp")
        count = 0
        with tmp.open("w", encoding="utf-8") as fh:
            for entry in ledger.export():
                fh.write(json.dumps(entry, sort_keys=True) + "\n")
                count += 1
        tmp.replace(output)
    console.print(f"wrote {count} entries to {output}")


def register(app: typer.Typer) -> None:
    """Attach the ledger, license, audit and db command groups."""
    app.add_typer(db_app, name="db")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(license_app, name="license")
    app.add_typer(audit_app, name="audit")
