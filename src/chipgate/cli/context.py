"""Shared helpers for commands: settings, console, error reporting."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from chipgate.errors import ChipgateError
from chipgate.settings import Settings

console = Console()
err_console = Console(stderr=True)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def build_settings() -> Settings:
    """Read settings from the environment once, at start-up."""
    return Settings()


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the root callback."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else None
    if settings is None:
        settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        settings = build_settings()
    return settings


def fail(error: ChipgateError | str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print an error plainly on stderr and exit with ``code``."""
    # soft-wrapped: the terminal folds long lines, so a path or a name copied from
    # the message never carries a line break rich inserted
    err_console.print(
        f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True
    )
    sys.exit(code)
