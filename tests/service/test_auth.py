"""Every route of the OpenAPI document refuses a request without a valid key (401)
and a key whose role is too low (403); /healthz and /readyz need none."""

from __future__ import annotations

import re

from tests.service.conftest import Served, chipgate, cli_env

ROLES = ("viewer", "analyst", "officer", "admin")
OPEN = {("get", "/healthz"), ("get", "/readyz")}
NEEDED = {
    ("post", "/v1/orders/check"): "analyst",
    ("post", "/v1/orders/commit"): "officer",
    ("get", "/v1/decisions/{decision_id}"): "viewer",
    ("post", "/v1/books"): "analyst",
    ("get", "/v1/books/{job_id}"): "viewer",
    ("get", "/v1/books/{job_id}/results"): "viewer",
    ("post", "/v1/screening/name"): "analyst",
    ("post", "/v1/screening/batch"): "analyst",
    ("get", "/v1/screening/lists"): "viewer",
    ("post", "/v1/chips/classify"): "analyst",
    ("get", "/v1/regimes"): "viewer",
    ("get", "/v1/regimes/law"): "viewer",
    ("get", "/v1/ledger/balances"): "viewer",
    ("get", "/v1/ledger/history"): "viewer",
    ("post", "/v1/ledger/release"): "officer",
    ("get", "/v1/licenses"): "viewer",
    ("post", "/v1/licenses"): "officer",
    ("get", "/v1/audit/verify"): "viewer",
    ("get", "/v1/audit/export"): "viewer",
    ("get", "/v1/fleet/chips"): "viewer",
    ("post", "/v1/fleet/chips"): "officer",
    ("post", "/v1/fleet/verify"): "officer",
    ("get", "/v1/cases"): "viewer",
    ("get", "/v1/cases/{case_id}"): "viewer",
    ("post", "/v1/cases/{case_id}/actions"): "officer",
    ("get", "/v1/keys"): "admin",
    ("post", "/v1/keys"): "admin",
    ("delete", "/v1/keys/{key_id}"): "admin",
}


def _operations(served: Served) -> list[tuple[str, str]]:
    spec = served.client().get("/openapi.json").json()
    return [(method, path) for path, ops in spec["paths"].items() for method in ops]


def test_every_route_needs_a_key_of_its_role(served: Served) -> None:
    operations = _operations(served)
    assert set(operations) == set(NEEDED) | OPEN, "a route without a stated role"
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "x", path)
        client = served.client()
        if (method, path) in OPEN:
            assert client.request(method, url).status_code in (200, 503)
            continue
        needed = ROLES.index(NEEDED[(method, path)])
        response = client.request(method, url)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"
        forged = client.request(
            method, url, headers={"Authorization": "Bearer cg_0_forged"}
        )
        assert forged.status_code == 401, (method, path)
        for rank, role in enumerate(ROLES):
            status = served.client(role).request(method, url).status_code
            if rank < needed:
                assert status == 403, (method, path, role)
            else:
                assert status not in (401, 403), (method, path, role, status)


def test_a_key_is_printed_once_and_revoked_at_once(served: Served) -> None:
    env = cli_env(served.data_dir, served.store_url)
    created = chipgate(env, "keys", "create", "--role", "viewer", "--name", "temp")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert re.fullmatch(r"cg_[0-9a-f]{12}_[\w-]{40,}", key)
    key_id = key.split("_")[1]
    listed = chipgate(env, "keys", "list", "--json")
    assert key_id in listed.stdout
    assert key not in listed.stdout
    client, admin = served.client(), served.client("admin")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/cases", headers=headers).status_code == 200
    revoked = admin.delete(f"/v1/keys/{key_id}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    assert client.get("/v1/cases", headers=headers).status_code == 401
    entries = admin.get("/v1/audit/export").text
    assert '"kind":"key.revoked"' in entries
    assert "root (key" in entries
