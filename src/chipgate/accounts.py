"""Ledger account keys: built and parsed here, and nowhere else.

An account is what a draw counts against: a license's balance, an LPP allowance per
consignee and year, a country allocation, a VEU's share or cap, an arrangement's
quota. Rules build the keys, the book stage and the ledger parse them; keeping both
in one module means a prefix is spelt once.
"""

from __future__ import annotations

import re

LICENSE_PREFIX = "license/"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """Stable key fragment for a party or holder name: lower case, dashes.

    >>> name_key("ACME Trading Co., Ltd.")
    'acme-trading-co-ltd'
    """
    return _NON_ALNUM.sub("-", name.casefold()).strip("-")


def license_account(number: str) -> str:
    """``license/<number>``: the balances of an imported license."""
    return LICENSE_PREFIX + number


def license_number(account: str) -> str | None:
    """The license number of a license account, ``None`` for any other account.

    >>> license_number("license/D123"), license_number("lpp/acme/2025")
    ('D123', None)
    """
    if account.startswith(LICENSE_PREFIX):
        return account[len(LICENSE_PREFIX) :]
    return None


def lpp_account(consignee: str, year: int) -> str:
    """LPP allowance of one ultimate consignee in one calendar year."""
    return f"lpp/{name_key(consignee)}/{year}"


def allocation_account(country: str, period: str) -> str:
    """A Tier-2 country's allocation over the AI Diffusion period."""
    return f"country_allocation/{country}/{period}"


def uveu_account(holder: str, where: str) -> str:
    """A UVEU's share in one country (or ``outside-tier1``)."""
    return f"uveu/{name_key(holder)}/{where}"


def nveu_account(holder: str, country: str) -> str:
    """An NVEU's cap in its country."""
    return f"nveu/{name_key(holder)}/{country}"


def deal_account(deal_id: str, *parts: str) -> str:
    """An arrangement's quota: per year, per consignee and year, or per consignee.

    >>> deal_account("uae-2025", "G42", "2025")
    'deal/uae-2025/g42/2025'
    """
    return "/".join(["deal", deal_id, *(name_key(p) for p in parts)])
