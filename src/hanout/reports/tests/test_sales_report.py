"""The sales report: every grouping adds up to the same books, the page filters, draws
and downloads (CSV, XLSX, PDF read back), bad filters change nothing, tenants stay
apart, and the API gives the same rows."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hanout.core import clock
from hanout.core.models import Shop
from hanout.pos.tests.factories import make_till, sell
from hanout.reports import services
from hanout.reports.selectors_sales import GROUPS, sales_report
from hanout.reports.tests.support import MONDAY, TUESDAY, at
from tests.fixtures import api_client_for, login

D = Decimal
pytestmark = pytest.mark.django_db


def report(till, by, start=MONDAY, end=TUESDAY, shop=None):
    return sales_report(business=till.business, start=start, end=end, by=by, shop=shop)


def test_every_grouping_adds_up_to_the_same_sales(till):
    for by in GROUPS:
        r = report(till, by)
        assert r.total.revenue == D("9.00"), by
        assert sum(row.revenue for row in r.rows) == D("9.00"), by


def test_by_day_gives_every_day_with_tickets_tax_cost_and_margin(till):
    r = report(till, "day", start=date(2026, 3, 15))
    assert [row.key for row in r.rows] == ["2026-03-15", "2026-03-16", "2026-03-17"]
    sunday, monday, tuesday = r.rows
    assert sunday.revenue == 0 and sunday.tickets == 0
    assert monday.revenue == D("2.00") and monday.tickets == 1 and monday.quantity == 2
    assert monday.cost == D("0.80")
    # 2.00 with 6 % tax inside: 0.11 tax, 1.89 without tax, 1.09 margin.
    assert monday.tax == D("0.11") and monday.margin == D("1.09")
    assert tuesday.tickets == 2 and tuesday.cost == D("3.00")
    assert r.total.tickets == 3 and r.total.cost == D("3.80")
    assert r.chart["type"] == "line" and len(r.chart["labels"]) == 3


def test_by_month_product_category(till):
    (march,) = report(till, "month").rows
    assert march.key == "2026-03" and march.revenue == D("9.00") and march.tickets == 3
    products = {row.label.split(" · ")[0]: row for row in report(till, "product").rows}
    assert products["Déodorant CienMEN"].revenue == D("4.50")
    assert products["Déodorant CienMEN"].tax == D("0.78")  # 21 % inside 4.50
    assert products["Croissant"].quantity == 2 and products["Croissant"].cost == D("0.80")
    # Sorted by sales, the biggest first; the chart shows them as bars.
    r = report(till, "product")
    assert r.rows[0].revenue >= r.rows[-1].revenue and r.chart["type"] == "bar"
    (category,) = report(till, "category").rows
    assert category.revenue == D("9.00")


def test_by_register_employee_method_and_tax_rate(till):
    registers = {row.label: row for row in report(till, "register").rows}
    assert registers["Caisse 2"].revenue == D("4.50") and registers["Caisse 2"].cost == D("2.00")
    assert registers[till.register.name].tickets == 2
    employees = {row.label: row for row in report(till, "employee").rows}
    assert employees["Awa Diallo"].revenue == D("4.50") and employees["Awa Diallo"].tickets == 1
    methods = {row.key: row for row in report(till, "method").rows}
    assert methods["cash"].revenue == D("6.50") and methods["card"].revenue == D("2.50")
    assert methods["cash"].margin is None and report(till, "method").total.tickets is None
    rates = {row.key: row for row in report(till, "tax_rate").rows}
    assert rates["21.00"].revenue == D("4.50") and rates["6.00"].revenue == D("4.50")


def test_a_shop_and_a_period_narrow_it(till):
    other = Shop.objects.create(business=till.business, name="Annexe", time_zone="Europe/Brussels")
    assert report(till, "day", shop=other).total.revenue == 0
    assert report(till, "day", start=TUESDAY).total.revenue == D("7.00")
    assert report(till, "register", start=TUESDAY).total.revenue == D("7.00")


def test_the_page_filters_draws_and_downloads(till, client):
    login(client, till.owner)
    url = reverse("sales_report")
    page = client.get(url, {"by": "product", "start": "2026-03-16", "end": "2026-03-17"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Déodorant CienMEN" in text and 'data-chart="sales-chart"' in text
    assert "9,00" in text  # the business's French money format
    # No filters: this month by day, today included.
    assert "17" in client.get(url).content.decode()

    query = {"by": "register", "start": "2026-03-16", "end": "2026-03-17"}
    csv = client.get(url, {**query, "format": "csv"})
    assert csv["Content-Disposition"].endswith('.csv"')
    body = csv.content.decode("utf-8-sig")
    assert "Caisse 2" in body and "4.50" in body and body.splitlines()[-1].startswith("Total")

    xlsx = client.get(url, {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Register" and values[-1][0] == "Total"
    assert float(values[-1][3]) == 9.0

    pdf = client.get(url, {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Sales report" in text and "Caisse 2" in text and "Total" in text


@pytest.mark.parametrize(
    "query, field",
    [
        ({"start": "2026-03-17", "end": "2026-03-16"}, "The end comes before the start."),
        ({"start": "2020-01-01", "end": "2026-03-16", "by": "day"}, "at most two years"),
        ({"start": "yesterday"}, "Enter a valid date."),
        ({"by": "weather"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_explained_and_download_nothing(till, client, query, field):
    login(client, till.owner)
    response = client.get(reverse("sales_report"), {**query, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert field in response.content.decode()


def test_another_business_shop_is_refused_and_its_sales_never_show(till, client):
    other = make_till(quantity=None)
    login(client, till.owner)
    response = client.get(reverse("sales_report"), {"shop": str(other.shop.pk)})
    assert response.status_code == 400
    api = api_client_for(till.owner)
    assert api.get("/api/v1/reports/sales/", {"shop": str(other.shop.pk)}).status_code == 404
    login(client, other.owner)
    page = client.get(reverse("sales_report"), {"start": "2026-03-16", "end": "2026-03-17"})
    assert "Croissant" not in page.content.decode().split('id="sales-rows"')[1]


def test_members_without_reports_are_refused(till, client):
    login(client, till.cashier)
    assert client.get(reverse("sales_report")).status_code == 403
    assert api_client_for(till.cashier).get("/api/v1/reports/sales/").status_code == 403


def test_the_api_gives_the_same_rows(till):
    api = api_client_for(till.owner)
    body = api.get(
        "/api/v1/reports/sales/", {"by": "method", "start": "2026-03-16", "end": "2026-03-17"}
    ).json()
    assert body["register_only"] is True and body["currency"] == "EUR"
    assert {r["key"]: r["revenue"] for r in body["rows"]} == {"cash": "6.50", "card": "2.50"}
    assert body["total"]["revenue"] == "9.00" and body["total"]["margin"] is None
    day = api.get("/api/v1/reports/sales/").json()  # this month, by day
    assert day["by"] == "day" and day["start"] == "2026-03-01" and day["end"] == "2026-03-17"
    assert len(day["rows"]) == 17 and day["total"]["tickets"] == 3
    bad = api.get("/api/v1/reports/sales/", {"by": "weather"})
    assert bad.status_code == 400 and "by" in bad.json()["error"]["fields"]
    late = api.get("/api/v1/reports/sales/", {"start": "2026-03-17", "end": "2026-03-01"})
    assert late.status_code == 400 and "end" in late.json()["error"]["fields"]


def test_the_day_page_does_not_cost_more_queries_with_more_sales(
    till, client, monkeypatch, django_assert_max_num_queries
):
    login(client, till.owner)
    url = reverse("sales_report")
    client.get(url)
    with django_assert_max_num_queries(45) as few:
        client.get(url)
    for _ in range(10):
        sell(till, ("cafe", 1), ("croissant", 1))
    monkeypatch.setattr(clock, "now", lambda: at(TUESDAY, 19))
    services.daily_refresh_pending(business=till.business)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(url)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zgh", "de", "nl", "ja"])
def test_day_labels_are_django_short_dates_in_every_language(language):
    from django.utils import translation
    from django.utils.formats import date_format

    from hanout.reports.selectors_sales import _day_labeller

    with translation.override(language):
        label = _day_labeller()
        for day in (date(2026, 3, 5), date(2026, 12, 31), date(2001, 1, 9)):
            assert label(day) == date_format(day, "SHORT_DATE_FORMAT")
