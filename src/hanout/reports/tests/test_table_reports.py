"""Top products, profit, customers and expenses: their figures against the tickets the
fixture sold, the pages (chart, table, CSV/XLSX/PDF read back), bad filters, the API,
and another business that never shows."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hanout.core import clock
from hanout.core.permissions import Role
from hanout.customers.models import Customer
from hanout.customers.tests.crm_support import make_customer
from hanout.expenses import services as expenses
from hanout.expenses.selectors import category_list
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.reports import selectors_tables, services
from hanout.reports.tests.support import MONDAY, TUESDAY, at
from tests.factories import make_member
from tests.fixtures import api_client_for, login

D = Decimal
pytestmark = pytest.mark.django_db


def spend(till, amount, day, comment="Sacs", category=0):
    return expenses.expense_create(
        business=till.business,
        actor=till.user,
        data={
            "category": category_list(business=till.business)[category],
            "amount": amount,
            "spent_on": day,
            "comment": comment,
        },
    )


# --- top products --------------------------------------------------------------------------------


def test_top_products_by_sales_and_by_quantity(till):
    table = selectors_tables.top_products(business=till.business, start=MONDAY, end=TUESDAY)
    # 4.50 deodorant, 2.50 café, 2.00 croissants (9.00 in all).
    assert [r["product"] for r in table.rows] == ["Déodorant CienMEN", "Café", "Croissant"]
    deo = table.rows[0]
    assert deo["rank"] == 1 and deo["revenue"] == D("4.50") and deo["share"] == D("50.0")
    # 4.50 with 21 % inside: 3.72 without tax, 2.00 cost, 1.72 margin.
    assert deo["margin"] == D("1.72") and deo["margin_rate"] == D("46.2")
    assert table.chart["type"] == "bar" and table.chart["currency"] == "EUR"
    # The last row is every product of the period, whatever the limit.
    assert table.total["revenue"] == D("9.00") and table.total["quantity"] == 4

    by_count = selectors_tables.top_products(
        business=till.business, start=MONDAY, end=TUESDAY, sort="quantity", limit=10
    )
    assert by_count.rows[0]["product"] == "Croissant" and by_count.rows[0]["quantity"] == 2
    assert by_count.rows[0]["share"] == D("50.0")  # 2 of the 4 items
    assert "currency" not in by_count.chart

    only_one = selectors_tables.top_products(
        business=till.business, start=MONDAY, end=TUESDAY, limit=1
    )
    assert len(only_one.rows) == 1
    assert (
        selectors_tables.top_products(
            business=till.business, start=date(2026, 1, 1), end=date(2026, 1, 31)
        ).rows
        == []
    )


def test_top_products_of_one_shop(till):
    from hanout.core.models import Shop

    other = Shop.objects.create(business=till.business, name="Annexe", time_zone="Europe/Brussels")
    table = selectors_tables.top_products(
        business=till.business, start=MONDAY, end=TUESDAY, shop=other
    )
    assert table.rows == []


# --- profit --------------------------------------------------------------------------------------


def test_profit_is_margin_minus_expenses_by_day_and_month(till):
    spend(till, "1.50", "2026-03-16")
    spend(till, "10.00", "2026-02-10", comment="Loyer")
    services.daily_refresh_pending(business=till.business)
    by_day = selectors_tables.profit(business=till.business, start=MONDAY, end=TUESDAY, by="day")
    monday, tuesday = by_day.rows
    # Monday: 2.00 sold, 0.11 tax, 0.80 cost → 1.09 margin − 1.50 spent = −0.41.
    assert monday["margin"] == D("1.09") and monday["expenses"] == D("1.50")
    assert monday["profit"] == D("-0.41")
    assert tuesday["expenses"] == 0 and tuesday["profit"] == tuesday["margin"]
    assert by_day.total["profit"] == monday["profit"] + tuesday["profit"]

    by_month = selectors_tables.profit(
        business=till.business, start=date(2026, 2, 1), end=date(2026, 3, 31)
    )
    february, march = by_month.rows
    assert february["revenue"] == 0 and february["profit"] == D("-10.00")
    assert march["revenue"] == D("9.00") and march["expenses"] == D("1.50")
    assert by_month.total["expenses"] == D("11.50")
    assert [d["label"] for d in by_month.chart["datasets"]] == ["Margin", "Expenses", "Profit"]


# --- customers -----------------------------------------------------------------------------------


def test_customers_who_bought_biggest_spenders_first(till, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: at(TUESDAY, 15))
    helene = make_customer(till.owner, "Hélène Dubois", phone="+32470123456")
    karim = make_customer(till.owner, "Karim Alaoui")
    make_customer(till.owner, "Nobody Yet")
    Customer.objects.filter(business=till.business).update(created_at=at(TUESDAY, 9))
    sell(till, ("deo", 2), customer=helene)  # 9.00, cost 4.00
    sell(till, ("croissant", 1), customer=karim)  # 1.00
    sell(till, ("croissant", 1), customer=karim)
    services.daily_refresh_pending(business=till.business)
    table = selectors_tables.customers(business=till.business, start=MONDAY, end=TUESDAY)
    assert [r["customer"] for r in table.rows] == ["Hélène Dubois", "Karim Alaoui"]
    first, second = table.rows
    assert first["spent"] == D("9.00") and first["tickets"] == 1
    # 9.00 with 21 % inside: 7.44 without tax, 4.00 cost.
    assert first["margin"] == D("3.44") and first["phone"] == "+32470123456"
    assert first["last"] == TUESDAY
    assert second["tickets"] == 2 and second["spent"] == D("2.00")
    assert table.total["spent"] == D("11.00") and table.total["tickets"] == 3
    # Three cards were made on Tuesday; two of them bought.
    assert "2 customers bought, 3 new customer cards" in table.subtitle
    # A period before any of it is empty.
    assert (
        selectors_tables.customers(
            business=till.business, start=date(2026, 3, 1), end=date(2026, 3, 15)
        ).rows
        == []
    )


# --- expenses ------------------------------------------------------------------------------------


def test_expenses_by_category_and_month(till):
    spend(till, "30.00", "2026-03-02", category=0)
    spend(till, "10.00", "2026-03-20", category=1)
    spend(till, "60.00", "2026-01-15", category=0)
    spend(till, "99.00", "2025-12-31", category=0)  # before the period
    table = selectors_tables.expenses(
        business=till.business, start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    first, second = table.rows
    assert first["amount"] == D("90.00") and first["count"] == 2 and first["share"] == D("90.0")
    assert second["amount"] == D("10.00")
    assert table.total["amount"] == D("100.00") and table.total["count"] == 3
    assert table.chart["type"] == "doughnut"
    months = selectors_tables.expenses(
        business=till.business, start=date(2026, 1, 1), end=date(2026, 3, 31), by="month"
    )
    assert [r["key"] for r in months.rows] == ["2026-01", "2026-02", "2026-03"]
    assert [r["amount"] for r in months.rows] == [D("60.00"), D("0.00"), D("40.00")]


# --- pages ---------------------------------------------------------------------------------------

PAGES = ("report_top", "report_profit", "report_customers", "report_expenses")


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_with_its_defaults_and_downloads(till, client, name):
    login(client, till.owner)
    url = reverse(name)
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="report-rows"' in page.content.decode()
    query = {"start": "2026-03-01", "end": "2026-03-17"}
    csv = client.get(url, {**query, "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Disposition"].endswith('-20260317.csv"')
    xlsx = client.get(url, {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row >= 2
    pdf = client.get(url, {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_top_products_page_chart_table_and_files(till, client):
    login(client, till.owner)
    url = reverse("report_top")
    query = {"sort": "revenue", "limit": "10", "start": "2026-03-16", "end": "2026-03-17"}
    text = client.get(url, query).content.decode()
    assert 'data-chart="report-chart"' in text and "Déodorant CienMEN" in text
    assert "4,50" in text  # French money format of the business
    csv = client.get(url, {**query, "format": "csv"}).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("#,Product,Article number")
    assert lines[1].startswith("1,Déodorant CienMEN") and ",4.50," in lines[1]
    sheet = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == "Déodorant CienMEN" and values[1][5] == 4.5
    pdf = client.get(url, {**query, "format": "pdf"}).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Top products" in text and "Déodorant CienMEN" in text and "4,50" in text


def test_profit_pdf_in_arabic_reads_back(till, client):
    spend(till, "1.50", "2026-03-16")
    login(client, till.owner)
    client.cookies["django_language"] = "ar"
    pdf = client.get(
        reverse("report_profit"),
        {"by": "day", "start": "2026-03-16", "end": "2026-03-17", "format": "pdf"},
        HTTP_ACCEPT_LANGUAGE="ar",
    ).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "1,50" in text or "1.50" in text or "١٫٥٠" in text


@pytest.mark.parametrize(
    "name,query,field",
    [
        ("report_top", {"sort": "price"}, "sort"),
        ("report_top", {"limit": "1000000"}, "limit"),
        ("report_profit", {"by": "day", "start": "2020-01-01", "end": "2026-03-17"}, "start"),
        ("report_customers", {"start": "1900-01-01", "end": "2026-03-17"}, "start"),
        ("report_expenses", {"start": "2026-03-17", "end": "2026-03-01"}, "end"),
        ("report_expenses", {"start": "someday"}, "start"),
    ],
)
def test_bad_filters_are_a_400_that_names_them_and_download_nothing(
    till, client, name, query, field
):
    login(client, till.owner)
    response = client.get(reverse(name), {**query, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'class="invalid-feedback' in response.content.decode()
    assert response.context["form"].errors[field]


def test_another_business_never_shows(till, client):
    other = make_till()
    open_session(other)
    sell(other, ("cafe", 3))
    spend(other, "500.00", "2026-03-16", comment="Autre")
    login(client, till.owner)
    for name in PAGES:
        text = client.get(reverse(name), {"start": "2026-03-01", "end": "2026-03-31"})
        assert "500" not in text.content.decode()
    # Its shop is not a choice: a 400, nothing of it shown.
    response = client.get(reverse("report_top"), {"shop": str(other.shop.pk)})
    assert response.status_code == 400
    table = selectors_tables.top_products(business=till.business, start=MONDAY, end=TUESDAY)
    assert sum(r["quantity"] for r in table.rows) == 4


def test_a_member_without_reports_cannot_open_them(till, client):
    cashier = make_member(till.owner, role=Role.CASHIER)
    login(client, cashier)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403


# --- API -----------------------------------------------------------------------------------------


def test_api_gives_the_same_table(till):
    api = api_client_for(till.owner)
    response = api.get(
        "/api/v1/reports/top-products/",
        {"start": "2026-03-16", "end": "2026-03-17", "sort": "quantity"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["report"] == "top-products" and data["currency"] == "EUR"
    assert [c["kind"] for c in data["columns"]][:2] == ["int", "text"]
    first = data["rows"][0]
    assert first["product"] == "Croissant" and D(first["quantity"]) == 2
    assert first["revenue"] == "2.00" and first["share"] == "50.0"

    spend(till, "1.50", "2026-03-16")
    profit = api.get("/api/v1/reports/profit/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert profit.json()["total"]["expenses"] == "1.50"
    customers = api.get("/api/v1/reports/customers/").json()
    assert customers["rows"] == [] and customers["total"]["spent"] == "0"
    by_month = api.get("/api/v1/reports/expenses/", {"by": "month"}).json()
    assert by_month["rows"][0]["key"] == "2026-03"


def test_api_bad_filters_and_other_tenant(till):
    api = api_client_for(till.owner)
    bad = api.get("/api/v1/reports/top-products/", {"limit": "7", "end": "2026-13-01"})
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert "limit" in fields and "end" in fields
    assert api.get("/api/v1/reports/nothing-here/").status_code == 404
    other = make_till(quantity=None)
    foreign = api.get("/api/v1/reports/customers/", {"shop": str(other.shop.pk)})
    assert foreign.status_code == 400 and "shop" in foreign.json()["error"]["fields"]
    cashier = make_member(till.owner, role=Role.CASHIER)
    assert api_client_for(cashier).get("/api/v1/reports/profit/").status_code == 403
