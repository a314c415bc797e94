"""The invoice pages: list (filters, exports), detail (PDF, email, credit), issuing from
a ticket or an order, the legal details on the settings page; tenants and permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.sales.models import Invoice, InvoiceKind
from hanout.sales.services_invoices import invoice_issue_for_sale
from hanout.sales.tests.invoices_support import (
    make_customer,
    make_delivered_order,
    make_till,
    open_session,
    pdf_text,
    sell,
)
from tests.conftest import login
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def till():
    till = make_till(make_business("Pages Shop"))
    open_session(till)
    return till


@pytest.fixture
def web(client, till):
    return login(client, till.owner)


def test_issue_an_invoice_from_a_ticket_then_credit_part_of_it(till, web):
    sale = sell(till, ("croissant", 3), ("deo", 1))
    customer = make_customer(till.business)
    page = web.get(reverse("invoice_for_sale", args=[sale.pk]))
    assert page.status_code == 200 and "Atelier Nour" in page.content.decode()

    response = web.post(
        reverse("invoice_for_sale", args=[sale.pk]),
        {"customer": str(customer.pk), "client_uuid": page.context["client_uuid"]},
    )
    invoice = Invoice.objects.get(sale=sale)
    assert response.status_code == 302 and response.url == reverse(
        "invoice_detail", args=[invoice.pk]
    )
    # The ticket's link now leads to its invoice.
    assert web.get(reverse("invoice_for_sale", args=[sale.pk])).url == response.url

    detail = web.get(response.url).content.decode()
    assert invoice.reference in detail and "Atelier Nour" in detail and "Croissant" in detail

    first = invoice.lines.get(position=1)
    bad = web.post(
        reverse("invoice_credit", args=[invoice.pk]), {f"qty-{first.pk}": "9", "reason": "x"}
    )
    assert bad.status_code == 400 and "Croissant" in bad.content.decode()
    done = web.post(
        reverse("invoice_credit", args=[invoice.pk]), {f"qty-{first.pk}": "1", "reason": "Stale"}
    )
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert done.url == reverse("invoice_detail", args=[note.pk])
    assert note.total == 1


def test_issue_an_invoice_from_a_delivered_order(till, web):
    order = make_delivered_order(till, make_customer(till.business), ("cafe", 2))
    response = web.post(reverse("invoice_for_order", args=[order.pk]), {})
    assert response.status_code == 302
    assert Invoice.objects.get(order=order).total == 5


def test_pdf_and_exports(till, web):
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    pdf = web.get(reverse("invoice_pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert invoice.reference in pdf_text(pdf.content)
    csv_body = web.get(reverse("invoice_export") + "?file=csv").content.decode("utf-8-sig")
    assert invoice.reference in csv_body
    xlsx = web.get(reverse("invoice_export") + "?file=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_email_error_shows_beside_the_field(till, web):
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    response = web.post(reverse("invoice_email", args=[invoice.pk]), {"email": ""})
    assert response.status_code == 400
    assert 'id="invoice-email-error"' in response.content.decode()


def test_list_filters_and_constant_queries(till, web, django_assert_max_num_queries):
    customer = make_customer(till.business, "Zed Company")
    for _ in range(2):
        invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user, customer=customer)
    url = reverse("invoice_list")
    with django_assert_max_num_queries(30) as small:
        assert web.get(url).status_code == 200
    for _ in range(18):
        invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = web.get(url)
    assert page.content.decode().count('href="/invoices/') >= 20
    found = web.get(url, {"q": "zed"}).content.decode()
    assert found.count("Zed Company") == 2


def test_another_tenants_invoice_is_a_404_and_read_only_cannot_issue(till, client):
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    other = make_business("Other Pages")
    login(client, other)
    for name in ("invoice_detail", "invoice_pdf"):
        assert client.get(reverse(name, args=[invoice.pk])).status_code == 404
    assert (
        client.post(
            reverse("invoice_credit", args=[invoice.pk]), {"reason": "x", "all": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("invoice_for_sale", args=[invoice.sale_id])).status_code == 404

    cashier = make_member(till.owner, role=Role.CASHIER)
    login(client, cashier)
    sale = sell(till, "deo")
    response = client.post(reverse("invoice_for_sale", args=[sale.pk]), {})
    assert response.status_code == 403
    assert not Invoice.objects.filter(sale=sale).exists()


def test_legal_details_on_the_settings_page(till, web):
    url = reverse("settings_business")
    assert "Legal details on invoices" in web.get(url).content.decode()
    bad = web.post(url, {"section": "legal", "legal-invoice_email": "nope"})
    assert bad.status_code == 200 and "legal-invoice_email" in bad.content.decode()
    response = web.post(
        url,
        {"section": "legal", "legal-legal_name": "Pages Shop SRL", "legal-tax_id": "BE0444555666"},
    )
    assert response.status_code == 302
    till.business.refresh_from_db()
    assert (till.business.legal_name, till.business.tax_id) == ("Pages Shop SRL", "BE0444555666")
    assert till.business.name == "Pages Shop"  # the business form was not touched
