"""Two party names are the same party when their words agree, in any script:
a licence's consignee and a VEU's holder are matched so."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from chipgate.book.batch import check_to_jsonl
from chipgate.book.pipeline import Checker
from chipgate.decide.engine import Engine
from chipgate.orders.model import Kind, Order, Party
from chipgate.rules.helpers import same_name


def test_names_in_other_scripts_are_told_apart() -> None:
    # read as ASCII words alone, every Han name had none: any two were "the same"
    assert not same_name("华为技术有限公司", "中芯国际")
    assert same_name("华为技术有限公司", "华为技术有限公司")
    assert not same_name("भारत क्लाउड", "डेक्कन लैब्स")


def test_accents_case_and_company_forms_do_not_matter() -> None:
    assert same_name("Công ty Saigon", "CONG TY SAIGON")
    assert same_name("Contoso Cloud Inc.", "Contoso Cloud")
    assert not same_name("Contoso Cloud", "Contoso Compute")


def _uae_order(order_id: str, consignee: str) -> Order:
    return Order(
        order_id,
        date(2026, 7, 20),
        Kind.EXPORT,
        "NVIDIA H100 SXM5",
        8,
        "AE",
        consignee=Party(name=consignee, hq="AE"),
    )


def test_a_listed_recipient_does_not_share_the_decision_of_another_party() -> None:
    """Shared decisions ignore party names, except whether a party is a listed
    license-free recipient (G42 in the UAE from 2026-07-10): either order first."""
    for names in (("G42", "Oasis Compute"), ("Oasis Compute", "G42")):
        engine = Engine()
        outcomes = {
            name: engine.evaluate(_uae_order(name, name)).outcome.value
            for name in names
        }
        assert outcomes == {
            "G42": "no_license_required",
            "Oasis Compute": "license_required",
        }


def test_the_column_wise_path_tells_a_listed_recipient_apart(tmp_path: Path) -> None:
    book = tmp_path / "uae.csv"
    book.write_text(
        "id,date,kind,item,quantity,destination,consignee,consignee_hq\n"
        "1,2026-07-20,export,NVIDIA H100 SXM5,8,AE,Oasis Compute,AE\n"
        "2,2026-07-20,export,NVIDIA H100 SXM5,8,AE,G42,AE\n"
        "3,2026-07-20,export,NVIDIA H100 SXM5,8,AE,Desert AI,AE\n"
    )
    out = tmp_path / "out.jsonl"
    check_to_jsonl(book, Checker(Engine()), out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["outcome"] for d in lines] == [
        "license_required",
        "no_license_required",
        "license_required",
    ]
