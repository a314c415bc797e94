"""Receiving one 500-line delivery of a purchase order: milliseconds and queries.

Creates a throw-away business (SQLite in a temporary folder unless DATABASE_URL
is set; on PostgreSQL give it an empty database you can drop), a supplier with
a catalog of N products, half of them already in stock (so the weighted
average cost really moves), and for each run a sent PO of N lines; then times
`purchase_order_receive` receiving every line in one delivery and prints the
figures:

    .venv/bin/python bench/bench_po_receive.py                  # 500 lines, 5 runs
    .venv/bin/python bench/bench_po_receive.py --lines 2000 --runs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hanout_bench_a \\
        .venv/bin/python bench/bench_po_receive.py

One delivery = one transaction: lock the PO, check the lines, post N receipt
movements through the stock ledger (levels locked in order, weighted average
cost), the receipt and its lines, the received quantities, status, history,
audit and event.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("HANOUT_DATA_DIR", tempfile.mkdtemp(prefix="bench-po-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lines", type=int, default=500, help="lines of the delivery")
    ap.add_argument("--runs", type=int, default=5, help="deliveries timed (one fresh PO each)")
    args = ap.parse_args()
    _setup()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hanout.catalog.models import Product, Unit
    from hanout.inventory import services as inventory
    from hanout.inventory.models import MovementReason, StockLevel
    from hanout.purchasing import services
    from hanout.suppliers.models import Supplier, SupplierProduct
    from tests.factories import make_business

    owner = make_business(f"Bench PO {time.time_ns()}")
    business, actor = owner.business, owner.user
    from hanout.core.models import Shop

    floor = inventory.default_location(shop=Shop.objects.filter(business=business).first())
    products = Product.objects.bulk_create(
        [
            Product(
                business=business,
                name=f"Article {i:05d}",
                sku=f"A{i:05d}",
                unit=Unit.PIECE,
                sale_price=Decimal("3.00"),
                cost=Decimal("1.00"),
            )
            for i in range(args.lines)
        ]
    )
    supplier = Supplier.objects.create(business=business, name="Bench Mill", email="m@x.test")
    SupplierProduct.objects.bulk_create(
        [
            SupplierProduct(
                business=business,
                supplier=supplier,
                product=p,
                supplier_sku=f"BM-{i}",
                cost=Decimal("1.37"),
            )
            for i, p in enumerate(products)
        ]
    )
    inventory.stock_apply(
        business=business,
        actor=actor,
        lines=[inventory.MoveLine(p, floor, Decimal(10), Decimal("1.00")) for p in products[::2]],
        reason=MovementReason.RECEIPT,
    )

    timings, counts = [], []
    for _run in range(args.runs + 1):  # the first run warms caches and is not counted
        order = services.purchase_order_create(
            business=business,
            actor=actor,
            supplier=supplier,
            lines=[services.POLineInput(product=p, quantity=Decimal(12)) for p in products],
        )
        order = services.purchase_order_send(order=order, actor=actor, notify=False)
        wanted = {line.pk: Decimal(12) for line in order.lines.all()}
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            services.purchase_order_receive(
                order=order, actor=actor, lines=wanted, delivery_note="BENCH"
            )
            elapsed = (time.perf_counter() - start) * 1000
        timings.append(elapsed)
        counts.append(len(queries.captured_queries))
    timings, counts = timings[1:], counts[1:]
    level = StockLevel.objects.get(product=products[0], location=floor)
    products[0].refresh_from_db()
    print(f"database: {connection.vendor}")
    print(f"delivery: {args.lines} lines, {args.runs} runs (after one warm-up)")
    print(
        f"receive: mean {statistics.mean(timings):7.1f} ms  min {min(timings):7.1f} ms  "
        f"max {max(timings):7.1f} ms  → {statistics.mean(timings) / args.lines:5.2f} ms/line"
    )
    print(f"queries per delivery: {counts[-1]} (min {min(counts)}, max {max(counts)})")
    print(f"check: first product level {level.quantity}, average cost {products[0].cost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
