"""The register and usage commands end to end (SQLite store, real CSL sample)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app
from chipgate.settings import Settings
from tests.audit_entries import audit_entries

CUSTOMERS = """id,name,aliases,headquarters,parent,parent_headquarters,parent_share,owners,opened,declared_use
a,Harbour Compute <script>alert(1)</script>,,SG,Lotus Holdings,MO,75,,2026-01-02,training
b,200G PSA Holdings LLC,,US,,,,,2025-05-01,inference
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, csl_sample: Path) -> Path:
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHIPGATE_LISTS_DIR", str(csl_sample))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_import_list_show_report(env: Path) -> None:
    path = env / "customers.csv"
    path.write_text(CUSTOMERS)
    code, out = _run("customers", "import", str(path), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["customers"] == 2
    code, out = _run("customers", "list", "--format", "json")
    assert code == 0, out
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["b"]["hits"][0]["list"] == "SDN"
    assert rows["b"]["open_alerts"]
    assert rows["a"]["hq_class"] == "parent"
    code, out = _run("customers", "show", "a")
    assert code == 0, out
    assert "RF.HQ_OF_CONCERN" in out
    code, out = _run("customers", "report", "a", "--output", str(env))
    assert code == 0, out
    page = (env / "customer-a.html").read_text()
    assert "&lt;script&gt;" in page
    assert "<script>" not in page
    assert "744.23" in page
    code, out = _run("customers", "show", "nobody")
    assert code == 2


def test_bad_customer_file_exits_2_naming_line_and_field(env: Path) -> None:
    path = env / "bad.csv"
    path.write_text("id,name,headquarters\na,Fine,SG\nb,Bad,ZZ\n")
    code, out = _run("customers", "import", str(path))
    assert code == 2
    assert "line 3" in out
    assert "headquarters" in out
    code, out = _run("customers", "list", "--format", "json")
    assert json.loads(out) == []


def test_usage_ingest_and_report(env: Path) -> None:
    path = env / "customers.csv"
    path.write_text(CUSTOMERS)
    assert _run("customers", "import", str(path))[0] == 0
    usage = env / "usage.csv"
    usage.write_text(
        "customer,site_country,chip_model,chip_count,start,end\n"
        "a,SG,H100,256,2026-03-01T00:00:00Z,2026-03-05T00:00:00Z\n"
    )
    code, out = _run("usage", "ingest", str(usage))
    assert code == 0, out
    code, out = _run("usage", "report", "--as-of", "2026-12-01", "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["customers"][0]["flags"][0]["code"] == "TRAIN.D5"
    assert report["method"]["utilisation"] == 0.4
    # the CLI's writes enter the audit chain as the service's do
    settings = Settings(data_dir=env / "data")
    (ingested,) = audit_entries(settings, "usage.ingest")
    (reported,) = audit_entries(settings, "usage.report")
    assert (ingested["rows"], reported["flagged"]) == (1, ["a"])
    # named with the CLI's mark, as a case action or an alert closure is
    assert ingested["who"] == reported["who"] == f"{settings.user} (cli)"
    code, out = _run("usage", "report", "--utilisation", "1.5")
    assert code == 2
    bad = env / "bad.csv"
    bad.write_text(
        "customer,site_country,chip_model,chip_count,start,end\na,SG,H100,x,2026-03-01,2026-03-02\n"
    )
    code, out = _run("usage", "ingest", str(bad))
    assert code == 2
    assert "line 2" in out


def test_a_customer_page_stays_in_its_folder_whatever_the_id(env: Path) -> None:
    # the id is the customer file's text: "../x" named a page outside the folder
    path = env / "customers.csv"
    path.write_text("id,name,headquarters\n../../outside,Harbour Compute,SG\n")
    code, out = _run("customers", "import", str(path))
    assert code == 0, out
    folder = env / "pages"
    folder.mkdir()
    code, out = _run("customers", "report", "../../outside", "--output", str(folder))
    assert code == 0, out
    [page] = folder.iterdir()
    assert page.name.startswith("customer-outside-")
    assert page.suffix == ".html"
    assert not list(env.parent.glob("*.html"))
    assert not (env / "customer-..").exists()
