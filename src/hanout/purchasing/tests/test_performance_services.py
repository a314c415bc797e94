"""Supplier performance, worked by hand: on-time rate, lead time, fill rate, spend.

The shop is in Brussels (UTC+1 in March 2026). Period: 1–31 March 2026.

Moulins Réunis
  PO A, ordered 2 March, expected 9 March: flour 100 @ 0.50, sugar 50 @ 1.20
    delivery 1, 6 March 10:00  flour 40, sugar 50   → 2 lines on time
    delivery 2, 9 March 23:30  flour 30             → on time (still the 9th in Brussels,
                                                       22:30 UTC)
    delivery 3, 12 March 08:00 flour 20             → late
  PO B, ordered 20 March, expected 25 March: butter 10 @ 4.00
    delivery, 26 March 00:30   butter 12 (over)     → late (25 March 23:30 UTC: a UTC
                                                       day would wrongly say on time)
  PO C ordered 27 Feb (before the period, delivered in March): left out
  PO D cancelled, PO E draft: left out
  invoices: 12 March 125.00, 28 March 44.00 (27 Feb 99.00 is before the period)

  on time   = 3 on-time receipt lines ÷ 5 receipt lines           = 60.0 %
  lead time = ((6 − 2) + (26 − 20)) ÷ 2 POs                        = 5.0 days
  fill rate = (min(90,100) + 50 + min(12,10)) ÷ (100 + 50 + 10)   = 150 ÷ 160 = 93.75 → 93.8 %
  spend     = 125.00 + 44.00                                       = 169.00

Halles du Nord
  PO F, ordered 10 March, no expected date: sugar 20 @ 1.10, all delivered 13 March
  PO G, ordered 30 March, expected 5 April: sugar 30, nothing delivered yet
  invoice 14 March 22.00

  on time   = — (no PO with an expected date received anything)
  lead time = 13 − 10 = 3.0 days
  fill rate = 20 ÷ (20 + 30) = 40.0 %
  spend     = 22.00

All suppliers: on time 3 ÷ 5 = 60.0 %; lead (4 + 6 + 3) ÷ 3 = 4.33 → 4.3 days;
fill 170 ÷ 210 = 80.95 → 81.0 %; spend 191.00.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from hanout.purchasing import performance, services_bills
from hanout.purchasing.models import POStatus
from hanout.purchasing.tests.test_bills_support import (
    at,
    make_po,
    make_product,
    make_supplier,
    receive,
)

pytestmark = pytest.mark.django_db

TZ = "Europe/Brussels"
D = datetime.date


def _invoice(owner, supplier, number, day, total):
    services_bills.supplier_invoice_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        number=number,
        issued_on=day,
        total=Decimal(total),
    )


@pytest.fixture
def worked(owner):
    flour = make_product(owner, "Flour T55", "F55")
    sugar = make_product(owner, "Sugar", "SUG")
    butter = make_product(owner, "Butter", "BUT")
    mills = make_supplier(owner, "Moulins Réunis")
    halles = make_supplier(owner, "Halles du Nord")

    po_a, (a_flour, a_sugar) = make_po(
        owner, mills, [(flour, 100, "0.50"), (sugar, 50, "1.20")],
        ordered_on=D(2026, 3, 2), expected_on=D(2026, 3, 9),
    )  # fmt: skip
    receive(owner, po_a, at(TZ, D(2026, 3, 6), 10), {a_flour: 40, a_sugar: 50})
    receive(owner, po_a, at(TZ, D(2026, 3, 9), 23).replace(minute=30), {a_flour: 30})
    receive(owner, po_a, at(TZ, D(2026, 3, 12), 8), {a_flour: 20})
    po_a.status = POStatus.CLOSED
    po_a.save(update_fields=["status"])

    po_b, (b_butter,) = make_po(
        owner, mills, [(butter, 10, "4.00")], ordered_on=D(2026, 3, 20), expected_on=D(2026, 3, 25)
    )
    receive(owner, po_b, at(TZ, D(2026, 3, 26), 0).replace(minute=30), {b_butter: 12})

    po_c, (c_flour,) = make_po(
        owner, mills, [(flour, 10, "0.50")], ordered_on=D(2026, 2, 27), expected_on=D(2026, 3, 1)
    )
    receive(owner, po_c, at(TZ, D(2026, 3, 3)), {c_flour: 10})
    make_po(owner, mills, [(flour, 500, "0.50")], ordered_on=D(2026, 3, 15),
            status=POStatus.CANCELLED)  # fmt: skip
    make_po(owner, mills, [(flour, 700, "0.50")], ordered_on=None, status=POStatus.DRAFT)

    po_f, (f_sugar,) = make_po(owner, halles, [(sugar, 20, "1.10")], ordered_on=D(2026, 3, 10))
    receive(owner, po_f, at(TZ, D(2026, 3, 13)), {f_sugar: 20})
    make_po(owner, halles, [(sugar, 30, "1.10")], ordered_on=D(2026, 3, 30),
            expected_on=D(2026, 4, 5))  # fmt: skip

    _invoice(owner, mills, "MR-0099", D(2026, 2, 27), "99.00")
    _invoice(owner, mills, "MR-0101", D(2026, 3, 12), "125.00")
    _invoice(owner, mills, "MR-0102", D(2026, 3, 28), "44.00")
    _invoice(owner, halles, "HN/7", D(2026, 3, 14), "22.00")
    return {"mills": mills, "halles": halles}


def _march(owner, **kw):
    return performance.supplier_performance(
        business=owner.business, date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), **kw
    )


def test_the_worked_example_gives_exactly_the_figures_worked_by_hand(owner, worked):
    report = _march(owner)
    halles, mills = report.rows  # by name
    assert (mills.name, halles.name) == ("Moulins Réunis", "Halles du Nord")

    assert (mills.orders, mills.receipt_lines, mills.on_time_lines) == (2, 5, 3)
    assert mills.on_time_rate == Decimal("60.0")
    assert (mills.lead_time_orders, mills.lead_time_total_days) == (2, 10)
    assert mills.lead_time_days == Decimal("5.0")
    assert (mills.ordered_quantity, mills.received_quantity) == (Decimal(160), Decimal(150))
    assert mills.fill_rate == Decimal("93.8")
    assert mills.spend == Decimal("169.00")

    assert (halles.orders, halles.receipt_lines) == (2, 0)
    assert halles.on_time_rate is None  # nothing to measure is not 0 %
    assert halles.lead_time_days == Decimal("3.0")
    assert halles.fill_rate == Decimal("40.0")
    assert halles.spend == Decimal("22.00")

    total = report.total
    assert total.on_time_rate == Decimal("60.0")
    assert total.lead_time_days == Decimal("4.3")
    assert total.fill_rate == Decimal("81.0")
    assert total.spend == Decimal("191.00")


def test_one_supplier_only(owner, worked):
    report = _march(owner, supplier=worked["halles"])
    assert [r.name for r in report.rows] == ["Halles du Nord"]
    assert report.total.fill_rate == Decimal("40.0")


def test_a_period_with_nothing_in_it_has_no_rows_and_no_made_up_zeroes(owner, worked):
    report = performance.supplier_performance(
        business=owner.business, date_from=D(2025, 1, 1), date_to=D(2025, 1, 31)
    )
    assert report.rows == []
    assert report.total.on_time_rate is None
    assert report.total.lead_time_days is None
    assert report.total.fill_rate is None
    assert report.total.spend == 0


def test_another_business_sees_none_of_it(owner, other_owner, worked):
    report = performance.supplier_performance(
        business=other_owner.business, date_from=D(2026, 3, 1), date_to=D(2026, 3, 31)
    )
    assert report.rows == []


def test_the_csv_has_the_same_figures(owner, worked):
    import csv
    import io

    body = performance.performance_csv(_march(owner), currency="EUR").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, halles, mills, total = rows
    assert header[0] == "Supplier" and header[6] == "On-time rate (%)"
    assert mills == [
        "Moulins Réunis", "2026-03-01", "2026-03-31", "2", "5", "3", "60.0", "5.0",
        "160", "150", "93.8", "169.00", "EUR",
    ]  # fmt: skip
    assert halles[6] == "" and halles[7] == "3.0" and halles[10] == "40.0"
    assert (
        total[0] == "All suppliers"
        and total[6:8] == ["60.0", "4.3"]
        and total[10:12]
        == [
            "81.0",
            "191.00",
        ]
    )


def test_the_query_count_does_not_grow_with_suppliers_and_orders(
    owner, worked, django_assert_max_num_queries
):
    flour = make_product(owner, "Rye", "RYE")
    with django_assert_max_num_queries(6):
        small = _march(owner)
    for i in range(18):
        supplier = make_supplier(owner, f"Extra {i}")
        po, (line,) = make_po(owner, supplier, [(flour, 5, "1.00")], ordered_on=D(2026, 3, 5),
                              expected_on=D(2026, 3, 8))  # fmt: skip
        receive(owner, po, at(TZ, D(2026, 3, 7)), {line: 5})
    with django_assert_max_num_queries(6):
        big = _march(owner)
    assert len(small.rows) == 2 and len(big.rows) == 20
