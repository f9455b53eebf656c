"""What each loader makes of one published row: names, aliases, dates, codes.

Each case is a row as the official file writes it, read by the loader alone, so
the test says which entry a screen will see without building an index.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson

from chipgate.screening.index import build_index
from chipgate.screening.model import ListEntry
from chipgate.screening.screener import Screener
from chipgate.screening.sources import load_source
from chipgate.screening.sources.base import Source
from chipgate.screening.sources.csl import ConsolidatedScreeningList
from chipgate.screening.sources.csl_json import ConsolidatedScreeningList2026
from chipgate.screening.sources.dpl import DeniedPersonsList
from chipgate.screening.sources.ftm import OpenSanctionsFtm
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


DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"
ISN = "Nonproliferation Sanctions (ISN) - State Department"


def _csl_2026(folder: Path, entries: list[dict[str, object]]) -> list[ListEntry]:
    text = orjson.dumps({"sourceGeneratedAt": "2026-07-31", "entries": entries})
    rel = "csl-2026/screening-list.json"
    return _read(ConsolidatedScreeningList2026(), folder, rel, text.decode())


def _hits(entries: list[ListEntry], name: str) -> list[str]:
    index = build_index([], entries)
    screener = Screener(index, threshold=0.90, review_threshold=0.80)
    return [h.matched_name for h in screener.screen(name) if h.is_hit]


def test_names_holding_their_alias_are_both_found(tmp_path: Path) -> None:
    """A denied person is denied under each name the cell gives."""
    entries = _csl_2026(
        tmp_path,
        [
            {"n": "KOW SENG LIM -AKA- ERIC LIM", "s": DPL, "c": ["SG"]},
            {"n": "PEARL (A.K.A. NEI-CHIEN CHU) LI", "s": DPL},
            {"n": "KOLOKOL (AKA: ALDRICH AMES)", "s": DPL},
        ],
    )
    assert [(e.name, e.aliases) for e in entries] == [
        ("KOW SENG LIM", ("ERIC LIM",)),
        ("PEARL LI", ("NEI-CHIEN CHU LI", "NEI-CHIEN CHU")),
        ("KOLOKOL", ("ALDRICH AMES",)),
    ]
    assert entries[0].listing == "name as published: 'KOW SENG LIM -AKA- ERIC LIM'"
    for query in ("Kow Seng Lim", "Eric Lim", "Pearl Li", "Aldrich Ames"):
        assert _hits(entries, query), query


def test_state_sanction_scope_is_not_part_of_the_name(tmp_path: Path) -> None:
    """ISN: "X; and any successor, sub-unit, or subsidiary thereof" is X."""
    entries = _csl_2026(
        tmp_path,
        [
            {
                "n": "Sinobright Import and Export Company; and any successor, "
                "sub-unit, or subsidiary thereof",
                "s": ISN,
            },
            {
                "n": "Russian Aerospace Forces (aka VKS); and any successor, "
                "sub-unit, or subsidiary thereof",
                "s": ISN,
            },
            {
                "n": "Universal Enterprise Limited [aka General Technology Limited, "
                "aka Tiger Force Electronics] (Hong Kong Entity), and its sub-units "
                "and successors",
                "s": ISN,
            },
            {
                "n": "Bearings on Lipetsk LLC (Russian entity); and any successor",
                "s": ISN,
            },
        ],
    )
    assert [e.name for e in entries] == [
        "Sinobright Import and Export Company",
        "Russian Aerospace Forces",
        "Universal Enterprise Limited",
        "Bearings on Lipetsk LLC",
    ]
    assert entries[2].aliases == (
        "General Technology Limited",
        "Tiger Force Electronics",
    )
    assert "and any successor" in (entries[0].listing or "")
    for query in (
        "Sinobright Import and Export Company",
        "Russian Aerospace Forces",
        "Tiger Force Electronics",
        "Bearings on Lipetsk LLC",
    ):
        assert _hits(entries, query), query


def test_dpl_file_names_holding_their_alias(tmp_path: Path) -> None:
    header = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date"
    row = "PEARL (A.K.A. NEI-CHIEN CHU) LI\t\t\t\tUS\t\t03/01/2001"
    [pearl] = _read(DeniedPersonsList(), tmp_path, "bis/dpl.txt", f"{header}\n{row}\n")
    assert (pearl.name, pearl.aliases[0]) == ("PEARL LI", "NEI-CHIEN CHU LI")


DPL_HEADER = (
    "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t"
    "Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"
)
TDO = (
    "AIR FREIGHT LTD\t\tBAGHDAD\t\tIQ\t\t05/13/2022\t11/09/2022\tY\t2022-05-18\t"
    "TDO RENEWAL, F.R. NOTICE ADDED\t80 F.R. 30435 5/28/15, 80 F.R. 44930 7/28/15, "
    "87 F.R. 30178 5/18/2022"
)
FIXED_TERM = (
    "I. ASH\t\tSEAGOVILLE\tTX\tUS\t\t06/19/2003\t06/29/2056\tY\t2007-01-31\t"
    "DENIED UNTIL 2056\t68 F.R. 38290 6/27/03"
)
PASSED_TERM = (
    "OLD ORDER\t\tEL PASO\tTX\tUS\t\t08/24/2012\t01/14/2022\tY\t2012-08-29\t"
    "F.R. NOTICE ADDED\t77 F.R. 52741 8/29/2012"
)


def test_a_renewed_denial_order_is_in_force_since_its_first_order(
    tmp_path: Path,
) -> None:
    """The latest TDO renewal (2022-05-13) is not when the party was denied."""
    text = "\n".join([DPL_HEADER, TDO, FIXED_TERM, PASSED_TERM]) + "\n"
    tdo, fixed, _ = _read(DeniedPersonsList(), tmp_path, "bis/dpl.txt", text)
    assert tdo.start_date == "2015-05-28"
    assert tdo.in_force(date(2020, 6, 1))
    assert fixed.start_date == "2003-06-19"  # effective before its FR notice


def test_a_denial_ends_only_where_its_expiration_can_be_believed(
    tmp_path: Path,
) -> None:
    """A fixed term after the list's date ends; a TDO's renewal is expected and
    an expiration the list's own date has passed is answered by the list."""
    text = "\n".join([DPL_HEADER, TDO, FIXED_TERM, PASSED_TERM]) + "\n"
    tdo, fixed, passed = _read(DeniedPersonsList(), tmp_path, "bis/dpl.txt", text)
    assert fixed.end_date == "2056-06-29"
    assert not fixed.in_force(date(2056, 7, 1))
    assert tdo.end_date is None
    assert tdo.in_force(date(2023, 6, 1))
    assert passed.end_date is None  # still listed in the list of 2022-05-18


