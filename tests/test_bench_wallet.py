"""bench/bench_wallet.py, tiny and in place (SQLite in the suite): every run's transfers
are in the ledger and the lost-update check passes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.django_db(transaction=True)
def test_bench_wallet_runs_and_the_ledger_holds(capsys):
    from hanout.marketplace.models import WalletEntry

    sys.path.insert(0, str(BENCH))
    try:
        import bench_wallet

        args = ["--in-place", "--modes", "threads", "--clients", "2", "--seconds", "0.3"]
        args += ["--businesses", "4"]
        assert bench_wallet.main([*args, "--purchases", "4", "--no-api"]) == 0
    finally:
        sys.path.remove(str(BENCH))
    out = capsys.readouterr().out
    assert "FAILED" not in out
    assert out.count("lost-update check after") == 4  # 2 transfer runs, confirm, profile
    assert "| transfer_held, 4 wallets, 2 threads |" in out
    assert "| purchase_confirm, 2 threads |" in out
    sales = WalletEntry.objects.filter(kind="sale").count()
    assert sales == WalletEntry.objects.filter(kind="purchase").count() >= 4 + 301
