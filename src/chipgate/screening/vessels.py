"""A vessel's name written after its ship prefix ("MV", "M/T", "S.S.").

Shipping papers, bills of lading and AIS feeds write a ship's name after a
prefix that says what kind of ship it is: M/V or MV (motor vessel), M/T or MT
(motor tanker), S.S. (steamship), F/V (fishing vessel), M/Y (motor yacht),
R/V (research vessel). The lists name the ship alone: the CSL of 2026-07-31
holds 1,524 vessels, all of them OFAC's SDN entries ("TIFON", "EBANO", "MAR
AZUL"), each typed "vessel". Read
as written, "MT TIFON" is a two-word name of which the listed one-word name
holds half, and was no match.

A query that begins with such a prefix is also read without it
(``vessel_name``), and that reading is matched against listed vessels only
(``VESSEL_KIND``): the prefix says the party is a ship, and "MT" or "SS" may
as well be the initials of a company ("MT Holdings" is not the company
"Holdings"). "MS" (Motorschiff) is left out: it is a person's title too.
Prefixes that are also words ("MY") are read only with their slash or dots
("M/Y", "M.Y.").
"""

from __future__ import annotations

import re

# The entry kind of a ship on the lists (``ListEntry.kind``, as the loaders
# write OFAC's and the CSL's "Vessel").
VESSEL_KIND = "vessel"
# The rule's name in an explanation.
VESSEL_PREFIX = "vessel_prefix"

# Each prefix as it is written: letters alone, or with a slash or dots between
# and after them ("MV", "M/V", "M.V."); two-letter prefixes that are words or
# common initials only with a slash or dots.
_PLAIN = (("m", "v"), ("m", "t"), ("s", "s"), ("f", "v"))
_MARKED = (("m", "y"), ("r", "v"))
_MARK = r"\s*[/.]\s*"


def _pattern() -> re.Pattern[str]:
    plain = [f"{a}(?:{_MARK})?{b}" for a, b in _PLAIN]
    marked = [f"{a}{_MARK}{b}" for a, b in _MARKED]
    prefix = "|".join(plain + marked)
    # the prefix, an optional closing dot, then the name (at least one letter
    # or digit): "M.V. EBANO", "MT. TIFON", "M/V 'ARTAVIL'"
    return re.compile(rf"^\s*(?P<prefix>(?:{prefix})\.?)\s+(?P<name>.*\w.*)$", re.I)


_PREFIXED = _pattern()


def vessel_name(name: str) -> tuple[str, str] | None:
    """The prefix as written and the ship's name after it, or None when
    ``name`` does not begin with a ship prefix followed by a name."""
    found = _PREFIXED.match(name)
    if found is None:
        return None
    return found["prefix"], found["name"].strip()


def is_vessel_reading(reading: str) -> bool:
    """Whether a query form's reading is the ship's name without its prefix
    (its matches count against listed vessels only)."""
    return reading.endswith(f"({VESSEL_PREFIX})")
