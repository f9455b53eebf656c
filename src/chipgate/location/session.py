"""Chip sessions: one device-key signature per session, answers tagged with a session key.

This is delayed key disclosure as in TESLA (Perrig et al.). The chip's secure element
draws a random session key K, commits to it (SHA-256 of K) in a session statement it
signs with the device key, and tags every answer in the window with HMAC-SHA256 under
K. Before the window closes only the secure element knows K, so nothing else can
answer for the chip. Once a landmark-signed time shows the window closed (past
``not_after`` plus the clock skew), the secure element discloses K so that anyone can
check the tags; K is then worthless to a forger, because any answer made with it is
measured after ``not_after`` and the landmark's signed ``measured_at`` shows that.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from chipgate.location.batched_records import (
    BatchHeader,
    SessionStatement,
    answer_bytes,
)
from chipgate.location.protocol import CLOCK_SKEW, new_nonce, sign, verifies

SESSION_KEY_BYTES = 32
MAX_SESSION = timedelta(hours=1)
"""Longest window a statement may span: a short window bounds how long a moved chip
could keep answering on an old claim, and how long K stays secret."""


def window_problem(not_before: datetime, not_after: datetime) -> str | None:
    """Why a session window is not acceptable (empty, or longer than the maximum)."""
    if not_before < not_after <= not_before + MAX_SESSION:
        return None
    return (
        f"session window of {(not_after - not_before).total_seconds():.0f} s is empty "
        f"or longer than the {MAX_SESSION.total_seconds():.0f} s allowed"
    )


def commitment(key: bytes) -> str:
    """SHA-256 of a session key, hex: what the signed statement binds the key by."""
    return hashlib.sha256(key).hexdigest()


def answer_tag(key: bytes, message: bytes) -> str:
    """HMAC-SHA256 of an answer under the session key, hex."""
    return hmac.digest(key, message, "sha256").hex()


class KeyNotYetReleasable(Exception):
    """The secure element refuses to disclose a key while its window may be open."""


@dataclass
class ChipSession:
    """One open session of a secure element: statement, its signature and the key.

    The key stays private to the secure element until :meth:`disclose` is given a
    landmark-signed time past the window.
    """

    statement: SessionStatement
    signature: str
    _key: bytes = field(repr=False)

    def answer(self, landmark_id: str, nonce: str) -> str:
        """Tag a landmark's challenge: the chip's answer during the session."""
        message = answer_bytes(
            landmark_id,
            self.statement.chip_id,
            nonce,
            self.statement.claimed_site,
            self.statement.session_id,
        )
        return answer_tag(self._key, message)

    def disclose(
        self, landmark_id: str, header: BatchHeader, landmark_key: Ed25519PublicKey
    ) -> str:
        """Release K (hex) against a landmark-signed time past the window.

        The secure element trusts no host clock: only a batch header whose signature
        verifies under a landmark key it knows, and whose ``signed_at`` lies beyond
        ``not_after`` plus the clock skew, proves that no answer can still count.

        Raises:
            KeyNotYetReleasable: the header does not verify or is too early.
        """
        if not verifies(
            landmark_key, header.signature, header.signed_bytes(landmark_id)
        ):
            raise KeyNotYetReleasable("the landmark's signed time does not verify")
        if header.signed_at <= self.statement.not_after + CLOCK_SKEW:
            raise KeyNotYetReleasable(
                "the session window may still be open at the landmark's signed time"
            )
        return self._key.hex()


def open_session(
    device_key: Ed25519PrivateKey,
    *,
    chip_id: str,
    claimed_site: str,
    not_before: datetime,
    not_after: datetime,
) -> ChipSession:
    """The secure element's side: draw K, sign the statement that commits to it.

    Raises:
        ValueError: an empty window or one longer than :data:`MAX_SESSION`.
    """
    problem = window_problem(not_before, not_after)
    if problem is not None:
        raise ValueError(problem)
    return sign_session(
        device_key,
        secrets.token_bytes(SESSION_KEY_BYTES),
        chip_id=chip_id,
        claimed_site=claimed_site,
        not_before=not_before,
        not_after=not_after,
    )


def sign_session(
    device_key: Ed25519PrivateKey,
    key: bytes,
    *,
    chip_id: str,
    claimed_site: str,
    not_before: datetime,
    not_after: datetime,
) -> ChipSession:
    """Sign a statement committing to ``key``, whatever the window.

    :func:`open_session` is what a secure element does; this lower step lets tests
    and adversaries build sessions it would refuse.
    """
    statement = SessionStatement(
        chip_id=chip_id,
        claimed_site=claimed_site,
        session_id=new_nonce(),
        key_commitment=commitment(key),
        not_before=not_before,
        not_after=not_after,
    )
    return ChipSession(statement, sign(device_key, statement.signed_bytes()), key)
