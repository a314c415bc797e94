"""CSV and XLSX exports of the supplier invoice and payment lists (pages and API)."""

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
from hanout.purchasing.tests.test_bills_support import make_supplier
from tests.fixtures import api_client_for, login

pytestmark = pytest.mark.django_db

INVOICES = "/api/v1/supplier-invoices/export/"
PAYMENTS = "/api/v1/supplier-payments/export/"
DAY = datetime.timedelta(days=1)


def _today(membership):
    return selectors_bills.local_today(membership.business)


def _bill(membership, supplier, number, total, **kw):
    kw.setdefault("issued_on", _today(membership))
    return services_bills.supplier_invoice_record(
        business=membership.business,
        actor=membership.user,
        supplier=supplier,
        number=number,
        total=Decimal(total),
        **kw,
    )


def _pay(membership, supplier, amount, invoice=None, **kw):
    kw.setdefault("paid_on", _today(membership))
    kw.setdefault("method", "bank")
    return services_bills.supplier_payment_record(
        business=membership.business,
        actor=membership.user,
        supplier=supplier,
        invoice=invoice,
        amount=Decimal(amount),
        **kw,
    )


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def books(owner, other_owner):
    """Two suppliers of A (one with a formula for a name), one of B; invoices and payments."""
    today = _today(owner)
    moulins = make_supplier(owner, "Moulins Réunis")
    tricky = make_supplier(owner, '=HYPERLINK("http://x")')
    overdue = _bill(
        owner, moulins, "MR-1", "121.00", tax_total=Decimal("21.00"),
        issued_on=today - 40 * DAY, due_on=today - 10 * DAY,
    )  # fmt: skip
    paid = _bill(owner, moulins, "MR-2", "50.00", issued_on=today - 5 * DAY)
    open_ = _bill(owner, tricky, "+T-9", "80.00", due_on=today + 30 * DAY)
    first = _pay(owner, moulins, "21.00", overdue, reference="VIR-77", method="cheque")
    _pay(owner, moulins, "50.00", paid)
    wrong = _pay(owner, tricky, "30.00", open_)
    services_bills.supplier_payment_reverse(payment=wrong, actor=owner.user, reason="typo")
    _pay(owner, tricky, "5.00", method="cash", note="-advance")  # on account
    foreign = make_supplier(other_owner, "Beta Supplier")
    _bill(other_owner, foreign, "B-1", "999.00")
    _pay(other_owner, foreign, "9.00", method="cash")
    return {"moulins": moulins, "tricky": tricky, "overdue": overdue, "first": first}


# --- invoices ------------------------------------------------------------------------------------


def test_invoice_csv_from_the_api_has_the_bookkeepers_columns(owner_api, owner, books):
    response = owner_api.get(INVOICES, {"format": "csv"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "supplier-invoices-" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:11] == [
        "Supplier", "Supplier's invoice number", "Invoice date", "Due date", "Total",
        "Of which tax", "Paid", "Left to pay", "Currency", "Status", "Overdue",
    ]  # fmt: skip
    by_number = {row[1]: row for row in rows}
    assert set(by_number) == {"MR-1", "MR-2", "'+T-9"}  # B's invoice is not there
    today = _today(owner)
    assert by_number["MR-1"][:11] == [
        "Moulins Réunis", "MR-1", (today - 40 * DAY).isoformat(), (today - 10 * DAY).isoformat(),
        "121.00", "21.00", "21.00", "100.00", "EUR", "Overdue", "yes",
    ]  # fmt: skip
    assert by_number["MR-2"][6:11] == ["50.00", "0.00", "EUR", "Paid", "no"]
    tricky = by_number["'+T-9"]
    assert tricky[0] == '\'=HYPERLINK("http://x")'  # never a formula
    assert tricky[7] == "80.00" and tricky[9] == "To pay"  # the reversed payment is undone
    recorded = datetime.datetime.strptime(tricky[12], "%Y-%m-%d %H:%M")
    assert abs(recorded.date() - today) <= DAY  # shop time, not UTC


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"status": "overdue"}, {"MR-1"}),
        ({"status": "paid"}, {"MR-2"}),
        ({"status": "open"}, {"MR-1", "'+T-9"}),
        ({"search": "mr-2"}, {"MR-2"}),
        ({"search": "HYPERLINK"}, {"'+T-9"}),
        ("date_range", {"MR-2", "'+T-9"}),
        ("moulins", {"MR-1", "MR-2"}),
    ],
)
def test_invoice_export_applies_the_list_filters(owner_api, owner, books, query, numbers):
    if query == "date_range":
        query = {"date_from": (_today(owner) - 6 * DAY).isoformat()}
    elif query == "moulins":
        query = {"supplier": str(books["moulins"].pk)}
    _header, *rows = _csv(owner_api.get(INVOICES, {**query, "format": "csv"}))
    assert {row[1] for row in rows} == numbers
    listed = owner_api.get("/api/v1/supplier-invoices/", query).json()["results"]
    assert len(listed) == len(numbers)  # the same rows as the list


