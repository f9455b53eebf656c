"""Shared helpers of the fuzz suite: run a command, and check it ended cleanly."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from chipgate.cli.app import app

WIDE = {"COLUMNS": "4000"}


def run(data_dir: Path, *args: str) -> Result:
    """Run ``chipgate ARGS`` in-process with ``data_dir`` as the data folder."""
    return CliRunner().invoke(
        app, list(args), env={**WIDE, "CHIPGATE_DATA_DIR": str(data_dir)}
    )


def text_of(result: Result) -> str:
    """Everything the command printed, on one line (rich wraps long messages)."""
    return " ".join(result.output.split())


def assert_clean_exit(result: Result, codes: set[int], names: str) -> str:
    """The command ended with one of ``codes`` and no traceback; an exit 2 printed
    an error that names ``names`` (the file at fault). Returns the error text."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}\n{result.output}"
    )
    assert result.exit_code in codes, result.output
    output = text_of(result)
    assert "Traceback" not in output
    if result.exit_code == 2:
        assert "error:" in output, output
        assert names in output, output
        return output[output.index("error:") :]
    return ""
