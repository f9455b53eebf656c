"""The store of restricted-party list sets: staged, checked, activated, rolled back.

Layout under ``data_dir/screening``::

    blobs/<sha256>            each list file once, named by its SHA-256
    lists-<stamp>-<key>/      a list set: hard links to blobs at the usual paths
    index-<key>.msgpack       the index built from a set (``screening.cache``)
    active.json               the pointer: set in use, its files' hashes, entry
                              counts, and the sets before it (for rollback)
    .staging-*                an update in progress (removed at the next update)
    .update.lock              held while an update or a rollback runs

A set shares every unchanged file with the sets before it (hard links to one blob),
so an update costs the size of what changed. The pointer names the SHA-256 of every
file of its set and is checked against the files on every load: a set changed after
it was activated, or a pointer that names a folder outside the store, is refused.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from chipgate.errors import InputError
from chipgate.screening.download import sha256_file

ACTIVE = "active.json"
BLOBS = "blobs"
LOCK = ".update.lock"
STAGING_PREFIX = ".staging-"
SET_NAME = re.compile(r"^lists-[0-9]{8}T[0-9]{6}(?:[0-9]{6})?-[0-9a-f]{12}$")


def screening_dir(data_dir: Path) -> Path:
    """Where the list sets, the index caches and the pointer live."""
    return data_dir / "screening"


def file_hashes(folder: Path, relative: list[str]) -> dict[str, str]:
    """SHA-256 of each of ``relative`` that exists under ``folder``."""
    return {
        rel: sha256_file(folder / rel) for rel in relative if (folder / rel).is_file()
    }


@dataclass
class Pointer:
    """The content of ``active.json``.

    Attributes:
        lists_dir: name of the active set folder (inside the store, never a path).
        files: SHA-256 of every file of the set, by relative path.
        counts: entries per list (loader name) when the set was activated.
        history: earlier sets, oldest first; ``lists rollback`` returns to the last.
    """

    lists_dir: str
    files: dict[str, str]
    counts: dict[str, int]
    history: list[dict[str, Any]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """This pointer as one history entry (without the history)."""
        return {"lists_dir": self.lists_dir, "files": self.files, "counts": self.counts}

    @classmethod
    def parse(cls, raw: dict[str, Any], source: Path) -> Pointer:
        """Read a pointer, refusing anything but a set inside the store.

        Raises:
            InputError: a malformed pointer or one that names a path.
        """
        try:
            name = raw["lists_dir"]
            files = {str(k): str(v) for k, v in raw["files"].items()}
            counts = {str(k): int(v) for k, v in raw["counts"].items()}
            history = list(raw.get("history") or [])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InputError.single(
                "the active-lists pointer is not in the expected form (lists_dir, "
                "files, counts); run 'chipgate lists update' to rebuild it",
                source=source,
            ) from None
        if not isinstance(name, str) or not SET_NAME.match(name):
            raise InputError.single(
                f"the active-lists pointer names {name!r}, which is not a list set of "
                "this store; run 'chipgate lists update' to rebuild it",
                source=source,
            )
        return cls(name, files, counts, history)


def read_pointer(data_dir: Path) -> Pointer | None:
    """The pointer of the store, or None before the first update.

    Raises:
        InputError: the pointer is malformed.
    """
    path = screening_dir(data_dir) / ACTIVE
    if not path.is_file():
        return None
    try:
        raw = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError.single(
            f"the active-lists pointer is not JSON ({exc}); run 'chipgate lists "
            "update' to rebuild it",
            source=path,
        ) from None
    if not isinstance(raw, dict):
        raise InputError.single("the active-lists pointer is not an object", source=path)
    return Pointer.parse(raw, path)


def verified_set(data_dir: Path, pointer: Pointer) -> Path:
    """The folder of the active set, once every file matches the pointer's hash.

    Raises:
        InputError: a file of the set is missing, added or changed since activation.
    """
    folder = screening_dir(data_dir) / pointer.lists_dir
    source = screening_dir(data_dir) / ACTIVE
    if not folder.is_dir():
        raise InputError.single(
            f"the active list set {pointer.lists_dir} is missing; run 'chipgate lists "
            "rollback' or 'chipgate lists update'",
            source=source,
        )
    present = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
    )
    if present != sorted(pointer.files):
        raise InputError.single(
            f"the files of the active list set {pointer.lists_dir} are not those it "
            f"was activated with ({', '.join(present) or 'none'} instead of "
            f"{', '.join(sorted(pointer.files))}); run 'chipgate lists update'",
            source=folder,
        )
    for rel, expected in pointer.files.items():
        if sha256_file(folder / rel) != expected:
            raise InputError.single(
                "this list file changed after its set was activated (SHA-256 differs "
                "from active.json); refusing it: run 'chipgate lists update' or "
                "'chipgate lists rollback'",
                source=folder / rel,
            )
    return folder


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file (owner-only) renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with open(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pointer(data_dir: Path, pointer: Pointer) -> None:
    """Make ``pointer`` the active one (atomically)."""
    payload = {
        "lists_dir": pointer.lists_dir,
        "files": pointer.files,
        "counts": pointer.counts,
        "history": pointer.history,
    }
    write_atomic(
        screening_dir(data_dir) / ACTIVE,
        orjson.dumps(payload, option=orjson.OPT_INDENT_2),
    )


@contextmanager
def update_lock(data_dir: Path) -> Iterator[Path]:
    """Hold the store's lock and clear staging folders that killed updates left.

    Yields:
        The store folder.
    """
    root = screening_dir(data_dir)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (root / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            for stale in root.glob(f"{STAGING_PREFIX}*"):
                shutil.rmtree(stale, ignore_errors=True)
            yield root
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_staging(root: Path) -> Path:
    """A fresh staging folder inside the store (same file system as the blobs)."""
    return Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))


def commit_set(root: Path, staging: Path, files: dict[str, str], key: str) -> str:
    """Move a validated staging folder into the store as a new set.

    Every file becomes a hard link to its blob, so a file equal to one of an earlier
    set takes no more room.

    Returns:
        The new set's folder name.
    """
    blobs = root / BLOBS
    blobs.mkdir(mode=0o700, exist_ok=True)
    for rel, digest in files.items():
        staged = staging / rel
        blob = blobs / digest
        try:
            if not blob.exists():
                os.link(staged, blob)
            else:
                staged.unlink()
                os.link(blob, staged)
        except OSError:  # no hard links on this file system: keep a plain copy
            if not staged.exists():
                shutil.copyfile(blob, staged)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"lists-{stamp}-{key[:12]}"
    staging.rename(root / name)
    return name


def prune(root: Path, keep: list[str], keep_caches: set[str]) -> None:
    """Remove sets not in ``keep``, caches not in ``keep_caches``, unused blobs."""
    for folder in root.glob("lists-*"):
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for cache in root.glob("index-*"):
        if cache.name not in keep_caches:
            cache.unlink(missing_ok=True)
    blobs = root / BLOBS
    if blobs.is_dir():
        for blob in blobs.iterdir():
            if blob.stat().st_nlink <= 1:  # no set links to it any more
                blob.unlink(missing_ok=True)


__all__ = [
    "ACTIVE",
    "Pointer",
    "commit_set",
    "file_hashes",
    "new_staging",
    "prune",
    "read_pointer",
    "screening_dir",
    "update_lock",
    "verified_set",
    "write_atomic",
    "write_pointer",
]
