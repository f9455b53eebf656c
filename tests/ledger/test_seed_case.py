"""The seed case at the ledger's layer: LPP per consignee per year across separate runs.

1,000 H100 (TPP 15,832 each) to one Tier-2 consignee in June fit the LPP limit of
26,900,000 TPP; another 1,000 to the same consignee in July do not; 600 to a different
consignee in July do. Each order is committed by a separate ``Ledger.open`` on the same
store (SQLite file or PostgreSQL database), as separate runs of ``chipgate check
--commit`` would.
"""

from __future__ import annotations

from ledger_helpers import draw

from chipgate.draws import Draw
from chipgate.ledger import CommitStatus, Ledger
from chipgate.settings import Settings

H100_TPP = 15_832.0
LPP_LIMIT = 26_900_000.0  # as the engine states it from its regime data


def _lpp(consignee: str, units: int) -> Draw:
    return draw(
        f"lpp/{consignee}/2025", units * H100_TPP, LPP_LIMIT, h100e=float(units)
    )


def _run(
    settings: Settings, order_id: str, month: str, consignee: str, units: int
) -> CommitStatus:
    with Ledger.open(settings) as ledger:
        result = ledger.commit_order(
            order_id,
            {
                "id": order_id,
                "date": f"2025-{month}-15",
                "consignee": consignee,
                "qty": units,
            },
            {"outcome": "authorized", "authorization": "LPP"},
            [_lpp(consignee, units)],
            "aid-2025",
            "aid-2025@test",
            "officer",
        )
    return result.status


def test_lpp_limit_holds_across_separate_runs(settings: Settings) -> None:
    assert _run(settings, "june-1", "06", "falcon-ai", 1000) is CommitStatus.COMMITTED
    assert _run(settings, "july-1", "07", "falcon-ai", 1000) is CommitStatus.REFUSED
    assert _run(settings, "july-2", "07", "oasis-dc", 600) is CommitStatus.COMMITTED
    with Ledger.open(settings) as ledger:
        assert ledger.used("lpp/falcon-ai/2025") == 1000 * H100_TPP
        assert ledger.used("lpp/oasis-dc/2025") == 600 * H100_TPP
        by_account = {b.account: b for b in ledger.balances()}
        assert by_account["lpp/falcon-ai/2025"].h100e == 1000.0
        assert by_account["lpp/falcon-ai/2025"].remaining == LPP_LIMIT - 1000 * H100_TPP
        refusal = [e for e in ledger.export() if e["kind"] == "order.refused"]
        assert [e["order_id"] for e in refusal] == ["july-1"]
        assert ledger.verify().ok
    if settings.database_url is None:
        assert (settings.data_dir / "chipgate.db").is_file()
