"""``lists update FILE_OR_URL``: one downloaded list file joins the lists in use.

The file's format (not its name) says which loader reads it (``detect``); it is
staged under that loader's path, beside copies of the other lists in use, so the
update replaces that one list and keeps the rest. A list of several files (OFAC's
``sdn.csv`` with ``alt.csv`` and ``add.csv``) keeps the companion files in use: a
new ``sdn.csv`` alone dropped every SDN alias and address country without a word,
and the entry count, unchanged, could not show it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from chipgate.errors import InputError
from chipgate.screening.download import copy_file, fetch, is_url
from chipgate.screening.sources.base import REGISTRY, Source
from chipgate.screening.sources.detect import source_for_file
from chipgate.screening.sources.load import LOADER_ERRORS, load_source

FILE_SUFFIXES = {".json", ".jsonl", ".xml", ".csv", ".txt"}


def is_single_file(origin: str) -> bool:
    """A local file, or a URL whose path ends in a list file name."""
    if is_url(origin):
        return PurePosixPath(urlparse(origin).path).suffix.lower() in FILE_SUFFIXES
    return Path(origin).is_file()


def _carried(source: Source, current: Path) -> list[str]:
    """The files of ``current`` staged beside a new main file of ``source``: every
    other list's, and the companions of ``source`` itself (its alias and address
    files, joined to the new main file by the entry numbers OFAC keeps)."""
    return [
        rel
        for cls in REGISTRY
        for rel in cls.files
        if (current / rel).is_file()
        and rel != source.files[0]
        and (cls.name != source.name or rel in source.optional)
    ]


def stage_single_file(origin: str, staging: Path, current: Path | None) -> str:
    """Place the list in ``origin`` in ``staging`` beside the lists of ``current``.

    Returns:
        The name of the loader that reads the file.

    Raises:
        InputError: unknown format, malformed file (named as the user gave it), or
            a list the lists in use supersede (it would be left out).
    """
    if is_url(origin):
        local = (
            staging
            / ".download"
            / (PurePosixPath(urlparse(origin).path).name or "list")
        )
        fetch(origin, local)
    else:
        local = Path(origin)
    source = source_for_file(local)
    if current is not None and current.is_dir():
        for rel in _carried(source, current):
            copy_file(current / rel, staging / rel)
    copy_file(local, staging / source.files[0])
    if is_url(origin):
        local.unlink()
        local.parent.rmdir()
    try:
        load_source(source, staging)
    except InputError as exc:
        raise InputError([replace(p, source=origin) for p in exc.problems]) from exc
    except LOADER_ERRORS as exc:
        # as ``provider.read_lists`` does for a folder: an entity declaration
        # (defusedxml) or other unforeseen input is the file's fault, not a crash
        raise InputError.single(
            f"list '{source.name}' cannot be read: {type(exc).__name__}: {exc}",
            source=origin,
        ) from None
    over = [
        cls.name
        for cls in REGISTRY
        if source.name in cls.supersedes and cls().present(staging)
    ]
    if over:
        raise InputError.single(
            f"this file is read as list '{source.name}', which the list(s) in use "
            f"{', '.join(over)} supersede, so it would not be screened; update "
            f"{', '.join(over)} instead, or start a folder without it",
            source=origin,
        )
    return source.name
