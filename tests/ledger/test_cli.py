"""The ledger, license, audit and db commands, end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ledger_helpers import draw, request
from sqlalchemy import text
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.ledger import Ledger
from chipgate.ledger.db import drop_append_only_sql, write_transaction
from chipgate.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

LICENSES = (
    "number,items,quantity,value_usd,tpp,destination,consignee,valid_from,expires,conditions\n"
    "D200001,H100,100,,,AE,G42,2025-01-01,2026-12-31,\n"
)


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The environment of a user of the store ``settings`` names (each kind)."""
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("CHIPGATE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CHIPGATE_USER", "officer-1")
    return settings


def _run(*args: str) -> tuple[int, str]:
    """Exit code and output, with the console's line wrapping undone."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())


def test_import_commit_balances_history_release_verify_export(
    env: Settings, tmp_path: Path
) -> None:
    assert _run("db", "upgrade")[0] == 0
    lic = tmp_path / "licenses.csv"
    lic.write_text(LICENSES, encoding="utf-8")
    code, out = _run("license", "import", str(lic))
    assert code == 0
    assert "imported 1 license" in out
    with Ledger.open(env) as ledger:
        ledger.commit_batch(
            [request("o1", draw("lpp/g42/2025", 1583200.0, 26.9e6, h100e=100))]
        )
    code, out = _run("ledger", "balances", "--json")
    [balance] = json.loads(out)
    assert (code, balance["account"], balance["h100e"]) == (0, "lpp/g42/2025", 100.0)
    assert balance["remaining"] == 26.9e6 - 1583200.0
    code, out = _run("ledger", "history", "lpp/g42/2025", "--json")
    assert [line["order_id"] for line in json.loads(out)] == ["o1"]
    code, out = _run("license", "list", "--json")
    assert json.loads(out)[0]["number"] == "D200001"
    code, out = _run(
        "ledger", "report-base", "G42", "--tpp", "5e8", "--as-of", "2025-04-01"
    )
    assert code == 0
    code, out = _run("ledger", "release", "o1", "--reason", "order cancelled")
    assert code == 0, out
    code, out = _run("audit", "verify")
    assert code == 0
    assert "4 entries" in out
    export = tmp_path / "audit.jsonl"
    assert _run("audit", "export", "--output", str(export))[0] == 0
    entries = [
        json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()
    ]
    assert [e["kind"] for e in entries] == [
        "license.imported",
        "order.committed",
        "uveu.base_reported",
        "order.released",
    ]
    assert all(
        e["who"] == "officer-1" for e in entries if e["kind"] != "order.committed"
    )


def test_bad_input_exits_2_with_file_line_and_field(
    env: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(LICENSES.replace(",100,", ",-100,"), encoding="utf-8")
    code, out = _run("license", "import", str(bad))
    assert code == 2
    assert "line 2" in out
    assert "quantity" in out
    assert _run("ledger", "release", "nope", "--reason", "x")[0] == 2
    assert _run("ledger", "history", "nope")[0] == 2
    assert _run("ledger", "report-base", "X", "--tpp", "1", "--as-of", "June")[0] == 2


def test_verify_exits_1_and_names_the_tampered_entry(env: Settings) -> None:
    with Ledger.open(env) as ledger:
        for i in range(3):
            ledger.commit_batch([request(f"o{i}", draw("cap", 1.0, 10.0))])
        with write_transaction(ledger.engine) as conn:
            for ddl in drop_append_only_sql(conn.dialect.name, "audit_entries"):
                conn.exec_driver_sql(ddl)
            conn.execute(text("UPDATE audit_entries SET who = 'mallory' WHERE seq = 2"))
    code, out = _run("audit", "verify")
    assert code == 1
    assert "entry 2" in out


def _rewrite_chain_from(engine: Any, seq: int, who: str) -> None:
    """What someone with write access to the whole database could do: edit entry
    ``seq`` and recompute every hash after it, and the head."""
    from chipgate.ledger.audit import entry_hash

    with write_transaction(engine) as conn:
        for ddl in drop_append_only_sql(conn.dialect.name, "audit_entries"):
            conn.exec_driver_sql(ddl)
        rows = list(conn.execute(text("SELECT * FROM audit_entries ORDER BY seq")))
        prev = rows[seq - 2].hash if seq > 1 else "0" * 64
        for row in rows[seq - 1 :]:
            fields = row._asdict()
            if row.seq == seq:
                fields["who"] = who
            digest = entry_hash(
                seq=row.seq,
                at=row.at,
                kind=row.kind,
                who=fields["who"],
                order_id=row.order_id,
                payload_text=row.payload,
                prev_hash=prev,
                rows_text=row.rows,
            )
            conn.execute(
                text(
                    "UPDATE audit_entries SET who = :w, prev_hash = :p, hash = :h "
                    "WHERE seq = :s"
                ),
                {"w": fields["who"], "p": prev, "h": digest, "s": row.seq},
            )
            prev = digest
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def test_an_anchor_is_signed_kept_and_checked(env: Settings, tmp_path: Path) -> None:
    with Ledger.open(env) as ledger:
        for i in range(3):
            ledger.commit_batch([request(f"o{i}", draw("cap", 1.0, 10.0))])
    anchor_file = tmp_path / "anchor.json"
    code, out = _run("audit", "anchor", "--output", str(anchor_file))
    assert code == 0, out
    key = env.data_dir / "audit-anchor.key"
    assert key.stat().st_mode & 0o777 == 0o600
    statement = json.loads(anchor_file.read_text())["statement"]
    assert (statement["seq"], statement["format"]) == (3, "chipgate.audit-anchor/1")
    with Ledger.open(env) as ledger:
        ledger.commit_batch([request("o9", draw("cap", 1.0, 10.0))])  # chain grows
    code, out = _run("audit", "verify", "--anchor", str(anchor_file))
    assert code == 0, out
    assert "anchor of" in out
    assert "holds" in out

    altered = tmp_path / "altered.json"
    document = json.loads(anchor_file.read_text())
    document["statement"]["seq"] = 2
    altered.write_text(json.dumps(document))
    code, out = _run("audit", "verify", "--anchor", str(altered))
    assert code == 1
    assert "signature does not match" in out

    with Ledger.open(env) as ledger:
        _rewrite_chain_from(ledger.engine, 2, "mallory")
    assert _run("audit", "verify")[0] == 0  # a whole rewrite: the chain is consistent
    code, out = _run("audit", "verify", "--anchor", str(anchor_file))
    assert code == 1
    assert "entry 3 has hash" in out
    assert "rewritten" in out


def test_an_anchor_from_another_key_or_an_open_key_file_is_refused(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger.open(env) as ledger:
        ledger.commit_batch([request("o1", draw("cap", 1.0, 10.0))])
    other_key = tmp_path / "other.key"
    monkeypatch.setenv("CHIPGATE_AUDIT_KEY_FILE", str(other_key))
    foreign = tmp_path / "foreign.json"
    assert _run("audit", "anchor", "--output", str(foreign))[0] == 0
    monkeypatch.delenv("CHIPGATE_AUDIT_KEY_FILE")
    assert _run("audit", "anchor", "--output", str(tmp_path / "own.json"))[0] == 0
    code, out = _run("audit", "verify", "--anchor", str(foreign))
    assert code == 1
    assert "this store's key is" in out
    (env.data_dir / "audit-anchor.key").chmod(0o644)
    code, out = _run("audit", "anchor")
    assert code == 2
    assert "chmod 600" in out
    (tmp_path / "junk.json").write_text("{}")
    assert _run("audit", "verify", "--anchor", str(tmp_path / "junk.json"))[0] == 2


def test_verify_names_a_license_edited_in_the_database(
    env: Settings, tmp_path: Path
) -> None:
    lic = tmp_path / "licenses.csv"
    lic.write_text(LICENSES, encoding="utf-8")
    assert _run("license", "import", str(lic))[0] == 0
    with Ledger.open(env) as ledger, write_transaction(ledger.engine) as conn:
        conn.execute(text("UPDATE ledger_licenses SET quantity = 10000"))
    code, out = _run("audit", "verify")
    assert code == 1
    assert "ledger_licenses" in out
    assert "D200001" in out


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (
            "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x",
            "cannot connect to the store",
        ),
        ("notaurl", "cannot use the store (not a URL)"),
        ("mysql://x@y/z", "No module named"),
        ("sqlite:///{tmp}/missing/dir/x.db", "does not exist"),
    ],
)
@pytest.mark.parametrize(
    "command", [("audit", "verify"), ("ledger", "balances"), ("db", "upgrade")]
)
def test_a_store_that_cannot_be_used_is_bad_input_naming_the_setting(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    said: str,
    command: tuple[str, ...],
) -> None:
    # each ended in a traceback; the SQLite URL made its folders
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_DATABASE_URL", url.format(tmp=tmp_path))
    result = CliRunner().invoke(app, list(command))
    out = " ".join(result.output.split())
    assert result.exit_code == 2, out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert said in out
    assert "CHIPGATE_DATABASE_URL" in out
    assert "s3cret" not in out
    assert not (tmp_path / "missing").exists()


def test_a_sqlite_store_a_user_names_is_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger named in a shared folder was created 0644: anyone on the machine
    could read its orders, parties and licenses. An existing file keeps its mode."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    store = shared / "ledger.db"
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_DATABASE_URL", f"sqlite:///{store}")
    imported = CliRunner().invoke(
        app, ["license", "import", str(EXAMPLES / "licenses.csv")]
    )
    assert imported.exit_code == 0, imported.output
    made = [store, *shared.glob("ledger.db-*")]
    assert {p.stat().st_mode & 0o777 for p in made} == {0o600}
    store.chmod(0o640)
    assert CliRunner().invoke(app, ["ledger", "balances"]).exit_code == 0
    assert store.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?uri=true"]
)
def test_an_in_memory_or_uri_sqlite_url_creates_no_file(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chipgate.ledger.db import make_engine

    monkeypatch.chdir(tmp_path)
    make_engine(url).dispose()
    assert list(tmp_path.iterdir()) == []
