"""Dollar amounts added and compared as the decimals they were written as.

Amounts travel as floats (order files, draws, the store's columns), but a float sum
of decimal amounts is not their sum: three draws of USD 2,000,000.10 made
6,000,000.300000001, so an order for exactly the value a license had left was
refused. A dollar amount is therefore read as the decimal it was written as (the
shortest decimal that gives the float back, its ``repr``), added and compared as
that decimal, and carried on as the float nearest the exact result. For amounts of
at most 15 significant digits (any amount to the cent below USD 10 trillion, the
most a license may state) that float reads back as the exact decimal, so nothing
accumulates over any number of draws: no tolerance is needed, and none is allowed.

>>> 2000000.1 + 2000000.1 + 2000000.1 > 6000000.3
True
>>> over(add(2000000.1, 2000000.1), 2000000.1, 6000000.3)
False
>>> add(0.1, 0.2), exact(0.1) + exact(0.2) == exact(0.3)
(0.3, True)
"""

from __future__ import annotations

from decimal import Decimal

USD = "usd"
"""The unit of dollar balances (``ledger.validation.UNITS``)."""
USD_MAX = Decimal("9999999999999.99")
"""Largest dollar amount a license may state: 15 significant digits to the cent."""


def exact(value: float) -> Decimal:
    """The decimal ``value`` was written as (``repr``: 0.1 is ``Decimal('0.1')``)."""
    return Decimal(repr(float(value)))


def add(*values: float) -> float:
    """The exact decimal sum of ``values``, as the float nearest it."""
    return float(sum((exact(v) for v in values), Decimal(0)))


def over(used: float, amount: float, limit: float) -> bool:
    """Whether ``used`` plus ``amount`` passes ``limit``, in exact decimals."""
    return exact(used) + exact(amount) > exact(limit)


def plus(unit: str, *values: float) -> float:
    """``values`` summed: exactly for dollars (``add``), as floats otherwise."""
    return add(*values) if unit == USD else float(sum(values))
