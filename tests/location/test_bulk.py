"""End-to-end verification in worker processes agrees with the plain path."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipgate.location import verify
from chipgate.location.bulk import verify_lines
from chipgate.location.verify import AnyRecord, Measured, parse_lines, record_digest
from tests.location.format2 import MAX_AGE, NOW, Deployment


def _summary(record: AnyRecord) -> Measured:
    """What the bulk path should hand back for a record the plain path parsed."""
    return Measured(
        record.landmark_id,
        record.chip_id,
        record.nonce,
        record.claimed_site,
        record.rtt_ms,
        record.measured_at,
        record_digest(record),
    )


def _lines(dep: Deployment) -> list[bytes]:
    s1, s2 = dep.session("C1"), dep.session("C2")
    records = dep.records(dep.seal([dep.entry(s) for s in (s1, s2) * 10]), [s1, s2])
    records[3] = records[3].model_copy(update={"session_key": secrets.token_hex(32)})
    lines = [r.to_json() for r in records]
    lines.insert(5, b'{"chip_id": "C1", "truncated')
    lines.insert(8, b"")
    lines.append(lines[0])  # a replay, in another chunk than the original
    return lines


@pytest.mark.slow
def test_workers_give_the_same_checks_as_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dep = Deployment()
    lines = _lines(dep)
    expected = verify.check_records(
        parse_lines(lines),
        dep.chip_keys,
        dep.landmark_keys,
        now=NOW,
        max_age=MAX_AGE,
        workers=1,
    )
    monkeypatch.setattr(verify, "PARALLEL_FROM", 4)
    for workers in (1, 2):
        got = verify_lines(
            lines,
            dep.chip_keys,
            dep.landmark_keys,
            now=NOW,
            max_age=MAX_AGE,
            workers=workers,
        )
        assert [(c.line, c.chip_id, c.problem) for c in got] == [
            (c.line, c.chip_id, c.problem) for c in expected
        ]
        for mine, theirs in zip(got, expected, strict=True):
            if theirs.record is None:
                assert mine.record is None
                continue
            assert isinstance(mine.record, Measured)
            assert mine.record == _summary(theirs.record)  # type: ignore[arg-type]
            assert record_digest(mine.record) == record_digest(theirs.record)
    assert "replay: nonce already used on line 1" in (got[-1].problem or "")
    assert "commitment" in (got[3].problem or "")


FLIP = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_DEP = Deployment()
_S = _DEP.session()
_RECORDS = _DEP.records(_DEP.seal([_DEP.entry(_S, rtt=4.0) for _ in range(3)]), [_S])


@FLIP
@given(
    which=st.integers(min_value=0, max_value=2),
    where=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    xor=st.integers(min_value=1, max_value=255),
)
def test_flipping_any_byte_never_yields_a_different_valid_record(
    which: int, where: float, xor: int
) -> None:
    """A flip is refused, or (like 4.0 spelt 4e0) leaves every value as it was."""
    line = bytearray(_RECORDS[which].to_json())
    line[int(where * len(line))] ^= xor
    for parsed, result in _DEP.check_lines([bytes(line)]):
        assert result.problem is not None or parsed.record == _RECORDS[which]


@pytest.mark.parametrize("xor", [0x01, 0x20])
def test_flipping_each_byte_in_turn_never_yields_a_different_valid_record(
    xor: int,
) -> None:
    line = _RECORDS[1].to_json()
    flipped = [
        line[:i] + bytes([line[i] ^ xor]) + line[i + 1 :] for i in range(len(line))
    ]
    checked = _DEP.check_lines(flipped)
    assert len(checked) == len(line)
    for parsed, result in checked:
        assert result.problem is not None or parsed.record == _RECORDS[1]
