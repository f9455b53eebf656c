"""Engine commands: check, classify, regimes, explain, compare."""

from __future__ import annotations

import typer

from chipgate import __version__


def register(app: typer.Typer) -> None:
    """Attach the engine commands to the root app."""

    @app.command()
    def version() -> None:
        """Print the chipgate version."""
        typer.echo(__version__)
