"""Country names as the lists write them, read as ISO 3166-1 alpha-2 codes.

OFAC (CSV and XML) and the UN write a country by name ("Russia", "Korea, North",
"Iran (Islamic Republic of)"), the CSL and the queries by code. The matcher and the
explanation compare an entry's countries with the query's code, so a name left as
written reads as "RU not among listed (Russia)". Names pycountry knows are looked
up there; the spellings it does not know are listed below, each as the lists use
it. A name that is no country of ISO 3166 (OFAC's "Region: Crimea", "Kosovo",
"former Soviet Union") is kept as written, so the explanation still shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pycountry

from chipgate.countries.registry import iso_code

# The lists' spellings pycountry 24 does not look up (OFAC add.csv / sdn.xml and the
# UN consolidated XML as shared in lists/).
LIST_SPELLINGS = {
    "bahamas, the": "BS",
    "brunei": "BN",
    "burma": "MM",
    "china, hong kong special administrative region": "HK",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "cote d ivoire": "CI",
    "cote d'ivoire": "CI",
    "democratic republic of the congo": "CD",
    "gambia, the": "GM",
    "iran (islamic republic of)": "IR",
    "korea, north": "KP",
    "korea, south": "KR",
    "macau": "MO",
    "palestinian": "PS",
    "region: gaza": "PS",
    "russia": "RU",
    "state of palestine": "PS",
    "the gambia": "GM",
    "turkey": "TR",
    "west bank": "PS",
}
NOT_A_COUNTRY = frozenset({"", "undetermined", "unknown"})


@cache
def country_code(name: str) -> str:
    """The ISO code of a country as a list writes it, else the text as written.

    >>> country_code("Russia"), country_code("Korea, North"), country_code("CN")
    ('RU', 'KP', 'CN')
    >>> country_code("Iran (Islamic Republic of)"), country_code("Region: Crimea")
    ('IR', 'Region: Crimea')
    """
    text = " ".join(name.split())
    known = LIST_SPELLINGS.get(text.casefold())
    if known:
        return known
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return text
    return iso_code(str(found.alpha_2)) or text


def country_codes(names: Iterable[str]) -> tuple[str, ...]:
    """Each country of an entry once, as an ISO code where it names one.

    >>> country_codes(["Russia", "Russian Federation", "undetermined", "Syria"])
    ('RU', 'SY')
    """
    codes = (
        country_code(n) for n in names if n.strip().casefold() not in NOT_A_COUNTRY
    )
    return tuple(dict.fromkeys(codes))