UNNAMED_TDO = (
    "AZUR AIR\tSHARYPOVO AIRPORT\tMOSCOW\t\tRU\t\t04/07/2022\t10/04/2022\tY\t"
    "2022-04-12\tF.R. NOTICE ADDED\t87 F.R. 21614 4/12/2022"
)


def test_a_temporary_order_that_does_not_say_so_is_known_by_its_term(
    tmp_path: Path,
) -> None:
    """Many TDO rows say only "F.R. NOTICE ADDED": a term of 180 days (at most a
    year, 15 CFR 766.24) is a temporary order's, whose renewal is expected."""
    text = "\n".join([DPL_HEADER, UNNAMED_TDO, FIXED_TERM]) + "\n"
    tdo, fixed = _read(DeniedPersonsList(), tmp_path, "bis/dpl.txt", text)
    assert tdo.end_date is None
    assert tdo.in_force(date(2022, 10, 5))
    assert fixed.end_date == "2056-06-29"


def test_csl_dpl_rows_take_their_first_order_and_believable_end(
    tmp_path: Path,
) -> None:
    columns = "source,name,federal_register_notice,start_date,end_date,remarks"
    rows = [
        f'"{DPL}",AIR FREIGHT LTD,"80 F.R. 30435 5/28/15, 86 F.R. 66277 '
        '11/22/2021",2021-11-17,2022-05-16,TDO RENEWAL',
        f'"{DPL}",I. ASH,68 F.R. 38290 6/27/03,2003-06-19,2056-06-29,',
        f'"{DPL}",NEW ORDER,87 F.R. 1 8/29/2022,2022-08-24,2032-08-24,',
    ]
    text = "\n".join([columns, *rows]) + "\n"
    air, ash, new = _read(
        ConsolidatedScreeningList(), tmp_path, "csl/consolidated-2022.csv", text
    )
    assert (air.start_date, air.end_date) == ("2015-05-28", None)
    assert air.in_force(date(2021, 11, 16))
    assert (ash.start_date, ash.end_date) == ("2003-06-19", "2056-06-29")
    assert new.end_date == "2032-08-24"


def _ftm(folder: Path, lines: list[dict[str, object]]) -> list[ListEntry]:
    text = "\n".join(orjson.dumps(line).decode() for line in lines) + "\n"
    return _read(OpenSanctionsFtm(), folder, "opensanctions/entities.ftm.json", text)


def _party(
    key: str, schema: str, datasets: list[str], **props: object
) -> dict[str, object]:
    """One target entity line of an OpenSanctions export."""
    return {
        "id": key,
        "schema": schema,
        "target": True,
        "properties": props,
        "datasets": datasets,
        "first_seen": "2023-05-02T11:05:07",
    }


def test_an_entity_on_several_lists_is_an_entry_on_each(tmp_path: Path) -> None:
    """An SDN party also on the UN list stays an SDN party (prohibited)."""
    komid = _party(
        "NK-komid",
        "Company",
        ["un_sc_sanctions", "us_ofac_sdn"],
        name=["Korea Mining Development Trading Corporation"],
    )
    hikvision = _party(
        "NK-hik",
        "Company",
        ["us_trade_csl"],
        name=["Hangzhou Hikvision Digital Technology Co., Ltd."],
        program=["Entity List (EL) - Bureau of Industry and Security"],
    )
    other = _party("NK-other", "Company", ["us_trade_csl"], name=["Other Co"])
    entries = _ftm(tmp_path, [komid, hikvision, other])
    assert [(e.entry_id, e.list_code) for e in entries] == [
        ("NK-komid", "UN"),
        ("NK-komid", "SDN"),
        ("NK-hik", "EL"),
        ("NK-other", "CSL"),
    ]


def test_first_seen_is_not_a_listing_date(tmp_path: Path) -> None:
    """OpenSanctions' first crawl of a record is not when it was listed."""
    sdn = ["us_ofac_sdn"]
    person = _party("NK-p1", "Person", sdn, name=["Ivan Petrovich Sidorovsky"])
    dated = _party("NK-p2", "Person", sdn, name=["Dated Person"])
    sanction = {
        "id": "s-1",
        "schema": "Sanction",
        "properties": {"entity": ["NK-p2"], "startDate": ["2019-03-04"]},
        "datasets": sdn,
    }
    listing = {"schema": "Sanction", "properties": {"listingDate": ["2009-07-16"]}}
    nested = _party("NK-p3", "Person", sdn, name=["Nested"], sanctions=[listing])
    undated, by_line, by_nesting = _ftm(tmp_path, [person, dated, sanction, nested])
    assert undated.start_date is None
    assert undated.in_force(date(2023, 1, 10))
    assert by_line.start_date == "2019-03-04"
    assert by_nesting.start_date == "2009-07-16"
