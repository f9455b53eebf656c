"""API keys and roles: random keys shown once, kept only as SHA-256 digests.

A key is ``cg_<key id>_<secret>``: the id names the key in lists and audit entries,
the secret carries 256 bits from the operating system's generator. Because the key
is high-entropy, one SHA-256 of it is enough to store (no slow hash needed: nobody
can guess a 256-bit secret, so there is nothing to stretch).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, insert, select, update

from chipgate.cases.writes import write
from chipgate.errors import ChipgateError, InputError
from chipgate.ledger import audit
from chipgate.ledger.db import KeptReader, read_row, read_transaction
from chipgate.service.tables import KEYS

KEY_PREFIX = "cg_"


class UnknownKey(ChipgateError, LookupError):
    """No key has the id asked for."""


class Role(StrEnum):
    """Roles in increasing power; each includes every lower one."""

    VIEWER = "viewer"
    """Reads decisions, cases, balances, licences, the audit chain, the fleet and
    the customer register."""
    ANALYST = "analyst"
    """Also checks orders, screens names, classifies chips and uploads books."""
    OFFICER = "officer"
    """Also decides cases, imports licences, commits draws, registers chips, closes
    location alerts, imports and re-screens the customer register, ingests usage and
    runs usage reports."""
    ADMIN = "admin"
    """Also creates, lists and revokes keys."""

    @property
    def rank(self) -> int:
        """Position in the order viewer < analyst < officer < admin."""
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may.

        >>> Role.OFFICER.allows(Role.ANALYST), Role.VIEWER.allows(Role.ANALYST)
        (True, False)
        """
        return self.rank >= needed.rank


_RANK = {role: rank for rank, role in enumerate(Role)}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: the key's id, name and role."""

    key_id: str
    name: str
    role: Role

    @property
    def who(self) -> str:
        """How the principal is named in the audit chain and case history."""
        return f"{self.name} (key {self.key_id})"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A key as listed: never its secret."""

    key_id: str
    name: str
    role: Role
    created_at: str
    created_by: str
    revoked_at: str | None


def digest(key: str) -> str:
    """The stored form of a key.

    >>> len(digest("cg_x_y"))
    64
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_role(text: str) -> Role:
    """The role named by ``text``.

    Raises:
        InputError: not one of viewer, analyst, officer, admin.
    """
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InputError.single(
            f"unknown role {text!r}; expected one of {', '.join(r.value for r in Role)}",
            field="role",
        ) from None


def create_key(engine: Engine, role: Role, name: str, who: str) -> tuple[str, KeyInfo]:
    """Create a key; return it (the only time it exists in clear) and its listing."""
    if not name.strip():
        raise InputError.single("a key needs a name", field="name")
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    at = audit.utc_now()
    row = {
        "key_id": key_id,
        "digest": digest(key),
        "role": role.value,
        "name": name.strip(),
        "created_at": at,
        "created_by": who,
        "revoked_at": None,
        "revoked_by": None,
    }

    def work(conn: Connection) -> None:
        conn.execute(insert(KEYS), [row])
        audit.append(
            conn,
            [
                audit.PendingEntry(
                    "key.created",
                    who,
                    {"key_id": key_id, "role": role.value, "name": row["name"]},
                )
            ],
        )

    write(engine, work)
    return key, KeyInfo(key_id, name.strip(), role, at, who, None)


def list_keys(engine: Engine) -> list[KeyInfo]:
    """Every key ever created, oldest first, revoked ones included."""
    with read_transaction(engine) as conn:
        rows = conn.execute(select(KEYS).order_by(KEYS.c.created_at)).all()
    return [
        KeyInfo(
            r.key_id, r.name, Role(r.role), r.created_at, r.created_by, r.revoked_at
        )
        for r in rows
    ]


def revoke_key(engine: Engine, key_id: str, who: str) -> bool:
    """Revoke a key at once; False when it was already revoked.

    Raises:
        UnknownKey: no key has that id.
    """

    def work(conn: Connection) -> bool:
        row = conn.execute(
            select(KEYS.c.revoked_at).where(KEYS.c.key_id == key_id)
        ).first()
        if row is None:
            raise UnknownKey(f"no key with id {key_id!r}")
        if row.revoked_at is not None:
            return False
        conn.execute(
            update(KEYS)
            .where(KEYS.c.key_id == key_id)
            .values(revoked_at=audit.utc_now(), revoked_by=who)
        )
        audit.append(conn, [audit.PendingEntry("key.revoked", who, {"key_id": key_id})])
        return True

    return write(engine, work)


_LOOKUP = (
    "SELECT key_id, name, role FROM service_keys "
    "WHERE digest = ? AND revoked_at IS NULL"
)
"""The key's lookup (``tables.KEYS``), by its unique digest."""


def authenticate(
    engine: Engine, key: str, lookup: KeptReader | None = None
) -> Principal | None:
    """The principal of a valid, unrevoked key, or None.

    Read from the store on every request (no cache), so a revoked key is refused
    from the next request on every worker and host; on ``lookup``'s connection when
    given (a worker's event loop), else on a pooled one.
    """
    if not key.startswith(KEY_PREFIX):
        return None
    params = (digest(key),)
    row = lookup.row(params) if lookup else read_row(engine, _LOOKUP, params)
    if row is None:
        return None
    key_id, name, role = row
    return Principal(key_id, name, Role(role))


def key_lookup(engine: Engine) -> KeptReader:
    """The key lookup a worker's event loop makes for every request (call it on
    that thread: the lifespan does)."""
    return KeptReader(engine, _LOOKUP)
