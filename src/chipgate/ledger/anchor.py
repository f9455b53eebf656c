"""Anchors: the chain head as a signed, dated statement someone else can keep.

Whoever can write the whole database can rewrite the whole chain and recompute every
hash; ``audit verify`` alone cannot tell. An anchor is the head (entry number and
hash) at a moment, signed with the store's Ed25519 key: a third party who keeps it
can later have the store show that its chain still holds that entry with that hash,
so nothing up to that entry was rewritten since.

The key is made on first use in the data dir (``audit-anchor.key``, PKCS#8 PEM,
mode 0600) or read from ``CHIPGATE_AUDIT_KEY_FILE``; a key file that other users
could read is refused, since whoever holds the key can sign false anchors.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from chipgate.errors import InputError, StoreError
from chipgate.ledger.canonical import canonical_json

FORMAT = "chipgate.audit-anchor/1"
KEY_FILE = "audit-anchor.key"


def key_path(data_dir: Path, configured: Path | None) -> Path:
    """Where the signing key lives: the configured file, else one in the data dir."""
    return configured if configured is not None else data_dir / KEY_FILE


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path``, made (mode 0600) when there is none yet.

    Raises:
        StoreError: the file is readable or writable by other users, or is not an
            Ed25519 private key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile: use that one
            return load_or_create_key(path)
        with os.fdopen(handle, "wb") as fh:
            fh.write(pem)
        return key
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StoreError(
            f"{path}: the audit signing key is accessible to other users "
            f"(mode {stat.S_IMODE(mode):o}); make it 600 (chmod 600 {path})"
        )
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise StoreError(f"{path}: not a PEM private key ({exc})") from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise StoreError(f"{path}: the audit signing key must be Ed25519")
    return loaded


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, seq: int, head_hash: str, at: str) -> dict[str, Any]:
    """The signed statement "the chain's entry ``seq`` has hash ``head_hash``"."""
    public = key.public_key()
    statement = {
        "format": FORMAT,
        "seq": seq,
        "head_hash": head_hash,
        "at": at,
        "public_key": base64.b64encode(_raw_public(public)).decode("ascii"),
        "key_id": key_id(public),
    }
    signature = key.sign(canonical_json(statement).encode("utf-8"))
    return {
        "statement": statement,
        "signature": base64.b64encode(signature).decode("ascii"),
    }


@dataclass(frozen=True, slots=True)
class Anchor:
    """A statement read from a file, with the outcome of checking its signature."""

    seq: int
    head_hash: str
    at: str
    key_id: str
    public_key: Ed25519PublicKey
    problem: str = ""
    """Why the signature does not hold ("" when it does)."""


def read(path: Path) -> Anchor:
    """Read an anchor file and check its signature against the key it names.

    Raises:
        InputError: the file is unreadable or not an anchor at all.
    """

    def bad(message: str) -> InputError:
        return InputError.single(message, source=str(path))

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        statement = document["statement"]
        signature = base64.b64decode(document["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(statement["public_key"], validate=True)
        )
        seq, head_hash = statement["seq"], statement["head_hash"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise bad(f"not a chipgate audit anchor ({exc})") from exc
    if statement.get("format") != FORMAT:
        raise bad(f"unknown anchor format {statement.get('format')!r}")
    if not isinstance(seq, int) or not isinstance(head_hash, str):
        raise bad("seq must be a whole number and head_hash a string")
    problem = ""
    try:
        public.verify(signature, canonical_json(statement).encode("utf-8"))
    except InvalidSignature:
        problem = (
            "the signature does not match the statement (altered, or not signed by "
            "the key it names)"
        )
    at = str(statement.get("at", ""))
    return Anchor(seq, head_hash, at, key_id(public), public, problem)
