"""Device keys stored before registration normalised them are rewritten in the
canonical spelling on upgrade (SQLite and PostgreSQL), so the one-key-per-chip check
compares the keys' bytes; two chips holding one key in different spellings become
chips sharing one key, named in a warning, which registration refuses to keep."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.errors import InputError
from chipgate.ledger import migrate
from chipgate.ledger.db import make_engine, write_transaction
from chipgate.location.geolocate import Verdict
from chipgate.location.registry import ChipEntry, FleetRegistry, shared_with
from chipgate.location.service import ChipVerdict, Outcome, flag_shared
from chipgate.settings import Settings
from tests.location.test_registry import _entry

PREVIOUS_HEAD = "8e3f4a9c1d27"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _respelled(key: str) -> str:
    """The same 32 bytes, spelled with one of the last character's unused bits set."""
    other = key[:-2] + ALPHABET[ALPHABET.index(key[-2]) ^ 1] + "="
    assert other != key
    assert base64.b64decode(other) == base64.b64decode(key)
    return other


@pytest.fixture
def old_store(settings: Settings) -> Iterator[Engine]:
    """A store of each kind at the location branch's previous head."""
    engine = make_engine(settings.resolved_database_url())
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, PREVIOUS_HEAD)
    yield engine
    engine.dispose()


def _store_chip(engine: Engine, chip_id: str, key: str) -> None:
    """A chip row as an older release stored it: its key as it was written."""
    with write_transaction(engine) as conn:
        conn.execute(
            text(
                "INSERT INTO location_chips (chip_id, model, public_key, owner,"
                " owner_key, licensed_country, licensed_site, license_ref,"
                " registered_at) VALUES (:c, 'NVIDIA H100 SXM5', :k, 'Acme',"
                " 'acme', 'DE', 'Frankfurt', 'D1', '2026-11-02 09:30:00')"
            ),
            {"c": chip_id, "k": key},
        )


def _stored_keys(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT chip_id, public_key FROM location_chips"))
        return {str(r[0]): str(r[1]) for r in rows}


def test_stored_keys_are_rewritten_in_the_canonical_spelling(
    old_store: Engine,
) -> None:
    mine, theirs = _entry("C1").public_key, _entry("C2").public_key
    _store_chip(old_store, "C1", _respelled(mine))
    _store_chip(old_store, "C2", theirs)
    _store_chip(old_store, "C3", "not base64 of a key")  # left as written
    migrate.upgrade(old_store)
    assert _stored_keys(old_store) == {
        "C1": mine,
        "C2": theirs,
        "C3": "not base64 of a key",
    }
    # the stored key, given again in its canonical spelling, is found
    taken = ChipEntry(**{**_entry("C9").model_dump(), "public_key": mine})
    with pytest.raises(InputError, match="already registered for chip C1"):
        FleetRegistry(old_store).register([taken])


def test_one_key_stored_for_two_chips_in_two_spellings_is_named_and_shared(
    old_store: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The upgrade normalises both spellings (the store opens, every command with
    it), warns naming the chips, and registration then sees the share: the chip
    registered in error is given its own key through chipgate, not by hand."""
    key, own = _entry("C1").public_key, _entry("C3").public_key
    _store_chip(old_store, "C1", key)
    _store_chip(old_store, "C2", _respelled(key))
    _store_chip(old_store, "C3", _respelled(own))
    with caplog.at_level(logging.WARNING, logger="chipgate.location.migrations"):
        migrate.upgrade(old_store)
    assert _stored_keys(old_store) == {"C1": key, "C2": key, "C3": own}
    (warning,) = [r.getMessage() for r in caplog.records]
    assert f"key {key} is now shared by chips 'C1'" in warning
    assert f"'C2' (stored as {_respelled(key)})" in warning
    assert "'C3'" not in warning
    # the share is refused, naming the other chip, wherever either is re-registered
    registry = FleetRegistry(old_store)
    again = ChipEntry(**{**_entry("C1").model_dump(), "public_key": key})
    with pytest.raises(InputError, match="already registered for chip C2"):
        registry.register([again], replace=True)
    # the chip registered in error gets its own key: the share is gone
    fixed = _entry("C2")
    assert registry.register([fixed], replace=True) == 1
    assert registry.register([again], replace=True) == 1
    stored = _stored_keys(old_store)
    assert (stored["C1"], stored["C2"]) == (key, fixed.public_key)


def test_chips_already_sharing_one_spelling_still_open(old_store: Engine) -> None:
    """A share the earlier check could see was allowed to open (so the chip can be
    re-registered); normalising adds no refusal for it."""
    key = _entry("C1").public_key
    _store_chip(old_store, "C1", key)
    _store_chip(old_store, "C2", key)
    migrate.upgrade(old_store)
    assert _stored_keys(old_store) == {"C1": key, "C2": key}


def test_the_commands_open_a_store_with_a_hidden_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``db upgrade`` and every other command open the store (exit 0) and say
    which chips share a key."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "store"))
    engine = make_engine(Settings(data_dir=tmp_path / "store").resolved_database_url())
    config = migrate.alembic_config()
    with write_transaction(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, PREVIOUS_HEAD)
    key = _entry("C1").public_key
    _store_chip(engine, "C1", key)
    _store_chip(engine, "C2", _respelled(key))
    engine.dispose()
    result = CliRunner().invoke(app, ["fleet", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"C2"' in result.output
    upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output


def test_verification_flags_the_chips_that_share_a_key(old_store: Engine) -> None:
    """A share the upgrade revealed is named on every verdict of its chips: a
    ``verified`` one proves nothing (the other device could have signed the
    records) and is ``inconclusive``; a breach stays a breach."""
    key = _entry("C1").public_key
    _store_chip(old_store, "C1", key)
    _store_chip(old_store, "C2", _respelled(key))
    _store_chip(old_store, "C3", _entry("C3").public_key)
    migrate.upgrade(old_store)
    shared = shared_with(old_store, ["C1", "C2", "C3"])
    assert shared == {"C1": ("C2",), "C2": ("C1",)}
    assert shared_with(old_store, ["C3"]) == {}
    outcome = Outcome(
        [
            ChipVerdict("C1", Verdict.VERIFIED, "in DE"),
            ChipVerdict("C2", Verdict.DIVERTED, "outside DE"),
            ChipVerdict("C3", Verdict.VERIFIED, "in DE"),
        ],
        [],
    )
    first, second, third = flag_shared(outcome, shared).verdicts
    assert first.verdict is Verdict.INCONCLUSIVE
    assert "also registered for chip(s) C2" in first.explanation
    assert first.explanation.startswith(first.problems[-1])
    assert second.verdict is Verdict.DIVERTED
    assert "chip(s) C1" in second.explanation
    assert third == outcome.verdicts[2]
