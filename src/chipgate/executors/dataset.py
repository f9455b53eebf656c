"""A partitioned output written all or nothing: part files plus a manifest.

The parts are written into a hidden folder beside the target and renamed into place
only when every part and the manifest are complete, so a failed or killed run leaves
no half-written dataset under the target's name (at most a hidden ``.partial``
folder, which the next run removes).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import orjson

from chipgate.errors import InputError
from chipgate.outputs import check_dataset_path

T = TypeVar("T")

MANIFEST = "manifest.json"
PARTIAL = ".partial-"


def part_name(index: int, suffix: str = ".jsonl") -> str:
    """File name of part ``index`` (sorted names follow the input's order)."""
    return f"part-{index:05d}{suffix}"


def digest_and_lines(path: Path) -> tuple[int, str]:
    """Lines and SHA-256 of a file, read once in blocks."""
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
            lines += block.count(b"\n")
    return lines, digest.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    return digest_and_lines(path)[1]


class DatasetOutput:
    """The folder a partitioned job writes into, published atomically."""

    def __init__(self, target: Path) -> None:
        check_dataset_path(target)
        if target.exists() and not target.is_dir():
            raise InputError.single(
                "the output of a partitioned run is a folder; this path is a file",
                source=target,
            )
        if (
            target.is_dir()
            and any(target.iterdir())
            and not (target / MANIFEST).is_file()
        ):
            raise InputError.single(
                "the output folder exists and is not a chipgate dataset "
                f"(no {MANIFEST}); name a new or empty folder",
                source=target,
            )
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}{PARTIAL}*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.folder = target.parent / f".{target.name}{PARTIAL}{uuid.uuid4().hex[:12]}"
        self.folder.mkdir()
        self.staging = self.folder / "_staging"
        self.staging.mkdir()

    def part(self, index: int, suffix: str = ".jsonl") -> Path:
        """Where part ``index`` is written."""
        return self.folder / part_name(index, suffix)

    def publish(self, manifest: dict[str, Any]) -> None:
        """Write the manifest and move the finished dataset into place."""
        shutil.rmtree(self.staging, ignore_errors=True)
        manifest = {
            "format": "chipgate.dataset/1",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            **manifest,
        }
        (self.folder / MANIFEST).write_bytes(
            orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
        )
        old = None
        if self.target.exists():
            old = (
                self.target.parent
                / f".{self.target.name}{PARTIAL}old-{uuid.uuid4().hex[:8]}"
            )
            os.replace(self.target, old)
        os.replace(self.folder, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Remove everything written (a failed run)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (a retried partition overwrites its last try)."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    temp.write_bytes(data)
    os.replace(temp, path)


def write_dataset(
    target: Path,
    items: Iterable[T],
    write_part: Callable[[Path, list[T]], None],
    *,
    suffix: str,
    per_part: int,
    manifest: dict[str, Any],
) -> list[dict[str, Any]]:
    """Write ``items`` as the dataset ``target``: parts of ``per_part`` items each,
    each written by ``write_part``, then the manifest (``manifest`` plus the parts),
    all or nothing. Returns the parts' entries."""
    dataset = DatasetOutput(target)
    parts: list[dict[str, Any]] = []
    try:
        stream = iter(items)
        while chunk := list(islice(stream, per_part)):
            path = dataset.part(len(parts), suffix)
            write_part(path, chunk)
            parts.append(
                {"file": path.name, "items": len(chunk), "sha256": file_digest(path)}
            )
        dataset.publish(
            {**manifest, "items": sum(p["items"] for p in parts), "parts": parts}
        )
    except BaseException:
        dataset.discard()
        raise
    return parts
