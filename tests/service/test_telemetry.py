"""FastAPI's own OpenTelemetry is off in the service (no request asks OpenTelemetry
whether a provider is set up), unless ``FASTAPI_OTEL_AUTO_CONFIGURE`` asks FastAPI
to set it up, which keeps FastAPI's defaults."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from opentelemetry import trace

from chipgate.service.app import AUTO_TELEMETRY_ENV, create_app, telemetry
from chipgate.settings import Settings
from tests.service.loops import fresh_loop


def _provider_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of ``trace.get_tracer_provider``."""
    calls: list[int] = []
    real = trace.get_tracer_provider

    def counted() -> trace.TracerProvider:
        calls.append(1)
        return real()

    monkeypatch.setattr(trace, "get_tracer_provider", counted)
    return calls


def _healthz_three_times() -> list[int]:
    """Three requests to a fresh application (no lifespan: /healthz needs none,
    and FastAPI's check comes before the routes)."""
    app = create_app(Settings(data_dir=Path("unused")))

    async def send() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return [(await c.get("/healthz")).status_code for _ in range(3)]

    return fresh_loop(send())


def test_requests_do_not_ask_opentelemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUTO_TELEMETRY_ENV, raising=False)
    calls = _provider_lookups(monkeypatch)
    assert _healthz_three_times() == [200, 200, 200]
    assert calls == []
    assert telemetry() == {"tracing": False, "metrics": False, "logs": False}


def test_fastapis_automatic_setup_keeps_its_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(AUTO_TELEMETRY_ENV, "true")
    calls = _provider_lookups(monkeypatch)
    assert _healthz_three_times() == [200, 200, 200]
    assert telemetry() is None
    assert len(calls) >= 3  # FastAPI's own check, once a request
