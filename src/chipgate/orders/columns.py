"""The order-file contract: columns, vocabularies and what each cell may hold."""

from __future__ import annotations

import difflib

CORE_COLUMNS: tuple[str, ...] = (
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
"""The columns of the contract's main table, in their usual order."""

REQUIRED_COLUMNS: tuple[str, ...] = ("id", "date", "kind", "quantity", "destination")
"""Every order file has these columns, whatever its orders do; any other column a
file leaves out is read as empty (unless an order's kind needs it: KIND_COLUMNS)."""

KIND_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "export": (("item", "tpp"), ("consignee",)),
    "reexport": (("item", "tpp"), ("consignee",)),
    "transfer": (("item", "tpp"), ("consignee",), ("end_user",)),
    "use": (("item", "tpp"), ("end_user",)),
    "cloud": (("end_user",),),
    "model_weights": (("training_operations",), ("consignee",)),
}
"""Columns a file must have once it holds an order of a kind; each entry names
alternatives (an item, or the figures of an uncatalogued chip in ``tpp``). An
export names its consignee; a transfer the holder (consignee) and the new end user;
use and cloud orders the end user (for ``cloud``: the IaaS customer); model weights
their training operations and recipient."""

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "value_usd",
    "exporter",
    "listed_under",
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
"""Columns a file may add: order value, exporter, the CCL entry the item is listed
under apart from 3A090/4A090 (``listed_under``, e.g. ``5A992.c``: the item is then a
".z" item where it meets their parameters), parents, and figures of uncatalogued
chips."""

ALL_COLUMNS = CORE_COLUMNS + OPTIONAL_COLUMNS


def nearest_columns(name: str, limit: int = 3) -> list[str]:
    """Contract columns closest to a misspelt ``name``, for 'did you mean' messages."""
    folded = name.strip().lower().replace(" ", "_").replace("-", "_")
    return difflib.get_close_matches(folded, ALL_COLUMNS, n=limit, cutoff=0.75)


LIST_SEPARATORS = (";", "|")
"""Separators of several values in one cell (end_use, authorizations)."""


def split_list(text: str) -> list[str]:
    """The values of one cell that holds several (``LIST_SEPARATORS``), stripped.

    >>> split_list("training; datacenter|")
    ['training', 'datacenter']
    """
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})

NAME_COLUMNS: tuple[str, ...] = (
    "consignee",
    "end_user",
    "consignee_parent",
    "end_user_parent",
)
"""Columns that hold a party name (screened, so their length is limited to
``limits.PARTY_NAME_MAX``; other text cells to ``limits.ORDER_TEXT_MAX``)."""
