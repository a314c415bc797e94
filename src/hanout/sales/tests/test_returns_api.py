"""The returns API: recording from a ticket or an order, idempotency, errors in the one
shape with nothing written, tenants, permissions, filters, exports and query counts."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.inventory.models import StockMovement
from hanout.sales.models import CustomerReturn, Invoice, OrderStatus, ReturnLine
from hanout.sales.services_invoices import invoice_issue_for_order
from hanout.sales.tests.returns_support import (
    level,
    make_customer,
    make_shipped_order,
    make_till,
    open_session,
    order_lines,
    sale_lines,
    sell,
    take_back,
)
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/returns/"


@pytest.fixture
def till():
    till = make_till(make_business("Kaching API"))
    open_session(till)
    return till


@pytest.fixture
def api(till):
    return api_client_for(till.owner)


def _body(sale=None, order=None, lines=(), **extra) -> dict:
    body = {
        "lines": [
            {"line": str(line.pk), "quantity": str(qty), **({"disposition": d[0]} if d else {})}
            for line, qty, *d in lines
        ],
        "reason": "Wrong size",
        "refund_method": "card",
        **extra,
    }
    if sale is not None:
        body["sale"] = str(sale.pk)
    if order is not None:
        body["order"] = str(order.pk)
    return body


def _counts(business) -> tuple:
    return (
        CustomerReturn.objects.filter(business=business).count(),
        ReturnLine.objects.filter(business=business).count(),
        StockMovement.objects.filter(business=business).count(),
        Invoice.objects.filter(business=business).count(),
    )


def test_a_ticket_return_is_recorded_and_answered_with_its_lines_and_credit_note(till, api):
    sale = sell(till, ("deo", 2), ("cafe", 1))
    deo, cafe = sale_lines(sale)
    key = str(uuid.uuid4())
    body = _body(sale, lines=[(deo, 1, "write_off"), (cafe, 1)], client_uuid=key)

    response = api.post(URL, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"] == "RT-000001"
    assert data["source"] == "sale" and data["source_reference"] == sale.ticket_number
    assert data["total"] == "7.00" and data["refund_amount"] == "7.00"
    assert data["refund_method"] == "card"
    assert [(x["name"], x["quantity"], x["total"], x["disposition"]) for x in data["lines"]] == [
        ("Déodorant CienMEN", "1.000", "4.50", "write_off"),
        ("Café", "1.000", "2.50", "restock"),
    ]
    assert data["credit_note"]["reference"].startswith("AV-")
    assert data["credit_note"]["total"] == "7.00"

    again = api.post(URL, body, format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    other = api.post(URL, {**body, "reason": "Changed mind"}, format="json")
    assert other.status_code == 409
    assert other.json()["error"]["fields"] == {"client_uuid": ["Already used with other data."]}
    assert CustomerReturn.objects.filter(business=till.business).count() == 1

    detail = api.get(f"{URL}{data['id']}/")
    assert detail.status_code == 200 and detail.json() == data


def test_an_order_return_credits_the_order_invoice(till, api):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 4), status=OrderStatus.DELIVERED)
    invoice = invoice_issue_for_order(order=order, actor=till.user)
    (cafe,) = order_lines(order)

    response = api.post(
        URL, _body(order=order, lines=[(cafe, 4)], refund_method="bank"), format="json"
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["source_reference"] == order.reference
    assert data["customer"] == str(customer.pk) and data["customer_name"] == customer.name
    assert data["credit_note"]["credited_invoice"] == str(invoice.pk)
    assert data["total"] == "10.00"


def test_returning_more_than_sold_is_a_400_naming_the_line_and_nothing_is_written(till, api):
    sale = sell(till, ("deo", 1), ("cafe", 2))
    deo, cafe = sale_lines(sale)
    stock = level(till, till["deo"])
    before = _counts(till.business)

    response = api.post(URL, _body(sale, lines=[(deo, 1), (cafe, 3)]), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "return_too_much"
    assert error["fields"] == {"lines[1].quantity": ["Only 2 of “Café” can still be returned."]}
    assert _counts(till.business) == before
    assert level(till, till["deo"]) == stock
    deo.refresh_from_db()
    assert deo.returned_quantity == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"line": "nope", "quantity": "1"}]}, "lines[0].line"),
        ({"lines": [{"line": str(uuid.uuid4()), "quantity": "-1"}]}, "lines[0].quantity"),
        ({"lines": [{"line": str(uuid.uuid4()), "quantity": "1e9999"}]}, "lines[0].quantity"),
        ({"refund_method": "bitcoin"}, "refund_method"),
        ({"refund_amount": "-3"}, "refund_amount"),
        ({"refund_amount": "99999"}, "refund_amount"),
        ({"reason": ""}, "reason"),
        ({"sale": None}, "order"),
        ({"order": str(uuid.uuid4())}, "order"),
        ({"client_uuid": "x"}, "client_uuid"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(till, api, change, field):
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)
    body = {**_body(sale, lines=[(deo, 1)]), **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = _counts(till.business)

    response = api.post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert _counts(till.business) == before


def test_another_business_ticket_line_location_and_return_are_404(till, api):
    other = make_till(make_business("Alma7al API", currency="MAD"))
    open_session(other)
    their_sale = sell(other, ("deo", 1))
    (their_line,) = sale_lines(their_sale)
    their_return = take_back(other, sale=their_sale, lines=[(their_line, 1)])
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)

    cases = [
        (_body(their_sale, lines=[(their_line, 1)]), "sale"),
        (_body(sale, lines=[(their_line, 1)]), "lines[0].line"),
        (_body(sale, lines=[(deo, 1)], location=str(other.location.pk)), "location"),
    ]
    for body, field in cases:
        response = api.post(URL, body, format="json")
        assert response.status_code == 404, (field, response.content)
        assert field in response.json()["error"]["fields"]
    assert api.get(f"{URL}{their_return.pk}/").status_code == 404
    assert api.get(URL, {"sale": str(their_sale.pk)}).status_code == 404
    assert [r["id"] for r in api.get(URL).json()["results"]] == []
    assert CustomerReturn.objects.filter(business=till.business).count() == 0


def test_a_cashier_can_read_returns_but_not_record_one(till):
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)
    take_back(till, sale=sale, lines=[(deo, 1)])
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))

    assert cashier.get(URL).status_code == 200
    response = cashier.post(URL, _body(sale, lines=[(deo, 1)]), format="json")
    assert response.status_code == 403


def test_the_list_filters_by_source_method_customer_date_and_number(till, api):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 2))
    (order_cafe,) = order_lines(order)
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    from_order = take_back(till, order=order, lines=[(order_cafe, 1)], refund_method="bank")
    from_sale = take_back(till, sale=sale, lines=[(deo, 1)], refund_method="cash")

    def ids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids() == [str(from_sale.pk), str(from_order.pk)]
    assert ids(source="order") == [str(from_order.pk)]
    assert ids(source="sale") == [str(from_sale.pk)]
    assert ids(refund_method="cash") == [str(from_sale.pk)]
    assert ids(customer=str(customer.pk)) == [str(from_order.pk)]
    assert ids(order=str(order.pk)) == [str(from_order.pk)]
    assert ids(search="RT-000002") == [str(from_sale.pk)]
    assert ids(search=order.reference) == [str(from_order.pk)]
    today = from_sale.returned_at.astimezone(till.shop.tz).date().isoformat()
    assert len(ids(date_from=today, date_to=today)) == 2
    assert ids(date_from="2001-01-01", date_to="2001-01-02") == []
    bad = api.get(URL, {"date_from": "2026-02-02", "date_to": "2026-02-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()["error"]["fields"]


def _returns(till, n):
    sale = sell(till, ("croissant", n))
    (line,) = sale_lines(sale)
    for _ in range(n):
        take_back(till, sale=sale, lines=[(line, 1)])


def test_the_list_and_the_export_cost_the_same_queries_at_2_and_20_returns(
    till, api, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure(path, params=None):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(path, params or {})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _returns(till, 2)
    small = (measure(URL), measure(f"{URL}export/", {"file": "csv"}))
    _returns(till, 18)
    assert CustomerReturn.objects.filter(business=till.business).count() == 20
    with django_assert_max_num_queries(small[0]):
        api.get(URL)
    with django_assert_max_num_queries(small[1]):
        api.get(f"{URL}export/", {"file": "csv"})


def test_the_export_has_one_row_per_returned_line_in_csv_and_xlsx(till, api):
    sale = sell(till, ("deo", 2), ("cafe", 1))
    deo, cafe = sale_lines(sale)
    take_back(till, sale=sale, lines=[(deo, 2, "write_off"), (cafe, 1)], reason="=cmd|x")

    response = api.get(f"{URL}export/", {"file": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Return", "Date", "From"]
    assert len(rows) == 3
    assert rows[1][0] == "RT-000001" and rows[1][2] == sale.ticket_number
    assert rows[1][4] == "'=cmd|x"  # never a formula
    assert (rows[1][8], rows[1][10], rows[1][13], rows[1][15]) == (
        "Déodorant CienMEN",
        "2",
        "9.00",
        "Written off",
    )

    response = api.get(f"{URL}export/", {"file": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 3
    assert values[1][4] == "=cmd|x" and sheet.cell(2, 5).data_type == "s"
    assert values[1][13] == 9
