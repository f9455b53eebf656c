"""Rules: one module per legal source, each rule a pure function with a stable code.

Importing this package registers every rule in ``REGISTRY``.
"""

from chipgate.rules import (
    aid,
    classification,
    deals,
    destination,
    embargo,
    end_use,
    guidance,
    informed,
    licenses,
    location,
    model_weights,
    nac,
    restricted_parties,
    veu,
)
from chipgate.rules.base import REGISTRY

__all__ = [
    "REGISTRY",
    "aid",
    "classification",
    "deals",
    "destination",
    "embargo",
    "end_use",
    "guidance",
    "informed",
    "licenses",
    "location",
    "model_weights",
    "nac",
    "restricted_parties",
    "veu",
]
