"""Ledger commands: db upgrade, ledger balances/history/release/report-base,
license import/list, audit verify/anchor/export.

Exit codes: 0 success; 1 ``audit verify`` found tampering (or an anchor that does not
hold); 2 bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chipgate.cli.context import (
    EXIT_FINDINGS,
    console,
    day_option,
    fail,
    safe,
    settings_of,
)
from chipgate.cli.formats import Format, FormatOption, JsonFlag, chosen, emit
from chipgate.errors import ChipgateError
from chipgate.outputs import check_output_path

if TYPE_CHECKING:
    from chipgate.ledger import Ledger, VerifyReport, anchor

db_app = typer.Typer(help="The store: migrations.", no_args_is_help=True)
ledger_app = typer.Typer(
    help="Balances of caps, allocations and licenses.", no_args_is_help=True
)
license_app = typer.Typer(
    help="Licenses granted by BIS, imported by you.", no_args_is_help=True
)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


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


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply every pending migration (ledger, location and service branches)."""
    from sqlalchemy.exc import DBAPIError

    from chipgate.ledger.db import make_engine, unreachable
    from chipgate.ledger.migrate import upgrade

    url = settings_of(ctx).resolved_database_url()
    try:
        engine = make_engine(url)
    except ChipgateError as exc:
        fail(exc)
    try:
        heads = upgrade(engine)
    except DBAPIError as exc:
        fail(unreachable(url, exc))
    except ChipgateError as exc:  # a migration refusing rows it names
        fail(exc)
    finally:
        engine.dispose()
    console.print(f"store at {', '.join(heads)}")


@ledger_app.command("balances")
def balances(
    ctx: typer.Context, fmt: FormatOption = Format.table, as_json: JsonFlag = False
) -> None:
    """Every account: used, limit, what is left, in its unit and in H100-equivalents."""
    with _ledger(ctx) as ledger:
        rows = ledger.balances()
    fmt = chosen(fmt, as_json)
    if fmt is not Format.table:
        emit([b.to_dict() for b in rows], fmt)
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
            safe(b.account),
            b.kind,
            b.unit,
            _num(b.used),
            _num(b.limit),
            _num(b.remaining),
            _num(b.h100e),
        )
    console.print(table)


@ledger_app.command("history")
def history(
    ctx: typer.Context,
    account: str,
    fmt: FormatOption = Format.table,
    as_json: JsonFlag = False,
) -> None:
    """Every draw on ACCOUNT, oldest first."""
    with _ledger(ctx) as ledger:
        lines = ledger.history(account)
    fmt = chosen(fmt, as_json)
    if fmt is not Format.table:
        emit([line.to_dict() for line in lines], fmt)
        return
    from rich.table import Table

    table = Table(
        "at", "order", "unit", "amount", "used before", "limit", "H100e", "status"
    )
    for line in lines:
        table.add_row(
            line.at,
            safe(line.order_id),
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
        console.print(f"order {safe(order_id)} was already released; nothing changed")
    else:
        console.print(
            f"released {len(result.released)} draw(s) of order {safe(order_id)} "
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
    day = day_option(as_of)
    assert day is not None  # a required option
    with _ledger(ctx) as ledger:
        seq = ledger.report_base(holder, tpp, day, settings_of(ctx).user)
    console.print(
        f"recorded compute base of {safe(holder)}: {tpp:,.6g} TPP as of {day} (entry {seq})"
    )


@license_app.command("import")
def license_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or JSONL license file.")],
) -> None:
    """Import licenses: all of the file, or nothing when any line is wrong."""
    with _ledger(ctx) as ledger:
        count = ledger.import_licenses(file, settings_of(ctx).user)
    console.print(f"imported {count} license(s) from {safe(file)}")


@license_app.command("list")
def license_list(
    ctx: typer.Context, fmt: FormatOption = Format.table, as_json: JsonFlag = False
) -> None:
    """Imported licenses with what is used of each."""
    with _ledger(ctx) as ledger:
        facts = ledger.licenses()
    fmt = chosen(fmt, as_json)
    if fmt is not Format.table:
        emit(
            [{f: getattr(lic, f) for f in lic.__dataclass_fields__} for lic in facts],
            fmt,
        )
        return
    from rich.table import Table

    table = Table(
        "number",
        "destination",
        "consignee",
        "end user",
        "end use",
        "units",
        "value USD",
        "TPP",
        "expires",
    )
    for lic in facts:
        table.add_row(
            safe(lic.number),
            lic.destination or "-",
            safe(lic.consignee or "-"),
            # a license that names no end user was granted for its consignee
            safe(lic.end_user or "(consignee)"),
            ", ".join(lic.end_use) or "-",
            f"{lic.quantity_used}/{_num(lic.quantity)}",
            f"{_num(lic.value_used)}/{_num(lic.value_usd)}",
            f"{_num(lic.tpp_used)}/{_num(lic.tpp)}",
            str(lic.expires or "-"),
        )
    console.print(table)


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    as_json: JsonFlag = False,
    anchor_path: Annotated[
        Path | None,
        typer.Option(
            "--anchor",
            help="Also check that the chain still holds the head this anchor signed.",
        ),
    ] = None,
) -> None:
    """Walk the chain and the ledger rows; exit 1 and say what does not match."""
    from chipgate.ledger import anchor

    anchored = None
    if anchor_path is not None:
        try:
            anchored = anchor.read(anchor_path)
        except ChipgateError as exc:
            fail(exc)
    with _ledger(ctx) as ledger:
        report = ledger.verify()
        anchor_problem = ledger.holds(anchored) if anchored else ""
    if anchored is not None:
        anchor_problem = (
            anchored.problem or anchor_problem or _key_problem(ctx, anchored)
        )
    fmt = chosen(fmt, as_json)
    if fmt is not Format.table:
        emit(
            [
                {
                    "ok": report.ok and not anchor_problem,
                    "entries": report.entries,
                    "head_hash": report.head_hash,
                    "first_bad_seq": report.first_bad_seq,
                    "reason": report.reason,
                    "balance_mismatches": list(report.balance_mismatches),
                    "row_mismatches": list(report.row_mismatches),
                    "anchor": None
                    if anchored is None
                    else {
                        "seq": anchored.seq,
                        "head_hash": anchored.head_hash,
                        "at": anchored.at,
                        "key_id": anchored.key_id,
                        "holds": not anchor_problem,
                        "problem": anchor_problem,
                    },
                }
            ],
            fmt,
            single=True,
        )
    else:
        _print_report(report)
        if anchored is not None and not anchor_problem:
            console.print(
                f"anchor of {anchored.at} holds: entry {anchored.seq} is "
                f"{anchored.head_hash} (signed by key {safe(anchored.key_id)})",
                highlight=False,
            )
        elif anchored is not None:
            console.print(f"[bold red]anchor does not hold:[/] {safe(anchor_problem)}")
    if not report.ok or anchor_problem:
        raise typer.Exit(EXIT_FINDINGS)


