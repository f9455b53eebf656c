"""Rules every output file follows: where it may be written, and what a cell may start with.

An output is written to a temporary file and renamed over its path, so a path that is
one of the command's inputs would lose the input, a folder or a FIFO cannot be
replaced meaningfully, and a symbolic link would be replaced by a file (the link's
target silently left as it was). Those paths are refused before any work is done.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or
carriage return) as a formula; a text cell that starts so is written with a leading
apostrophe (OWASP "CSV injection"). Numbers are never touched: a negative number in
a numeric column stays a number.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from chipgate.errors import InputError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _status(path: Path) -> os.stat_result | None:
    """The path's own status (a link's, not its target's); None when absent."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError.single(
            f"cannot use as output: {exc.strerror}", source=path
        ) from None


def _refuse_link(st: os.stat_result, path: Path, replacement: str) -> None:
    """A symbolic link as the output: the link, not its target, would be replaced."""
    if stat.S_ISLNK(st.st_mode):
        raise InputError.single(
            f"the output is a symbolic link; it would be replaced by {replacement} "
            "and its target left unchanged: give the real path",
            source=path,
        )


def check_output_path(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output path that would destroy or not become what the user expects.

    Raises:
        InputError: the path is a folder, a FIFO, socket or device, a symbolic link,
            or the same file as one of ``inputs``; the message says which.
    """
    st = _status(path)
    if st is not None:
        _refuse_link(st, path, "a file")
        if stat.S_ISDIR(st.st_mode):
            raise InputError.single(
                "the output is a folder; give a file name inside it", source=path
            )
        if not stat.S_ISREG(st.st_mode):
            raise InputError.single(
                "the output is not a regular file (a FIFO, socket or device); "
                "write to a file and read it from there",
                source=path,
            )
    for source in inputs:
        if _same_file(path, source):
            raise InputError.single(
                f"the output is the input {source}; writing it would lose the input: "
                "give another output path",
                source=path,
            )


def check_dataset_path(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse the output folder of a partitioned run before any work is done.

    The finished dataset replaces the folder whole, so the folder may not be a
    symbolic link (the link would be replaced, its target left as it was), anything
    but a folder, one of ``inputs`` or a folder holding one of them (the input
    would go with it).

    Raises:
        InputError: the path is a symbolic link, a file, a FIFO, socket or device,
            an input, or a folder that holds an input; the message says which.
    """
    st = _status(path)
    folder = path.resolve()
    for source in inputs:
        held = source.resolve()
        if held == folder or folder in held.parents:
            raise InputError.single(
                f"the output is or holds the input {source}; the dataset would "
                "replace it: give another output path",
                source=path,
            )
    if st is not None:
        _refuse_link(st, path, "the dataset")
        if not stat.S_ISDIR(st.st_mode):
            raise InputError.single(
                "the output of a partitioned run is a folder; this path is "
                + (
                    "a file"
                    if stat.S_ISREG(st.st_mode)
                    else "not a regular file (a FIFO, socket or device)"
                ),
                source=path,
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def spreadsheet_safe(value: object) -> object:
    """``value``, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


__all__ = [
    "FORMULA_STARTS",
    "check_dataset_path",
    "check_output_path",
    "spreadsheet_safe",
]
