"""Checks on orders and draws before the store is touched, and the limit that binds.

Malformed draws and draws on licenses that were never imported are the caller's
error (InputError, nothing written); the limit a draw is held to is the tighter of
the one the engine states and, for a license, the one imported with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, select

from chipgate.accounts import license_account, license_number
from chipgate.draws import Draw, DrawTiming
from chipgate.errors import InputError, Problem
from chipgate.ledger.models import LICENSES
from chipgate.ledger.results import OrderRequest
from chipgate.limits import (
    ACCOUNT_KEY_MAX,
    DRAW_KIND_MAX,
    ORDER_ID_MAX,
    RULES_VERSION_MAX,
    USER_MAX,
    too_long,
)

UNITS = ("tpp", "units", "usd")
LICENSE_LIMIT_COLUMNS = {"units": "quantity", "usd": "value_usd", "tpp": "tpp"}
"""Which column of an imported license limits each unit of its account."""


LicenseLimits = Mapping[str, Mapping[str, float | None]]


def now_draws(draws: Iterable[Draw]) -> list[Draw]:
    """The draws the ledger takes, in lock order (``on_license`` is only audited)."""
    return sorted(
        (d for d in draws if d.timing == DrawTiming.NOW),
        key=lambda d: (d.account, d.unit),
    )


def _finite(value: float | None, *, allow_none: bool = True) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0


def validate(requests: Sequence[OrderRequest]) -> list[Problem]:
    """Problems with the orders and draws themselves, before touching the store."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for req in requests:
        source = f"order {req.order_id!r}"
        for name, value, limit in (
            ("order_id", req.order_id, ORDER_ID_MAX),
            ("who", req.who, USER_MAX),
            ("rules_version", req.rules_version, RULES_VERSION_MAX),
        ):
            if too_long(value, limit):
                problems.append(
                    Problem(
                        f"{name.replace('_', ' ')} must be 1-{limit} characters, "
                        f"got {len(value)}",
                        source,
                        None,
                        name,
                    )
                )
        if not req.regime:
            problems.append(Problem("regime is required", source, None, "regime"))
        if req.order_id in seen:
            problems.append(
                Problem("order id appears twice in the batch", source, None, "order_id")
            )
        seen.add(req.order_id)
        for i, draw in enumerate(req.draws):
            where = f"draws[{i}]"
            if too_long(draw.account, ACCOUNT_KEY_MAX):
                problems.append(
                    Problem(
                        f"account key must be 1-{ACCOUNT_KEY_MAX} characters, "
                        f"got {len(draw.account)}",
                        source,
                        None,
                        f"{where}.account",
                    )
                )
            if too_long(draw.kind, DRAW_KIND_MAX):
                problems.append(
                    Problem(
                        f"account kind must be 1-{DRAW_KIND_MAX} characters",
                        source,
                        None,
                        f"{where}.kind",
                    )
                )
            if draw.unit not in UNITS:
                problems.append(
                    Problem(
                        f"unit must be one of {', '.join(UNITS)}, got {draw.unit!r}",
                        source,
                        None,
                        f"{where}.unit",
                    )
                )
            if not _finite(draw.amount, allow_none=False):
                problems.append(
                    Problem(
                        f"amount must be a finite number >= 0, got {draw.amount!r}",
                        source,
                        None,
                        f"{where}.amount",
                    )
                )
            if not _finite(draw.limit):
                problems.append(
                    Problem(
                        f"limit must be a finite number >= 0, got {draw.limit!r}",
                        source,
                        None,
                        f"{where}.limit",
                    )
                )
            if not (isinstance(draw.h100e, int | float) and math.isfinite(draw.h100e)):
                problems.append(
                    Problem(
                        f"h100e must be a finite number, got {draw.h100e!r}",
                        source,
                        None,
                        f"{where}.h100e",
                    )
                )
    return problems


def license_limits(conn: Connection, requests: Sequence[OrderRequest]) -> LicenseLimits:
    """Imported limits of the licenses the batch draws on; unknown ones are an error."""
    wanted: dict[str, tuple[str, int]] = {}
    for req in requests:
        for i, draw in enumerate(req.draws):
            number = license_number(draw.account)
            if number is not None and draw.timing == DrawTiming.NOW:
                wanted.setdefault(number, (req.order_id, i))
    if not wanted:
        return {}
    rows = conn.execute(
        select(LICENSES).where(LICENSES.c.number.in_(sorted(wanted)))
    ).all()
    found = {
        row.number: {
            unit: getattr(row, col) for unit, col in LICENSE_LIMIT_COLUMNS.items()
        }
        for row in rows
    }
    missing = [n for n in sorted(wanted) if n not in found]
    if missing:
        raise InputError(
            [
                Problem(
                    f"unknown account {license_account(n)}: "
                    f"no license {n!r} was imported",
                    f"order {wanted[n][0]!r}",
                    None,
                    f"draws[{wanted[n][1]}].account",
                )
                for n in missing
            ]
        )
    return found


def effective_limit(draw: Draw, licenses: LicenseLimits) -> float | None:
    """The tighter of the draw's stated limit and, for a license, its imported limit."""
    limits = [draw.limit] if draw.limit is not None else []
    number = license_number(draw.account)
    if number is not None:
        own = licenses.get(number, {}).get(draw.unit)
        if own is not None:
            limits.append(float(own))
    return min(limits) if limits else None
