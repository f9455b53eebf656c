"""The location fact source the engine's pipeline asks about a party."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from chipgate.facts import LocationAlert
from chipgate.ledger.db import make_engine
from chipgate.location.alerts import alerts_by_owner, alerts_for_owner
from chipgate.location.registry import FleetRegistry, owner_key
from chipgate.settings import Settings


class StoreLocationSource:
    """Reads diversion alerts from the shared store (implements LocationSource).

    Closed alerts come too, with their closure time: the rules hold an order on
    the alerts that stood open on its date (``LocationAlert.in_force_on``), so an
    order replayed after an officer closed an alert decides as it did before.
    """

    def __init__(self, engine: Engine) -> None:
        FleetRegistry(engine)  # makes sure the tables exist on a fresh store
        self.engine = engine

    def alerts_for(self, party: str) -> Sequence[LocationAlert]:
        """Alerts for chips of ``party`` (case, spaces, punctuation ignored)."""
        return alerts_for_owner(self.engine, party)

    def snapshot(self) -> SnapshotLocationSource:
        """Every alert, read in one query: what one check run should see.

        A book names thousands of parties; asking the store once per party cost more
        than deciding, and a snapshot also gives every order of the run the same
        alerts.
        """
        return SnapshotLocationSource(alerts_by_owner(self.engine))


class SnapshotLocationSource:
    """Alerts as they stood when read (implements LocationSource)."""

    def __init__(self, by_owner: dict[str, list[LocationAlert]]) -> None:
        self._by_owner = by_owner

    def alerts_for(self, party: str) -> Sequence[LocationAlert]:
        """Alerts for chips of ``party`` (case, spaces, punctuation ignored)."""
        if not self._by_owner:  # no alert: no name needs folding
            return ()
        return tuple(self._by_owner.get(owner_key(party), ()))


def load_location_source(settings: Settings) -> StoreLocationSource:
    """The location source over the store the CLI writes (``resolved_database_url``)."""
    return StoreLocationSource(make_engine(settings.resolved_database_url()))
