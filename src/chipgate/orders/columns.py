"""The order-file contract: columns, vocabularies and what each cell may hold."""

from __future__ import annotations

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "kind",
    "item",
    "quantity",
    "destination",
    "consignee",
    "consignee_hq",
    "end_user",
    "end_user_hq",
    "end_use",
    "training_operations",
    "open_weights",
    "authorizations",
)
"""Every order file has these columns (cells may be empty where a field does not apply)."""

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "value_usd",
    "exporter",
    "consignee_parent",
    "consignee_parent_hq",
    "consignee_parent_share",
    "end_user_parent",
    "end_user_parent_hq",
    "end_user_parent_share",
    "tpp",
    "die_area_mm2",
    "datacenter",
    "memory_bandwidth_gbs",
)
"""Columns a file may add: order value, parents, and figures of uncatalogued chips."""

ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

LIST_SEPARATORS = (";", "|")
"""Separators of several values in one cell (end_use, authorizations)."""

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
