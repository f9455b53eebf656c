"""Small pure helpers the rule modules share (keys, formatting, party scans)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from chipgate.accounts import name_key
from chipgate.orders.model import Party
from chipgate.regimes.ownership import ParentStanding, parent_standing, share_minimum
from chipgate.rules.base import RuleContext


def tpp(value: float) -> str:
    """TPP as shown to people, with thousands separators: ``1,234,567``."""
    return f"{value:,.0f}"


UNSTATED_SHARE = "of unstated share, taken as the ultimate parent"
"""How a finding names a parent whose share the order does not give."""


def parent_standing_of(ctx: RuleContext, party: Party) -> ParentStanding | None:
    """How the party's stated parent stands as its ultimate parent (``None``: the
    order names no parent headquarters), by the regime's share minimum
    (``regimes.ownership``). Callers ask only once the parent's headquarters matter,
    so the minimum is read (and cited, with its doubt) only then."""
    if not party.parent_hq:
        return None
    return parent_standing(party.parent_share, share_minimum(ctx.view))


def _parent_standing(
    ctx: RuleContext, party: Party, spec: Mapping[str, Any]
) -> ParentStanding | None:
    """How the party's parent stands, when it is headquartered where ``spec`` names.

    The share minimum is read (and so cited, with its doubt) only then: a finding
    about a party's own headquarters does not rest on it.
    """
    if not party.parent_hq or not ctx.country_matches(party.parent_hq, spec):
        return None
    return parent_standing_of(ctx, party)


def parties_headquartered_in(
    ctx: RuleContext, spec: Mapping[str, Any]
) -> Iterator[tuple[str, Party, str]]:
    """(role, party, country) for each party or ultimate parent HQ'd where ``spec``
    names.

    A parent counts from the regime's share minimum up, as in the customer register
    (``regimes.ownership``); one whose share is not stated still counts (the
    conservative reading) and its role says so; one below the minimum does not
    (``minority_parents``).
    """
    for role, party in ctx.order.parties:
        if party.hq and ctx.country_matches(party.hq, spec):
            yield role, party, party.hq
        standing = _parent_standing(ctx, party, spec)
        if standing is ParentStanding.ULTIMATE:
            yield f"{role} parent", party, party.parent_hq or ""
        elif standing is ParentStanding.UNSTATED:
            yield f"{role} parent {UNSTATED_SHARE}", party, party.parent_hq or ""


def minority_parents(
    ctx: RuleContext, spec: Mapping[str, Any]
) -> Iterator[tuple[str, Party, str]]:
    """(role, party, country) for each parent HQ'd where ``spec`` names whose share
    is below the regime's minimum: not the ultimate parent by ownership, but perhaps
    by control, which the order does not show (a red flag, not a requirement)."""
    for role, party in ctx.order.parties:
        standing = _parent_standing(ctx, party, spec)
        if standing is ParentStanding.MINORITY:
            yield f"{role} parent", party, party.parent_hq or ""


_COMPANY_FORMS = frozenset(
    [
        "ag",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "jsc",
        "kk",
        "limited",
        "llc",
        "ltd",
        "plc",
        "pt",
        "pte",
        "sa",
        "sas",
        "spa",
        "srl",
    ]
)
"""Company-form words a name may carry or leave out ("Contoso Cloud Inc." is
"Contoso Cloud"); they tell no two parties apart."""


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """The words that tell a party name apart: those of its account key
    (``accounts.name_key``) less company-form words. A name in Han or Devanagari
    keeps its letters (read as ASCII words alone, every such name had none, so any
    two were "the same party"), and "Công ty" is "Cong ty"."""
    words = tuple(w for w in name_key(name).split("-") if w)
    kept = tuple(w for w in words if w not in _COMPANY_FORMS)
    return kept or words


def same_name(a: str | None, b: str | None) -> bool:
    """Whether two party names are the same, ignoring case, punctuation and
    company-form words (``Inc.``, ``PT``, ``JSC`` ...)."""
    return bool(a and b) and name_words(a or "") == name_words(b or "")


def role_named(ctx: RuleContext, name: str) -> str | None:
    """The role (``consignee`` or ``end_user``) of the order's party named ``name``."""
    return next(
        (role for role, party in ctx.order.parties if same_name(party.name, name)),
        None,
    )


def headquartered_parties(ctx: RuleContext, spec: Mapping[str, Any]) -> str:
    """``consignee (HQ CN); end_user parent (HQ CN)`` for the parties (or ultimate
    parents) headquartered where ``spec`` names; empty when there are none."""
    return "; ".join(
        describe_party(role, party, country)
        for role, party, country in parties_headquartered_in(ctx, spec)
    )


def describe_party(role: str, party: Party, country: str) -> str:
    """``consignee (HQ CN)``.

    Findings name parties by role, not by name: the order row names them, and a
    message without names lets identical orders of different customers share one
    decision.
    """
    return f"{role} (HQ {country})"
