"""The supplier invoice, payment, account, recap and performance pages."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.purchasing import selectors_bills, services_bills
from hanout.purchasing.models import SupplierInvoice, SupplierPayment
from hanout.purchasing.tests.test_bills_support import (
    PDF,
    PNG,
    at,
    make_po,
    make_product,
    make_supplier,
    pdf_upload,
    receive,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def _today(owner):
    return selectors_bills.local_today(owner.business)


def _bill(owner, supplier, number, total="100.00", **kw):
    kw.setdefault("issued_on", _today(owner))
    return services_bills.supplier_invoice_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        number=number,
        total=Decimal(total),
        **kw,
    )


@pytest.fixture
def supplier(owner):
    return make_supplier(owner, "Moulins Réunis")


def test_recording_an_invoice_with_its_scan_from_the_page(owner_client, owner, supplier):
    url = reverse("supplier_bill_create")
    page = owner_client.get(url + f"?supplier={supplier.pk}")
    assert page.status_code == 200
    key = re.search(rb'name="client_uuid" value="([0-9a-f-]+)"', page.content).group(1).decode()
    data = {
        "supplier": str(supplier.pk),
        "number": "MR-2026-0042",
        "issued_on": _today(owner).isoformat(),
        "due_on": (_today(owner) + datetime.timedelta(days=30)).isoformat(),
        "total": "121.00",
        "tax_total": "21.00",
        "note": "",
        "order": "",
        "client_uuid": key,
        "attachment": pdf_upload("facture.pdf"),
    }
    response = owner_client.post(url, data)
    invoice = SupplierInvoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supplier_bill_detail", args=[invoice.pk])
    # A double click sends the same form twice: still one invoice.
    data["attachment"] = pdf_upload("facture.pdf")
    assert owner_client.post(url, data).status_code == 302
    assert SupplierInvoice.objects.count() == 1

    detail = owner_client.get(response["Location"])
    assert b"MR-2026-0042" in detail.content and b"View the scan" in detail.content
    scan = owner_client.get(reverse("supplier_bill_scan", args=[invoice.pk]))
    assert scan.status_code == 200
    assert scan["Content-Type"] == "application/pdf"
    assert scan["X-Content-Type-Options"] == "nosniff"
    assert b"".join(scan.streaming_content) == PDF


def test_a_lying_scan_is_shown_beside_its_field_and_nothing_is_written(
    owner_client, owner, supplier
):
    response = owner_client.post(
        reverse("supplier_bill_create"),
        {
            "supplier": str(supplier.pk),
            "number": "X-1",
            "issued_on": _today(owner).isoformat(),
            "total": "10",
            "attachment": pdf_upload("facture.pdf", PNG, "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert b"does not match its content" in response.content
    assert b"is-invalid" in response.content
    assert not SupplierInvoice.objects.exists()


def test_a_future_date_and_a_duplicate_number_are_explained(owner_client, owner, supplier):
    _bill(owner, supplier, "DUP-1")
    base = {"supplier": str(supplier.pk), "total": "10"}
    future = (_today(owner) + datetime.timedelta(days=9)).isoformat()
    response = owner_client.post(
        reverse("supplier_bill_create"), base | {"number": "N-1", "issued_on": future}
    )
    assert response.status_code == 400 and b"between 2000-01-01 and today" in response.content
    response = owner_client.post(
        reverse("supplier_bill_create"),
        base | {"number": "dup-1", "issued_on": _today(owner).isoformat()},
    )
    assert response.status_code == 409 and b"already recorded" in response.content.lower()
    assert SupplierInvoice.objects.count() == 1


def test_paying_then_reversing_from_the_invoice_page(owner_client, owner, supplier):
    invoice = _bill(owner, supplier, "P-1", "80.00")
    response = owner_client.post(
        reverse("supplier_payment_create"),
        {
            "supplier": str(supplier.pk),
            "invoice": str(invoice.pk),
            "amount": "80.00",
            "paid_by": "cheque",
            "paid_on": _today(owner).isoformat(),
            "reference": "CHQ 7",
            "client_uuid": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.balance == 0
    payment = SupplierPayment.objects.get()
    # Reversing needs a reason.
    owner_client.post(reverse("supplier_payment_reverse", args=[payment.pk]), {"reason": ""})
    assert SupplierPayment.objects.count() == 1
    response = owner_client.post(
        reverse("supplier_payment_reverse", args=[payment.pk]), {"reason": "Cheque bounced"}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("80.00")
    page = owner_client.get(reverse("supplier_bill_detail", args=[invoice.pk]))
    assert b"Cheque bounced" in page.content and b"Reversed" in page.content


def test_overpaying_is_refused_beside_the_amount(owner_client, owner, supplier):
    invoice = _bill(owner, supplier, "P-2", "80.00")
    response = owner_client.post(
        reverse("supplier_payment_create"),
        {
            "supplier": str(supplier.pk),
            "invoice": str(invoice.pk),
            "amount": "95.00",
            "paid_by": "cash",
            "paid_on": _today(owner).isoformat(),
        },
    )
    assert response.status_code == 400
    assert b"record the rest on account" in response.content
    assert not SupplierPayment.objects.exists()


def test_the_account_page_shows_what_is_owed(owner_client, owner, supplier):
    invoice = _bill(owner, supplier, "A-1", "100.00")
    services_bills.supplier_payment_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        invoice=invoice,
        amount=Decimal("40"),
        method="cash",
        paid_on=_today(owner),
    )
    page = owner_client.get(reverse("supplier_account", args=[supplier.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    i = text.find("Owed")
    assert "60,00\xa0€" in text[i : i + 200], text[i : i + 200]
    detail = owner_client.get(reverse("supplier_detail", args=[supplier.pk]))
    assert reverse("supplier_account", args=[supplier.pk]) in detail.content.decode()


def test_the_recap_has_its_pie_data_as_json_and_no_inline_script(owner_client, owner, supplier):
    other = make_supplier(owner, "Halles du Nord")
    _bill(owner, supplier, "R-1", "300.00")
    _bill(owner, other, "R-2", "100.00")
    page = owner_client.get(reverse("supplier_recap"))
    assert page.status_code == 200
    html = page.content.decode()
    block = re.search(
        r'<script id="spend-chart" type="application/json">(.*?)</script>', html, re.S
    )
    chart = json.loads(block.group(1))
    assert chart["type"] == "pie"
    assert chart["labels"] == ["Moulins Réunis", "Halles du Nord"]
    assert chart["datasets"][0]["data"] == ["300.00", "100.00"]
    assert 'data-chart="spend-chart"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "core/charts.js" in html
    # Every script is a file or JSON data: nothing runs inline.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert 'type="application/json"' in tag
    assert "75.0&nbsp;%" in html  # the share of the largest supplier


def test_recap_and_performance_refuse_a_period_that_ends_before_it_starts(owner_client):
    for name in ("supplier_recap", "supplier_performance"):
        page = owner_client.get(reverse(name), {"date_from": "2026-03-31", "date_to": "2026-03-01"})
        assert page.status_code == 400
        assert b"before its start" in page.content


def test_the_performance_page_and_its_csv(owner_client, owner, supplier):
    flour = make_product(owner, "Flour", "F")
    day = _today(owner) - datetime.timedelta(days=10)
    po, (line,) = make_po(
        owner, supplier, [(flour, 10, "2.00")], ordered_on=day,
        expected_on=day + datetime.timedelta(days=3),
    )  # fmt: skip
    receive(owner, po, at("Europe/Brussels", day + datetime.timedelta(days=2)), {line: 8})
    page = owner_client.get(reverse("supplier_performance"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "100.0&nbsp;%" in html and "80.0&nbsp;%" in html and "2.0 days" in html
    response = owner_client.get(reverse("supplier_performance_csv"), {"supplier": str(supplier.pk)})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Moulins Réunis" and rows[1][6:8] == ["100.0", "2.0"]
    assert rows[1][10] == "80.0"


def test_another_business_objects_are_404(client, owner, other_owner, supplier):
    invoice = _bill(owner, supplier, "T-1")
    payment = services_bills.supplier_payment_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        amount=Decimal("5"),
        method="cash",
        paid_on=_today(owner),
    )
    login(client, other_owner)
    assert client.get(reverse("supplier_bill_detail", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("supplier_bill_scan", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("supplier_account", args=[supplier.pk])).status_code == 404
    response = client.post(
        reverse("supplier_payment_reverse", args=[payment.pk]), {"reason": "mine now"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("supplier_payment_create"),
        {"supplier": str(supplier.pk), "amount": "5", "paid_by": "cash", "paid_on": "2026-01-01"},
    )
    assert response.status_code == 400  # not one of their suppliers: not a choice
    assert SupplierPayment.objects.count() == 1
    assert "T-1" not in client.get(reverse("supplier_bills")).content.decode()


def test_read_only_staff_see_the_pages_but_cannot_write(client, owner, member_factory, supplier):
    invoice = _bill(owner, supplier, "RO-1")
    staff = member_factory(role=Role.STAFF)  # Purchasing: read only
    login(client, staff)
    page = client.get(reverse("supplier_bill_detail", args=[invoice.pk]))
    assert page.status_code == 200 and b"Record the payment" not in page.content
    assert client.get(reverse("supplier_bill_create")).status_code == 403
    response = client.post(
        reverse("supplier_payment_create"),
        {"supplier": str(supplier.pk), "amount": "5", "paid_by": "cash", "paid_on": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not SupplierPayment.objects.exists()
    cashier = member_factory(role=Role.CASHIER)
    login(client, cashier)
    assert client.get(reverse("supplier_bills")).status_code == 403


@pytest.mark.parametrize(
    "name", ["supplier_bills", "supplier_payments", "supplier_recap", "supplier_performance"]
)
def test_list_pages_keep_a_constant_number_of_queries(
    owner_client, owner, name, django_assert_max_num_queries
):
    flour = make_product(owner, "Flour", "F")
    today = _today(owner)

    def grow(start, n):
        for i in range(start, start + n):
            s = make_supplier(owner, f"Supplier {i}")
            invoice = _bill(owner, s, f"Q-{i}", "10.00")
            services_bills.supplier_payment_record(
                business=owner.business, actor=owner.user, supplier=s, invoice=invoice,
                amount=Decimal("4"), method="bank", paid_on=today,
            )  # fmt: skip
            po, (line,) = make_po(owner, s, [(flour, 5, "1.00")], ordered_on=today,
                                  expected_on=today)  # fmt: skip
            receive(owner, po, at("Europe/Brussels", today), {line: 5})

    grow(0, 2)
    owner_client.get(reverse(name))  # warm the session and caches
    with django_assert_max_num_queries(22) as small:
        assert owner_client.get(reverse(name)).status_code == 200
    grow(2, 18)
    with django_assert_max_num_queries(22) as big:
        assert owner_client.get(reverse(name)).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)
