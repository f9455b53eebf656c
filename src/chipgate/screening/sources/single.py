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


def replaces(source: Source, cls: type[Source]) -> bool:
    """Whether a file of ``source`` given alone replaces the list ``cls`` in use:
    it supersedes it, or ``cls`` gives way to it (the official CSL CSV and the
    projection ``csl-2026``)."""
    return cls.name in source.supersedes or source.name in cls.gives_way_to


def in_use(folder: Path) -> list[type[Source]]:
    """The lists of ``folder`` that are read: present, and superseded by none
    present (``load.load_lists``); the others lie there unread."""
    present = [cls for cls in REGISTRY if cls().present(folder)]
    replaced = {name for cls in present for name in cls.supersedes}
    return [cls for cls in present if cls.name not in replaced]


def _carried(source: Source, current: Path) -> list[str]:
    """The files of ``current`` staged beside a new main file of ``source``: those
    of the other lists in use that it does not replace, and the companions of
    ``source`` itself (its alias and address files, joined to the new main file
    by the entry numbers OFAC keeps). Lists lying unread in ``current`` are left
    behind: with the projection ``csl-2026`` replaced by the CSL CSV, the SDN and
    DPL files it superseded would be read again beside the CSL that holds them."""
    return [
        rel
        for cls in in_use(current)
        if not replaces(source, cls)
        for rel in cls.files
        if (current / rel).is_file()
        and rel != source.files[0]
        and (cls.name != source.name or rel in source.optional)
    ]


def _remedy(over: list[str]) -> str:
    """What to give instead of a file that the lists ``over`` supersede: a file
    of each, or for one without an official download (``csl-2026``) a file of
    the official lists that replace it.

    >>> _remedy(["ofac-sdn-xml"])
    'give a file of ofac-sdn-xml instead'
    >>> _remedy(["csl-2026"])[:60]
    'give a file of csl or csl-json instead (csl-2026 has no offi'
    """
    ways = []
    for name in over:
        cls = next(c for c in REGISTRY if c.name == name)
        if all(cls.urls):
            ways.append(name)
            continue
        official = [c.name for c in REGISTRY if all(c.urls) and replaces(c(), cls)]
        ways.append(
            f"{' or '.join(official)} instead ({name} has no official download "
            "and they replace it)"
        )
    text = ", ".join(ways)
    return f"give a file of {text}" + ("" if text.endswith(")") else " instead")


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
            f"{', '.join(over)} supersede, so it would not be screened; "
            f"{_remedy(over)}, or start a folder without it",
            source=origin,
        )
    return source.name
