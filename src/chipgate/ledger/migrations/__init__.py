"""Alembic environment of the ledger (configured in ``chipgate.ledger.migrate``)."""
