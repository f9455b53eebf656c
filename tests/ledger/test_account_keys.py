"""Account keys of party names: one key per name in any script, never an empty one,
and the keys of plain ASCII names exactly as ledgers already hold them."""

from __future__ import annotations

import random
import re
import string

import pytest
from ledger_helpers import draw, request

from chipgate.accounts import lpp_account, name_key
from chipgate.ledger import CommitStatus, Ledger


def _key_before(name: str) -> str:
    """The key every ledger written so far holds for a name (the old function)."""
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


ASCII_NAMES = [
    "ACME Trading Co., Ltd.",
    "  G42 Holding  ",
    "O'Brien & Sons (HK) Ltd",
    "Acme/Holdings",
    "3M",
    "a--b__c..d",
    "UPPER lower 123",
]


def test_keys_of_plain_ascii_names_are_unchanged() -> None:
    rng = random.Random(7)
    names = ASCII_NAMES + [
        "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 40)))
        for _ in range(2_000)
    ]
    for name in names:
        if _key_before(name):
            assert name_key(name) == _key_before(name), name


def test_two_firms_in_devanagari_get_two_accounts() -> None:
    first, second = lpp_account("भारत क्लाउड", 2025), lpp_account("डेक्कन लैब्स", 2025)
    assert first != second
    assert "//" not in first
    assert "//" not in second
    assert first == "lpp/भारत-क्लाउड/2025"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Công ty Cổ phần FPT", "Cong ty Co phan FPT"),
        ("Đà Nẵng Tech", "Da Nang Tech"),
        ("Société Générale", "Societe Generale"),
        ("Straße AG", "STRASSE AG"),
        ("ＡＣＭＥ Ltd", "ACME Ltd"),
        ("Cafe\u0301 Labs", "Cafe Labs"),
        ("Café Labs", "Cafe Labs"),
    ],
)
def test_a_name_with_or_without_accents_is_one_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other) == _key_before(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("华为技术", "华为科技"), ("ไทย คลาวด์", "ไทย คลาว")],
)
def test_names_in_other_scripts_keep_their_letters_and_marks(
    one: str, other: str
) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize("name", ["???", "—", "🚀🚀", "!!"])
def test_a_name_without_letters_gets_a_key_of_its_own(name: str) -> None:
    key = name_key(name)
    assert key.startswith("~")
    assert len(key) > 1
    assert "/" not in key
    assert key == name_key(name)
    assert key != name_key(name + "?")


def test_the_second_devanagari_firm_draws_on_its_own_allowance(ledger: Ledger) -> None:
    full = request("o1", draw(lpp_account("भारत क्लाउड", 2025), 1000.0, 1000.0))
    other = request("o2", draw(lpp_account("डेक्कन लैब्स", 2025), 1000.0, 1000.0))
    results = ledger.commit_batch([full, other])
    assert [r.status for r in results] == [CommitStatus.COMMITTED] * 2
