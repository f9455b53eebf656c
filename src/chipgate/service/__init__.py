"""chipgate as an HTTP service: FastAPI routers over the engine, ledger and cases.

``app.create_app`` builds the application; ``runtime`` is the one module that calls
the engine, so the rest of the service never reaches into rule logic. Every route
but ``/healthz`` and ``/readyz`` needs an API key (``keys``), and every state change
is written to the audit chain with the key's principal.
"""
