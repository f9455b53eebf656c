"""The location fact source the engine's pipeline asks about a party."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from chipgate.facts import LocationAlert
from chipgate.ledger.db import make_engine
from chipgate.location.alerts import open_alerts
from chipgate.location.registry import FleetRegistry
from chipgate.settings import Settings


class StoreLocationSource:
    """Reads open diversion alerts from the shared store (implements LocationSource)."""

    def __init__(self, engine: Engine) -> None:
        FleetRegistry(engine)  # makes sure the tables exist on a fresh store
        self.engine = engine

    def alerts_for(self, party: str) -> Sequence[LocationAlert]:
        """Open alerts for chips of ``party`` (case, spaces, punctuation ignored)."""
        return open_alerts(self.engine, party)


def load_location_source(settings: Settings) -> StoreLocationSource:
    """The location source over the store the CLI writes (``resolved_database_url``)."""
    return StoreLocationSource(make_engine(settings.resolved_database_url()))
