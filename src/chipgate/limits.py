"""How long each text value the stores keep may be, and how large an order line's
figures: one set of limits shared by the order readers, the validators and the
columns.

The table definitions (models and migrations) size their columns from these numbers
and the validators refuse longer values with a clear error before the store is
touched, so that no value a validator lets through can overflow a column on a store
that enforces lengths (PostgreSQL) while passing on one that does not (SQLite).
Values whose length the rule data decides (regime labels: a regime plus every
overlay active on a day) are stored as unbounded text instead: a new overlay pack
must never make the ledger refuse an order. Both order-reading paths (row by row
and column-wise) refuse a longer cell or a larger figure, naming file, line and field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chipgate.regimes.library import RegimeLibrary

ORDER_ID_MAX = 200
"""An order id (the reader's ``id`` column; the ledger's idempotency key)."""
PARTY_NAME_MAX = 500
"""A party name on an order line (consignee, end user, parents) or given to
``screen``. The longest name on the restricted-party lists is far shorter; a longer
cell is a broken file, and would cost screening minutes."""
ORDER_TEXT_MAX = 2_000
"""Any other text cell of an order line (item, end uses, authorizations)."""
QUANTITY_MAX = 10**12
"""Largest quantity of one order line: whole numbers up to here are exact in every
store and in JSON readers that use doubles, and no real order comes near it."""
FIGURE_MAX = 1e40
"""Largest value of a numeric order column (tpp, training_operations, value_usd ...):
many orders of magnitude above any figure the regime data sets or a real order
states, and small enough that figure × quantity stays finite. A validation bound,
not a legal threshold: those live in the regime packs with their citations."""
ACCOUNT_KEY_MAX = 200
"""An account key such as ``lpp/<consignee>/<year>``."""
DRAW_KIND_MAX = 40
"""An account family such as ``country_allocation``."""
UNIT_MAX = 16
"""``tpp``, ``units`` or ``usd``."""
USER_MAX = 200
"""Who acts (``CHIPGATE_USER``), recorded on orders, licenses and audit entries."""
HOLDER_MAX = 200
"""A UVEU holder whose compute base is reported."""
LICENSE_NUMBER_MAX = 64
"""A license number (the license file reader allows 2-64 characters)."""
RULES_VERSION_MAX = 200
"""Engine version plus rule data digest, e.g. ``0.1.0+rules.2b6005202bf1``."""
AUDIT_KIND_MAX = 40
"""The kind of an audit entry, e.g. ``order.committed``."""
STAMP_MAX = 40
"""An ISO 8601 UTC timestamp with microseconds (32 characters)."""
WHOLE_MAX = 2**53
"""Largest whole number (a license's quantity) a double holds exactly."""


def longest_regime_label(library: RegimeLibrary) -> int:
    """The longest regime label a decision can carry: a regime with every overlay.

    A label is the regime id joined by ``+`` to the ids of the overlays active on
    the order's date; counting every overlay that applies to the regime on any date
    bounds it from above.
    """
    return max(
        len("+".join([regime.id, *(o.id for o in library.overlays_for(regime.id))]))
        for regime in library.regimes()
    )


def too_long(value: str, limit: int) -> bool:
    """Whether ``value`` does not fit a column of ``limit`` characters (or is empty)."""
    return not value or len(value) > limit
