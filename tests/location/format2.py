"""Building format-2 records by hand, so a test can break exactly one thing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.batched_records import (
    BatchedRecord,
    MeasurementEntry,
    answer_bytes,
)
from chipgate.location.landmark_batch import SealedBatch, seal_batch
from chipgate.location.protocol import encode_public_key, new_nonce
from chipgate.location.session import (
    ChipSession,
    answer_tag,
    open_session,
    sign_session,
)
from chipgate.location.verify import (
    AnyRecord,
    ParsedLine,
    RecordCheck,
    check_records,
    parse_lines,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(hours=1)
START = NOW - timedelta(minutes=10)
SITE = "Frankfurt DC"


class Deployment:
    """Two chips, two landmarks, their keys, and a verifier's view of them."""

    def __init__(self) -> None:
        self.chips = {
            "C1": Ed25519PrivateKey.generate(),
            "C2": Ed25519PrivateKey.generate(),
        }
        self.landmarks = {
            "fra": Ed25519PrivateKey.generate(),
            "ams": Ed25519PrivateKey.generate(),
        }
        self.chip_keys = {
            c: encode_public_key(k.public_key()) for c, k in self.chips.items()
        }
        self.landmark_keys = {
            lid: encode_public_key(k.public_key()) for lid, k in self.landmarks.items()
        }

    def session(
        self,
        chip_id: str = "C1",
        *,
        start: datetime = START,
        length: timedelta = timedelta(minutes=2),
    ) -> ChipSession:
        return open_session(
            self.chips[chip_id],
            chip_id=chip_id,
            claimed_site=SITE,
            not_before=start,
            not_after=start + length,
        )

    def entry(
        self,
        session: ChipSession,
        landmark_id: str = "fra",
        *,
        at: datetime | None = None,
        rtt: float = 4.0,
        nonce: str | None = None,
        tag: str | None = None,
        claimed_site: str | None = None,
    ) -> MeasurementEntry:
        nonce = nonce or new_nonce()
        return MeasurementEntry(
            landmark_id=landmark_id,
            chip_id=session.statement.chip_id,
            nonce=nonce,
            claimed_site=claimed_site or session.statement.claimed_site,
            rtt_ms=rtt,
            measured_at=at or session.statement.not_before + timedelta(seconds=5),
            session=session.statement,
            tag=tag or session.answer(landmark_id, nonce),
        )

    def seal(
        self,
        entries: Sequence[MeasurementEntry],
        *,
        landmark_id: str = "fra",
        signed_at: datetime = NOW - timedelta(minutes=2),
        key: Ed25519PrivateKey | None = None,
    ) -> SealedBatch:
        return seal_batch(
            key or self.landmarks[landmark_id], landmark_id, entries, signed_at
        )

    def records(
        self, batch: SealedBatch, sessions: Sequence[ChipSession]
    ) -> list[BatchedRecord]:
        """Every entry of the batch as a record line, keys disclosed."""
        by_id = {s.statement.session_id: s for s in sessions}
        out = []
        for i, entry in enumerate(batch.entries):
            s = by_id[entry.session.session_id]
            out.append(batch.record(i, s.signature, s._key.hex()))
        return out

    def check(
        self,
        *records: AnyRecord,
        seen: dict[tuple[str, str], str] | None = None,
        now: datetime = NOW,
    ) -> list[RecordCheck]:
        parsed = [ParsedLine(n, r, r.chip_id, None) for n, r in enumerate(records, 1)]
        return self.check_parsed(parsed, seen=seen, now=now)

    def check_lines(
        self, lines: Sequence[bytes]
    ) -> list[tuple[ParsedLine, RecordCheck]]:
        """Parse and check lines; each parsed line with its check."""
        parsed = parse_lines(lines)
        return list(zip(parsed, self.check_parsed(parsed), strict=True))

    def check_parsed(
        self,
        parsed: Sequence[ParsedLine],
        *,
        seen: dict[tuple[str, str], str] | None = None,
        now: datetime = NOW,
    ) -> list[RecordCheck]:
        return check_records(
            parsed,
            self.chip_keys,
            self.landmark_keys,
            now=now,
            max_age=MAX_AGE,
            seen=seen,
            workers=1,
        )


def forged_session(
    key: Ed25519PrivateKey,
    *,
    not_after: datetime,
    session_key: bytes = b"k" * 32,
) -> ChipSession:
    """A session of chip C1 the secure element would refuse to open (e.g. too long)."""
    return sign_session(
        key,
        session_key,
        chip_id="C1",
        claimed_site=SITE,
        not_before=START,
        not_after=not_after,
    )


def tag_with(
    key: bytes, landmark_id: str, chip_id: str, nonce: str, site: str, session_id: str
) -> str:
    """A tag made with a known (disclosed or leaked) session key."""
    return answer_tag(key, answer_bytes(landmark_id, chip_id, nonce, site, session_id))
