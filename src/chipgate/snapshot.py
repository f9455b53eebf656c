"""A fingerprint of the rule data, recorded with every committed decision.

The audit log stores it so that an auditor can tell which data files (regimes, country
groups, chip catalog) a decision was made with, and replay it with the same files.
"""

from __future__ import annotations

import hashlib
from functools import cache

from chipgate import __version__
from chipgate.datafiles import package_path

DATA_GLOBS = ("regimes/packs/*.yaml", "countries/*.yaml", "chips/*.yaml")


@cache
def rules_digest() -> str:
    """SHA-256 over every shipped rule data file, in path order."""
    digest = hashlib.sha256()
    root = package_path()
    for pattern in DATA_GLOBS:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def rules_version() -> str:
    """Engine version plus the first 12 hex digits of the data digest."""
    return f"{__version__}+rules.{rules_digest()[:12]}"
