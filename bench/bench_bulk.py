"""Time the bulk upsert (POST /api/v1/products/bulk/'s service) on 1,000-row requests.

    .venv/bin/python bench/bench_bulk.py                  # SQLite in a fresh temp data dir
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_bulk.py   # an existing, migrated DB

Makes a business (a new one on every run, so an existing database is only added to),
then times `products_bulk_upsert` of 1,000 new products (SKU, EAN-13 barcode, two
tags, a category by path) and of 1,000 updates of those products (by SKU: new
price, name and tags), each as one atomic request. Prints ms per request, the
number of SQL queries, and the ratio to a reference of 1,000 ms per 1,000-row
request (< 1 is faster than the reference), and how much of the time is the commit
with the events sent after it (one `product.created`/`product.updated` per row, each
pushed to the channel layer).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROWS = 1000
REFERENCE_MS = 1000.0


def main() -> int:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("HANOUT_DATA_DIR"):
        os.environ["HANOUT_DATA_DIR"] = tempfile.mkdtemp(prefix="hanout-bench-bulk-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from hanout.accounts import services as accounts
    from hanout.accounts.models import User
    from hanout.catalog import services as catalog
    from hanout.catalog.barcodes import gs1_check_digit

    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
    run = uuid.uuid4().hex[:8]
    user = User.objects.create_user(email=f"bench-bulk-{run}@example.test", password=None)
    membership = accounts.business_register(
        store=accounts.StoreDetails(
            name=f"Bulk bench {run}",
            currency="EUR",
            country="BE",
            time_zone="Europe/Brussels",
            shop_name="Main",
        ),
        owner=user,
    )
    business = membership.business
    domain = catalog.category_create(business=business, actor=user, name="Épicerie")
    catalog.category_create(business=business, actor=user, name="Café", parent=domain)

    def ean(i: int) -> str:
        body = f"20{i:010d}"
        return body + str(gs1_check_digit(body))

    created_rows = [
        {
            "name": f"Café moulu n°{i}",
            "sku": f"B{i:05d}",
            "sale_price": "3.45",
            "cost": "1.20",
            "tax_rate": "6",
            "brand": "Bench",
            "barcodes": [ean(i)],
            "tags": ["bio", f"lot {i % 20}"],
            "category": "Épicerie > Café",
        }
        for i in range(ROWS)
    ]
    updated_rows = [
        {
            "sku": f"B{i:05d}",
            "name": f"Café moulu fin n°{i}",
            "sale_price": "3.55",
            "tags": ["bio", f"lot {(i + 1) % 20}"],
        }
        for i in range(ROWS)
    ]

    def timed(label: str, rows) -> None:
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            with transaction.atomic():  # so that the after-commit work can be timed apart
                results = catalog.products_bulk_upsert(
                    business=business, actor=user, rows=rows, atomic=True
                )
                written = time.perf_counter()
            ms = (time.perf_counter() - start) * 1000
        after_commit = ms - (written - start) * 1000
        statuses = {r.status for r in results}
        print(
            f"{label:<20} {len(rows):>5} rows  {ms:>9.1f} ms/request  "
            f"{ms / len(rows):>6.2f} ms/row  {count[0]:>6} queries  "
            f"(commit + events after commit {after_commit:.0f} ms)  "
            f"ratio {ms / REFERENCE_MS:.3f}  statuses={sorted(statuses)}"
        )

    print(f"database: {connection.vendor}")
    timed("create 1,000", created_rows)
    timed("update 1,000", updated_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
