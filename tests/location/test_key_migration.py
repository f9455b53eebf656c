"""Device keys stored before registration normalised them are rewritten in the
canonical spelling on upgrade (SQLite and PostgreSQL), so the one-key-per-chip check
compares the keys' bytes; two chips holding one key in different spellings stop the
upgrade, named, with nothing changed."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from chipgate.cli.app import app, main
from chipgate.errors import InputError, StoreError
from chipgate.ledger import migrate
from chipgate.ledger.db import make_engine, write_transaction
from chipgate.location.registry import ChipEntry, FleetRegistry
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


def test_one_key_stored_for_two_chips_in_two_spellings_stops_the_upgrade(
    old_store: Engine,
) -> None:
    key, own = _entry("C1").public_key, _entry("C3").public_key
    _store_chip(old_store, "C1", key)
    _store_chip(old_store, "C2", _respelled(key))
    _store_chip(old_store, "C3", _respelled(own))
    before = _stored_keys(old_store)
    with pytest.raises(StoreError) as refused:
        migrate.upgrade(old_store)
    message = str(refused.value)
    assert f"key {key} is registered for chips 'C1'" in message
    assert f"'C2' (stored as {_respelled(key)})" in message
    assert "'C3'" not in message
    assert "Nothing was changed" in message
    assert _stored_keys(old_store) == before  # not one row rewritten
    assert migrate.current_revisions(old_store) >= {PREVIOUS_HEAD}
    # corrected by the officer, the store opens and is normalised
    with write_transaction(old_store) as conn:
        conn.execute(
            text("UPDATE location_chips SET public_key = :k WHERE chip_id = 'C2'"),
            {"k": _entry("C2").public_key},
        )
    migrate.upgrade(old_store)
    stored = _stored_keys(old_store)
    assert (stored["C1"], stored["C3"]) == (key, own)


def test_chips_already_sharing_one_spelling_still_open(old_store: Engine) -> None:
    """A share the earlier check could see was allowed to open (so the chip can be
    re-registered); normalising adds no refusal for it."""
    key = _entry("C1").public_key
    _store_chip(old_store, "C1", key)
    _store_chip(old_store, "C2", key)
    migrate.upgrade(old_store)
    assert _stored_keys(old_store) == {"C1": key, "C2": key}


def test_the_commands_name_the_refusal_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``db upgrade`` and any command opening the store say why, exit 2, with no
    traceback."""
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
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2, result.output
    assert f"key {key} is registered for chips 'C1'" in result.output
    monkeypatch.setattr(sys, "argv", ["chipgate", "fleet", "list"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "different spellings" in capsys.readouterr().err
