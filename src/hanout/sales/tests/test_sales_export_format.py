"""The invoice and return API exports read `?format=csv|xlsx` (the name every export of the
API uses), `?file=` (their former name, still read) and the Accept header; a missing or
unknown format is a JSON 400 naming `format`; the schema documents `format`."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.sales.services_invoices import invoice_issue_for_sale
from hanout.sales.tests.returns_support import make_till, open_session, sale_lines, sell, take_back
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

INVOICES = "/api/v1/invoices/export/"
RETURNS = "/api/v1/returns/export/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def till():
    till = make_till(make_business("Format Shop"))
    open_session(till)
    sale = sell(till, ("deo", 2), ("cafe", 1))
    invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    deo, _cafe = sale_lines(sale)
    take_back(till, sale=sale, lines=[(deo, 1)], reason="=cmd")
    return till


@pytest.fixture
def api(till):
    return api_client_for(till.owner)


def _rows(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# The ticket's invoice and the return's credit note; the return's one line.
ROWS = {INVOICES: 3, RETURNS: 2}


@pytest.mark.parametrize(("url", "header"), [(INVOICES, "Kind"), (RETURNS, "Return")])
@pytest.mark.parametrize(
    ("query", "headers", "fmt"),
    [
        ({"format": "csv"}, {}, "csv"),
        ({"format": "xlsx"}, {}, "xlsx"),
        ({"file": "csv"}, {}, "csv"),  # the former name
        ({"file": "xlsx"}, {}, "xlsx"),
        ({"format": "xlsx", "file": "csv"}, {}, "xlsx"),  # `format` first
        ({}, {"HTTP_ACCEPT": "text/csv"}, "csv"),
        ({}, {"HTTP_ACCEPT": XLSX}, "xlsx"),
    ],
)
def test_format_file_or_accept_choose_the_file(api, url, header, query, headers, fmt):
    response = api.get(url, query, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv" if fmt == "csv" else XLSX)
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = _rows(response)
    assert rows[0][0] == header and len(rows) == ROWS[url]


@pytest.mark.parametrize("url", [INVOICES, RETURNS])
def test_both_names_give_the_same_file(api, url):
    by_format = api.get(url, {"format": "csv"}).content
    assert by_format == api.get(url, {"file": "csv"}).content


@pytest.mark.parametrize("url", [INVOICES, RETURNS])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "format"),
        ({"format": "pdf"}, "format"),
        ({"format": "json"}, "format"),
        ({"file": "pdf"}, "file"),
        ({"format": "csv", "date_from": "yesterday"}, "date_from"),
    ],
)
def test_a_missing_or_bad_format_is_a_json_400(api, url, query, field):
    response = api.get(url, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("url", [INVOICES, RETURNS])
def test_another_tenant_sees_nothing_and_a_cashier_may_read(till, url):
    other = api_client_for(make_business("Other Format Shop"))
    assert len(_rows(other.get(url, {"format": "csv"}))) == 1  # the header only
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))  # reads Sales
    assert len(_rows(cashier.get(url, {"format": "xlsx"}))) == ROWS[url]


def test_the_schema_documents_format_and_the_former_file():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for url in (INVOICES, RETURNS):
        params = {p["name"]: p for p in schema["paths"][url]["get"]["parameters"]}
        assert params["format"]["schema"]["enum"] == ["csv", "xlsx"]
        assert params["format"]["required"] and not params["file"].get("required")
        assert params["file"].get("deprecated") is True
