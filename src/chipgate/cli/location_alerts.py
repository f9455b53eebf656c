"""Location alert commands: ``chipgate location alerts`` lists them, ``location
alerts close`` closes one (a person's act, with who and why, in the audit chain).

Exit codes: 0 done; 2 bad input, an unknown alert or one closed already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chipgate.cli.context import (
    CLI_MARK,
    console,
    day_option,
    fail,
    safe,
    settings_of,
)
from chipgate.cli.formats import Format, FormatOption, emit
from chipgate.errors import ChipgateError
from chipgate.limits import USER_MAX

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from chipgate.settings import Settings

ALERT_COLUMNS = (
    "id",
    "chip_id",
    "owner",
    "licensed_country",
    "verdict",
    "observed_at",
    "status",
    "latest_verdict",
    "latest_at",
    "latest_evidence",
    "closed_at",
    "closed_by",
    "close_reason",
    "region",
    "evidence",
)

alerts_app = typer.Typer(
    help="Diversion alerts: list them, close one after review.",
    invoke_without_command=True,
)


def _engine(settings: Settings) -> Engine:
    from chipgate.ledger.db import make_engine

    return make_engine(settings.resolved_database_url())


@alerts_app.callback()
def alerts_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open, closed or all.", case_sensitive=False)
    ] = "open",
    owner: Annotated[
        str | None, typer.Option(help="Owner name (case and punctuation ignored).")
    ] = None,
    chip: Annotated[str | None, typer.Option(help="Chip id.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="YYYY-MM-DD: the alerts as they stood on that day (what held "
            "orders of that date).",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List alerts (open ones by default), oldest observation first."""
    if ctx.invoked_subcommand is not None:
        return
    from chipgate.location.alert_review import AlertStatus, list_alerts

    try:
        wanted = AlertStatus(status.lower())
    except ValueError:
        fail(f"--status: {status!r} is not one of open, closed, all")
    day = day_option(as_of)
    engine = _engine(settings_of(ctx))
    try:
        found = list_alerts(engine, status=wanted, owner=owner, chip_id=chip, as_of=day)
    except ChipgateError as exc:
        fail(exc)
    finally:
        engine.dispose()
    if fmt is not Format.table:
        emit((a.as_json() for a in found), fmt, ALERT_COLUMNS)
        return
    from rich.table import Table

    when = f" on {day.isoformat()}" if day else ""
    table = Table(title=f"Location alerts{when} ({len(found)}, {wanted.value})")
    for column in ("id", "chip", "owner", "verdict", "observed", "status", "latest"):
        table.add_column(column, no_wrap=True)
    table.add_column("closed", overflow="fold")
    for a in found:
        latest = f"{a.latest_verdict} {a.latest_at:%Y-%m-%d}" if a.latest_at else ""
        closed = (
            f"{a.closed_at:%Y-%m-%d %H:%M} by {a.closed_by}: {a.close_reason}"
            if a.closed_at
            else ""
        )
        table.add_row(
            str(a.id),
            safe(a.chip_id),
            safe(a.owner),
            a.verdict,
            f"{a.observed_at:%Y-%m-%d %H:%M}",
            a.status,
            safe(latest),
            safe(closed),
        )
    console.print(table)


@alerts_app.command("close")
def alerts_close(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="The alert's id (see the list).")],
    reason: Annotated[
        str, typer.Option(help="Why it may close: the evidence reviewed.")
    ],
    by: Annotated[str, typer.Option("--by", help="Who closes it (the officer).")],
) -> None:
    """Close an open alert after review (who, when, why: in the audit chain).

    Orders dated after today are no longer held by it; those dated up to today
    still are, on replay too. The closer is recorded as "NAME (cli)", as the case
    commands record their actor, so a closure says which channel made it.
    """
    from chipgate.location.alert_review import close_alert

    name = by.strip()
    if len(name) > USER_MAX - len(CLI_MARK):
        fail(f"--by: name at most {USER_MAX - len(CLI_MARK)} characters")
    engine = _engine(settings_of(ctx))
    try:
        # an empty name stays empty, so the library refuses it as unnamed
        closure = close_alert(
            engine, alert_id, reason=reason, by=f"{name}{CLI_MARK}" if name else ""
        )
    except ChipgateError as exc:
        fail(exc)
    finally:
        engine.dispose()
    closed, fresh = closure.closed, closure.reopened
    assert closed.closed_at is not None
    console.print(
        f"closed location alert {closed.id} (chip {safe(closed.chip_id)}, "
        f"{closed.verdict}) at {closed.closed_at:%Y-%m-%d %H:%M} UTC by "
        f"{safe(closed.closed_by)}",
        highlight=False,
        soft_wrap=True,
    )
    if fresh is not None:
        console.print(
            f"its latest verdict, {fresh.verdict} at "
            f"{fresh.observed_at:%Y-%m-%d %H:%M} UTC, is a newer breach: opened "
            f"location alert {fresh.id}, which holds the owner's orders until it "
            "is reviewed",
            highlight=False,
            soft_wrap=True,
        )
