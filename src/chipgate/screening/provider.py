"""Build or reload the screening index, and swap in new list files atomically.

The index is cached on disk under ``settings.data_dir/screening``, keyed by the
SHA-256 of every list file and the matcher version, so a start-up with unchanged
lists reads one file instead of parsing and normalizing ~80,000 names. ``lists
update`` builds the complete new index before it changes the pointer to the active
lists, so a malformed file leaves the previous index in use.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import orjson

from chipgate.errors import InputError
from chipgate.screening.download import copy_file, is_url, sha256_file
from chipgate.screening.index import ScreeningIndex, build_index
from chipgate.screening.matcher import NameMatcher
from chipgate.screening.screener import Screener
from chipgate.screening.sources import REGISTRY, load_lists
from chipgate.screening.sources.load import stage_lists
from chipgate.screening.sources.single import is_single_file, stage_single_file
from chipgate.settings import Settings

CACHE_VERSION = f"{NameMatcher.NAME}-1"


@cache
def _code_digest() -> str:
    """Hash of the code and data that shape the index, so a cache built by other
    normalization rules is never reused."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    package = resources.files("chipgate.screening")
    for name in ("normalize.py", "tokens.py", "index.py", "model.py"):
        digest.update(package.joinpath(name).read_bytes())
    for item in sorted(package.joinpath("data").iterdir(), key=lambda p: p.name):
        digest.update(item.read_bytes())
    return digest.hexdigest()


ACTIVE = "active.json"


def screening_dir(data_dir: Path) -> Path:
    """Where the index cache and the updated list files live."""
    return data_dir / "screening"


def active_lists_dir(data_dir: Path, default: Path | None) -> Path:
    """The lists folder in use: the last ``lists update``, else ``default``.

    Raises:
        InputError: neither an update nor a configured folder exists.
    """
    pointer = screening_dir(data_dir) / ACTIVE
    if pointer.is_file():
        return Path(orjson.loads(pointer.read_bytes())["lists_dir"])
    if default is None or not default.is_dir():
        raise InputError.single(
            "no restricted-party lists folder: set CHIPGATE_LISTS_DIR or run "
            "'chipgate lists update --from DIR_OR_URL'",
            source=str(default) if default else None,
        )
    return default


def cache_key(folder: Path) -> str:
    """Hash of the index code and of every registered list file present."""
    digest = hashlib.sha256(_code_digest().encode())
    for cls in REGISTRY:
        for rel in cls.files:
            path = folder / rel
            if path.is_file():
                digest.update(f"{rel}:{sha256_file(path)}".encode())
    return digest.hexdigest()[:24]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with open(fd, "wb") as out:
        out.write(data)
    Path(tmp).replace(path)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic collector while hundreds of thousands of objects are made.

    None of them is garbage yet, so collections during the build or the cache read
    only cost time (a third of the start-up).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_index(folder: Path, data_dir: Path | None = None) -> ScreeningIndex:
    """The index over ``folder``, from the disk cache when its key matches.

    Raises:
        InputError: a list file is malformed (file and line named).
    """
    cache = None
    if data_dir is not None:
        cache = screening_dir(data_dir) / f"index-{cache_key(folder)}.pickle"
        if cache.is_file():
            # The cache is written by this module only, into the user's own data
            # folder, and named by the hash of its inputs.
            with _no_gc():
                index: ScreeningIndex = pickle.loads(cache.read_bytes())  # noqa: S301
            return index
    with _no_gc():
        loaded = load_lists(folder)
        index = build_index(loaded.infos, loaded.entries)
    if cache is not None:
        _write_atomic(cache, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    return index


def screener_for(index: ScreeningIndex, threshold: float, review: float) -> Screener:
    """A screener over ``index`` with the given thresholds."""
    return Screener(index, threshold=threshold, review_threshold=review)


def load_screener(settings: Settings) -> Screener:
    """The screener the engine uses, built from ``settings``.

    Reads ``lists_dir`` (or the folder of the last ``lists update``), ``data_dir``
    for the cache, and the two screening thresholds.
    """
    folder = active_lists_dir(settings.data_dir, settings.lists_dir)
    index = load_index(folder, settings.data_dir)
    return screener_for(
        index, settings.screening_threshold, settings.screening_review_threshold
    )


def _rename_sources(error: InputError, staging: Path, origin: str) -> InputError:
    """Point problems found in staged copies back at the files the user gave."""
    problems = [
        replace(p, source=p.source.replace(str(staging), origin.rstrip("/")))
        if p.source
        else p
        for p in error.problems
    ]
    return InputError(problems)


def update_lists(
    data_dir: Path, origin: str | None, current: Path | None = None
) -> ScreeningIndex:
    """Fetch or copy new list files, build their index, then make them active.

    Args:
        data_dir: the settings' data folder.
        origin: a folder or URL (``file://`` too) holding the lists in the usual
            layout, or one list file (path or URL of a ``.json``, ``.xml``,
            ``.csv`` or ``.txt`` file, format read from its content; see
            ``stage_single_file``), or None for the official download URLs.
        current: the lists folder in use, whose other lists a single file joins.

    Returns:
        The new index, already cached and active.

    Raises:
        InputError: a file is missing or malformed; nothing was changed.
    """
    root = screening_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".staging-"))
    try:
        if origin is not None and is_single_file(origin):
            stage_single_file(origin, staging, current)
        elif origin is not None and not is_url(origin):
            source_dir = Path(origin)
            if not source_dir.is_dir():
                raise InputError.single("not a folder or URL", source=origin)
            load_lists(source_dir)  # report problems against the user's own files
            for cls in REGISTRY:
                for rel in cls.files:
                    if (source_dir / rel).is_file():
                        copy_file(source_dir / rel, staging / rel)
        else:
            stage_lists(origin, staging)
        try:
            index = load_index(staging, None)
        except InputError as exc:
            raise _rename_sources(exc, staging, origin or "official URLs") from exc
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        final = root / f"lists-{stamp}-{cache_key(staging)[:12]}"
        staging.rename(final)
        cache = root / f"index-{cache_key(final)}.pickle"
        _write_atomic(cache, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        _write_atomic(root / ACTIVE, orjson.dumps({"lists_dir": str(final.resolve())}))
        return index
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


__all__ = [
    "active_lists_dir",
    "cache_key",
    "load_index",
    "load_screener",
    "screener_for",
    "update_lists",
]
