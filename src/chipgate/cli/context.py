"""Shared helpers for commands: settings, console, error reporting."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from chipgate.dates import parse_day
from chipgate.errors import ChipgateError

if TYPE_CHECKING:
    from chipgate.settings import Settings

console = Console()
err_console = Console(stderr=True)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
CLI_MARK = " (cli)"
"""Appended to the actor a command records (a case action, an alert closure): the
entry names its channel as the service's "(key id)" does, and
``chipgate.cases.model.person_of`` reads the person through either."""


def build_settings() -> Settings:
    """Read settings from the environment once, on first use (not at start-up, so
    that ``--help`` and ``version`` stay fast), and check the data folder (created
    private, refused when others can write it); exit 2 on a bad setting or folder."""
    from pydantic import ValidationError

    from chipgate.datadir import prepare_data_dir
    from chipgate.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CHIPGATE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        fail(f"bad setting: {problems}")
    try:
        prepare_data_dir(settings.data_dir)
    except ChipgateError as exc:
        fail(exc)
    return settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this invocation, read once and kept on the root context."""
    from chipgate.settings import Settings

    settings = ctx.obj if isinstance(ctx.obj, Settings) else None
    if settings is None:
        root = ctx.find_root()
        if not isinstance(root.obj, Settings):
            root.obj = build_settings()
        settings = root.obj
    return settings


def marked_settings(ctx: typer.Context) -> Settings:
    """The settings of this invocation with the user marked ``CLI_MARK``, for a
    library call that records ``settings.user`` as its actor (the usage writes):
    the entry names the CLI as the service's names its key."""
    settings = settings_of(ctx)
    return settings.model_copy(update={"user": f"{settings.user}{CLI_MARK}"})


def safe(value: object) -> str:
    """``value`` as text that rich prints as written: a ``[`` from a file, a name or
    a path is never taken for markup (``[/x]`` would otherwise stop the command)."""
    return escape(str(value))


def fail(error: ChipgateError | str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print an error plainly on stderr and exit with ``code``."""
    # soft-wrapped: the terminal folds long lines, so a path or a name copied from
    # the message never carries a line break rich inserted
    err_console.print(
        f"[bold red]error:[/] {safe(error)}",
        highlight=False,
        markup=True,
        soft_wrap=True,
    )
    sys.exit(code)


def day_option(text: str | None, option: str = "--as-of") -> date | None:
    """A date option's value (``None`` when not given); anything but ``YYYY-MM-DD``
    (``2025W01``, ``20250601``, ``2025-02-30``) is a usage error naming ``option``."""
    if text is None or text == "":
        return None
    try:
        return parse_day(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date (YYYY-MM-DD)")
