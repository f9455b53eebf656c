"""The one canonical JSON form the audit chain hashes and stores."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import orjson


def _json_default(value: Any) -> Any:
    """Plain JSON for the values orders and decisions carry."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if not isinstance(value, tuple) else list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def canonical_json(value: Any) -> str:
    """The one byte-exact JSON form that is hashed and stored.

    >>> canonical_json({"b": 1, "a": [1.5, "x"]})
    '{"a":[1.5,"x"],"b":1}'
    """
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def stored_json(value: Any) -> str:
    """``canonical_json``'s form (sorted keys, compact, UTF-8) for a stored column
    that is read back and never hashed, written by orjson in a sixth of the time.

    What orjson writes otherwise (a float's exponent as ``1e-7`` where ``json``
    writes ``1e-07``; NaN as ``null`` where ``canonical_json`` refuses) reads back
    the same; what it refuses (integer keys, integers past 64 bits) is written by
    ``canonical_json``. Never for the audit chain, whose hashes need the one form.

    >>> stored_json({"b": 1, "a": [1.5, "x"]})
    '{"a":[1.5,"x"],"b":1}'
    """
    try:
        return orjson.dumps(
            value,
            default=_json_default,  # dataclasses too: their keys sorted
            option=orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS,
        ).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return canonical_json(value)