def test_invoice_xlsx_has_amounts_as_numbers(owner_api, books):
    response = owner_api.get(INVOICES, {"format": "xlsx", "status": "overdue"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, row = _xlsx(response)
    assert header[0] == "Supplier" and header[4] == "Total"
    assert row[:2] == ("Moulins Réunis", "MR-1")
    assert row[4:8] == (121, 21, 21, 100)
    assert all(isinstance(v, int | float) for v in row[4:8])
    assert row[8:11] == ("EUR", "Overdue", "yes")


def test_the_format_can_come_from_the_accept_header(owner_api, books):
    response = owner_api.get(INVOICES, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("url", [INVOICES, PAYMENTS])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "format"),
        ({"format": "pdf"}, "format"),
        ({"format": "json"}, "format"),
        ({"format": "csv", "date_from": "yesterday"}, "date_from"),
        ({"format": "xlsx", "supplier": "nope"}, "supplier"),
    ],
)
def test_bad_export_queries_are_a_json_400(owner_api, books, url, query, field):
    response = owner_api.get(url, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("url", [INVOICES, PAYMENTS])
def test_a_supplier_of_another_business_is_a_404(owner_api, other_owner, books, url):
    foreign = make_supplier(other_owner, "Gamma")
    response = owner_api.get(url, {"format": "csv", "supplier": str(foreign.pk)})
    assert response.status_code == 404
    assert "supplier" in response.json()["error"]["fields"]


# --- payments ------------------------------------------------------------------------------------


def test_payment_csv_from_the_api(owner_api, owner, books):
    response = owner_api.get(PAYMENTS, {"format": "csv"})
    assert response.status_code == 200, response.content
    header, *rows = _csv(response)
    assert header == [
        "Paid on", "Supplier", "Method", "Amount", "Currency", "Invoice", "Reference", "Note",
        "Reversal", "Reversed", "Recorded by", "Recorded at",
    ]  # fmt: skip
    assert len(rows) == 5  # B's payment is not there; the reversal is its own row
    amounts = sorted(row[3] for row in rows)
    assert amounts == ["-30.00", "21.00", "30.00", "5.00", "50.00"]
    first = next(row for row in rows if row[6] == "VIR-77")
    assert first[:8] == [
        _today(owner).isoformat(), "Moulins Réunis", "Cheque", "21.00", "EUR", "MR-1", "VIR-77", "",
    ]  # fmt: skip
    assert first[8:10] == ["no", "no"] and first[10] == str(owner.user)
    reversed_ = next(row for row in rows if row[3] == "30.00")
    reversal = next(row for row in rows if row[3] == "-30.00")
    assert reversed_[8:10] == ["no", "yes"] and reversal[8:10] == ["yes", "no"]
    on_account = next(row for row in rows if row[3] == "5.00")
    assert on_account[5] == "On account" and on_account[7] == "'-advance"


def test_payment_export_filters_and_xlsx(owner_api, books):
    _h, *rows = _csv(owner_api.get(PAYMENTS, {"format": "csv", "method": "cash"}))
    assert [row[3] for row in rows] == ["5.00"]
    invoice = str(books["overdue"].pk)
    header, *rows = _xlsx(owner_api.get(PAYMENTS, {"format": "xlsx", "invoice": invoice}))
    assert header[3] == "Amount"
    assert [row[3] for row in rows] == [21] and isinstance(rows[0][3], int | float)
    supplier = str(books["tricky"].pk)
    _h, *rows = _xlsx(owner_api.get(PAYMENTS, {"format": "xlsx", "supplier": supplier}))
    assert sorted(row[3] for row in rows) == [-30, 5, 30]


# --- pages ---------------------------------------------------------------------------------------


def test_the_list_pages_have_export_buttons_that_keep_the_filters(owner_client, books):
    supplier = str(books["moulins"].pk)
    page = owner_client.get(reverse("supplier_bills"), {"status": "overdue", "supplier": supplier})
    html = page.content.decode()
    base = reverse("supplier_bills_export")
    assert html.count(f'href="{base}?') == 2
    for fmt in ("csv", "xlsx"):
        link = html.split(f'href="{base}?')[1 if fmt == "csv" else 2].split('"')[0]
        assert "status=overdue" in link and f"supplier={supplier}" in link
        assert link.endswith(f"format={fmt}")
    page = owner_client.get(reverse("supplier_payments"), {"supplier": supplier})
    html = page.content.decode()
    assert f"{reverse('supplier_payments_export')}?supplier={supplier}&amp;format=xlsx" in html


def test_the_invoice_page_export_uses_the_page_filters(owner_client, books):
    url = reverse("supplier_bills_export")
    response = owner_client.get(url, {"status": "paid", "format": "csv"})
    assert response.status_code == 200
    _header, *rows = _csv(response)
    assert [row[1] for row in rows] == ["MR-2"]
    response = owner_client.get(url, {"q": "MR", "format": "xlsx"})
    _header, *rows = _xlsx(response)
    assert sorted(row[1] for row in rows) == ["MR-1", "MR-2"]
    _header, *rows = _csv(owner_client.get(url))  # no format: CSV
    assert len(rows) == 3


def test_the_payment_page_export_uses_the_page_filters(owner_client, books):
    url = reverse("supplier_payments_export")
    supplier = str(books["moulins"].pk)
    _header, *rows = _csv(owner_client.get(url, {"supplier": supplier, "format": "csv"}))
    assert sorted(row[3] for row in rows) == ["21.00", "50.00"]
    _header, *rows = _xlsx(owner_client.get(url, {"format": "xlsx"}))
    assert len(rows) == 5


@pytest.mark.parametrize("name", ["supplier_bills_export", "supplier_payments_export"])
def test_a_bad_page_format_is_a_400(owner_client, books, name):
    assert owner_client.get(reverse(name), {"format": "pdf"}).status_code == 400


# --- who may export ------------------------------------------------------------------------------


def test_a_role_without_purchasing_gets_a_403(client, member_factory, books):
    cashier = member_factory(role=Role.CASHIER)
    api = api_client_for(cashier)
    for url in (INVOICES, PAYMENTS):
        response = api.get(url, {"format": "csv"})
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
    login(client, cashier)
    for name in ("supplier_bills_export", "supplier_payments_export"):
        assert client.get(reverse(name), {"format": "xlsx"}).status_code == 403


def test_read_only_purchasing_may_export(member_factory, books):
    staff = api_client_for(member_factory(role=Role.STAFF))
    assert staff.get(INVOICES, {"format": "csv"}).status_code == 200


# --- constant queries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("api", INVOICES),
        ("api", PAYMENTS),
        ("page", "supplier_bills_export"),
        ("page", "supplier_payments_export"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_a_constant_number_of_queries(
    client, owner, owner_api, kind, target, fmt, django_assert_max_num_queries
):
    def grow(start, n):
        for i in range(start, start + n):
            supplier = make_supplier(owner, f"Supplier {i}")
            invoice = _bill(owner, supplier, f"Q-{i}", "10.00")
            payment = _pay(owner, supplier, "4.00", invoice)
            services_bills.supplier_payment_reverse(payment=payment, actor=owner.user, reason="x")

    web = login(client, owner)

    def fetch():
        if kind == "api":
            response = owner_api.get(target, {"format": fmt})
        else:
            response = web.get(reverse(target), {"format": fmt})
        assert response.status_code == 200
        return _csv(response) if fmt == "csv" else _xlsx(response)

    grow(0, 2)
    fetch()  # warm the session and caches
    with django_assert_max_num_queries(15) as small:
        assert len(fetch()) > 2
    grow(2, 12)
    with django_assert_max_num_queries(15) as big:
        assert len(fetch()) > 14
    assert len(big.captured_queries) == len(small.captured_queries)
