"""Console sessions: the API key sealed in an HttpOnly cookie, and CSRF tokens.

The cookie holds the key and a CSRF token, encrypted and authenticated with Fernet
under a secret kept in the data folder, so every worker and host sharing that folder
reads it and nothing is kept in memory. The key is checked against the store on each
request, so a revoked key ends its sessions at once.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

COOKIE = "chipgate_session"
LOGIN_COOKIE = "chipgate_login_csrf"
MAX_AGE = 8 * 3600
"""A working day; the officer signs in again after it."""
COOKIE_KEY_FILE = "console.key"


@dataclass(frozen=True, slots=True)
class Session:
    """What the cookie carries."""

    key: str
    csrf: str


def secret(data_dir: Path) -> Fernet:
    """The cookie key, created (readable by the owner only) on first use."""
    path = data_dir / COOKIE_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return Fernet(path.read_bytes().strip())


def new_token() -> str:
    """A CSRF token."""
    return secrets.token_urlsafe(24)


def seal(fernet: Fernet, key: str) -> tuple[str, Session]:
    """The cookie value of a new session for ``key``."""
    session = Session(key, new_token())
    value = fernet.encrypt(json.dumps({"k": key, "c": session.csrf}).encode())
    return value.decode(), session


def unseal(fernet: Fernet, value: str | None) -> Session | None:
    """The session in a cookie, or None when absent, forged or expired.

    >>> f = Fernet(Fernet.generate_key())
    >>> cookie, s = seal(f, "cg_x")
    >>> other = Fernet(Fernet.generate_key())
    >>> unseal(f, cookie) == s, unseal(other, cookie), unseal(f, "x"), unseal(f, None)
    (True, None, None, None)
    """
    if not value:
        return None
    try:
        data = json.loads(fernet.decrypt(value.encode(), ttl=MAX_AGE))
    except (InvalidToken, ValueError):
        return None
    return Session(str(data["k"]), str(data["c"]))


def same(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return bool(given) and secrets.compare_digest(expected, given or "")
