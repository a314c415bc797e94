"""Issuing invoices and credit notes through the services: numbers, frozen details,
tax per rate, idempotency, refusals that write nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest

from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import AuditEntry, DocumentSequence
from hanout.sales.models import Invoice, InvoiceKind, InvoiceLine, OrderStatus
from hanout.sales.services_invoices import (
    CreditLine,
    credit_note_issue,
    credit_note_issue_for_invoice,
    invoice_issue_for_order,
    invoice_issue_for_sale,
)
from hanout.sales.tests.invoices_support import (
    make_customer,
    make_delivered_order,
    make_till,
    open_session,
    sell,
)
from tests.factories import make_business

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    owner = make_business("Kaching Test", currency="EUR", country="BE")
    business = owner.business
    business.legal_name = "Kaching SRL"
    business.legal_address = "Rue Neuve 1\n1000 Bruxelles"
    business.tax_id = "BE0999888777"
    business.registration_number = "RPM Bruxelles 0999.888.777"
    business.save()
    till = make_till(owner)
    open_session(till)
    return till


def test_a_ticket_invoice_copies_the_lines_and_sums_the_tax_per_rate(till):
    sale = sell(till, ("croissant", 3), ("deo", 2), ("cafe", 1, "0.50"))
    customer = make_customer(till.business)

    invoice = invoice_issue_for_sale(sale=sale, actor=till.user, customer=customer)

    assert invoice.kind == InvoiceKind.INVOICE
    assert invoice.number == 1
    assert invoice.reference == f"{invoice.year}-0001"
    lines = list(invoice.lines.all())
    assert [(x.name, x.quantity, x.total, x.tax_amount) for x in lines] == [
        ("Croissant", D(3), D("3.00"), D("0.17")),
        ("Déodorant CienMEN", D(2), D("9.00"), D("1.56")),
        ("Café", D(1), D("2.00"), D("0.11")),
    ]
    assert invoice.total == D("14.00") == sale.total
    assert invoice.tax_total == D("1.84")
    assert invoice.net_total == D("12.16")
    assert invoice.taxes == [
        {"rate": "6", "base": "4.72", "tax": "0.28", "total": "5.00"},
        {"rate": "21", "base": "7.44", "tax": "1.56", "total": "9.00"},
    ]
    assert invoice.seller["name"] == "Kaching SRL"
    assert invoice.seller["tax_id"] == "BE0999888777"
    assert invoice.buyer["name"] == "Atelier Nour"
    assert invoice.buyer["tax_id"] == "BE0123456789"
    assert invoice.customer == customer and invoice.sale == sale
    assert AuditEntry.objects.filter(action="invoice.issue", object_id=str(invoice.pk)).exists()


def test_legal_details_are_frozen_when_the_business_changes_them_later(till):
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    business = till.business
    business.legal_name = "Kaching Renamed SA"
    business.save()

    invoice.refresh_from_db()
    assert invoice.seller["name"] == "Kaching SRL"
    second = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    assert second.seller["name"] == "Kaching Renamed SA"
    assert second.number == invoice.number + 1


def test_numbers_restart_each_shop_local_year(till):
    # 31 Dec 23:30 UTC is already 1 January in Brussels (UTC+1).
    with mock.patch(
        "hanout.core.clock.now", return_value=datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    ):
        a = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
        b = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    with mock.patch(
        "hanout.core.clock.now", return_value=datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    ):
        c = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    assert (a.reference, b.reference, c.reference) == ("2026-0001", "2026-0002", "2027-0001")


def test_a_ticket_is_invoiced_once_and_a_retry_with_its_key_returns_the_first(till):
    sale = sell(till, "croissant")
    key = uuid.uuid4()
    first = invoice_issue_for_sale(sale=sale, actor=till.user, client_uuid=key)
    again = invoice_issue_for_sale(sale=sale, actor=till.user, client_uuid=key)
    assert again.pk == first.pk

    with pytest.raises(Conflict, match=first.reference):
        invoice_issue_for_sale(sale=sale, actor=till.user)
    with pytest.raises(Conflict) as exc:
        invoice_issue_for_sale(sale=sell(till, "pain"), actor=till.user, client_uuid=key)
    assert exc.value.code == "idempotency_conflict"
    assert Invoice.objects.count() == 1
    assert DocumentSequence.objects.get(business=till.business, key="invoice").last_value == 1


def test_what_the_register_took_back_is_not_invoiced(till):
    from hanout.pos.models import SaleLine

    sale = sell(till, ("croissant", 4, "0.40"), ("cafe", 1))
    SaleLine.objects.filter(sale=sale, position=2).update(returned_quantity=1)
    SaleLine.objects.filter(sale=sale, position=1).update(returned_quantity=1)

    invoice = invoice_issue_for_sale(sale=sale, actor=till.user)

    (line,) = invoice.lines.all()
    # 3 of 4 croissants: 3 × 1.00 − ¾ of the 0.40 discount.
    assert (line.quantity, line.discount, line.total, line.tax_amount) == (
        D(3),
        D("0.30"),
        D("2.70"),
        D("0.15"),
    )
    assert invoice.total == D("2.70")


def test_a_delivered_order_is_invoiced_with_its_delivery_address(till):
    customer = make_customer(till.business)
    order = make_delivered_order(till, customer, ("cafe", 3), ("deo", 2, "1.00"))

    invoice = invoice_issue_for_order(order=order, actor=till.user)

    assert invoice.order == order and invoice.customer == customer
    assert invoice.total == order.total == D("15.50")
    assert invoice.tax_total == order.tax_total
    assert [x.total for x in invoice.lines.all()] == [D("7.50"), D("8.00")]


def test_an_order_not_yet_delivered_cannot_be_invoiced(till):
    order = make_delivered_order(
        till, make_customer(till.business), ("cafe", 1), status=OrderStatus.SHIPPED
    )
    with pytest.raises(Conflict) as exc:
        invoice_issue_for_order(order=order, actor=till.user)
    assert exc.value.code == "order_not_delivered"
    assert not Invoice.objects.exists()
    assert not DocumentSequence.objects.filter(key="invoice", last_value__gt=0).exists()


def test_an_order_is_invoiced_once(till):
    order = make_delivered_order(till, make_customer(till.business), ("cafe", 1))
    key = uuid.uuid4()
    first = invoice_issue_for_order(order=order, actor=till.user, client_uuid=key)
    assert invoice_issue_for_order(order=order, actor=till.user, client_uuid=key) == first
    with pytest.raises(Conflict) as exc:
        invoice_issue_for_order(order=order, actor=till.user, client_uuid=uuid.uuid4())
    assert exc.value.code == "already_invoiced"
    assert Invoice.objects.count() == 1


def test_a_short_shipment_invoices_what_was_shipped(till):
    order = make_delivered_order(
        till, make_customer(till.business), ("cafe", 4), ("deo", 1), shipped={0: 3, 1: 0}
    )
    invoice = invoice_issue_for_order(order=order, actor=till.user)
    (line,) = invoice.lines.all()
    assert (line.name, line.quantity, line.total) == ("Café", D(3), D("7.50"))


def test_another_tenants_customer_is_not_found(till):
    other = make_business("Other", currency="MAD", country="MA", time_zone="Africa/Casablanca")
    stranger = make_customer(other.business, "Stranger")
    with pytest.raises(NotFound):
        invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user, customer=stranger)
    assert not Invoice.objects.exists()


# --- credit notes ----------------------------------------------------------------------------


def _credit_line(product, quantity, total, rate="6", tax=None):
    from hanout.core.tax import tax_inside

    total = D(total)
    return CreditLine(
        product=product,
        name=product.name,
        sku=product.sku,
        quantity=D(quantity),
        unit_price=product.sale_price,
        tax_rate=D(rate),
        total=total,
        tax_amount=D(tax) if tax is not None else tax_inside(total, D(rate), "EUR"),
    )


def test_a_credit_note_credits_an_invoice_with_its_own_numbers(till):
    customer = make_customer(till.business)
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("croissant", 3), ("deo", 2)), actor=till.user, customer=customer
    )

    note = credit_note_issue(
        business=till.business,
        actor=till.user,
        lines=[_credit_line(till["deo"], 1, "4.50", rate="21")],
        reason="Damaged",
        invoice=invoice,
    )

    assert note.kind == InvoiceKind.CREDIT_NOTE
    assert note.reference == f"AV-{note.year}-0001"
    assert note.credited_invoice == invoice and note.customer == customer
    assert note.buyer == invoice.buyer
    assert (note.total, note.tax_total) == (D("4.50"), D("0.78"))
    assert note.taxes == [{"rate": "21", "base": "3.72", "tax": "0.78", "total": "4.50"}]
    assert note.sale == invoice.sale
    # The invoice's own numbering is untouched.
    nxt = invoice_issue_for_sale(sale=sell(till, "pain"), actor=till.user)
    assert nxt.number == 2


def test_credit_notes_never_add_up_to_more_than_the_invoice(till):
    invoice = invoice_issue_for_sale(sale=sell(till, ("croissant", 3)), actor=till.user)
    credit_note_issue(
        business=till.business,
        actor=till.user,
        lines=[_credit_line(till["croissant"], 2, "2.00")],
        reason="Stale",
        invoice=invoice,
    )
    with pytest.raises(ValidationFailed) as exc:
        credit_note_issue(
            business=till.business,
            actor=till.user,
            lines=[_credit_line(till["croissant"], 2, "2.00")],
            reason="Stale",
            invoice=invoice,
        )
    assert exc.value.code == "credit_exceeds_invoice"
    assert "1.00" in exc.value.message
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_bad_credit_lines_are_refused_all_at_once_and_nothing_is_written(till):
    other = make_business("Other")
    from hanout.pos.tests.factories import make_product

    foreign = make_product(other.business, "Foreign")
    bad = [
        _credit_line(till["croissant"], 0, "1.00"),
        _credit_line(till["croissant"], 1, "1.00", tax="0.10"),
        _credit_line(foreign, 1, "1.00"),
        _credit_line(till["croissant"], 1, "1.005"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        credit_note_issue(business=till.business, actor=till.user, lines=bad, reason="x")
    messages = exc.value.fields["lines"]
    assert len(messages) == 4
    assert any("0.06" in m for m in messages)  # the tax it should have been
    with pytest.raises(ValidationFailed):
        credit_note_issue(business=till.business, actor=till.user, lines=[], reason="x")
    with pytest.raises(ValidationFailed) as exc:
        credit_note_issue(
            business=till.business,
            actor=till.user,
            lines=[_credit_line(till["croissant"], 1, "1.00")],
            reason="  ",
        )
    assert "reason" in exc.value.fields
    assert not Invoice.objects.exists()
    assert not InvoiceLine.objects.exists()


def test_a_credit_note_without_invoice_and_its_retry(till):
    customer = make_customer(till.business)
    key = uuid.uuid4()
    lines = [_credit_line(till["cafe"], 1, "2.50")]
    note = credit_note_issue(
        business=till.business,
        actor=till.user,
        lines=lines,
        reason="Goodwill",
        customer=customer,
        client_uuid=key,
    )
    again = credit_note_issue(
        business=till.business,
        actor=till.user,
        lines=lines,
        reason="Goodwill",
        customer=customer,
        client_uuid=key,
    )
    assert again.pk == note.pk
    assert note.buyer["name"] == customer.name
    with pytest.raises(Conflict):
        credit_note_issue(
            business=till.business,
            actor=till.user,
            lines=[_credit_line(till["cafe"], 2, "5.00")],
            reason="Goodwill",
            customer=customer,
            client_uuid=key,
        )


def test_another_tenants_invoice_cannot_be_credited(till):
    other = make_business("Other")
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    with pytest.raises(NotFound):
        credit_note_issue(
            business=other.business,
            actor=other.user,
            lines=[_credit_line(till["croissant"], 1, "1.00")],
            reason="x",
            invoice=invoice,
        )


def test_crediting_part_of_an_invoice_from_its_lines(till):
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("croissant", 4, "0.40"), ("deo", 1)), actor=till.user
    )
    first, second = invoice.lines.all()

    note = credit_note_issue_for_invoice(
        invoice=invoice, actor=till.user, reason="Two stale", lines={str(first.pk): "2"}
    )
    (line,) = note.lines.all()
    # Two of four croissants keep half of the 0.40 discount.
    assert (line.quantity, line.discount, line.total, line.tax_amount) == (
        D(2),
        D("0.20"),
        D("1.80"),
        D("0.10"),
    )
    with pytest.raises(ValidationFailed):  # all of it again would credit more than invoiced
        credit_note_issue_for_invoice(invoice=invoice, actor=till.user, reason="All back")
    rest = credit_note_issue_for_invoice(
        invoice=invoice,
        actor=till.user,
        reason="The rest",
        lines={str(first.pk): "2", str(second.pk): "1"},
    )
    assert note.total + rest.total == invoice.total
    with pytest.raises(ValidationFailed):
        credit_note_issue_for_invoice(
            invoice=invoice, actor=till.user, reason="x", lines={str(second.pk): "2"}
        )


def test_a_line_is_never_credited_twice_even_when_the_total_would_allow_it(till):
    invoice = invoice_issue_for_sale(sale=sell(till, ("croissant", 2), ("deo", 2)), actor=till.user)
    croissants = invoice.lines.get(position=1)
    credit_note_issue_for_invoice(
        invoice=invoice, actor=till.user, reason="Stale", lines={str(croissants.pk): "2"}
    )
    with pytest.raises(ValidationFailed, match="at most 0 left"):
        credit_note_issue_for_invoice(
            invoice=invoice, actor=till.user, reason="Stale", lines={str(croissants.pk): "1"}
        )
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_an_order_through_the_real_order_services_is_invoiced_once_delivered(till):
    from hanout.sales import services_orders as orders
    from hanout.sales.tests.orders_support import make_order

    order = make_order(till, make_customer(till.business), ("cafe", 3), ("deo", 1))
    orders.order_confirm(order=order, actor=till.user)
    orders.order_ship(order=order, actor=till.user)
    with pytest.raises(Conflict) as exc:
        invoice_issue_for_order(order=order, actor=till.user)
    assert exc.value.code == "order_not_delivered"
    orders.order_deliver(order=order, actor=till.user)
    order.refresh_from_db()

    invoice = invoice_issue_for_order(order=order, actor=till.user)

    assert invoice.total == order.total == D("12.00")
    assert invoice.tax_total == order.tax_total
    assert [x.quantity for x in invoice.lines.all()] == [D(3), D(1)]
