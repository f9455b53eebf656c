"""Which decisions need a person, and which of them need two.

Read from the decision's output record (the one output contract) and the screening
facts gathered for it, so the workflow never depends on engine internals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

LOCATION_RULE_PREFIX = "LOC."
"""Rules that speak on location evidence (a diverted chip holds its owner's orders)."""


class Trigger(StrEnum):
    """Why a decision waits for a person."""

    PROHIBITED = "prohibited"
    LICENSE_REQUIRED = "license_required"
    RED_FLAG = "red_flag"
    LIST_HIT = "list_hit"
    """A party matched a restricted-party list at or above the hit threshold."""
    POSSIBLE_MATCH = "possible_match"
    """A party matched below the hit threshold: confirm or clear it."""
    LOCATION_ALERT = "location_alert"
    """Chips of a party were located away from their licence (a hold)."""


FOUR_EYES = frozenset({Trigger.PROHIBITED, Trigger.LIST_HIT})
"""Overriding these needs the approval of two different officers."""


@dataclass(frozen=True, slots=True)
class Review:
    """What a decision needs from people: the triggers, and whether two must agree."""

    triggers: tuple[Trigger, ...]

    @property
    def needed(self) -> bool:
        """Whether a case opens at all."""
        return bool(self.triggers)

    @property
    def four_eyes(self) -> bool:
        """Whether closing the case with an approval needs two officers."""
        return any(t in FOUR_EYES for t in self.triggers)


def review_of(
    record: Mapping[str, Any], screening: Sequence[Mapping[str, Any]]
) -> Review:
    """The review a decision needs.

    >>> review_of({"outcome": "authorized", "red_flags": [], "rules": []}, []).needed
    False
    >>> r = review_of({"outcome": "prohibited", "red_flags": [], "rules": []},
    ...               [{"is_hit": True}])
    >>> [t.value for t in r.triggers], r.four_eyes
    (['prohibited', 'list_hit'], True)
    """
    found: list[Trigger] = []
    outcome = record.get("outcome")
    if outcome == "prohibited":
        found.append(Trigger.PROHIBITED)
    elif outcome == "license_required":
        found.append(Trigger.LICENSE_REQUIRED)
    if record.get("red_flags"):
        found.append(Trigger.RED_FLAG)
    if any(hit.get("is_hit") for hit in screening):
        found.append(Trigger.LIST_HIT)
    elif screening:
        found.append(Trigger.POSSIBLE_MATCH)
    if any(
        str(code).startswith(LOCATION_RULE_PREFIX) for code in record.get("rules", ())
    ):
        found.append(Trigger.LOCATION_ALERT)
    return Review(tuple(found))
