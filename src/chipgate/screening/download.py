"""Fetch a list file by URL, hashing it while it streams.

The official lists are downloaded rarely and read often, so a download streams to a
temporary file beside its destination and is renamed into place only once complete:
an interrupted download never leaves a half file that a later build would trust.
``file://`` URLs are read the same way, which is how an offline mirror is used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from chipgate.errors import InputError

CHUNK = 1 << 16


def is_url(location: str) -> bool:
    """True for ``http(s)://`` and ``file://`` locations, False for plain paths."""
    return urlparse(location).scheme in {"http", "https", "file"}


def fetch(url: str, dest: Path, *, timeout: float = 60.0) -> str:
    """Stream ``url`` into ``dest`` and return the SHA-256 of its bytes.

    Args:
        url: an ``http(s)://`` or ``file://`` URL.
        dest: final path; written through a temporary file then renamed.
        timeout: network timeout in seconds.

    Returns:
        The hex SHA-256 digest of the downloaded bytes.

    Raises:
        InputError: the URL cannot be read (missing file, HTTP error, no network).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(url, timeout):
                digest.update(chunk)
                out.write(chunk)
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _chunks(url: str, timeout: float) -> Iterator[bytes]:
    """Yield the bytes behind ``url`` in chunks, local or remote."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        try:
            with Path(unquote(parsed.path)).open("rb") as src:
                while chunk := src.read(CHUNK):
                    yield chunk
        except OSError as exc:
            raise InputError.single(
                f"cannot read list file: {exc.strerror}", source=url
            ) from exc
        return
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as resp:
            resp.raise_for_status()
            yield from resp.iter_bytes(CHUNK)
    except httpx.HTTPError as exc:
        raise InputError.single(f"download failed: {exc}", source=url) from exc


def sha256_file(path: Path) -> str:
    """SHA-256 of a local file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_file(src: Path, dest: Path) -> None:
    """Copy through a temporary name so that ``dest`` is never half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
