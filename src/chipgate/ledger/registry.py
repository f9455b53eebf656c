"""Records the user adds to the ledger: imported licenses and UVEU compute bases."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select

from chipgate.errors import InputError, Problem
from chipgate.ledger import audit, coverage
from chipgate.ledger.license_file import LicenseRecord
from chipgate.ledger.models import BASES, LICENSES
from chipgate.limits import HOLDER_MAX, too_long


def import_licenses(
    conn: Connection, path: Path, records: Sequence[LicenseRecord], who: str
) -> int:
    """Insert validated licenses, refusing numbers already imported; one audit entry.

    Raises:
        InputError: a license number is already on the ledger (nothing is written).
    """
    numbers = [r.number for r in records]
    existing = set(
        conn.execute(
            select(LICENSES.c.number).where(LICENSES.c.number.in_(numbers))
        ).scalars()
    )
    if existing:
        raise InputError(
            [
                Problem(
                    f"license {r.number!r} was already imported; numbers are unique",
                    str(path),
                    r.line,
                    "number",
                )
                for r in records
                if r.number in existing
            ]
        )
    now = audit.utc_now()
    rows = [
        {
            "number": r.number,
            "items": json.dumps(list(r.items)),
            "quantity": r.quantity,
            "value_usd": r.value_usd,
            "tpp": r.tpp,
            "destination": r.destination,
            "consignee": r.consignee,
            "end_user": r.end_user,
            "end_use": json.dumps(list(r.end_use)) if r.end_use else None,
            "valid_from": r.valid_from.isoformat() if r.valid_from else None,
            "expires": r.expires.isoformat() if r.expires else None,
            "conditions": r.conditions,
            "source": str(path),
            "imported_at": now,
            "imported_by": who,
        }
        for r in records
    ]
    conn.execute(insert(LICENSES), rows)
    payload = {
        "outcome": "imported",
        "file": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "licenses": [
            {**row, "items": json.loads(str(row["items"])), "end_use": list(r.end_use)}
            for row, r in zip(rows, records, strict=True)
        ],
    }
    images = coverage.images_where(conn, LICENSES, LICENSES.c.number.in_(numbers))
    entry = audit.PendingEntry("license.imported", who, payload, rows=tuple(images))
    audit.append(conn, [entry])
    return len(rows)


def report_base(
    conn: Connection, holder: str, tpp: float, as_of: date, who: str
) -> int:
    """Record a UVEU holder's compute base; audited.

    Raises:
        InputError: empty holder or a TPP that is not a finite number >= 0.
    """
    if too_long(holder.strip(), HOLDER_MAX):
        raise InputError.single(
            f"the holder's name must be 1-{HOLDER_MAX} characters", field="holder"
        )
    if not math.isfinite(tpp) or tpp < 0:
        raise InputError.single(f"expected a TPP >= 0, got {tpp!r}", field="tpp")
    now = audit.utc_now()
    new_id = conn.execute(
        insert(BASES)
        .values(
            holder=holder.strip(),
            tpp=tpp,
            as_of=as_of.isoformat(),
            recorded_at=now,
            recorded_by=who,
        )
        .returning(BASES.c.id)
    ).scalar_one()
    payload = {"holder": holder.strip(), "tpp": tpp, "as_of": as_of.isoformat()}
    images = coverage.images_where(conn, BASES, BASES.c.id == new_id)
    entry = audit.PendingEntry("uveu.base_reported", who, payload, rows=tuple(images))
    return audit.append(conn, [entry])[0]
