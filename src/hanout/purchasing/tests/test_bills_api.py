"""The REST API of supplier invoices, payments, accounts and performance."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from hanout.core.models import AuditEntry
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
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

INVOICES = "/api/v1/supplier-invoices/"
PAYMENTS = "/api/v1/supplier-payments/"
ACCOUNTS = "/api/v1/supplier-accounts/"
PERFORMANCE = "/api/v1/supplier-performance/"


def _today(owner):
    return selectors_bills.local_today(owner.business)


@pytest.fixture
def supplier(owner):
    return make_supplier(owner, "Moulins Réunis")


def _invoice_body(owner, supplier, **changes):
    return {
        "supplier": str(supplier.pk),
        "number": "MR-1",
        "issued_on": _today(owner).isoformat(),
        "total": "121.00",
        "tax_total": "21.00",
    } | changes


def test_record_an_invoice_as_json_then_list_and_read_it(owner_api, owner, supplier):
    key = str(uuid.uuid4())
    response = owner_api.post(
        INVOICES, _invoice_body(owner, supplier, client_uuid=key), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "121.00" and body["balance"] == "121.00"
    assert body["status"] == "open" and body["payments"] == [] and not body["has_attachment"]
    again = owner_api.post(INVOICES, _invoice_body(owner, supplier, client_uuid=key), format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    changed = owner_api.post(
        INVOICES, _invoice_body(owner, supplier, client_uuid=key, total="120.00"), format="json"
    )
    assert changed.status_code == 409
    assert changed.json()["error"]["fields"]["client_uuid"]
    listed = owner_api.get(INVOICES, {"supplier": str(supplier.pk), "status": "open"}).json()
    assert [i["number"] for i in listed["results"]] == ["MR-1"]
    assert owner_api.get(INVOICES, {"status": "paid"}).json()["results"] == []


def test_record_an_invoice_with_its_scan_in_multipart(owner_api, owner, supplier):
    body = _invoice_body(owner, supplier) | {"attachment": pdf_upload()}
    response = owner_api.post(INVOICES, body, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["has_attachment"] is True
    invoice = SupplierInvoice.objects.get()
    assert invoice.attachment.read() == PDF


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"total": "-1"}, 400, "total"),
        ({"total": "0"}, 400, "total"),
        ({"total": "99999999999"}, 400, "total"),
        ({"tax_total": "500"}, 400, "tax_total"),
        ({"issued_on": "2999-01-01"}, 400, "issued_on"),
        ({"issued_on": "yesterday"}, 400, "issued_on"),
        ({"due_on": "2001-01-01"}, 400, "due_on"),
        ({"number": ""}, 400, "number"),
        ({"supplier": "not-a-uuid"}, 400, "supplier"),
        ({"supplier": str(uuid.uuid4())}, 404, "supplier"),
        ({"order": str(uuid.uuid4())}, 404, "order"),
    ],
)
def test_bad_invoice_input_is_a_clear_error_and_nothing_is_written(
    owner_api, owner, supplier, changes, status, field
):
    body = _invoice_body(owner, supplier) | changes
    response = owner_api.post(INVOICES, body, format="json")
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert field in error["fields"] and error["message"]
    assert not SupplierInvoice.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="supplier_invoice").exists()


def test_a_png_sent_as_a_pdf_is_refused(owner_api, owner, supplier):
    body = _invoice_body(owner, supplier) | {
        "attachment": pdf_upload("invoice.pdf", PNG, "application/pdf")
    }
    response = owner_api.post(INVOICES, body, format="multipart")
    assert response.status_code == 400
    assert "attachment" in response.json()["error"]["fields"]
    assert not SupplierInvoice.objects.exists()


def test_a_duplicate_supplier_number_is_409(owner_api, owner, supplier):
    assert (
        owner_api.post(INVOICES, _invoice_body(owner, supplier), format="json").status_code == 201
    )
    response = owner_api.post(
        INVOICES, _invoice_body(owner, supplier, number="mr-1"), format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"]["number"]


def test_pay_an_invoice_then_reverse_the_payment(owner_api, owner, supplier):
    invoice = owner_api.post(INVOICES, _invoice_body(owner, supplier), format="json").json()
    key = str(uuid.uuid4())
    body = {"invoice": invoice["id"], "amount": "100.00", "method": "bank", "client_uuid": key}
    paid = owner_api.post(PAYMENTS, body, format="json")
    assert paid.status_code == 201, paid.content
    payment = paid.json()
    assert payment["supplier"] == str(supplier.pk) and payment["amount"] == "100.00"
    assert payment["paid_on"] == _today(owner).isoformat()
    assert owner_api.post(PAYMENTS, body, format="json").status_code == 200
    assert SupplierPayment.objects.count() == 1

    too_much = owner_api.post(
        PAYMENTS, {"invoice": invoice["id"], "amount": "21.01", "method": "cash"}, format="json"
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["error"]["fields"]
    detail = owner_api.get(f"{INVOICES}{invoice['id']}/").json()
    assert detail["paid_total"] == "100.00" and detail["balance"] == "21.00"
    assert [p["id"] for p in detail["payments"]] == [payment["id"]]

    reverse = owner_api.post(
        f"{PAYMENTS}{payment['id']}/reverse/", {"reason": "Wrong account"}, format="json"
    )
    assert reverse.status_code == 201, reverse.content
    assert reverse.json()["amount"] == "-100.00" and reverse.json()["reverses"] == payment["id"]
    again = owner_api.post(f"{PAYMENTS}{payment['id']}/reverse/", {"reason": "x"}, format="json")
    assert again.status_code == 409
    assert (
        owner_api.post(f"{PAYMENTS}{payment['id']}/reverse/", {}, format="json").status_code == 400
    )
    read = owner_api.get(f"{PAYMENTS}{payment['id']}/").json()
    assert read["reversed_by"] == reverse.json()["id"]
    assert owner_api.get(f"{INVOICES}{invoice['id']}/").json()["balance"] == "121.00"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"amount": "10", "method": "cash"}, 400, "supplier"),
        ({"amount": "-10", "method": "cash", "supplier": "S"}, 400, "amount"),
        ({"amount": "0", "method": "cash", "supplier": "S"}, 400, "amount"),
        ({"amount": "1e12", "method": "cash", "supplier": "S"}, 400, "amount"),
        ({"amount": "10", "method": "gold", "supplier": "S"}, 400, "method"),
        ({"amount": "10", "method": "cash", "supplier": "S", "paid_on": "2999-01-01"}, 400,
         "paid_on"),
        ({"amount": "10", "method": "cash", "invoice": str(uuid.uuid4())}, 404, "invoice"),
    ],
)  # fmt: skip
def test_bad_payment_input(owner_api, supplier, body, status, field):
    if body.get("supplier") == "S":
        body = body | {"supplier": str(supplier.pk)}
    response = owner_api.post(PAYMENTS, body, format="json")
    assert response.status_code == status, response.content
    assert field in response.json()["error"]["fields"]
    assert not SupplierPayment.objects.exists()


def test_accounts_and_performance(owner_api, owner, supplier):
    today = _today(owner)
    flour = make_product(owner, "Flour", "F")
    po, (line,) = make_po(owner, supplier, [(flour, 10, "3.00")],
                          ordered_on=today - datetime.timedelta(days=4),
                          expected_on=today - datetime.timedelta(days=1))  # fmt: skip
    receive(owner, po, at("Europe/Brussels", today - datetime.timedelta(days=2)), {line: 10})
    invoice = services_bills.supplier_invoice_record(
        business=owner.business, actor=owner.user, supplier=supplier, number="X",
        issued_on=today, total=Decimal("30.00"), order=po,
    )  # fmt: skip
    services_bills.supplier_payment_record(
        business=owner.business, actor=owner.user, supplier=supplier, invoice=invoice,
        amount=Decimal("12.50"), method="cash", paid_on=today,
    )  # fmt: skip
    make_supplier(owner, "Idle Supplier")

    accounts = owner_api.get(ACCOUNTS).json()["results"]
    assert len(accounts) == 2
    owing = owner_api.get(ACCOUNTS, {"owing": "true"}).json()["results"]
    assert [a["name"] for a in owing] == ["Moulins Réunis"]
    account = owner_api.get(f"{ACCOUNTS}{supplier.pk}/").json()
    assert account | {"id": None} == {
        "id": None, "name": "Moulins Réunis", "is_active": True, "ordered": "30.00",
        "received": "30.00", "invoiced": "30.00", "paid": "12.50", "owed": "17.50",
        "overdue": "0.00", "on_account": "0.00",
    }  # fmt: skip

    rows = owner_api.get(PERFORMANCE).json()
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(supplier.pk)
    assert row["date_to"] == today.isoformat()
    assert row["date_from"] == (today - datetime.timedelta(days=89)).isoformat()
    assert (row["on_time_rate"], row["lead_time_days"], row["fill_rate"], row["spend"]) == (
        "100.0", "2.0", "100.0", "30.00",
    )  # fmt: skip
    assert (row["receipt_lines"], row["on_time_lines"], row["orders"]) == (1, 1, 1)
    assert (
        owner_api.get(PERFORMANCE, {"date_from": "2020-01-01", "date_to": "2020-01-31"}).json()
        == []
    )
    bad = owner_api.get(PERFORMANCE, {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()["error"]["fields"]
    assert (
        owner_api.get(PERFORMANCE, {"date_from": "2010-01-01", "date_to": "2026-01-01"}).status_code
        == 400
    )
    assert owner_api.get(PERFORMANCE, {"supplier": str(uuid.uuid4())}).status_code == 404


def test_another_business_gets_404_for_every_object_and_sees_nothing(owner, other_owner, supplier):
    invoice = services_bills.supplier_invoice_record(
        business=owner.business, actor=owner.user, supplier=supplier, number="T",
        issued_on=_today(owner), total=Decimal("10"),
    )  # fmt: skip
    payment = services_bills.supplier_payment_record(
        business=owner.business, actor=owner.user, supplier=supplier, invoice=invoice,
        amount=Decimal("5"), method="cash", paid_on=_today(owner),
    )  # fmt: skip
    theirs = api_client_for(other_owner)
    assert theirs.get(f"{INVOICES}{invoice.pk}/").status_code == 404
    assert theirs.get(f"{PAYMENTS}{payment.pk}/").status_code == 404
    assert theirs.get(f"{ACCOUNTS}{supplier.pk}/").status_code == 404
    assert theirs.post(f"{PAYMENTS}{payment.pk}/reverse/", {"reason": "x"}).status_code == 404
    for url in (INVOICES, PAYMENTS, ACCOUNTS):
        assert theirs.get(url).json()["results"] == []
    assert theirs.get(PERFORMANCE).json() == []
    response = theirs.post(
        PAYMENTS, {"invoice": str(invoice.pk), "amount": "1", "method": "cash"}, format="json"
    )
    assert response.status_code == 404
    response = theirs.post(
        INVOICES,
        {"supplier": str(supplier.pk), "number": "Z", "issued_on": "2026-01-01", "total": "1"},
        format="json",
    )
    assert response.status_code == 404
    assert SupplierPayment.objects.count() == 1 and SupplierInvoice.objects.count() == 1
    assert theirs.get(INVOICES, {"supplier": str(supplier.pk)}).status_code == 404


def test_read_only_staff_can_read_but_not_write(owner, member_factory, supplier):
    staff = api_client_for(member_factory(role=Role.STAFF))
    assert staff.get(INVOICES).status_code == 200
    response = staff.post(
        INVOICES,
        {"supplier": str(supplier.pk), "number": "Z", "issued_on": "2026-01-01", "total": "1"},
        format="json",
    )
    assert response.status_code == 403
    cashier = api_client_for(member_factory(role=Role.CASHIER))
    assert cashier.get(PERFORMANCE).status_code == 403


@pytest.mark.parametrize("url", [INVOICES, PAYMENTS, ACCOUNTS, PERFORMANCE])
def test_list_endpoints_keep_a_constant_number_of_queries(
    owner_api, owner, url, django_assert_max_num_queries
):
    flour = make_product(owner, "Flour", "F")
    today = _today(owner)

    def grow(start, n):
        for i in range(start, start + n):
            s = make_supplier(owner, f"Supplier {i}")
            invoice = services_bills.supplier_invoice_record(
                business=owner.business, actor=owner.user, supplier=s, number=f"N{i}",
                issued_on=today, total=Decimal("10"),
            )  # fmt: skip
            services_bills.supplier_payment_record(
                business=owner.business, actor=owner.user, supplier=s, invoice=invoice,
                amount=Decimal("4"), method="bank", paid_on=today,
            )  # fmt: skip
            po, (line,) = make_po(owner, s, [(flour, 5, "1.00")], ordered_on=today)
            receive(owner, po, at("Europe/Brussels", today), {line: 5})

    grow(0, 2)
    owner_api.get(url)
    with django_assert_max_num_queries(15) as small:
        assert owner_api.get(url).status_code == 200
    grow(2, 18)
    with django_assert_max_num_queries(15) as big:
        body = owner_api.get(url).json()
    assert len(body if isinstance(body, list) else body["results"]) == 20
    assert len(big.captured_queries) == len(small.captured_queries)


def test_both_demo_businesses_have_rows_in_every_list_and_keep_them_apart():
    """The tenant-isolation walk needs rows for both demo businesses in every list."""
    from hanout.accounts.models import Membership
    from hanout.demo import load_demo

    load_demo()
    ids = {}
    for name in ("Boulangerie Kaching", "Alma7al"):
        owner = Membership.objects.get(business__name=name, role=Role.OWNER)
        api = api_client_for(owner)
        ids[name] = {}
        for url in (INVOICES, PAYMENTS, ACCOUNTS, PERFORMANCE):
            body = api.get(url).json()
            rows = body if isinstance(body, list) else body["results"]
            assert rows, f"{name} has no rows at {url}"
            ids[name][url] = {r["id"] for r in rows}
        statuses = {i["status"] for i in api.get(INVOICES).json()["results"]}
        assert {"paid", "open", "overdue"} <= statuses
        assert any(p["reverses"] for p in api.get(PAYMENTS).json()["results"])
    for url in (INVOICES, PAYMENTS, ACCOUNTS, PERFORMANCE):
        assert not ids["Boulangerie Kaching"][url] & ids["Alma7al"][url]
    # Loading again changes nothing.
    count = SupplierInvoice.objects.count()
    load_demo()
    assert SupplierInvoice.objects.count() == count
