"""Signed records: what passes, and every way a record is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from chipgate.location.protocol import (
    chip_answer,
    decode_public_key,
    encode_public_key,
    landmark_record,
    new_nonce,
)
from chipgate.location.records import MeasurementRecord
from chipgate.location.verify import ParsedLine, check_records, parse_lines

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(hours=1)


class Fixture:
    def __init__(self) -> None:
        self.chip = Ed25519PrivateKey.generate()
        self.landmark = Ed25519PrivateKey.generate()
        self.chip_keys = {"C1": encode_public_key(self.chip.public_key())}
        self.landmark_keys = {"fra": encode_public_key(self.landmark.public_key())}

    def record(
        self,
        *,
        rtt: float = 4.0,
        at: datetime = NOW - timedelta(minutes=1),
        nonce: str | None = None,
        chip_key: Ed25519PrivateKey | None = None,
    ) -> MeasurementRecord:
        response, sig = chip_answer(
            chip_key or self.chip,
            landmark_id="fra",
            chip_id="C1",
            nonce=nonce or new_nonce(),
            claimed_site="Frankfurt DC",
        )
        return landmark_record(self.landmark, response, sig, rtt_ms=rtt, measured_at=at)

    def check(self, *records: MeasurementRecord, seen=None):  # type: ignore[no-untyped-def]
        parsed = [ParsedLine(n, r, r.chip_id, None) for n, r in enumerate(records, 1)]
        return check_records(
            parsed,
            self.chip_keys,
            self.landmark_keys,
            now=NOW,
            max_age=MAX_AGE,
            seen=seen,
            workers=1,
        )


@pytest.fixture
def fx() -> Fixture:
    return Fixture()


def test_a_well_formed_record_passes_and_survives_a_json_round_trip(
    fx: Fixture,
) -> None:
    rec = fx.record()
    again = MeasurementRecord.model_validate_json(rec.to_json())
    assert again == rec
    assert [c.problem for c in fx.check(again)] == [None]


def test_a_tampered_rtt_breaks_the_landmark_signature(fx: Fixture) -> None:
    rec = fx.record(rtt=40.0).model_copy(update={"rtt_ms": 4.0})
    (result,) = fx.check(rec)
    assert result.problem == "landmark signature does not verify"


def test_a_record_signed_by_an_unregistered_device_key_is_refused(fx: Fixture) -> None:
    (result,) = fx.check(fx.record(chip_key=Ed25519PrivateKey.generate()))
    assert result.problem is not None
    assert "chip signature does not verify" in result.problem


def test_unknown_chips_and_landmarks_are_refused(fx: Fixture) -> None:
    rec = fx.record()
    parsed = [ParsedLine(1, rec, rec.chip_id, None)]
    (no_chip,) = check_records(parsed, {}, fx.landmark_keys, now=NOW, max_age=MAX_AGE)
    (no_lm,) = check_records(parsed, fx.chip_keys, {}, now=NOW, max_age=MAX_AGE)
    assert no_chip.problem is not None
    assert "not in the fleet registry" in no_chip.problem
    assert no_lm.problem is not None
    assert "landmark 'fra'" in no_lm.problem


def test_stale_and_future_records_are_refused(fx: Fixture) -> None:
    stale, future = fx.check(
        fx.record(at=NOW - 2 * MAX_AGE), fx.record(at=NOW + timedelta(hours=1))
    )
    assert stale.problem is not None
    assert stale.problem.startswith("stale")
    assert future.problem is not None
    assert "future" in future.problem


def test_a_nonce_used_twice_in_a_batch_is_a_replay(fx: Fixture) -> None:
    nonce = new_nonce()
    first, second = fx.check(fx.record(nonce=nonce), fx.record(nonce=nonce, rtt=9.0))
    assert first.valid
    assert second.problem is not None
    assert "replay" in second.problem


def test_a_nonce_seen_in_an_earlier_run_is_a_replay_unless_same_record(
    fx: Fixture,
) -> None:
    from chipgate.location.verify import record_digest

    rec = fx.record()
    seen = {("fra", rec.nonce): record_digest(rec)}
    (same,) = fx.check(rec, seen=seen)
    other = fx.record(nonce=rec.nonce, rtt=8.0)
    (replayed,) = fx.check(other, seen=seen)
    assert same.valid
    assert replayed.problem is not None
    assert "replay" in replayed.problem


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"chip_id": "C1", "rtt_ms": 3.0', "not valid JSON"),
        (b'{"chip_id": "C1", "rtt_ms": "fast"}', "rtt_ms"),
        (b"[1, 2, 3]", "bad record"),
        (b'{"chip_id": 7}', "bad record"),
    ],
)
def test_bad_lines_become_problems_not_exceptions(line: bytes, expected: str) -> None:
    (parsed,) = parse_lines([line])
    assert parsed.record is None
    assert parsed.problem is not None
    assert expected in parsed.problem


def test_a_time_without_zone_and_unknown_fields_are_refused(fx: Fixture) -> None:
    data = orjson.loads(fx.record().to_json())
    naive = dict(data, measured_at="2026-11-23T11:59:00")
    extra = dict(data, speed="fast")
    results = parse_lines([orjson.dumps(naive), orjson.dumps(extra)])
    assert all(p.record is None for p in results)
    assert "time zone" in (results[0].problem or "")
    assert results[0].chip_id == "C1"


def test_an_rtt_or_a_batch_index_that_is_a_boolean_is_refused(fx: Fixture) -> None:
    # read leniently, "rtt_ms": true was a 1 ms RTT
    data = orjson.loads(fx.record().to_json())
    (parsed,) = parse_lines([orjson.dumps(dict(data, rtt_ms=True))])
    assert parsed.record is None
    assert "rtt_ms" in (parsed.problem or "")
    from chipgate.location.batched_records import BatchHeader

    with pytest.raises(ValidationError, match="size"):
        BatchHeader.model_validate_json(
            '{"root": "' + "0" * 64 + '", "size": true, '
            '"signed_at": "2026-01-01T00:00:00Z", "signature": "' + "A" * 86 + '=="}'
        )


def test_a_signature_that_is_not_base64_is_refused_not_raised(fx: Fixture) -> None:
    rec = fx.record()
    broken = rec.model_copy(update={"chip_signature": "!" * 88})
    (result,) = fx.check(broken)
    assert result.problem is not None


def test_public_keys_must_be_32_bytes_of_base64() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        decode_public_key("AAAA")
    with pytest.raises(ValueError, match="base64"):
        decode_public_key("not base64!")


def test_large_batches_verify_the_same_in_parallel(fx: Fixture) -> None:
    from chipgate.location import verify

    records = [fx.record() for _ in range(60)]
    records[7] = records[7].model_copy(update={"rtt_ms": 1.0})
    parsed = [ParsedLine(n, r, r.chip_id, None) for n, r in enumerate(records, 1)]
    old = verify.PARALLEL_FROM
    verify.PARALLEL_FROM = 10
    try:
        results = check_records(
            parsed, fx.chip_keys, fx.landmark_keys, now=NOW, max_age=MAX_AGE, workers=2
        )
    finally:
        verify.PARALLEL_FROM = old
    assert [i for i, r in enumerate(results) if not r.valid] == [7]


def test_named_keys_reads_what_the_store_lookups_need_and_skips_junk() -> None:
    from chipgate.location.inputs import named_keys

    lines = [
        b'{"chip_id": "C1", "landmark_id": "fra", "nonce": "ab"}',
        b"",
        b'{"truncated',
        b"[1, 2]",
        b'{"chip_id": 7, "landmark_id": "ams"}',
    ]
    chips, pairs = named_keys(lines)
    assert chips == {"C1"}
    assert pairs == [("fra", "ab")]
