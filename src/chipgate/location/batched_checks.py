"""Checks specific to format 2: session, answer tag, batch signature, inclusion proof.

Signatures are the expensive part, and format 2 shares them: every record of a chip
session carries the same statement and signature, every record of a landmark batch the
same tree head. Each distinct statement and head is verified once per checker and the
outcome remembered, keyed on every signed field plus the signature and the registered
key (plain values: comparing them is cheaper than comparing models), so a record that
alters any signed field misses the cache and is verified, and fails, on its own.
A failed batch or session fails every record that relies on it. What remains per
record is a few hashes and one HMAC.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from chipgate.location.batched_records import BatchedRecord
from chipgate.location.merkle import ProvenNodes, leaf_hash
from chipgate.location.protocol import CLOCK_SKEW, cached_public_key, verifies
from chipgate.location.session import answer_tag, commitment, window_problem

if TYPE_CHECKING:  # verify imports this module; the context is only a type here
    from chipgate.location.verify import CheckContext


class BatchedChecker:
    """Checks format-2 records against registered keys, caching shared verifications.

    The caller has already checked that chip and landmark are registered and that
    the record is fresh (the checks format 1 shares).
    """

    def __init__(self, context: CheckContext) -> None:
        self._chip_keys = context.chip_keys
        self._landmark_keys = context.landmark_keys
        self._now = context.now
        self._verified: dict[tuple[object, ...], str | None] = {}
        self._leaves: dict[int, tuple[BatchedRecord, bytes]] = {}
        self._keys: dict[tuple[str, str], bool] = {}
        self._proven = ProvenNodes()

    def problem(self, rec: BatchedRecord) -> str | None:
        """Why the record fails a format-2 check, or None when it passes them all."""
        return (
            self._session_problem(rec)
            or self._answer_problem(rec)
            or self._batch_problem(rec)
            or self._inclusion_problem(rec)
        )

    def leaf(self, rec: BatchedRecord) -> bytes:
        """The record's leaf hash, computed once per record this checker has seen.

        The memo holds the record itself, so its ``id`` cannot be reused meanwhile.
        """
        memo = self._leaves.get(id(rec))
        if memo is None:
            memo = self._leaves[id(rec)] = (rec, leaf_hash(rec.entry_bytes()))
        return memo[1]

    def _inclusion_problem(self, rec: BatchedRecord) -> str | None:
        if not self._proven.verify(
            self.leaf(rec), rec.index, rec.batch.size, rec.path, rec.batch.root
        ):
            return "inclusion proof does not lead to the batch's signed root"
        return None

    def _session_problem(self, rec: BatchedRecord) -> str | None:
        s = rec.session
        if s.chip_id != rec.chip_id or s.claimed_site != rec.claimed_site:
            return "session statement is for another chip or claimed site"
        window = window_problem(s.not_before, s.not_after)
        if window is not None:
            return window
        if not s.not_before <= rec.measured_at <= s.not_after:
            return (
                f"answered outside its session window (measured "
                f"{rec.measured_at.isoformat()}, window {s.not_before.isoformat()} "
                f"to {s.not_after.isoformat()})"
            )
        chip_key = self._chip_keys[rec.chip_id]
        signed = (s.chip_id, s.claimed_site, s.session_id, s.key_commitment)
        return self._signature(
            ("session", *signed, s.not_before, s.not_after),
            chip_key,
            rec.session_signature,
            s.signed_bytes,
            "chip signature over the session statement does not verify against the "
            "registered device key",
        )

    def _answer_problem(self, rec: BatchedRecord) -> str | None:
        pair = (rec.session.key_commitment, rec.session_key)
        matches = self._keys.get(pair)
        key = bytes.fromhex(rec.session_key)
        if matches is None:
            matches = self._keys[pair] = hmac.compare_digest(commitment(key), pair[0])
        if not matches:
            return "disclosed session key does not match the session's commitment"
        if not hmac.compare_digest(answer_tag(key, rec.tag_bytes()), rec.tag):
            return "answer tag does not verify under the session key"
        return None

    def _batch_problem(self, rec: BatchedRecord) -> str | None:
        header = rec.batch
        if header.signed_at < rec.measured_at:
            return "batch signed before its measurement was made"
        if header.signed_at > self._now + CLOCK_SKEW:
            return f"batch signed in the future ({header.signed_at.isoformat()})"
        return self._signature(
            ("batch", rec.landmark_id, header.root, header.size, header.signed_at),
            self._landmark_keys[rec.landmark_id],
            header.signature,
            lambda: header.signed_bytes(rec.landmark_id),
            "landmark batch signature does not verify",
        )

    def _signature(
        self,
        signed: tuple[object, ...],
        key_text: str,
        signature: str,
        message: Callable[[], bytes],
        failure: str,
    ) -> str | None:
        """Verify once per (signed fields, key, signature); ``message`` only on a miss."""
        cache_key = (*signed, key_text, signature)
        if cache_key not in self._verified:
            self._verified[cache_key] = _signature_problem(
                key_text, signature, message(), failure
            )
        return self._verified[cache_key]


def _signature_problem(
    key_text: str, signature: str, message: bytes, failure: str
) -> str | None:
    try:
        key = cached_public_key(key_text)
    except ValueError as exc:
        return f"registered key unusable: {exc}"
    return None if verifies(key, signature, message) else failure
