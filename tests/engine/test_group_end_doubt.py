"""A decision whose finding read a membership on a day its unconfirmed end leaves
open names that doubt (``until_unconfirmed`` in countries/groups.yaml).

No shipped rule asks for the UAE's D:4 membership while the UAE is named in the
destination scope; a pack copy whose review policy asks for D:4 shows the doubt
travelling from groups.yaml to the decision.
"""

from __future__ import annotations

import pytest

from chipgate.decide.engine import Engine
from chipgate.orders.reader import parse_rows
from chipgate.regimes.library import load_library
from tests.engine.test_engine_units import copy_packs

POLICY = """parameters:
  ac.destination_review_policy:
    description: "Test: a review policy that asks for D:4."
    values:
      - value: {default: presumption_of_approval, rules: [{groups: ["D:4"], policy: case_by_case}]}
        source: uae26
        unconfirmed: true
        note: "test value"
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = copy_packs(tmp_path_factory.mktemp("packs"))
    pack = folder / "uae-2026.yaml"
    text = pack.read_text()
    assert text.count("parameters:\n") == 1
    pack.write_text(text.replace("parameters:\n", POLICY))
    return Engine(library=load_library(folder))


def _unconfirmed(engine: Engine, day: str) -> tuple[str, ...]:
    row = {
        "id": day,
        "date": day,
        "kind": "export",
        "item": "NVIDIA H100 SXM5",
        "quantity": "8",
        "destination": "AE",
        "consignee": "Dubai Cloud",
        "consignee_hq": "AE",
    }
    orders = parse_rows([row], engine.catalog, source="test")
    decision = engine.evaluate_book(orders)[0]
    assert "AC.DEST" in decision.rules, decision.explanation()
    return decision.unconfirmed


@pytest.mark.parametrize(
    ("day", "doubted"), [("2026-07-11", True), ("2026-07-14", False)]
)
def test_the_uae_d4_end_is_named_only_in_its_open_days(
    engine: Engine, day: str, doubted: bool
) -> None:
    found = [u for u in _unconfirmed(engine, day) if "D:4 membership of AE" in u]
    assert bool(found) is doubted, found