def _print_report(report: VerifyReport) -> None:
    if report.row_mismatches or report.balance_mismatches:
        console.print(f"[bold red]{safe(report.reason)}:[/]")
        for line in (*report.row_mismatches, *report.balance_mismatches):
            console.print(f"  {line}", highlight=False, markup=False)
    elif report.ok:
        console.print(
            f"audit chain intact: {report.entries} entries, head {report.head_hash}; "
            "every ledger row matches it"
        )
    else:
        console.print(
            f"[bold red]audit chain broken at entry {report.first_bad_seq}:[/] "
            f"{safe(report.reason)}"
        )


def _key_problem(ctx: typer.Context, anchored: anchor.Anchor | None) -> str:
    """An anchor signed by a key other than this store's (when the key is here)."""
    from chipgate.ledger import anchor

    if anchored is None:
        return ""
    settings = settings_of(ctx)
    path = anchor.key_path(settings.data_dir, settings.audit_key_file)
    if not path.exists():
        return ""
    try:
        own = anchor.key_id(anchor.load_or_create_key(path).public_key())
    except ChipgateError as exc:
        fail(exc)
    if own != anchored.key_id:
        return (
            f"the anchor is signed by key {anchored.key_id}, this store's key is {own}"
        )
    return ""


@audit_app.command("anchor")
def audit_anchor(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the statement here (JSON)."),
    ] = None,
) -> None:
    """Sign the chain head (entry number, hash, date) for someone else to keep."""
    from chipgate.book.writer import atomic_output
    from chipgate.ledger import anchor

    if output is not None:
        try:
            check_output_path(output)
        except ChipgateError as exc:
            fail(exc)
    settings = settings_of(ctx)
    path = anchor.key_path(settings.data_dir, settings.audit_key_file)
    with _ledger(ctx) as ledger:
        try:
            key = anchor.load_or_create_key(path)
            document = ledger.anchor(key)
        except ChipgateError as exc:
            fail(exc, EXIT_FINDINGS if "does not verify" in str(exc) else 2)
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        with atomic_output(output, binary=False) as fh:
            fh.write(text)
    except ChipgateError as exc:  # the path changed since it was checked
        fail(exc)
    except OSError as exc:
        fail(f"{output}: cannot be written: {exc.strerror or exc}")
    statement = document["statement"]
    console.print(
        f"anchored entry {statement['seq']} ({statement['head_hash']}) in "
        f"{safe(output)}, "
        f"signed by key {statement['key_id']}",
        highlight=False,
    )


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL file.")
    ] = None,
) -> None:
    """Write every audit entry as JSONL (stdout by default)."""
    from chipgate.book.writer import atomic_output

    if output is not None:
        try:
            check_output_path(output)
        except ChipgateError as exc:
            fail(exc)
    with _ledger(ctx) as ledger:
        if output is None:
            for entry in ledger.export():
                typer.echo(json.dumps(entry, sort_keys=True))
            return
        count = 0
        try:
            with atomic_output(output, binary=False) as fh:
                for entry in ledger.export():
                    fh.write(json.dumps(entry, sort_keys=True) + "\n")
                    count += 1
        except ChipgateError as exc:  # the path changed since it was checked
            fail(exc)
        except OSError as exc:
            fail(f"{output}: cannot be written: {exc.strerror or exc}")
    console.print(f"wrote {count} entries to {safe(output)}")


def register(app: typer.Typer) -> None:
    """Attach the ledger, license, audit and db command groups."""
    app.add_typer(db_app, name="db")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(license_app, name="license")
    app.add_typer(audit_app, name="audit")
