"""Stored device keys in one spelling, so that a key is compared as its 32 bytes.

Revision ID: b7d2e9f4a610
Revises: 8e3f4a9c1d27
Create Date: 2026-12-07

Registration writes a key as the base64 of its 32 bytes (``encode(decode(text))``),
and the check that one key belongs to one chip compares those spellings. Keys stored
before that were kept as written, and base64 has more than one spelling of the same
bytes (the decoder ignores the two unused low bits of the last character), so the
check could miss a stored key given again in another spelling. This revision
rewrites every stored key in the canonical spelling.

Two chips whose stored spellings differ but are one key held a shared key the old
check could not see: one device could answer for the other chip. They become what
chips sharing one spelling already were after ``8e3f4a9c1d27``: chips sharing a key,
which the store opens (refusing them would stop every command, with only a hand
edit of the table as remedy) and registration refuses to keep: re-registering
either chip with that key is refused naming the other, so the officer gives the
chip registered in error its own key (``fleet register --file FILE --replace``). The upgrade
logs a warning naming each shared key and its chips, and changes nothing else. A
stored text that is not base64 of 32 bytes is left as written: verification
reports the chip's records, and no data is lost.
"""

from __future__ import annotations

import base64
import binascii
import logging

import sqlalchemy as sa
from alembic import op

revision = "b7d2e9f4a610"
down_revision = "8e3f4a9c1d27"
branch_labels = None
depends_on = None

log = logging.getLogger("chipgate.location.migrations")

_CHIPS = sa.table(
    "location_chips",
    sa.column("chip_id", sa.String),
    sa.column("public_key", sa.String),
)


def canonical_key(text: str) -> str | None:
    """The canonical base64 of a stored key's 32 bytes (None: not such a key).

    >>> key = base64.b64encode(bytes(range(32))).decode()
    >>> canonical_key(key[:42] + "9=") == key  # "8" and "9" differ in unused bits
    True
    >>> canonical_key("not a key") is None
    True
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return base64.b64encode(raw).decode("ascii") if len(raw) == 32 else None


def hidden_shares(rows: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Keys held by two or more chips in different spellings, each with its
    ``(chip_id, stored spelling)`` pairs."""
    holders: dict[str, list[tuple[str, str]]] = {}
    for chip_id, stored in rows:
        key = canonical_key(stored)
        if key is not None:
            holders.setdefault(key, []).append((chip_id, stored))
    return {
        key: sorted(held)
        for key, held in holders.items()
        if len({c for c, _ in held}) > 1 and len({s for _, s in held}) > 1
    }


def shared_warning(shares: dict[str, list[tuple[str, str]]]) -> str:
    """The warning naming each key now shared, its chips and their old spellings."""
    lines = [
        f"key {key} is now shared by chips "
        + ", ".join(f"{chip!r} (stored as {spelled})" for chip, spelled in held)
        for key, held in sorted(shares.items())
    ]
    return (
        "location_chips: one device key was stored for more than one chip in "
        "different spellings (a shared key the earlier check could not see; one "
        "device could answer for another chip). The keys are now stored alike, so "
        "registration names the share: give the chip registered in error its own "
        "key (chipgate fleet register --file FILE --replace):\n" + "\n".join(lines)
    )


def upgrade() -> None:
    """Rewrite stored keys in the canonical spelling; warn of a share it reveals."""
    conn = op.get_bind()
    rows = [
        (str(r.chip_id), str(r.public_key))
        for r in conn.execute(sa.select(_CHIPS.c.chip_id, _CHIPS.c.public_key))
    ]
    shares = hidden_shares(rows)
    if shares:
        log.warning("%s", shared_warning(shares))
    changed = [
        {"b_chip": chip_id, "b_key": key}
        for chip_id, stored in rows
        if (key := canonical_key(stored)) is not None and key != stored
    ]
    if changed:
        conn.execute(
            sa.update(_CHIPS)
            .where(_CHIPS.c.chip_id == sa.bindparam("b_chip"))
            .values(public_key=sa.bindparam("b_key")),
            changed,
        )


def downgrade() -> None:
    """Nothing to undo: the canonical spelling is a spelling the older code reads."""
