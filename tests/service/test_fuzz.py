"""Property-based run over the whole OpenAPI document against the SQLite server:
no server error, and every response matches its documented status, content type and
schema. Bounded and derandomized, so it is the same run every time."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from chipgate.service.app import create_app
from chipgate.settings import Settings
from tests.service.conftest import Served

EXAMPLES_PER_ROUTE = 12
schema = schemathesis.openapi.from_dict(
    create_app(Settings(data_dir=Path("unused"))).openapi()
)


@pytest.fixture(scope="module")
def sqlite_server(served: Served) -> Served:
    """The SQLite server only: one fuzz run is enough for the contract."""
    return served


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_ROUTE,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
def test_the_api_keeps_its_contract(
    case: schemathesis.Case, sqlite_server: Served
) -> None:
    case.call_and_validate(
        base_url=sqlite_server.url,
        headers={"Authorization": f"Bearer {sqlite_server.keys['admin']}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=120,  # the first location check of a worker loads the borders
    )
