"""The invoices API: issue from a ticket or an order, idempotent retries, PDF, email,
credit, exports, filters, another tenant, constant query counts."""

from __future__ import annotations

import base64
import csv
import io
import uuid
from decimal import Decimal

import pytest
from openpyxl import load_workbook

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
from tests.conftest import api_client_for
from tests.factories import make_business

pytestmark = pytest.mark.django_db
URL = "/api/v1/invoices/"


@pytest.fixture
def till():
    till = make_till(make_business("API Shop"))
    open_session(till)
    return till


@pytest.fixture
def api(till):
    return api_client_for(till.owner)


def test_issue_an_invoice_for_a_ticket_and_retry_it(till, api):
    sale = sell(till, ("croissant", 2), ("deo", 1))
    customer = make_customer(till.business)
    key = str(uuid.uuid4())
    body = {"sale": str(sale.pk), "customer": str(customer.pk), "client_uuid": key}

    first = api.post(URL, body, format="json")
    again = api.post(URL, body, format="json")

    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    data = first.json()
    assert data["reference"].endswith("-0001")
    assert data["total"] == "6.50" and data["customer_name"] == "Atelier Nour"
    assert [x["name"] for x in data["lines"]] == ["Croissant", "Déodorant CienMEN"]
    assert {row["rate"] for row in data["taxes"]} == {"6", "21"}
    assert data["seller"]["name"] == till.business.name

    other = api.post(URL, {"sale": str(sale.pk)}, format="json")
    assert other.status_code == 409
    assert data["reference"] in other.json()["error"]["message"]


def test_issue_an_invoice_for_a_delivered_order(till, api):
    order = make_delivered_order(till, make_customer(till.business), ("cafe", 2))
    response = api.post(URL, {"order": str(order.pk)}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["order"] == str(order.pk)
    assert response.json()["total"] == "5.00"


def test_bad_requests_are_400_or_404_and_write_nothing(till, api):
    sale = sell(till, "croissant")
    stranger = make_business("Stranger")
    foreign_customer = make_customer(stranger.business, "Foreign")
    cases = [
        ({}, 400),
        ({"sale": str(sale.pk), "order": str(uuid.uuid4())}, 400),
        ({"sale": "not-a-uuid"}, 400),
        ({"sale": str(uuid.uuid4())}, 404),
        ({"order": str(uuid.uuid4())}, 404),
        ({"sale": str(sale.pk), "customer": str(foreign_customer.pk)}, 404),
    ]
    for body, code in cases:
        response = api.post(URL, body, format="json")
        assert response.status_code == code, (body, response.content)
        assert response.json()["error"]["message"]
    assert not Invoice.objects.exists()


def test_pdf_email_and_credit_actions(till, api, smtp_server, django_capture_on_commit_callbacks):
    customer = make_customer(till.business)
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("croissant", 3)), actor=till.user, customer=customer
    )
    detail = f"{URL}{invoice.pk}/"

    raw = api.get(f"{detail}pdf/", HTTP_ACCEPT="application/pdf")
    assert raw.status_code == 200 and raw["Content-Type"] == "application/pdf"
    assert invoice.reference in pdf_text(raw.content)
    as_json = api.get(f"{detail}pdf/").json()
    assert base64.b64decode(as_json["base64"])[:5] == b"%PDF-"

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"{detail}email/", {"email": "boss@example.test"}, format="json")
    assert sent.status_code == 200 and sent.json()["emailed_to"] == "boss@example.test"
    assert smtp_server.event.wait(10)
    assert api.post(f"{detail}email/", {"email": "nope"}, format="json").status_code == 400

    line = invoice.lines.get()
    key = str(uuid.uuid4())
    body = {
        "reason": "Stale",
        "lines": [{"line": str(line.pk), "quantity": "1"}],
        "client_uuid": key,
    }
    credit = api.post(f"{detail}credit/", body, format="json")
    assert credit.status_code == 201, credit.content
    assert credit.json()["kind"] == InvoiceKind.CREDIT_NOTE
    assert credit.json()["credited_invoice_reference"] == invoice.reference
    assert api.post(f"{detail}credit/", body, format="json").status_code == 200
    too_much = api.post(
        f"{detail}credit/",
        {"reason": "x", "lines": [{"line": str(line.pk), "quantity": "3"}]},
        format="json",
    )
    assert too_much.status_code == 400
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_list_filters_and_exports(till, api):
    customer = make_customer(till.business, "Zed Company")
    a = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user, customer=customer)
    b = invoice_issue_for_sale(sale=sell(till, "deo"), actor=till.user)

    def refs(params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return {x["reference"] for x in response.json()["results"]}

    assert refs({}) == {a.reference, b.reference}
    assert refs({"customer": str(customer.pk)}) == {a.reference}
    assert refs({"search": "zed"}) == {a.reference}
    assert refs({"search": b.reference}) == {b.reference}
    assert refs({"kind": "credit_note"}) == set()
    assert api.get(URL, {"date_from": "2026-02-02", "date_to": "2026-01-01"}).status_code == 400
    assert api.get(URL, {"customer": str(uuid.uuid4())}).status_code == 400

    response = api.get(f"{URL}export/", {"file": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0][1] == "Number"
    assert {r[1] for r in rows[1:]} == {a.reference, b.reference}
    assert {r[7] for r in rows[1:]} == {"1.00", "4.50"}

    response = api.get(f"{URL}export/", {"file": "xlsx", "customer": str(customer.pk)})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 2 and values[1][1] == a.reference
    assert Decimal(str(values[1][7])) == Decimal("1.00")
    assert api.get(f"{URL}export/", {"file": "pdf"}).status_code == 400


def test_another_tenants_invoice_is_a_404_everywhere(till, api):
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    other = api_client_for(make_business("Other Tenant"))
    detail = f"{URL}{invoice.pk}/"
    assert other.get(detail).status_code == 404
    assert other.get(f"{detail}pdf/").status_code == 404
    assert other.post(f"{detail}email/", {"email": "a@b.test"}, format="json").status_code == 404
    assert other.post(f"{detail}credit/", {"reason": "x"}, format="json").status_code == 404
    assert other.get(URL).json()["results"] == []
    assert other.post(URL, {"sale": str(invoice.sale_id)}, format="json").status_code == 404


def test_the_list_takes_the_same_number_of_queries_for_2_and_20_invoices(
    till, api, django_assert_max_num_queries
):
    customer = make_customer(till.business)
    for _ in range(2):
        invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user, customer=customer)
    with django_assert_max_num_queries(12) as small:
        assert len(api.get(URL).json()["results"]) == 2
    for _ in range(18):
        invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user, customer=customer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 20


def test_the_legal_details_are_read_and_changed_through_the_business_api(till, api):
    response = api.patch(
        "/api/v1/business/",
        {"legal_name": "API Shop SRL", "tax_id": "BE0111222333", "invoice_email": "bad"},
        format="json",
    )
    assert response.status_code == 400
    assert "invoice_email" in response.json()["error"]["fields"]
    response = api.patch(
        "/api/v1/business/", {"legal_name": "API Shop SRL", "tax_id": "BE0111222333"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["legal_name"] == "API Shop SRL"
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    assert invoice.seller["tax_id"] == "BE0111222333"
