"""Two party names are the same party when their words agree, in any script:
a licence's consignee and a VEU's holder are matched so."""

from __future__ import annotations

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
