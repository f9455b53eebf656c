"""What each loader makes of one published row: names, aliases, dates, codes.

Each case is a row as the official file writes it, read by the loader alone, so
the test says which entry a screen will see without building an index.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from chipgate.screening.model import ListEntry
from chipgate.screening.sources import load_source
from chipgate.screening.sources.base import Source
from chipgate.screening.sources.csl_json import ConsolidatedScreeningList2026
from chipgate.screening.sources.ofac import OfacSdn2024
from chipgate.screening.sources.ofac_xml import OfacSdnXml
from chipgate.screening.sources.un import UnConsolidatedList


def _read(source: Source, folder: Path, rel: str, text: str) -> list[ListEntry]:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_source(source, folder)[1]


def test_ofac_remark_aliases_keep_their_inner_quotes(tmp_path: Path) -> None:
    """OFAC writes 'HAJJ AS'AD AHMAD' and doubles the quote of ''FOOPIE''."""
    remarks = (
        "DOB 1974; a.k.a. 'KHABAR, Abu'; a.k.a. ''FOOPIE''; "
        "a.k.a. 'HAJJ AS'AD AHMAD'; a.k.a. ''ABD AL-RAHMAN'; "
        "a.k.a. 'ABU-AL-KARKH', 'Yusuf'; a.k.a. ''AHMED THE TANZANIAN''."
    )
    row = ["1", "GHAILANI, Ahmed", "individual", "[SDGT]"] + ["-0-"] * 7
    line = ",".join(f'"{c}"' for c in [*row, remarks]) + "\r\n"
    [entry] = _read(OfacSdn2024(), tmp_path, "ofac-2024/sdn.csv", line)
    assert entry.aliases == (
        "KHABAR, Abu",
        "FOOPIE",
        "HAJJ AS'AD AHMAD",
        "'ABD AL-RAHMAN",
        "ABU-AL-KARKH, Yusuf",
        "AHMED THE TANZANIAN",
    )


def test_ofac_and_un_countries_are_iso_codes(tmp_path: Path) -> None:
    """The explanation compares them with the query's ISO code."""
    xml = (
        "<sdnList><publshInformation><Publish_Date>01/02/2024</Publish_Date>"
        "</publshInformation><sdnEntry><uid>1</uid><lastName>BOUT</lastName>"
        "<firstName>Viktor</firstName><sdnType>Individual</sdnType><addressList>"
        "<address><country>Russia</country></address><address><country>Region: "
        "Crimea</country></address><address><country>Korea, North</country>"
        "</address></addressList></sdnEntry></sdnList>"
    )
    [bout] = _read(OfacSdnXml(), tmp_path, "ofac/sdn.xml", xml)
    assert bout.countries == ("RU", "Region: Crimea", "KP")
    un = (
        '<CONSOLIDATED_LIST dateGenerated="2026-02-27"><INDIVIDUALS><INDIVIDUAL>'
        "<DATAID>1</DATAID><FIRST_NAME>ONE</FIRST_NAME><REFERENCE_NUMBER>QDi.1"
        "</REFERENCE_NUMBER><NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE>"
        "<VALUE>Iraq</VALUE></NATIONALITY><INDIVIDUAL_ADDRESS><COUNTRY>Russian "
        "Federation</COUNTRY></INDIVIDUAL_ADDRESS></INDIVIDUAL></INDIVIDUALS>"
        "<ENTITIES/></CONSOLIDATED_LIST>"
    )
    [one] = _read(UnConsolidatedList(), tmp_path, "un/consolidated.xml", un)
    assert one.countries == ("IR", "IQ", "RU")


def test_csl_rows_without_id_keep_their_own_ids(tmp_path: Path) -> None:
    """Two orders of one denied party are two entries, not one shown for both."""
    source = "Denied Persons List (DPL) - Bureau of Industry and Security"
    entries = [
        {"n": "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)", "s": source, "c": ["DK"]},
        {"n": "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)", "s": source, "c": ["US"]},
        {"n": "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)", "s": source, "c": ["US"]},
        {"n": "OTHER PARTY", "s": source},
    ]
    text = orjson.dumps({"sourceGeneratedAt": "2026-07-31", "entries": entries})
    read = _read(
        ConsolidatedScreeningList2026(),
        tmp_path,
        "csl-2026/screening-list.json",
        text.decode(),
    )
    ids = [e.entry_id for e in read]
    assert len(set(ids)) == 4
    again = load_source(ConsolidatedScreeningList2026(), tmp_path)[1]
    assert [e.entry_id for e in again] == ids
    assert ids[2] == f"{ids[1]}-2"
