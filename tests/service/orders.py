"""Orders the service tests send (the order-file contract as JSON objects)."""

from __future__ import annotations

from typing import Any

LICENSE = "T-2024-0001"
"""``LICENSES_CSV``: 200 H100 to Saigon Cloud Services JSC (VN) in 2024, when the law
of the day is one regime without overlays (its label fits the ledger's column)."""
OTHER_LICENSE = "T-2024-0002"
"""The same, for tests that must find units left."""
LICENSES_CSV = (
    "number,items,quantity,value_usd,tpp,destination,consignee,valid_from,expires,"
    "conditions\n"
    + "".join(
        f"{number},NVIDIA H100 SXM5,200,,,VN,Saigon Cloud Services JSC,2024-01-01,"
        "2024-12-31,test licence\n"
        for number in (LICENSE, OTHER_LICENSE)
    )
)


def licensed(
    order_id: str,
    quantity: int = 10,
    end_user: str | None = None,
    licence: str = LICENSE,
) -> dict[str, Any]:
    """An H100 export to Viet Nam under the test licence (draws its units)."""
    party = "Saigon Cloud Services JSC"
    return {
        "id": order_id,
        "date": "2024-06-03",
        "kind": "export",
        "item": "NVIDIA H100 SXM5",
        "quantity": quantity,
        "destination": "VN",
        "consignee": party,
        "consignee_hq": "VN",
        "end_user": end_user or party,
        "end_user_hq": "VN",
        "end_use": "datacenter",
        "authorizations": f"LICENSE:{licence}",
    }


def embargoed(order_id: str) -> dict[str, Any]:
    """An export to Iran: prohibited (15 CFR part 746), a four-eyes case."""
    return {
        "id": order_id,
        "date": "2025-10-10",
        "kind": "export",
        "item": "NVIDIA L4",
        "quantity": 10,
        "destination": "IR",
        "consignee": "Tehran Vision Analytics",
        "consignee_hq": "IR",
        "end_user": "Tehran Vision Analytics",
        "end_user_hq": "IR",
        "end_use": "inference",
    }


def plain(order_id: str) -> dict[str, Any]:
    """An H100 export to Germany: no licence required, no case."""
    return {
        "id": order_id,
        "date": "2024-02-10",
        "kind": "export",
        "item": "NVIDIA H100 SXM5",
        "quantity": 256,
        "destination": "DE",
        "consignee": "Nordlicht Rechenzentrum GmbH",
        "consignee_hq": "DE",
        "end_user": "Nordlicht Rechenzentrum GmbH",
        "end_user_hq": "DE",
        "end_use": "datacenter;training",
    }
