"""Entity List FDP footnotes, detected from the CSL's license requirement text.

The patterns and citations live in ``data/footnotes.yaml`` (rules are data); this
module only loads and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from chipgate.errors import RuleDataError


@dataclass(frozen=True, slots=True)
class Footnote:
    """One Entity List footnote and the text marker that reveals it."""

    number: str
    rule: str
    section: str
    marker: re.Pattern[str]
    unconfirmed: bool


@cache
def footnotes() -> tuple[Footnote, ...]:
    """The footnote table, read once from the package data."""
    text = (
        resources.files("chipgate.screening")
        .joinpath("data/footnotes.yaml")
        .read_text(encoding="utf-8")
    )
    data = yaml.safe_load(text)
    try:
        return tuple(
            Footnote(
                number=str(item["number"]),
                rule=str(item["rule"]),
                section=str(item["section"]),
                marker=re.compile(str(item["marker"])),
                unconfirmed=bool(item.get("unconfirmed", False)),
            )
            for item in data["footnotes"]
        )
    except (KeyError, TypeError, re.error) as exc:
        raise RuleDataError(
            f"screening/data/footnotes.yaml: bad footnote entry ({exc})"
        ) from exc


def detect_footnotes(license_requirement: str) -> tuple[str, ...]:
    """Footnote numbers whose FDP section the license requirement text cites.

    >>> detect_footnotes("For all items subject to the EAR. (See §§734.9(g),3 746.8)")
    ('3',)
    """
    return tuple(f.number for f in footnotes() if f.marker.search(license_requirement))
