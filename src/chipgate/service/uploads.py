"""Uploaded files: copied to a temporary file that the library reads by its path,
and every problem found in it pointed back at the file the caller sent."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from chipgate.errors import InputError, Problem


def renamed(error: InputError, upload: Path, filename: str) -> list[Problem]:
    """Problems pointing at the file the user sent, not at the kept copy."""
    return [
        Problem(
            p.message,
            filename if p.source == str(upload) else p.source,
            p.line,
            p.field,
        )
        for p in error.problems
    ]


@contextmanager
def uploaded(file: UploadFile, default: str) -> Iterator[tuple[Path, str]]:
    """The upload as a temporary file with the type of its name (``.csv``: the
    readers go by it), and that name (``default`` when it has none), for the
    block; removed after it.

    Raises:
        InputError: raised in the block (of the same kind, e.g.
            ``AlreadyIngested``); its problems name the file sent.
    """
    filename = Path(file.filename or default).name
    with tempfile.NamedTemporaryFile(
        delete=False, suffix=Path(filename).suffix.lower()
    ) as handle:
        shutil.copyfileobj(file.file, handle)
        upload = Path(handle.name)
    try:
        yield upload, filename
    except InputError as exc:
        raise dataclasses.replace(
            exc, problems=renamed(exc, upload, filename)
        ) from None
    finally:
        upload.unlink(missing_ok=True)
