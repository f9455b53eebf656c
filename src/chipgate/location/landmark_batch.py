"""The landmark's side of format 2: one signature over a Merkle tree of a batch.

As Roughtime does, a landmark collects the measurements of a period, builds an RFC 9162
tree over them and signs its root once; every measurement then carries the signed tree
head and its inclusion path. Signing cost per batch is constant, so a landmark (and a
verifier) pays one Ed25519 operation per period rather than per measurement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.batched_records import (
    BatchedRecord,
    BatchHeader,
    MeasurementEntry,
    batch_bytes,
)
from chipgate.location.merkle import leaf_hash, tree_with_paths
from chipgate.location.protocol import sign


@dataclass(frozen=True)
class SealedBatch:
    """A signed tree head with the inclusion path of each entry (hex, leaf upwards)."""

    landmark_id: str
    header: BatchHeader
    entries: tuple[MeasurementEntry, ...]
    paths: tuple[tuple[str, ...], ...]

    def record(
        self, index: int, session_signature: str, session_key: str
    ) -> BatchedRecord:
        """The record line of entry ``index`` once its chip has disclosed its key."""
        entry = self.entries[index]
        return BatchedRecord(
            **dict(entry),
            session_signature=session_signature,
            session_key=session_key,
            batch=self.header,
            index=index,
            path=list(self.paths[index]),
        )


def seal_batch(
    key: Ed25519PrivateKey,
    landmark_id: str,
    entries: Sequence[MeasurementEntry],
    signed_at: datetime,
) -> SealedBatch:
    """Hash the entries into a tree and sign ``{format, landmark_id, root, size,
    signed_at}``.

    Raises:
        ValueError: no entries, or an entry measured by another landmark.
    """
    if any(e.landmark_id != landmark_id for e in entries):
        raise ValueError(f"a batch of {landmark_id} holds another landmark's entry")
    root, paths = tree_with_paths([leaf_hash(e.entry_bytes()) for e in entries])
    size = len(entries)
    signature = sign(key, batch_bytes(landmark_id, root.hex(), size, signed_at))
    header = BatchHeader(
        root=root.hex(), size=size, signed_at=signed_at, signature=signature
    )
    return SealedBatch(
        landmark_id,
        header,
        tuple(entries),
        tuple(tuple(p.hex() for p in path) for path in paths),
    )
