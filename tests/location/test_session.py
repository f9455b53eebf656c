"""The secure element's side of format 2: windows and delayed key disclosure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chipgate.location.protocol import CLOCK_SKEW
from chipgate.location.session import KeyNotYetReleasable, commitment, open_session
from tests.location.format2 import START, Deployment


def test_sessions_longer_than_an_hour_or_empty_are_not_opened() -> None:
    key = Ed25519PrivateKey.generate()
    for length in (timedelta(hours=1, seconds=1), timedelta(0), timedelta(seconds=-5)):
        with pytest.raises(
            ValueError, match="is empty or longer than the 3600 s allowed"
        ):
            open_session(
                key,
                chip_id="C1",
                claimed_site="x",
                not_before=START,
                not_after=START + length,
            )


def test_the_statement_commits_to_the_key_it_will_disclose() -> None:
    dep = Deployment()
    session = dep.session()
    batch = dep.seal([dep.entry(session)])
    key = session.disclose("fra", batch.header, dep.landmarks["fra"].public_key())
    assert commitment(bytes.fromhex(key)) == session.statement.key_commitment


def test_the_key_stays_secret_until_a_landmark_signed_time_past_the_window() -> None:
    dep = Deployment()
    session = dep.session()
    entries = [dep.entry(session)]
    public = dep.landmarks["fra"].public_key()
    closes = session.statement.not_after + CLOCK_SKEW
    too_early = dep.seal(entries, signed_at=closes)
    with pytest.raises(KeyNotYetReleasable, match="may still be open"):
        session.disclose("fra", too_early.header, public)
    late = dep.seal(entries, signed_at=closes + timedelta(seconds=1))
    forged = dep.seal(
        entries,
        signed_at=closes + timedelta(seconds=1),
        key=Ed25519PrivateKey.generate(),
    )
    with pytest.raises(KeyNotYetReleasable, match="does not verify"):
        session.disclose("fra", forged.header, public)
    # a header of another landmark does not pass for this one's signed time
    with pytest.raises(KeyNotYetReleasable, match="does not verify"):
        session.disclose("ams", late.header, public)
    assert session.disclose("fra", late.header, public)


def test_a_batch_holds_one_landmark_only() -> None:
    dep = Deployment()
    session = dep.session()
    with pytest.raises(ValueError, match="another landmark"):
        dep.seal([dep.entry(session, "ams")], landmark_id="fra")
