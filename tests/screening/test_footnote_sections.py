"""The FDP section each Entity List footnote names is the paragraph its CSL text cites.

The Entity List FDP rules are the paragraphs of 15 CFR 734.9(e): (e)(1) for footnote 1,
(e)(2) for footnote 4, (e)(3) for footnote 5 (https://bis.gov/node/6329; the CSL's own
license requirement text). 734.9(h) and (i) are the country-scope advanced-computing and
supercomputer FDP rules, a different thing.
"""

from __future__ import annotations

import re

import pytest

from chipgate.screening.footnotes import detect_footnotes, footnotes

ONE_CITATION = re.compile(r"^15 CFR 734\.9\([a-z]\)(\(\d\))?$")


@pytest.mark.parametrize(
    ("number", "section"),
    [
        ("1", "15 CFR 734.9(e)"),
        ("3", "15 CFR 734.9(g)"),
        ("4", "15 CFR 734.9(e)(2)"),
        ("5", "15 CFR 734.9(e)(3)"),
    ],
)
def test_each_footnote_names_its_entity_list_fdp_paragraph(
    number: str, section: str
) -> None:
    by_number = {f.number: f for f in footnotes()}
    assert by_number[number].section == section


def test_each_section_is_one_citation_its_own_marker_recognises() -> None:
    for note in footnotes():
        assert ONE_CITATION.match(note.section), note.section
        assert note.marker.search(note.section.removeprefix("15 CFR ")), note.number


@pytest.mark.parametrize("paragraph", ["734.9(h)", "734.9(i)", "734.9(l)"])
def test_the_country_scope_fdp_rules_mark_no_entity_list_footnote(
    paragraph: str,
) -> None:
    assert (
        detect_footnotes(f"For all items subject to the EAR. (See §§{paragraph})") == ()
    )


def test_the_csl_citations_still_mark_footnotes_4_and_5() -> None:
    assert detect_footnotes("(See §§734.9(e)(2) and 744.11 of the EAR)4") == ("4",)
    assert detect_footnotes("(See §§734.4(a)(9), 734.9(e)(3), and 744.11)5") == ("5",)
