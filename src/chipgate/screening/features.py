"""Named features that compare a query name with one listed name.

Each feature is a pure function returning a ``FeatureResult`` (a score in [0, 1]
and a human-readable detail), so that every hit explains itself feature by feature
instead of through positional numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from chipgate.screening.normalize import NormalizedName
from chipgate.screening.tokens import token_similarity

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """The outcome of one feature: its name, score in [0, 1] and why."""

    name: str
    score: float
    detail: str


def _merged(own: Sequence[str], other: Sequence[str]) -> dict[int, str]:
    """Positions of ``own`` written as one word on the other side, or the reverse.

    "hua wei" against "huawei": both "hua" and "wei" map to "huawei" on one
    side, and "huawei" maps to "huawei" (the two words joined) on the other.
    """
    found: dict[int, str] = {}
    other_set = set(other)
    for i in range(len(own) - 1):
        joined = own[i] + own[i + 1]
        if joined in other_set:
            found[i] = found[i + 1] = joined
    joined_other = {other[i] + other[i + 1] for i in range(len(other) - 1)}
    for i, token in enumerate(own):
        if token in joined_other and token not in other_set:
            found[i] = token
    return found


def _side(
    own: Sequence[str],
    other: Sequence[str],
    merged: dict[int, str],
    weigh: Weigher,
) -> tuple[float, float, list[str]]:
    """Weighted agreement of each word of ``own`` with its best word in ``other``."""
    got = total = 0.0
    notes: list[str] = []
    for i, token in enumerate(own):
        if i in merged:
            best, rule, partner = 1.0, "joined", merged[i]
        else:
            best, rule, partner = 0.0, "", ""
            for candidate in other:
                score, why = token_similarity(token, candidate)
                if score > best:
                    best, rule, partner = score, why, candidate
                    if score == 1.0:
                        break
        # A misspelt word is unknown to the lists (maximal weight): it weighs what
        # the word it stands for weighs.
        weight = min(weigh(token), weigh(partner)) if best else weigh(token)
        got += weight * best
        total += weight
        if best == 0.0:
            notes.append(f"{token} unmatched")
        elif rule != "exact":
            notes.append(f"{token}~{partner} ({rule} {best:.2f})")
    return got, total, notes


def token_alignment(
    query: NormalizedName, candidate: NormalizedName, weigh: Weigher
) -> FeatureResult:
    """Share of both names' word weight that the other name accounts for.

    Each word is matched to its most similar word on the other side (exact,
    transliteration variant, abbreviation, initial, typo, or two words written as
    one) and weighed by rarity, so "Huawei" matters more than "Technologies" and an
    unmatched rare word costs more than an unmatched common one. Order is ignored.
    """
    score, notes = _align(query.tokens, candidate.tokens, weigh)
    if query.org_forms or candidate.org_forms:
        # Company forms are recognised by position ("State Enterprise X" but not
        # "X State Enterprise"); comparing the full names too undoes a miss.
        full, full_notes = _align(
            query.tokens + query.org_forms,
            candidate.tokens + candidate.org_forms,
            weigh,
        )
        if full > score:
            score, notes = full, [*full_notes, "compared with company forms"]
    detail = "; ".join(notes) if notes else "all words agree"
    return FeatureResult("token_alignment", min(1.0, score), detail)


def _align(
    q_tokens: Sequence[str], c_tokens: Sequence[str], weigh: Weigher
) -> tuple[float, list[str]]:
    q_merged = _merged(q_tokens, c_tokens)
    c_merged = _merged(c_tokens, q_tokens)
    q_got, q_total, q_notes = _side(q_tokens, c_tokens, q_merged, weigh)
    c_got, c_total, c_notes = _side(c_tokens, q_tokens, c_merged, weigh)
    total = q_total + c_total
    score = (q_got + c_got) / total if total else 0.0
    notes = q_notes + [f"listed word {n}" for n in c_notes if "unmatched" in n]
    return score, notes


def sequence(query: NormalizedName, candidate: NormalizedName) -> FeatureResult:
    """Character similarity of the two names (rapidfuzz), as written or words sorted.

    Sorting alone breaks on a typo that changes the sort order of the words
    ("gazprom gazznadzor"), and written order alone breaks on reordered words;
    the better of the two is kept.
    """
    score = max(
        fuzz.ratio(query.text, candidate.text),
        fuzz.token_sort_ratio(query.text, candidate.text),
    )
    return FeatureResult(
        "sequence", score / 100.0, f"character ratio {score / 100.0:.2f}"
    )


def org_forms(query: NormalizedName, candidate: NormalizedName) -> FeatureResult:
    """Company-type words removed on each side (informational, score 1 or 0.5)."""
    q = " ".join(query.org_forms) or "-"
    c = " ".join(candidate.org_forms) or "-"
    agree = bool(query.org_forms) == bool(candidate.org_forms)
    return FeatureResult("org_forms", 1.0 if agree else 0.5, f"query: {q}; listed: {c}")


def country(query_country: str | None, entry_countries: Sequence[str]) -> FeatureResult:
    """Whether the query's country is among the entry's (informational)."""
    if not query_country or not entry_countries:
        return FeatureResult("country", 0.5, "not compared")
    wanted = query_country.strip().upper()
    listed = [c.strip().upper() for c in entry_countries]
    if wanted in listed:
        return FeatureResult("country", 1.0, f"{wanted} among listed countries")
    shown = ", ".join(entry_countries[:5])
    return FeatureResult("country", 0.0, f"{wanted} not among listed ({shown})")
