"""Supplier invoices and payments through the services: the rules a shop owner relies on."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.purchasing import selectors_bills, services_bills
from hanout.purchasing.models import POStatus, SupplierInvoice, SupplierPayment
from hanout.purchasing.tests.test_bills_support import (
    JPEG,
    PDF,
    PNG,
    at,
    make_po,
    make_product,
    make_supplier,
    pdf_upload,
    receive,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = None  # set per test from the shop's clock


def _today(owner):
    return selectors_bills.local_today(owner.business)


def _bill(owner, supplier, number="F-2026-001", total="120.00", **kw):
    kw.setdefault("issued_on", _today(owner) - datetime.timedelta(days=10))
    return services_bills.supplier_invoice_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        number=number,
        total=Decimal(total),
        **kw,
    )


def _pay(owner, supplier, amount, invoice=None, **kw):
    kw.setdefault("paid_on", _today(owner))
    kw.setdefault("method", "bank")
    return services_bills.supplier_payment_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        amount=Decimal(amount),
        invoice=invoice,
        **kw,
    )


@pytest.fixture
def supplier(owner):
    return make_supplier(owner, "Moulins Réunis")


# --- invoices ----------------------------------------------------------------------------------


def test_an_invoice_is_recorded_with_its_scan_and_audited(owner, supplier):
    invoice = _bill(
        owner,
        supplier,
        total="121.00",
        tax_total="21.00",
        due_on=_today(owner) + datetime.timedelta(days=20),
        attachment=pdf_upload("Scan Facture.PDF"),
        note="Farine de mars",
    )
    invoice.refresh_from_db()
    assert (invoice.total, invoice.tax_total, invoice.paid_total) == (
        Decimal("121.000"),
        Decimal("21.000"),
        Decimal("0.000"),
    )
    assert invoice.attachment.name == f"supplier-invoices/{invoice.pk}.pdf"
    assert invoice.attachment.read() == PDF
    assert services_bills.attachment_content_type(invoice) == "application/pdf"
    entry = AuditEntry.objects.get(action="supplier_invoice.record", object_id=str(invoice.pk))
    assert entry.changes["total"] == [None, "121.000"]
    assert entry.changes["attachment"] == [None, "Scan Facture.PDF"]


def test_amounts_are_rounded_to_the_currency(owner, supplier):
    invoice = _bill(owner, supplier, total="10.005", tax_total="1.7349")
    assert (invoice.total, invoice.tax_total) == (Decimal("10.01"), Decimal("1.73"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"total": "0"}, "total"),
        ({"total": "-5"}, "total"),
        ({"total": "1000000000"}, "total"),
        ({"total": "NaN"}, "total"),
        ({"total": "abc"}, "total"),
        ({"tax_total": "130"}, "tax_total"),
        ({"tax_total": "-1"}, "tax_total"),
        ({"number": "   "}, "number"),
        ({"number": "x" * 65}, "number"),
        ({"issued_on": D(1999, 12, 31)}, "issued_on"),
        ({"issued_on": "2026-02-30"}, "issued_on"),
        ({"note": "n" * 501}, "note"),
    ],
)
def test_bad_invoice_input_is_refused_naming_the_field_and_nothing_is_written(
    owner, supplier, changes, field
):
    data = {"number": "F-1", "total": "120.00"} | changes
    with pytest.raises(ValidationFailed) as caught:
        services_bills.supplier_invoice_record(
            business=owner.business,
            actor=owner.user,
            supplier=supplier,
            issued_on=changes.get("issued_on", _today(owner)),
            **{k: v for k, v in data.items() if k != "issued_on"},
        )
    assert field in caught.value.fields
    assert not SupplierInvoice.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="supplier_invoice").exists()


def test_an_invoice_dated_in_the_future_or_due_before_it_was_issued_is_refused(owner, supplier):
    with pytest.raises(ValidationFailed) as caught:
        _bill(owner, supplier, issued_on=_today(owner) + datetime.timedelta(days=5))
    assert "issued_on" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        _bill(owner, supplier, due_on=_today(owner) - datetime.timedelta(days=30))
    assert "due_on" in caught.value.fields
    assert not SupplierInvoice.objects.exists()


def test_the_same_supplier_number_twice_is_a_conflict_whatever_the_case(owner, supplier):
    _bill(owner, supplier, number="F-2026-001")
    with pytest.raises(Conflict) as caught:
        _bill(owner, supplier, number="f-2026-001")
    assert "number" in caught.value.fields
    # Another supplier may use the same number.
    _bill(owner, make_supplier(owner, "Halles du Nord"), number="F-2026-001")
    assert SupplierInvoice.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("invoice.pdf", PNG, "application/pdf"),  # a PNG that says it is a PDF
        ("invoice.png", PDF, "image/png"),  # a PDF that says it is a PNG
        ("invoice.pdf", PDF, "text/html"),  # right bytes, lying type
        ("invoice.exe", PDF, "application/octet-stream"),
        ("invoice.pdf", PDF[:40], "application/pdf"),  # cut short: no %%EOF
        ("invoice.jpg", JPEG[:-2], "image/jpeg"),
        ("invoice.pdf", b"", "application/pdf"),
        ("invoice.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    ],
)
def test_a_scan_that_lies_about_its_type_is_refused(owner, supplier, name, content, content_type):
    with pytest.raises(ValidationFailed) as caught:
        _bill(owner, supplier, attachment=pdf_upload(name, content, content_type))
    assert "attachment" in caught.value.fields
    assert not SupplierInvoice.objects.exists()


def test_a_scan_too_large_is_refused(owner, supplier, monkeypatch):
    monkeypatch.setattr(services_bills, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(ValidationFailed, match="larger than"):
        _bill(owner, supplier, attachment=pdf_upload(content=PDF + b" " * 200 + b"%%EOF"))


@pytest.mark.parametrize(
    ("name", "content", "content_type", "ext"),
    [("photo.JPEG", JPEG, "image/jpeg", ".jpg"), ("scan.png", PNG, "image/png", ".png")],
)
def test_jpeg_and_png_scans_are_accepted(owner, supplier, name, content, content_type, ext):
    invoice = _bill(owner, supplier, attachment=pdf_upload(name, content, content_type))
    assert invoice.attachment.name.endswith(ext)


def test_an_invoice_for_a_po_must_be_for_a_sent_po_of_the_same_supplier(owner, supplier):
    flour = make_product(owner, "Flour", "F")
    other = make_supplier(owner, "Halles du Nord")
    po, _ = make_po(owner, supplier, [(flour, 10, "1.00")], ordered_on=_today(owner))
    draft, _ = make_po(owner, supplier, [(flour, 10, "1.00")], ordered_on=None,
                       status=POStatus.DRAFT)  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        _bill(owner, other, order=po)
    assert "order" in caught.value.fields
    with pytest.raises(ValidationFailed):
        _bill(owner, supplier, order=draft)
    invoice = _bill(owner, supplier, order=po)
    assert invoice.order == po


def test_another_business_supplier_or_po_is_not_found(owner, other_owner, supplier):
    theirs = make_supplier(other_owner, "Souk Fournitures")
    with pytest.raises(NotFound):
        _bill(owner, theirs)
    flour = make_product(other_owner, "Farine", "F")
    their_po, _ = make_po(other_owner, theirs, [(flour, 1, "1")], ordered_on=_today(other_owner))
    with pytest.raises(NotFound):
        _bill(owner, supplier, order=their_po)
    assert not SupplierInvoice.objects.exists()


def test_recording_twice_with_one_client_uuid_gives_the_first_invoice(owner, supplier):
    key = uuid.uuid4()
    first = _bill(owner, supplier, client_uuid=key)
    again = _bill(owner, supplier, client_uuid=key)
    assert again.pk == first.pk and SupplierInvoice.objects.count() == 1
    with pytest.raises(Conflict):
        _bill(owner, supplier, total="99.00", client_uuid=key)


# --- payments --------------------------------------------------------------------------------


def test_paying_an_invoice_in_two_goes_and_its_balance(owner, supplier):
    invoice = _bill(owner, supplier, total="120.00")
    _pay(owner, supplier, "50.00", invoice, method="cash")
    _pay(owner, supplier, "70.00", invoice, method="cheque", reference="CHQ 0042")
    invoice.refresh_from_db()
    assert (invoice.paid_total, invoice.balance) == (Decimal("120.000"), Decimal("0.000"))
    assert selectors_bills.supplier_invoice_list(business=owner.business, status="paid").count()


def test_paying_more_than_is_left_on_an_invoice_is_refused(owner, supplier):
    invoice = _bill(owner, supplier, total="120.00")
    _pay(owner, supplier, "100.00", invoice)
    with pytest.raises(ValidationFailed, match="20.00") as caught:
        _pay(owner, supplier, "20.01", invoice)
    assert "amount" in caught.value.fields
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("100.00")
    assert SupplierPayment.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"amount": "5000000000"}, "amount"),
        ({"method": "bitcoin"}, "method"),
        ({"paid_on": D(2100, 1, 1)}, "paid_on"),
        ({"reference": "r" * 121}, "reference"),
    ],
)
def test_bad_payment_input_is_refused(owner, supplier, changes, field):
    amount = changes.pop("amount", "10")
    with pytest.raises(ValidationFailed) as caught:
        _pay(owner, supplier, amount, **changes)
    assert field in caught.value.fields
    assert not SupplierPayment.objects.exists()


def test_an_invoice_of_another_supplier_or_business_is_refused(owner, other_owner, supplier):
    other = make_supplier(owner, "Halles du Nord")
    invoice = _bill(owner, other, total="50")
    with pytest.raises(ValidationFailed) as caught:
        _pay(owner, supplier, "10", invoice)
    assert "invoice" in caught.value.fields
    theirs = make_supplier(other_owner, "Souk")
    their_invoice = _bill(other_owner, theirs, total="50")
    with pytest.raises(NotFound):
        _pay(owner, supplier, "10", their_invoice)
    with pytest.raises(NotFound):
        _pay(owner, theirs, "10")
    assert not SupplierPayment.objects.exists()


def test_a_payment_is_idempotent_and_a_changed_retry_is_a_conflict(owner, supplier):
    invoice = _bill(owner, supplier, total="120.00")
    key = uuid.uuid4()
    first = _pay(owner, supplier, "50.00", invoice, client_uuid=key)
    again = _pay(owner, supplier, "50.00", invoice, client_uuid=key)
    assert again.pk == first.pk
    with pytest.raises(Conflict):
        _pay(owner, supplier, "60.00", invoice, client_uuid=key)
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("50.00")


def test_a_payment_is_reversed_not_edited_and_only_once(owner, supplier):
    invoice = _bill(owner, supplier, total="120.00")
    payment = _pay(owner, supplier, "120.00", invoice)
    reversal = services_bills.supplier_payment_reverse(
        payment=payment, actor=owner.user, reason="Paid the wrong invoice"
    )
    assert reversal.amount == Decimal("-120.00") and reversal.reverses == payment
    payment.refresh_from_db()
    assert payment.amount == Decimal("120.00")  # the original is untouched
    invoice.refresh_from_db()
    assert invoice.paid_total == 0
    with pytest.raises(Conflict):
        services_bills.supplier_payment_reverse(payment=payment, actor=owner.user, reason="again")
    with pytest.raises(Conflict):
        services_bills.supplier_payment_reverse(payment=reversal, actor=owner.user, reason="x")
    with pytest.raises(ValidationFailed) as caught:
        services_bills.supplier_payment_reverse(
            payment=_pay(owner, supplier, "5"), actor=owner.user, reason="  "
        )
    assert "reason" in caught.value.fields
    assert AuditEntry.objects.filter(action="supplier_payment.reverse").count() == 1


# --- the supplier's account and the recap ------------------------------------------------------


def test_the_account_of_a_supplier(owner, supplier):
    """Ordered 2 POs (100.00 + 40.00; a cancelled one of 500 does not count), received
    8 × 5.00 of the first, invoiced 100.00 (overdue, 30 paid) and 40.00 (not yet due),
    paid 30.00 on the first, 25.00 on account, and 10.00 reversed:
    paid = 30 + 25 + 10 − 10 = 55; owed = 140 − 55 = 85; overdue = 100 − 30 = 70."""
    today = _today(owner)
    flour = make_product(owner, "Flour", "F")
    po, (line,) = make_po(owner, supplier, [(flour, 20, "5.00")], ordered_on=today)
    make_po(owner, supplier, [(flour, 8, "5.00")], ordered_on=today)
    make_po(owner, supplier, [(flour, 100, "5.00")], ordered_on=today, status=POStatus.CANCELLED)
    receive(owner, po, at("Europe/Brussels", today), {line: 8})
    late = _bill(owner, supplier, "A-1", "100.00", due_on=today - datetime.timedelta(days=1))
    _bill(owner, supplier, "A-2", "40.00", due_on=today + datetime.timedelta(days=30))
    _pay(owner, supplier, "30.00", late)
    _pay(owner, supplier, "25.00")
    mistake = _pay(owner, supplier, "10.00", method="cash")
    services_bills.supplier_payment_reverse(payment=mistake, actor=owner.user, reason="typo")

    account = selectors_bills.supplier_account(business=owner.business, supplier=supplier)
    assert account.ordered == Decimal("140.00")
    assert account.received == Decimal("40.00")
    assert account.invoiced == Decimal("140.00")
    assert account.paid == Decimal("55.00")
    assert account.owed == Decimal("85.00")
    assert account.overdue == Decimal("70.00")
    assert account.on_account == Decimal("25.00")
    overdue = selectors_bills.supplier_invoice_list(business=owner.business, status="overdue")
    assert [i.number for i in overdue] == ["A-1"]


def test_the_recap_of_a_period_and_its_pie(owner, supplier):
    today = _today(owner)
    other = make_supplier(owner, "Halles du Nord")
    third = make_supplier(owner, "Épices Sarl")
    _bill(owner, supplier, "M-1", "300.00", issued_on=today - datetime.timedelta(days=3))
    _bill(owner, supplier, "M-0", "999.00", issued_on=today - datetime.timedelta(days=60))
    _bill(owner, other, "H-1", "100.00", issued_on=today - datetime.timedelta(days=2))
    _bill(owner, third, "E-1", "100.00", issued_on=today - datetime.timedelta(days=1))
    _pay(owner, other, "60.00", paid_on=today)
    recap = selectors_bills.supplier_recap(
        business=owner.business, date_from=today - datetime.timedelta(days=6), date_to=today
    )
    assert [(r.name, r.invoiced, r.share) for r in recap.rows] == [
        ("Moulins Réunis", Decimal("300.00"), Decimal("60.0")),
        ("Épices Sarl", Decimal("100.00"), Decimal("20.0")),
        ("Halles du Nord", Decimal("100.00"), Decimal("20.0")),
    ]
    assert (recap.invoiced, recap.paid) == (Decimal("500.00"), Decimal("60.00"))
    assert recap.owed_now == Decimal("1439.00")
    slices = selectors_bills.pie_slices(recap, limit=2, others_label="Others")
    assert slices == [("Moulins Réunis", Decimal("300.00")), ("Others", Decimal("200.00"))]


def test_lists_and_recap_keep_a_constant_number_of_queries(
    owner, supplier, django_assert_max_num_queries
):
    today = _today(owner)

    def read():
        invoices = list(selectors_bills.supplier_invoice_list(business=owner.business))
        payments = list(selectors_bills.supplier_payment_list(business=owner.business))
        accounts = list(selectors_bills.supplier_accounts(business=owner.business))
        for p in payments:
            _ = (p.supplier.name, p.invoice and p.invoice.number)
        for i in invoices:
            _ = (i.supplier.name, i.order)
        selectors_bills.supplier_recap(
            business=owner.business, date_from=today - datetime.timedelta(days=30), date_to=today
        )
        return len(invoices), len(accounts)

    def grow(n):
        for i in range(n):
            s = make_supplier(owner, f"Supplier {i} {uuid.uuid4().hex[:4]}")
            invoice = _bill(owner, s, f"N-{i}", "10.00")
            _pay(owner, s, "4.00", invoice)

    grow(2)
    with django_assert_max_num_queries(12):
        assert read()[0] == 2
    grow(18)
    with django_assert_max_num_queries(12):
        assert read()[0] == 20
