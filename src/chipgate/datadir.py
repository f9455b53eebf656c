"""Where chipgate keeps its own files, and the refusal to trust a folder others can change.

The data folder holds the embedded ledger, the restricted-party lists in use and the
screening index built from them: whoever can write there decides what screening
says. So the default is the user's own data directory (``platformdirs``), never the
working directory, and a folder (or a file in it) that another user may write, or
that another user owns, is refused with the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from chipgate.errors import InputError

APP_NAME = "chipgate"
SHARED_BITS = stat.S_IWGRP | stat.S_IWOTH


def default_data_dir() -> Path:
    """The user's data directory for chipgate (e.g. ``~/.local/share/chipgate``)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def _refusal(path: Path, mode: int, is_dir: bool) -> InputError:
    fix = f"chmod go-w {path}" if not is_dir else f"chmod -R go-w {path}"
    return InputError.single(
        f"refusing a data {'folder' if is_dir else 'file'} that other users can write "
        f"(mode {stat.filemode(mode)}): anyone with write access could change the "
        f"lists or the screening index; fix with '{fix}'",
        source=path,
    )


def _check_entry(path: Path, st: os.stat_result) -> None:
    is_dir = stat.S_ISDIR(st.st_mode)
    if st.st_mode & SHARED_BITS:
        raise _refusal(path, st.st_mode, is_dir)
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is not None and st.st_uid not in (uid, 0):
        raise InputError.single(
            f"refusing a data {'folder' if is_dir else 'file'} owned by another user "
            f"(uid {st.st_uid}); use a folder of your own (CHIPGATE_DATA_DIR)",
            source=path,
        )


def check_private(path: Path) -> None:
    """Refuse ``path`` and everything under it when other users may change them.

    Symbolic links are judged by what they point to; their targets inside the folder
    are walked like any other entry.

    Raises:
        InputError: a folder or file is writable by group or others, or owned by
            another user; the message names it and the ``chmod`` that fixes it.
    """
    if not path.exists():
        return
    _check_entry(path, path.stat())
    for root, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            entry = Path(root) / name
            try:
                st = entry.stat()
            except FileNotFoundError:  # removed meanwhile (a finished write)
                continue
            _check_entry(entry, st)


def prepare_data_dir(path: Path) -> Path:
    """Create the data folder (owner-only) when missing, then check it is private.

    Raises:
        InputError: see ``check_private``; or the folder cannot be created.
    """
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(
            f"cannot create the data folder: {exc.strerror}", source=path
        ) from None
    check_private(path)
    return path


__all__ = ["check_private", "default_data_dir", "prepare_data_dir"]
