"""`GET /api/v1/purchase-orders/export/?format=csv|xlsx`: the page's file over the API, with
the list's filters, read back; other tenants, roles, bad input and constant queries."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.purchasing.models import PurchaseOrder
from hanout.purchasing.tests.po_support import purchase_shop
from hanout.suppliers import services as supplier_services
from tests.factories import make_member
from tests.fixtures import api_client_for, login

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchase-orders/export/"
LIST = "/api/v1/purchase-orders/"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[list[str]]:
    body = _body(response)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(_body(response))).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def shop():
    return purchase_shop(n_products=2)


@pytest.fixture
def api(shop):
    return api_client_for(shop.membership)


@pytest.fixture
def orders(shop):
    """A sent PO (3 + 4) from the mill, a draft (1 + 1) from the mill, a sent one (5) from a
    second supplier; and another business's sent PO."""
    other_supplier = supplier_services.supplier_create(
        business=shop.business, actor=shop.actor, data={"name": "=Dairy Co"}
    )
    sent = shop.sent([3, 4])
    draft = shop.draft([1, 1])
    dairy = shop.sent([5], supplier=other_supplier)
    theirs = purchase_shop("Other Tenant", n_products=1)
    foreign = theirs.sent([9])
    return {"sent": sent, "draft": draft, "dairy": dairy, "foreign": foreign, "theirs": theirs}


def test_the_csv_is_the_pages_file_one_row_per_line(api, shop, orders, client):
    response = api.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="purchase-orders-' in response["Content-Disposition"]
    body = _body(response)  # read once: the response is streamed
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:4] == ["number", "status", "supplier", "location"]
    assert header[11:] == ["quantity", "received", "unit_cost", "line_total", "order_total"]
    assert len(rows) == 5  # 2 + 2 + 1 lines; the other business's PO is not there
    references = {row[0] for row in rows}
    assert references == {orders[k].reference for k in ("sent", "draft", "dairy")}
    dairy = next(row for row in rows if row[0] == orders["dairy"].reference)
    assert dairy[2] == "'=Dairy Co"  # never a formula
    assert (dairy[11], dairy[12], dairy[13], dairy[14]) == ("5.000", "0.000", "1.000", "5.000")
    page = login(client, shop.membership).get(reverse("po_export"), {"format": "csv"})
    assert _body(page) == body  # the same file as the page's


def test_the_xlsx_has_numbers_as_numbers(api, orders):
    response = api.get(URL, {"format": "xlsx", "status": "sent"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = _xlsx(response)
    assert header[0] == "number" and len(rows) == 3
    quantities = sorted(row[11] for row in rows)
    assert quantities == [3, 4, 5] and all(isinstance(q, int | float) for q in quantities)
    assert {Decimal(str(row[13])) for row in rows} == {Decimal(1), Decimal(2), Decimal(3)}
    dairy = next(row for row in rows if row[0] == orders["dairy"].reference)
    assert dairy[2] == "=Dairy Co"  # text, not a formula


def test_the_format_can_come_from_the_accept_header(api, orders):
    response = api.get(URL, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ({"status": "draft"}, {"draft"}),
        ({"status": "sent"}, {"sent", "dairy"}),
        ({"search": "dairy"}, {"dairy"}),
        ("mill", {"sent", "draft"}),
        ("today", {"sent", "dairy"}),  # drafts have no order date
        ("tomorrow", set()),
        ("number", {"sent"}),
    ],
)
def test_the_list_filters_apply(api, shop, orders, query, keys):
    today = orders["sent"].ordered_on
    if query == "mill":
        query = {"supplier": str(shop.supplier.pk)}
    elif query == "today":
        query = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    elif query == "tomorrow":
        query = {"date_from": (today + datetime.timedelta(days=1)).isoformat()}
    elif query == "number":
        query = {"search": orders["sent"].reference}
    _header, *rows = _csv(api.get(URL, {**query, "format": "csv"}))
    assert {row[0] for row in rows} == {orders[k].reference for k in keys}
    listed = api.get(LIST, query).json()["results"]
    assert {po["reference"] for po in listed} == {orders[k].reference for k in keys}


def test_another_business_never_shows(api, orders):
    theirs = orders["theirs"]
    response = api.get(URL, {"format": "csv", "supplier": str(theirs.supplier.pk)})
    assert response.status_code == 404
    assert "supplier" in response.json()["error"]["fields"]
    _header, *rows = _csv(api.get(URL, {"format": "csv", "search": theirs.supplier.name}))
    assert rows == []
    their_rows = _csv(api_client_for(theirs.membership).get(URL, {"format": "csv"}))[1:]
    assert [(row[0], row[2]) for row in their_rows] == [
        (orders["foreign"].reference, theirs.supplier.name)
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "format"),
        ({"format": "pdf"}, "format"),
        ({"format": "json"}, "format"),
        ({"format": "csv", "status": "lost"}, "status"),
        ({"format": "xlsx", "date_from": "yesterday"}, "date_from"),
        ({"format": "csv", "supplier": "nope"}, "supplier"),
    ],
)
def test_bad_queries_are_a_json_400(api, orders, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()["error"]["fields"]


def test_a_cashier_gets_a_403_and_read_only_purchasing_may_export(shop, orders):
    cashier = api_client_for(make_member(shop.membership, role=Role.CASHIER))
    response = cashier.get(URL, {"format": "csv"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    staff = api_client_for(make_member(shop.membership, role=Role.STAFF))
    assert staff.get(URL, {"format": "xlsx"}).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_constant_number_of_queries(api, shop, django_assert_max_num_queries, fmt):
    def export():
        response = api.get(URL, {"format": fmt})
        assert response.status_code == 200
        return _body(response)

    for _ in range(2):
        shop.sent([2, 2])
    with django_assert_max_num_queries(12) as small:
        export()
    while PurchaseOrder.objects.filter(business=shop.business).count() < 20:
        shop.sent([2, 2])
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = export()
    rows = _xlsx_rows(body) if fmt == "xlsx" else _csv_rows(body)
    assert len(rows) == 1 + 40


def _csv_rows(body: bytes) -> list:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list:
    return list(load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))


def test_the_openapi_schema_documents_the_export():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/purchase-orders/export/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["format"]["required"] and params["format"]["schema"]["enum"] == ["csv", "xlsx"]
    assert {"status", "supplier", "date_from", "date_to", "search"} <= set(params)
    content = operation["responses"]["200"]["content"]
    assert "text/csv" in content and any("spreadsheetml" in key for key in content)
    assert "400" in operation["responses"] and "404" in operation["responses"]
