"""Service commands: ``serve``, ``keys create|list|revoke``, ``cases list|show|decide``.

Exit codes: 0 done; 1 the case cannot take the action (closed, four eyes); 2 bad input.
FastAPI, uvicorn and the store load inside the commands.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from chipgate.cli.context import (
    CLI_MARK,
    EXIT_FINDINGS,
    console,
    fail,
    settings_of,
)
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from chipgate.service.writer_process import WriterProcess

keys_app = typer.Typer(help="API keys of the service.", no_args_is_help=True)
cases_app = typer.Typer(help="The review queue of cases.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _store(ctx: typer.Context) -> Engine:
    from chipgate.ledger.db import make_engine
    from chipgate.ledger.migrate import ensure_current

    engine = make_engine(settings_of(ctx).resolved_database_url())
    ensure_current(engine)
    return engine


def _who(ctx: typer.Context) -> str:
    return f"{settings_of(ctx).user}{CLI_MARK}"


def _writer_process(url: str) -> WriterProcess | None:
    """On SQLite, the one process that commits every worker's decision records
    (``chipgate.service.writer_process``); the workers find it by its socket."""
    from chipgate.ledger.db import is_sqlite
    from chipgate.service.writer_process import SOCKET_ENV, WriterProcess

    if not is_sqlite(url) or not hasattr(socket, "AF_UNIX"):
        return None
    try:
        writer = WriterProcess()
    except ChipgateError as exc:
        console.print(f"{exc}: each worker writes on its own")
        return None
    os.environ[SOCKET_ENV] = str(writer.path)
    return writer


ONE_WRITE_HTTP = "chipgate.service.wire:OneWriteHttp"
"""uvicorn's HTTP protocol for ``serve`` (imported by uvicorn in each worker)."""


def _exit_on_signal(signum: int, _frame: object) -> None:
    """End ``serve`` by an exception, so that what follows the server still runs
    (the writer process stopped, its socket's folder removed), with the exit
    status of a process stopped by the signal."""
    raise SystemExit(128 + signum)


