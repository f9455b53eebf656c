"""Every route of the application refuses a request without a valid key (401) and a
key whose role is too low (403); /healthz and /readyz need none. The routes are
walked from the application's own route table, not only from the OpenAPI document,
so a route the document does not list (the document itself, its pages, the
console's pages) is walked too."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi.routing import iter_route_contexts

from chipgate.service.app import create_app
from chipgate.settings import Settings
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
    ("get", "/v1/fleet/alerts"): "viewer",
    ("post", "/v1/fleet/alerts/{alert_id}/close"): "officer",
    ("get", "/v1/cases"): "viewer",
    ("get", "/v1/cases/{case_id}"): "viewer",
    ("post", "/v1/cases/{case_id}/actions"): "officer",
    ("post", "/v1/customers"): "officer",
    ("get", "/v1/customers"): "viewer",
    ("get", "/v1/customers/{customer_id}"): "viewer",
    ("post", "/v1/customers/rescreen"): "officer",
    ("post", "/v1/usage/records"): "officer",
    ("post", "/v1/usage/batches"): "officer",
    ("get", "/v1/usage/batches"): "viewer",
    ("post", "/v1/usage/report"): "officer",
    ("get", "/v1/usage/report"): "viewer",
    ("get", "/v1/usage/flags"): "viewer",
    ("get", "/v1/keys"): "admin",
    ("post", "/v1/keys"): "admin",
    ("delete", "/v1/keys/{key_id}"): "admin",
}
DOCUMENT = {
    ("get", "/openapi.json"): "viewer",
    ("get", "/docs"): "viewer",
    ("get", "/redoc"): "viewer",
}
"""The OpenAPI document and its pages: not in the document, behind a key all the same."""
CONSOLE = "chipgate.console.pages"
SIGN_IN = {("get", "/login"), ("post", "/login")}
"""The console's sign-in form, where a key is typed: open by necessity."""
ASSETS = {"/static"}
"""The console's stylesheets and scripts: no data."""


def _routes() -> dict[tuple[str, str], str]:
    """Every (method, path) the application answers, with the module serving it."""
    app = create_app(Settings(data_dir=Path("unused")))
    routes: dict[tuple[str, str], str] = {}
    for context in iter_route_contexts(app.routes):
        methods = getattr(context, "methods", None)
        if methods is None:  # a mount
            assert context.path in ASSETS, f"an unexpected mount {context.path}"
            continue
        module = getattr(context.endpoint, "__module__", "")
        for method in methods - {"HEAD"}:
            routes[(method.lower(), context.path)] = module
    return routes


def _api_routes() -> list[tuple[str, str]]:
    return [key for key, module in _routes().items() if module != CONSOLE]


def test_the_document_lists_every_api_route_and_needs_a_key(served: Served) -> None:
    assert served.client().get("/openapi.json").status_code == 401
    spec = served.client("viewer").get("/openapi.json").json()
    listed = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert listed == set(NEEDED) | OPEN


def test_every_route_needs_a_key_of_its_role(served: Served) -> None:
    operations = _api_routes()
    needed = {**NEEDED, **DOCUMENT}
    assert set(operations) == set(needed) | OPEN, "a route without a stated role"
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "x", path)
        client = served.client()
        if (method, path) in OPEN:
            assert client.request(method, url).status_code in (200, 503)
            continue
        rank_needed = ROLES.index(needed[(method, path)])
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
            if rank < rank_needed:
                assert status == 403, (method, path, role)
            else:
                assert status not in (401, 403), (method, path, role, status)


def test_every_console_page_sends_a_visitor_without_a_session_to_sign_in(
    served: Served,
) -> None:
    pages = [key for key, module in _routes().items() if module == CONSOLE]
    assert set(SIGN_IN) <= set(pages)
    for method, path in pages:
        if (method, path) in SIGN_IN:
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        for client in (
            served.client(),
            served.client("admin"),
        ):  # a header is no session
            response = client.request(method, url, follow_redirects=False)
            assert response.status_code in (303, 422), (method, path)
            if response.status_code == 303:
                assert response.headers["location"] == "/login", (method, path)


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


def test_a_console_session_opens_the_document_in_the_browser(served: Served) -> None:

    with httpx.Client(base_url=served.url, timeout=60) as browser:
        assert browser.get("/docs").status_code == 401
        form = browser.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None
        signed_in = browser.post(
            "/login", data={"key": served.keys["viewer"], "csrf": csrf[1]}
        )
        assert signed_in.status_code == 303
        page = browser.get("/docs")
        assert page.status_code == 200
        assert "/openapi.json" in page.text
        assert browser.get("/redoc").status_code == 200
        assert "/v1/orders/check" in browser.get("/openapi.json").json()["paths"]
