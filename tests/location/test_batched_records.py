"""Format 2: what passes, and each check on its own refusing what it must."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location import batched_checks
from chipgate.location.batched_records import BatchedRecord
from chipgate.location.verify import parse_lines, record_digest
from tests.location.format2 import (
    NOW,
    START,
    Deployment,
    forged_session,
    tag_with,
)


@pytest.fixture
def dep() -> Deployment:
    return Deployment()


def _problem(dep: Deployment, record: BatchedRecord) -> str:
    (result,) = dep.check(record)
    assert result.problem is not None
    return result.problem


def test_an_honest_batch_passes_and_survives_a_json_round_trip(dep: Deployment) -> None:
    s1, s2 = dep.session("C1"), dep.session("C2")
    batch = dep.seal([dep.entry(s1), dep.entry(s2), dep.entry(s1)])
    records = dep.records(batch, [s1, s2])
    lines = [r.to_json() for r in records]
    parsed = parse_lines(lines)
    assert [p.record for p in parsed] == records
    assert all(isinstance(p.record, BatchedRecord) for p in parsed)
    assert [c.problem for c in dep.check(*records)] == [None, None, None]


def test_session_signatures_and_batch_heads_are_verified_once(
    dep: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    s1, s2 = dep.session("C1"), dep.session("C2")
    batch = dep.seal([dep.entry(s) for s in (s1, s2, s1, s2, s1)])
    calls: list[bytes] = []
    real = batched_checks.verifies

    def counting(key, signature, message):  # type: ignore[no-untyped-def]
        calls.append(message)
        return real(key, signature, message)

    monkeypatch.setattr(batched_checks, "verifies", counting)
    assert all(c.valid for c in dep.check(*dep.records(batch, [s1, s2])))
    assert len(calls) == 3  # two sessions, one batch


def test_a_failed_batch_fails_all_its_records(dep: Deployment) -> None:
    s1 = dep.session()
    batch = dep.seal(
        [dep.entry(s1) for _ in range(4)], key=Ed25519PrivateKey.generate()
    )
    results = dep.check(*dep.records(batch, [s1]))
    assert {r.problem for r in results} == {"landmark batch signature does not verify"}


def test_a_header_altered_after_a_valid_one_misses_the_cache(dep: Deployment) -> None:
    s1 = dep.session()
    first, second = dep.records(dep.seal([dep.entry(s1), dep.entry(s1)]), [s1])
    header = second.batch
    for change in (
        {"size": header.size + 1},
        {"signed_at": header.signed_at - timedelta(seconds=1)},
    ):
        altered = second.model_copy(update={"batch": header.model_copy(update=change)})
        valid, refused = dep.check(first, altered)
        assert valid.valid
        assert refused.problem == "landmark batch signature does not verify"


def test_a_session_signed_by_another_key_is_refused(dep: Deployment) -> None:
    s1 = forged_session(
        Ed25519PrivateKey.generate(), not_after=START + timedelta(minutes=2)
    )
    (record,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    assert "chip signature over the session statement" in _problem(dep, record)


def test_a_session_altered_after_a_valid_one_misses_the_cache(dep: Deployment) -> None:
    s1 = dep.session()
    first, second = dep.records(dep.seal([dep.entry(s1), dep.entry(s1)]), [s1])
    later = second.session.model_copy(
        update={"not_after": second.session.not_after + timedelta(seconds=30)}
    )
    altered = second.model_copy(update={"session": later})
    valid, refused = dep.check(first, altered)
    assert valid.valid
    assert refused.problem is not None
    assert "chip signature over the session statement" in refused.problem


def test_a_wrong_disclosed_key_is_refused(dep: Deployment) -> None:
    s1 = dep.session()
    (record,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    wrong = record.model_copy(update={"session_key": secrets.token_hex(32)})
    assert "does not match the session's commitment" in _problem(dep, wrong)


def test_a_tag_from_another_session_is_refused(dep: Deployment) -> None:
    s1, old = dep.session(), dep.session(start=START - timedelta(minutes=5))
    nonce = secrets.token_hex(16)
    stale = old.answer("fra", nonce)
    (record,) = dep.records(dep.seal([dep.entry(s1, nonce=nonce, tag=stale)]), [s1])
    assert _problem(dep, record) == "answer tag does not verify under the session key"


def test_an_answer_outside_the_session_window_is_refused(dep: Deployment) -> None:
    s1 = dep.session()
    late = s1.statement.not_after + timedelta(seconds=30)
    early = s1.statement.not_before - timedelta(seconds=1)
    for at in (late, early):
        # whoever holds the disclosed key can tag, but not inside the window
        (record,) = dep.records(dep.seal([dep.entry(s1, at=at)]), [s1])
        assert "answered outside its session window" in _problem(dep, record)


@pytest.mark.parametrize("length", [timedelta(hours=1, seconds=1), timedelta(0)])
def test_a_session_window_too_long_or_empty_is_refused(
    dep: Deployment, length: timedelta
) -> None:
    s1 = forged_session(dep.chips["C1"], not_after=START + length)
    entry = dep.entry(s1, at=START)
    (record,) = dep.records(dep.seal([entry]), [s1])
    assert "longer than the 3600 s allowed" in _problem(dep, record)


def test_a_session_of_another_site_is_refused_even_with_a_valid_tag(
    dep: Deployment,
) -> None:
    s1 = dep.session()
    nonce = secrets.token_hex(16)
    leaked = s1._key
    tag = tag_with(
        leaked, "fra", "C1", nonce, "Somewhere else", s1.statement.session_id
    )
    entry = dep.entry(s1, nonce=nonce, tag=tag, claimed_site="Somewhere else")
    (record,) = dep.records(dep.seal([entry]), [s1])
    assert (
        _problem(dep, record) == "session statement is for another chip or claimed site"
    )


def test_a_batch_signed_before_its_measurement_or_in_the_future_is_refused(
    dep: Deployment,
) -> None:
    s1 = dep.session()
    entry = dep.entry(s1)
    (before,) = dep.records(
        dep.seal([entry], signed_at=entry.measured_at - timedelta(seconds=1)), [s1]
    )
    (future,) = dep.records(dep.seal([entry], signed_at=NOW + timedelta(hours=1)), [s1])
    assert _problem(dep, before) == "batch signed before its measurement was made"
    assert "batch signed in the future" in _problem(dep, future)


def test_a_tampered_path_rtt_or_index_breaks_the_inclusion_proof(
    dep: Deployment,
) -> None:
    s1 = dep.session()
    records = dep.records(dep.seal([dep.entry(s1) for _ in range(5)]), [s1])
    rec = records[2]
    bent = [*rec.path[:-1], secrets.token_hex(32)]
    for change in ({"path": bent}, {"rtt_ms": 1.0}, {"index": 3}, {"path": []}):
        assert "inclusion proof" in _problem(dep, rec.model_copy(update=change))


def test_a_record_moved_into_another_batch_is_refused(dep: Deployment) -> None:
    s1 = dep.session()
    (mine,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    (theirs, _) = dep.records(dep.seal([dep.entry(s1), dep.entry(s1)]), [s1])
    moved = mine.model_copy(
        update={"batch": theirs.batch, "index": theirs.index, "path": theirs.path}
    )
    assert "inclusion proof" in _problem(dep, moved)


def test_stale_unknown_and_unregistered_records_are_refused(dep: Deployment) -> None:
    old = dep.session(start=NOW - timedelta(hours=3))
    (stale,) = dep.records(
        dep.seal([dep.entry(old)], signed_at=NOW - timedelta(hours=2)), [old]
    )
    assert _problem(dep, stale).startswith("stale")
    s1 = dep.session()
    (record,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    dep.chip_keys.pop("C1")
    assert "not in the fleet registry" in _problem(dep, record)


def test_the_same_entry_in_another_batch_is_the_same_record(dep: Deployment) -> None:
    s1 = dep.session()
    entry = dep.entry(s1)
    (first,) = dep.records(dep.seal([entry]), [s1])
    (again,) = dep.records(dep.seal([dep.entry(s1), entry]), [s1])[1:]
    assert first.batch != again.batch
    assert record_digest(first) == record_digest(again)
    seen = {("fra", entry.nonce): record_digest(first)}
    (same,) = dep.check(again, seen=seen)
    assert same.valid
    # a different measurement reusing the nonce is a replay, in any batch
    (other,) = dep.records(dep.seal([dep.entry(s1, nonce=entry.nonce, rtt=9.0)]), [s1])
    (replayed,) = dep.check(other, seen=seen)
    assert replayed.problem is not None
    assert "replay" in replayed.problem
    one, two = dep.check(first, other)
    assert one.valid
    assert two.problem is not None
    assert "replay: nonce already used on line 1" in two.problem


def test_unknown_fields_and_formats_are_refused(dep: Deployment) -> None:
    s1 = dep.session()
    (record,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    data = orjson.loads(record.to_json())
    lines = [
        orjson.dumps(dict(data, speed="fast")),
        orjson.dumps(dict(data, session=dict(data["session"], extra=1))),
        orjson.dumps(dict(data, batch=dict(data["batch"], extra=1))),
        orjson.dumps(dict(data, format="chipgate.location/3")),
        orjson.dumps(dict(data, measured_at="2026-11-23T11:59:00")),
    ]
    results = parse_lines(lines)
    assert all(p.record is None for p in results)
    assert all(p.chip_id == "C1" for p in results)
    assert "time zone" in (results[4].problem or "")
    assert "format" in (results[3].problem or "")


def test_format_1_and_format_2_lines_mix_in_one_file(dep: Deployment) -> None:
    from chipgate.location.protocol import chip_answer, landmark_record, new_nonce

    s1 = dep.session()
    (batched,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    response, sig = chip_answer(
        dep.chips["C1"],
        landmark_id="ams",
        chip_id="C1",
        nonce=new_nonce(),
        claimed_site="Frankfurt DC",
    )
    single = landmark_record(
        dep.landmarks["ams"],
        response,
        sig,
        rtt_ms=5.0,
        measured_at=NOW - timedelta(minutes=1),
    )
    checked = dep.check_lines([batched.to_json(), single.to_json()])
    assert [(p.problem, c.problem) for p, c in checked] == [(None, None)] * 2


def test_only_the_canonical_base64_spelling_of_a_signature_counts(
    dep: Deployment,
) -> None:
    s1 = dep.session()
    (record,) = dep.records(dep.seal([dep.entry(s1)]), [s1])
    text = record.session_signature
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(text[-3])  # 64 bytes: 86 characters, then "=="
    twin = text[:-3] + alphabet[last ^ 1] + "=="
    assert base64.b64decode(twin) == base64.b64decode(text)
    respelt = record.model_copy(update={"session_signature": twin})
    assert "chip signature over the session statement" in _problem(dep, respelt)


def test_a_bad_signature_after_a_good_one_on_the_same_fields_fails(
    dep: Deployment,
) -> None:
    s1 = dep.session()
    good, other = dep.records(dep.seal([dep.entry(s1), dep.entry(s1)]), [s1])
    junk = base64.b64encode(bytes(64)).decode("ascii")
    bad_session = other.model_copy(update={"session_signature": junk})
    bad_batch = other.model_copy(
        update={"batch": other.batch.model_copy(update={"signature": junk})}
    )
    valid, refused_session, refused_batch = dep.check(good, bad_session, bad_batch)
    assert valid.valid
    assert "chip signature over the session" in (refused_session.problem or "")
    assert refused_batch.problem == "landmark batch signature does not verify"