def register(app: typer.Typer) -> None:
    """Attach ``serve``, ``keys`` and ``cases`` to the root app."""
    app.add_typer(keys_app, name="keys")
    app.add_typer(cases_app, name="cases")

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        workers: Annotated[
            int, typer.Option(min=1, help="Worker processes (each loads the engine).")
        ] = 1,
        log_level: Annotated[str, typer.Option("--log-level")] = "info",
    ) -> None:
        """Serve the HTTP API (OpenAPI at /docs, with a key) on the configured store."""
        import uvicorn

        settings = settings_of(ctx)
        # workers re-read the settings from the environment: pass what was resolved
        os.environ["CHIPGATE_DATA_DIR"] = str(settings.data_dir.resolve())
        if settings.database_url:
            os.environ["CHIPGATE_DATABASE_URL"] = settings.database_url
        try:
            _store(ctx).dispose()  # migrate once, before the workers start
        except ChipgateError as exc:
            fail(exc)
        console.print(
            f"chipgate {settings.resolved_database_url().split('@')[-1]} on "
            f"http://{host}:{port} ({workers} worker(s)); keys: chipgate keys create"
        )
        os.environ.pop("CHIPGATE_SERVICE_WRITER", None)  # set below, if started
        writer = (
            _writer_process(settings.resolved_database_url())
            if settings.service_writer_process
            else None
        )
        # uvicorn raises the stop signal again once it has shut down: by default
        # that ends this process before the writer process is stopped below
        stopped = signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            uvicorn.run(
                "chipgate.service.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level=log_level,
                access_log=False,
                # httptools, each answer's head and body in one write
                http=ONE_WRITE_HTTP,
            )
        finally:
            signal.signal(signal.SIGTERM, stopped)
            if writer is not None:
                writer.stop()  # after the workers: it commits what they handed over

    @keys_app.command("create")
    def keys_create(
        ctx: typer.Context,
        role: Annotated[
            str, typer.Option("--role", help="viewer, analyst, officer or admin")
        ],
        name: Annotated[
            str | None, typer.Option("--name", help="Whose key (default: the role).")
        ] = None,
    ) -> None:
        """Create a key and print it on a line of its own: it is shown only once."""
        from chipgate.service.keys import create_key, parse_role

        try:
            parsed = parse_role(role)
            key, info = create_key(_store(ctx), parsed, name or parsed.value, _who(ctx))
        except ChipgateError as exc:
            fail(exc)
        typer.echo(key)
        typer.echo(
            f"key {info.key_id} ({info.role.value}, {info.name}): store it now, "
            "it cannot be shown again",
            err=True,
        )

    @keys_app.command("list")
    def keys_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
        """Every key (never its secret), revoked ones included."""
        from dataclasses import asdict

        from chipgate.service.keys import list_keys

        found = list_keys(_store(ctx))
        if as_json:
            typer.echo(json.dumps([asdict(k) for k in found], indent=2))
            return
        from rich.table import Table

        table = Table("key", "role", "name", "created", "by", "revoked")
        for k in found:
            table.add_row(
                k.key_id,
                k.role.value,
                k.name,
                k.created_at,
                k.created_by,
                k.revoked_at or "-",
            )
        console.print(table)

    @keys_app.command("revoke")
    def keys_revoke(
        ctx: typer.Context,
        key_id: Annotated[str, typer.Argument(metavar="KEY-ID")],
    ) -> None:
        """Revoke a key at once."""
        from chipgate.service.keys import revoke_key

        try:
            changed = revoke_key(_store(ctx), key_id, _who(ctx))
        except ChipgateError as exc:
            fail(exc)
        console.print(
            f"revoked key {key_id}" if changed else f"key {key_id} was already revoked"
        )

    @cases_app.command("list")
    def cases_list(
        ctx: typer.Context,
        status: Annotated[
            str | None,
            typer.Option(
                help="open, assigned, awaiting_second, approved, rejected (the "
                "approval stage; an escalated case keeps its own)"
            ),
        ] = None,
        escalated: Annotated[
            bool | None,
            typer.Option(
                "--escalated/--not-escalated", help="Only escalated cases, or none."
            ),
        ] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Cases, oldest first (the queue: --status open)."""
        from dataclasses import asdict

        from chipgate.cases.model import Status
        from chipgate.cases.store import list_cases

        try:
            wanted = Status(status) if status else None
        except ValueError:
            fail(
                f"--status: {status!r} is not one of {', '.join(s.value for s in Status)}"
                # escalation was a status before it became a flag beside the stage
                + (" (escalated cases: --escalated)" if status == "escalated" else "")
            )
        found = list_cases(
            _store(ctx), status=wanted, escalated=escalated, limit=10_000
        )
        if as_json:
            typer.echo(json.dumps([asdict(c) for c in found], indent=2))
            return
        from rich.table import Table

        table = Table(
            "case", "order", "outcome", "reasons", "status", "4 eyes", "assignee"
        )
        for c in found:
            table.add_row(
                c.case_id,
                c.order_id,
                c.outcome,
                ", ".join(c.reasons),
                c.status + (", escalated" if c.escalated else ""),
                "yes" if c.four_eyes else "-",
                c.assignee or "-",
            )
        console.print(table)

    @cases_app.command("show")
    def cases_show(
        ctx: typer.Context,
        case_id: Annotated[str, typer.Argument(metavar="CASE-ID")],
        as_json: JsonFlag = False,
    ) -> None:
        """One case with its history."""
        from dataclasses import asdict

        from chipgate.cases.store import get_case

        try:
            case = get_case(_store(ctx), case_id)
        except ChipgateError as exc:
            fail(exc)
        if as_json:
            typer.echo(json.dumps(asdict(case), indent=2))
            return
        console.print(
            f"[bold]case {case.case_id}[/] order {case.order_id}: {case.outcome}, "
            f"{case.status}{', escalated' if case.escalated else ''} "
            f"({', '.join(case.reasons)})"
            + (" [bold]four eyes[/]" if case.four_eyes else ""),
            highlight=False,
        )
        for e in case.history:
            console.print(
                f"  {e.at} {e.who}: {e.action} -> {e.status}: {e.reason}"
                + (f" [evidence {e.evidence}]" if e.evidence else "")
                + f" (audit {e.audit_seq})",
                highlight=False,
            )

    @cases_app.command("decide")
    def cases_decide(
        ctx: typer.Context,
        case_id: Annotated[str, typer.Argument(metavar="CASE-ID")],
        action: Annotated[
            str,
            typer.Option(
                "--action", help="assign, approve, reject, escalate or deescalate"
            ),
        ],
        reason: Annotated[str, typer.Option("--reason", help="Why (audited).")],
        evidence: Annotated[
            str | None, typer.Option("--evidence", help="Licence number or document.")
        ] = None,
        assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    ) -> None:
        """Assign, approve, reject, escalate or de-escalate a case as CHIPGATE_USER."""
        from chipgate.cases.model import Action, CaseConflict
        from chipgate.cases.store import act
        from chipgate.ledger.commit import release_in

        try:
            chosen = Action(action)
        except ValueError:
            fail(
                f"--action: {action!r} is not one of {', '.join(a.value for a in Action)}"
            )
        engine = _store(ctx)
        try:
            case = act(
                engine,
                case_id,
                chosen,
                _who(ctx),
                reason=reason,
                evidence=evidence,
                assignee=assignee,
                release=release_in,
            )
        except CaseConflict as exc:
            fail(exc, EXIT_FINDINGS)
        except ChipgateError as exc:
            fail(exc)
        console.print(f"case {case.case_id}: {case.status}")
