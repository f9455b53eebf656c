"""Places named in parentheses after a company name: "Deutsche Bank (Schweiz) AG".

A country or region in parentheses says which branch or subsidiary of the named
company is meant; the company rules (``companies.py``) weigh it lightly when only
one of two names has it. Countries are the ISO 3166 names pycountry ships (name,
common and official names) in English and in the translations it ships for
German, French, Spanish, Italian, Portuguese, Dutch and Russian, plus the
regions and short forms below. Kept apart from ``normalize.py``, which calls
``parenthetical_places``, so that it needs only the romanization of ``scripts``.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import pycountry

from chipgate.screening.scripts import romanize

LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "ru")
REGIONS = (
    "africa",
    "america",
    "americas",
    "apac",
    "asia",
    "asia pacific",
    "emea",
    "eu",
    "europe",
    "far east",
    "gulf",
    "hong kong",
    "latin america",
    "macao",
    "macau",
    "middle east",
    "north america",
    "south america",
    "taiwan",
    "uk",
    "us",
    "usa",
)
# Regions of several countries, and the Chinese special regions, that a
# company's regional arm is named by outside parentheses ("Faberlic Europe",
# "Huawei Technologies Hong Kong Limited"). Not countries: "Banco Santander
# Mexico" is a bank of its own, and many countries are persons' names too
# (Jordan, Chad, Georgia, India).
MANY_COUNTRIES = frozenset(
    {
        "africa",
        "americas",
        "apac",
        "asia",
        "asia pacific",
        "benelux",
        "emea",
        "eurasia",
        "europe",
        "far east",
        "hk",  # Hong Kong as the lists abbreviate it ("MIGHTY DIVINE HK LIMITED")
        "hong kong",
        "latin america",
        "macao",
        "macau",
        "middle east",
        "nordic",
        "north america",
        "scandinavia",
        "south america",
    }
)
# their words, for the cheap test
MANY_WORDS = frozenset(w for region in MANY_COUNTRIES for w in region.split())
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def plain(text: str) -> str:
    """Lower-case ASCII words of ``text`` (as the normalizer writes them)."""
    return " ".join(_NON_WORD.sub(" ", romanize(text).casefold()).split())


@cache
def place_names() -> frozenset[str]:
    """Every country and region name, as plain words."""
    names: set[str] = set(REGIONS)
    english = [
        str(getattr(country, field))
        for country in pycountry.countries
        for field in ("name", "common_name", "official_name")
        if hasattr(country, field)
    ]
    names.update(plain(name) for name in english)
    for language in LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue  # a pycountry build without that language
        names.update(plain(translation.gettext(name)) for name in english)
    for country in pycountry.countries:
        names.update((country.alpha_2.lower(), country.alpha_3.lower()))
    names.discard("")
    return frozenset(names)


def parenthetical_places(name: str) -> tuple[str, ...]:
    """The words of each parenthetical of ``name`` that is a place, in order.

    >>> parenthetical_places("Deutsche Bank (Schweiz) AG")
    ('schweiz',)
    >>> parenthetical_places("Bank of China (Hong Kong) Limited")
    ('hong', 'kong')
    >>> parenthetical_places("Semiconductor Manufacturing International Corp. (SMIC)")
    ()
    >>> parenthetical_places("YLH Electronics (H.K.) Co., Limited")
    ('hk',)
    """
    if "(" not in name:
        return ()
    found: list[str] = []
    for inner in _PARENTHESES.findall(name):
        found.extend(_place_words(inner))
    return tuple(found)


def is_place(text: str) -> bool:
    """Whether ``text`` is a country's or region's name or code, its letters
    also read together when written one by one ("H.K.", "U.S.A.").

    >>> is_place("HK"), is_place("H.K."), is_place("U.K."), is_place("Hong Kong")
    (True, True, True, True)
    >>> is_place("SMIC"), is_place("A.B.C.")
    (False, False)
    """
    return bool(_place_words(text))


def _place_words(text: str) -> tuple[str, ...]:
    """The words of the place ``text`` names, as the normalizer writes them
    (letters written one by one joined: "H.K." is "hk"), or none."""
    words = plain(text).split()
    names = place_names()
    if words and " ".join(words) in names:
        return tuple(words)
    joined = "".join(words)
    if words and all(len(word) == 1 for word in words) and joined in names:
        return (joined,)
    return ()


def region_words(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words of ``tokens`` that write a region of ``MANY_COUNTRIES`` (two
    words only together: "hong kong", not "hong").

    >>> region_words(("huawei", "technologies", "hong", "kong"))
    ('hong', 'kong')
    >>> region_words(("hong", "wei"))
    ()
    """
    if MANY_WORDS.isdisjoint(tokens):
        return ()  # most names
    found: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tokens[i : i + 2]
        if len(pair) == 2 and f"{pair[0]} {pair[1]}" in MANY_COUNTRIES:
            found.extend(pair)
            i += 2
        elif tokens[i] in MANY_COUNTRIES:
            found.append(tokens[i])
            i += 1
        else:
            i += 1
    return tuple(found)


# A Chinese enterprise name is, by the rules of its registration, the
# administrative division, the trade name, the industry and the legal form
# ("Shenzhen Huawei Technologies Co., Ltd."), and is as often written without
# the division: a city or province as the first word names where the company
# is registered, a branch, or the company itself. The divisions are cities of at
# least this many people (GeoNames) and China's provinces (ISO 3166-2:CN),
# derived into ``data/chinese_divisions.txt`` by ``bench/chinese_divisions_data.py``.
CITY_POPULATION = 1_000_000


@cache
def chinese_divisions() -> frozenset[str]:
    """The Chinese provinces and large cities as the normalizer writes them,
    one word ("shenzhen", "xian", "guangdong").

    Read from the shipped file, not derived here: the derivation parses every
    city of GeoNames, some 0.3 s of a single screening's start.

    >>> {"shenzhen", "xian", "guangdong", "beijing"} <= chinese_divisions()
    True
    """
    path = resources.files("chipgate.screening").joinpath("data/chinese_divisions.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def leading_division(tokens: Sequence[str]) -> tuple[str, ...]:
    """The first word of ``tokens`` when it is a Chinese province or large
    city (``chinese_divisions``), else nothing.

    >>> leading_division(("shenzhen", "huawei", "technologies"))
    ('shenzhen',)
    >>> leading_division(("huawei", "technologies"))
    ()
    """
    if tokens and tokens[0] in chinese_divisions():
        return (tokens[0],)
    return ()
