"""A license naming an end user covers a distributor's order for that end user, and
one naming an end use lifts the requirement of that declared end use.

Before, a license covered only orders whose end user was its consignee, so a
distributor's order for the end user BIS licensed was a red flag; and a declared
end use that needs a license could never be authorized by an imported license.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipgate.cli.app import app

LICENSES = (
    "number,items,quantity,destination,consignee,end_user,end_use,valid_from,expires\n"
    "D7000001,NVIDIA H100 SXM5,200,VN,Saigon Distribution Co,"
    "Hanoi Research Institute,wmd,2026-01-01,2027-12-31\n"
    "D7000002,NVIDIA H100 SXM5,200,VN,Saigon Distribution Co,,,2026-01-01,2027-12-31\n"
    "D7000003,NVIDIA H100 SXM5,200,VN,Saigon Distribution Co,"
    "Hanoi Research Institute,supercomputer,2026-01-01,2027-12-31\n"
    "D7000004,NVIDIA H100 SXM5,200,VN,Saigon Distribution Co,"
    "Saigon Distribution Co,,2026-01-01,2027-12-31\n"
)
HEADER = (
    "id,date,kind,item,quantity,destination,consignee,consignee_hq,end_user,"
    "end_user_hq,end_use,authorizations\n"
)
ORDER = "{id},2026-02-01,export,NVIDIA H100 SXM5,10,VN,Saigon Distribution Co,VN,{eu},VN,{use},LICENSE:{lic}\n"


@pytest.fixture
def decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, dict[str, object]]:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    monkeypatch.setenv("CHIPGATE_DATA_DIR", str(data))
    licenses = tmp_path / "licenses.csv"
    licenses.write_text(LICENSES, encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["license", "import", str(licenses)])
    assert imported.exit_code == 0, imported.output
    rows = [
        ("DIST", "Hanoi Research Institute JSC", "datacenter", "D7000001"),
        ("OTHER", "Other Co", "datacenter", "D7000001"),
        ("NONE", "", "datacenter", "D7000001"),
        ("LEGACY", "Hanoi Research Institute", "datacenter", "D7000002"),
        ("LEGACY_SELF", "Saigon Distribution Co", "datacenter", "D7000002"),
        ("WMD", "Hanoi Research Institute", "datacenter;wmd", "D7000001"),
        ("WMD_ONLY", "Hanoi Research Institute", "wmd", "D7000001"),
        ("TWO_GAPS", "Hanoi Research Institute", "supercomputer;wmd", "D7000003"),
        ("WRONG_USE", "Hanoi Research Institute", "wmd", "D7000003"),
        ("NO_USE", "Saigon Distribution Co", "wmd", "D7000002"),
        ("SELF", "", "datacenter", "D7000004"),
    ]
    book = tmp_path / "book.csv"
    book.write_text(
        HEADER
        + "".join(ORDER.format(id=i, eu=eu, use=use, lic=n) for i, eu, use, n in rows),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["check", str(book), "--no-screening", "--format", "jsonl"]
    )
    assert result.exit_code in (0, 1), result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return {r["id"]: r for r in map(json.loads, lines)}


def test_a_distributor_s_order_for_the_licensed_end_user_is_covered(
    decided: dict[str, dict[str, object]],
) -> None:
    order = decided["DIST"]
    assert order["outcome"] == "authorized"
    assert order["authorization"] == "License D7000001"
    assert "its end_user field names the order's end user" in str(order["explanation"])
    citations = str(order["citations"])
    assert "15 CFR 748.5" in citations
    assert "license D7000001, imported from" in citations


def test_another_end_user_is_no_party_to_the_license(
    decided: dict[str, dict[str, object]],
) -> None:
    other = decided["OTHER"]
    assert other["outcome"] == "license_required"
    assert "the order's end user 'Other Co' is not that party" in str(
        other["red_flags"]
    )
    # an order naming no end user has its consignee as end user: the distributor
    none = decided["NONE"]
    assert none["outcome"] == "license_required"
    assert "consignee (it names no other end user)" in str(none["red_flags"])
    own = decided["SELF"]
    assert own["outcome"] == "authorized"
    assert "names the order's consignee (its end user)" in str(own["explanation"])


def test_a_license_naming_no_end_user_keeps_its_consignee_as_end_user(
    decided: dict[str, dict[str, object]],
) -> None:
    assert decided["LEGACY"]["outcome"] == "license_required"
    assert "names consignee 'Saigon Distribution Co' and no end user" in str(
        decided["LEGACY"]["red_flags"]
    )
    assert decided["LEGACY_SELF"]["outcome"] == "authorized"
    assert "its consignee field names the order's end user" in str(
        decided["LEGACY_SELF"]["explanation"]
    )


def test_a_license_granted_for_the_declared_end_use_lifts_its_requirement(
    decided: dict[str, dict[str, object]],
) -> None:
    order = decided["WMD"]
    assert "EUC.WMD" in str(order["rules"])
    assert order["outcome"] == "authorized"
    explanation = str(order["explanation"])
    assert "its end_use field (wmd) covers the declared wmd end use" in explanation
    assert "15 CFR 750.7" in explanation
    # the application form's blocks were not read, so the form is not cited for it
    assert "Supplement No. 1" not in explanation


def test_a_declared_use_the_license_leaves_out_holds_the_order_for_review(
    decided: dict[str, dict[str, object]],
) -> None:
    """The license lifts the wmd requirement it was granted for; the datacenter use
    the order also declares is not on it, so the order is held for the officer."""
    mixed = decided["WMD"]
    assert mixed["outcome"] == "authorized"
    assert (
        "license D7000001 was granted for end use wmd; the order also declares "
        "datacenter, which it does not name"
    ) in str(mixed["red_flags"])
    assert "15 CFR 750.7" in str(mixed["red_flags"])
    alone = decided["WMD_ONLY"]
    assert alone["outcome"] == "authorized"
    assert "also declares" not in str(alone["red_flags"])


def test_an_end_use_gap_is_flagged_once(
    decided: dict[str, dict[str, object]],
) -> None:
    """The wmd requirement the supercomputer license leaves has its own red flag;
    the same wmd is not named a second time as a use the license leaves out."""
    flags = str(decided["TWO_GAPS"]["red_flags"])
    assert "does not lift EUC.WMD" in flags
    assert "also declares" not in flags


def test_a_license_for_another_end_use_or_none_lifts_nothing_of_it(
    decided: dict[str, dict[str, object]],
) -> None:
    wrong = decided["WRONG_USE"]
    assert wrong["outcome"] == "license_required"
    assert (
        "does not lift EUC.WMD: it was granted for end use supercomputer, not for "
        "the declared wmd"
    ) in str(wrong["red_flags"])
    none = decided["NO_USE"]
    assert none["outcome"] == "license_required"
    assert "it records no end use" in str(none["red_flags"])
