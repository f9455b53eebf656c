"""Ledger account keys: built and parsed here, and nowhere else.

An account is what a draw counts against: a license's balance, an LPP allowance per
consignee and year, a country allocation, a VEU's share or cap, an arrangement's
quota. Rules build the keys, the book stage and the ledger parse them; keeping both
in one module means a prefix is spelt once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

LICENSE_PREFIX = "license/"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SEPARATORS = re.compile(r"-+")
UNNAMED_PREFIX = "~"
"""Starts the key of a name that holds no letter or digit at all (a hash of the name):
a key built from letters never holds it."""


@lru_cache(maxsize=4096)
def _letter(char: str) -> tuple[str, bool]:
    """What one character of a casefolded NFKC name adds to its key, and whether it
    is a letter of another script than Latin (after which a mark is kept)."""
    if char.isascii():
        return (char if char.isalnum() else "-"), False
    kind = unicodedata.category(char)
    if kind == "Nd":
        return str(unicodedata.digit(char)), False
    if unicodedata.name(char, "").startswith("LATIN"):
        # accents and Latin letters of their own fold to ASCII: "Công" is "cong"
        return _NON_ALNUM.sub("-", anyascii(char).casefold()), False
    if kind[0] in "LN":
        return char, True
    return "-", False


def name_key(name: str) -> str:
    """Stable key fragment for a party or holder name: lower case, dashes.

    A plain ASCII name keeps the key it always had (lower case, each run of other
    characters a dash). Latin letters with accents, or of their own, are written in
    ASCII (``Công ty`` and ``Cong ty`` are one key); letters, marks and digits of
    other scripts are kept as written (NFKC, case folded), so that two names in
    Devanagari or Han stay two keys; a name without any letter or digit gets
    ``~`` and a hash of it, never an empty key.

    >>> name_key("ACME Trading Co., Ltd.")
    'acme-trading-co-ltd'
    >>> name_key("Công ty Cổ phần FPT"), name_key("भारत क्लाउड")
    ('cong-ty-co-phan-fpt', 'भारत-क्लाउड')
    """
    if name.isascii():
        key = _NON_ALNUM.sub("-", name.casefold()).strip("-")
    else:
        folded = unicodedata.normalize(
            "NFKC", unicodedata.normalize("NFKC", name).casefold()
        )
        parts: list[str] = []
        other_script = False
        for char in folded:
            if unicodedata.category(char)[0] == "M":
                # a mark belongs to the letter before it: kept in other scripts,
                # dropped after a Latin letter (an accent NFKC could not compose)
                if other_script:
                    parts.append(char)
                continue
            text, other_script = _letter(char)
            parts.append(text)
        key = _SEPARATORS.sub("-", "".join(parts)).strip("-")
    if key:
        return key
    digest = hashlib.sha256(unicodedata.normalize("NFKC", name).encode()).hexdigest()
    return UNNAMED_PREFIX + digest[:16]


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
