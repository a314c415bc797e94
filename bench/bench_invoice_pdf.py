"""Invoice PDF generation: milliseconds per invoice (WeasyPrint, A4).

Creates a throw-away business (SQLite in a temporary folder unless DATABASE_URL
is set; on PostgreSQL give it an empty database you can drop), sells tickets
through the register's services, issues their invoices, then renders each
invoice's PDF and prints the figures:

    .venv/bin/python bench/bench_invoice_pdf.py                # 50 invoices × 10 lines
    .venv/bin/python bench/bench_invoice_pdf.py --invoices 200 --lines 3 --language ar
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hanout_bench_d \\
        .venv/bin/python bench/bench_invoice_pdf.py

Issuing (numbering, frozen details, lines, audit) and rendering are timed
apart: the PDF is rendered outside any transaction, like the email job does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("HANOUT_DATA_DIR", tempfile.mkdtemp(prefix="bench-invoice-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--invoices", type=int, default=50)
    ap.add_argument("--lines", type=int, default=10, help="lines per invoice")
    ap.add_argument("--language", default="fr", choices=["fr", "en", "ar", "zgh"])
    args = ap.parse_args()
    _setup()

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from hanout.pos.tests.factories import make_product, make_till, open_session, sell, stock
    from hanout.sales.invoice_pdf import invoice_pdf
    from hanout.sales.services_invoices import invoice_issue_for_sale
    from hanout.sales.tests.invoices_support import make_customer
    from tests.factories import make_business

    arabic = args.language == "ar"
    owner = make_business(
        f"Bench Invoices {time.time_ns()}",
        currency="MAD" if arabic else "EUR",
        country="MA" if arabic else "BE",
        time_zone="Africa/Casablanca" if arabic else "Europe/Brussels",
        language=args.language,
    )
    till = make_till(owner, quantity=str(args.invoices * 10))
    products = []
    for i in range(args.lines):
        product = make_product(
            owner.business,
            f"{'منتج' if arabic else 'Article'} {i + 1}",
            price=f"{1 + i % 7}.{i % 10}5",
            tax_rate=("21", "6", "0")[i % 3],
        )
        stock(till, product, args.invoices * 5)
        products.append(product)
    open_session(till)
    customer = make_customer(owner.business, "مقهى النور" if arabic else "Atelier Nour")

    issue_ms, invoices = [], []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(args.invoices):
            sale = sell(till, *[(p, 1) for p in products])
            reset_queries()
            before = len(queries.captured_queries)
            start = time.perf_counter()
            invoices.append(invoice_issue_for_sale(sale=sale, actor=till.user, customer=customer))
            issue_ms.append((time.perf_counter() - start) * 1000)
            issue_queries = len(queries.captured_queries) - before

    from hanout.sales.selectors_invoices import invoice_get

    invoice_pdf(invoice_get(business=owner.business, pk=invoices[0].pk))  # warm fonts, templates
    pdf_ms, cpu_ms, sizes = [], [], []
    for invoice in invoices:
        loaded = invoice_get(business=owner.business, pk=invoice.pk)
        start, cpu = time.perf_counter(), time.process_time()
        body = invoice_pdf(loaded)
        pdf_ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        sizes.append(len(body))

    print(f"database: {connection.vendor}; language: {args.language}; ")
    print(f"invoices: {args.invoices} × {args.lines} lines (3 tax rates)")
    print(
        f"issue:  mean {statistics.mean(issue_ms):6.1f} ms  p50 {_pct(issue_ms, 50):6.1f} ms  "
        f"p95 {_pct(issue_ms, 95):6.1f} ms  ({issue_queries} queries per invoice)"
    )
    print(
        f"PDF:    mean {statistics.mean(pdf_ms):6.1f} ms  p50 {_pct(pdf_ms, 50):6.1f} ms  "
        f"p95 {_pct(pdf_ms, 95):6.1f} ms  ({statistics.mean(sizes) / 1024:.0f} KB each)"
    )
    print(
        f"PDF CPU time: mean {statistics.mean(cpu_ms):6.1f} ms  p50 {_pct(cpu_ms, 50):6.1f} ms "
        f"(wall-clock figures grow when other processes share the cores; load "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"PDF throughput: {1000 / statistics.mean(pdf_ms):.1f} invoices/s on one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
