"""The supplier performance report as CSV and XLSX (page and API)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hanout.core.permissions import Role
from hanout.purchasing import selectors_bills, services_bills
from hanout.purchasing.tests.test_bills_support import (
    at,
    make_po,
    make_product,
    make_supplier,
    receive,
)
from tests.fixtures import api_client_for, login

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/supplier-performance/export/"
DAY = datetime.timedelta(days=1)


def _today(membership):
    return selectors_bills.local_today(membership.business)


def _deliver(membership, supplier, product, *, ordered, received, zone):
    """A PO of 10 ordered 10 days ago, expected in 3 days, `received` delivered in 2."""
    day = _today(membership) - 10 * DAY
    po, (line,) = make_po(
        membership,
        supplier,
        [(product, ordered, "2.00")],
        ordered_on=day,
        expected_on=day + 3 * DAY,
    )
    receive(membership, po, at(zone, day + 2 * DAY), {line: received})
    services_bills.supplier_invoice_record(
        business=membership.business, actor=membership.user, supplier=supplier,
        number=f"{supplier.name[:3]}-{po.number}", issued_on=day + 2 * DAY,
        total=Decimal("16.50"),
    )  # fmt: skip


@pytest.fixture
def worked(owner, other_owner):
    moulins = make_supplier(owner, "Moulins Réunis")
    flour = make_product(owner, "Flour", "F")
    _deliver(owner, moulins, flour, ordered=10, received=8, zone="Europe/Brussels")
    foreign = make_supplier(other_owner, "Beta Supplier")
    oil = make_product(other_owner, "Oil", "O")
    _deliver(other_owner, foreign, oil, ordered=5, received=5, zone="Africa/Casablanca")
    return moulins


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_page_offers_csv_and_xlsx_with_its_filters(owner_client, worked):
    query = {"supplier": str(worked.pk)}
    html = owner_client.get(reverse("supplier_performance"), query).content.decode()
    assert f'href="{reverse("supplier_performance_csv")}?supplier={worked.pk}"' in html
    assert f'href="{reverse("supplier_performance_xlsx")}?supplier={worked.pk}"' in html


def test_the_xlsx_has_the_csv_figures_as_numbers(owner_client, worked):
    csv_rows = _csv(owner_client.get(reverse("supplier_performance_csv")))
    response = owner_client.get(reverse("supplier_performance_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "supplier-performance-" in response["Content-Disposition"]
    rows = _xlsx(response)
    assert list(rows[0]) == csv_rows[0]
    assert [r[0] for r in rows[1:]] == ["Moulins Réunis", "All suppliers"]  # not B's
    moulins = rows[1]
    assert moulins[3:8] == (1, 1, 1, 100, 2)  # orders, lines, on time, rate, lead time
    assert moulins[8:12] == (10, 8, 80, 16.5)  # ordered, received, fill rate, spend
    assert all(isinstance(v, int | float) for v in moulins[3:12])
    assert moulins[12] == "EUR"
    assert csv_rows[1][3:12] == ["1", "1", "1", "100.0", "2.0", "10", "8", "80.0", "16.50"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_api_export(owner_api, worked, fmt):
    response = owner_api.get(EXPORT, {"format": fmt, "supplier": str(worked.pk)})
    assert response.status_code == 200, response.content
    rows = _csv(response) if fmt == "csv" else [list(r) for r in _xlsx(response)]
    assert rows[0][0] == "Supplier" and rows[1][0] == "Moulins Réunis"
    assert rows[-1][0] == "All suppliers" and len(rows) == 3
    assert str(rows[1][10]) in ("80.0", "80")


def test_the_api_export_follows_the_period(owner_api, owner, worked):
    far = (_today(owner) - 400 * DAY).isoformat()
    query = {"format": "csv", "date_from": far, "date_to": far}
    rows = _csv(owner_api.get(EXPORT, query))
    assert [r[0] for r in rows[1:]] == ["All suppliers"]
    assert rows[1][1:3] == [far, far]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "format"),
        ({"format": "pdf"}, "format"),
        ({"format": "xlsx", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
        ({"format": "csv", "supplier": "nope"}, "supplier"),
    ],
)
def test_bad_queries_are_a_json_400(owner_api, worked, query, field):
    response = owner_api.get(EXPORT, query)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_a_supplier_of_another_business_is_a_404(owner_api, other_owner, worked):
    foreign = make_supplier(other_owner, "Gamma")
    response = owner_api.get(EXPORT, {"format": "xlsx", "supplier": str(foreign.pk)})
    assert response.status_code == 404


def test_a_role_without_purchasing_gets_a_403(client, member_factory, worked):
    cashier = member_factory(role=Role.CASHIER)
    assert api_client_for(cashier).get(EXPORT, {"format": "xlsx"}).status_code == 403
    login(client, cashier)
    assert client.get(reverse("supplier_performance_xlsx")).status_code == 403


@pytest.mark.parametrize("kind", ["api", "page"])
def test_the_xlsx_keeps_a_constant_number_of_queries(
    client, owner, owner_api, kind, django_assert_max_num_queries
):
    web = login(client, owner)
    flour = make_product(owner, "Flour", "F")

    def grow(start, n):
        for i in range(start, start + n):
            supplier = make_supplier(owner, f"Supplier {i}")
            _deliver(owner, supplier, flour, ordered=4, received=i % 4 + 1, zone="Europe/Brussels")

    def fetch():
        if kind == "api":
            response = owner_api.get(EXPORT, {"format": "xlsx"})
        else:
            response = web.get(reverse("supplier_performance_xlsx"))
        assert response.status_code == 200
        return _xlsx(response)

    grow(0, 2)
    fetch()
    with django_assert_max_num_queries(20) as small:
        assert len(fetch()) == 4
    grow(2, 10)
    with django_assert_max_num_queries(20) as big:
        assert len(fetch()) == 14
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_pdf_reads_back_with_the_figures(owner_client, worked):
    import subprocess

    csv_rows = _csv(owner_client.get(reverse("supplier_performance_csv")))
    html = owner_client.get(reverse("supplier_performance")).content.decode()
    assert f'href="{reverse("supplier_performance_pdf")}?' in html
    response = owner_client.get(reverse("supplier_performance_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "supplier-performance-" in response["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Supplier performance" in text
    words = " ".join(text.split())  # a long name may wrap in its column
    assert "Moulins Réunis" in words and "All suppliers" in words and "Spend" in words
    assert "Beta" not in text  # another business's
    moulins = next(row for row in csv_rows if row[0] == "Moulins Réunis")
    assert moulins[10] in text.replace(",", ".")  # the fill rate, 80.0
