"""bench/generate_sales.py then bench/bench_reports.py, tiny: the generated tickets are
what the daily refresh reads, and every report figure equals the hand-written SQL's."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        import bench_reports
        import generate_sales

        yield generate_sales, bench_reports
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.django_db(transaction=True)
def test_generate_then_bench_reports(bench, capsys):
    from hanout.core.models import Business
    from hanout.inventory.models import StockLevel, StockMovement
    from hanout.pos.models import Sale, SaleLine
    from hanout.reports.models import DailyProductSales, DailySales

    generate_sales, bench_reports = bench
    assert generate_sales.main(["--lines", "1500", "--years", "1", "--products", "30"]) == 0
    business = Business.objects.get(name="Bench Sales")

    sales = Sale.objects.filter(business=business)
    assert SaleLine.objects.filter(business=business).count() >= 1400
    revenue = sales.aggregate(r=Sum("revenue"))["r"]
    assert DailySales.objects.filter(business=business).aggregate(r=Sum("revenue"))["r"] == revenue
    assert (
        DailyProductSales.objects.filter(business=business).aggregate(r=Sum("revenue"))["r"]
        == revenue
    )
    for level in StockLevel.objects.filter(business=business):
        moved = StockMovement.objects.filter(product=level.product_id).aggregate(q=Sum("quantity"))
        assert level.quantity == moved["q"] >= Decimal(0)

    # The benchmark checks every figure against its hand SQL before timing (AssertionError).
    bench_reports.main(["--runs", "2", "--warmup", "1"])
    out = capsys.readouterr().out
    for name in ("sales by day, 365 days", "top products, 91 days", "dashboard, today"):
        assert f"check {name}:" in out
        assert f"| {name} |" in out

    with pytest.raises(SystemExit, match="already exists"):
        generate_sales.main(["--lines", "100", "--years", "1", "--products", "5"])
