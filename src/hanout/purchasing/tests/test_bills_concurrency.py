"""Races on supplier bills between real connections (PostgreSQL): exact final state."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from hanout.core.errors import Conflict, ValidationFailed
from hanout.purchasing import selectors_bills, services_bills
from hanout.purchasing.models import SupplierInvoice, SupplierPayment
from hanout.purchasing.tests.test_bills_support import make_supplier
from tests.concurrency import race
from tests.factories import make_business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


@pytest.fixture
def shop():
    owner = make_business("Race Bakery")
    supplier = make_supplier(owner, "Moulins Réunis")
    invoice = services_bills.supplier_invoice_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        number="R-1",
        issued_on=selectors_bills.local_today(owner.business),
        total=Decimal("100.00"),
    )
    return owner, supplier, invoice


def _pay(owner, supplier, invoice, amount="30.00", key=None):
    return services_bills.supplier_payment_record(
        business=owner.business,
        actor=owner.user,
        supplier=supplier,
        invoice=invoice,
        amount=Decimal(amount),
        method="bank",
        paid_on=selectors_bills.local_today(owner.business),
        client_uuid=key,
    )


def test_six_clerks_paying_30_on_a_bill_of_100_at_once_never_overpay_it(shop):
    owner, supplier, invoice = shop
    results, errors, crashes = race(6, lambda i: _pay(owner, supplier, invoice))
    assert crashes == []
    assert len(results) == 3 and len(errors) == 3
    assert all(isinstance(e, ValidationFailed) and "amount" in e.fields for e in errors)
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("90.00")
    assert sum(p.amount for p in SupplierPayment.objects.all()) == Decimal("90.00")


def test_one_client_uuid_sent_twice_at_once_makes_one_payment(shop):
    owner, supplier, invoice = shop
    key = uuid.uuid4()
    results, errors, crashes = race(2, lambda i: _pay(owner, supplier, invoice, key=key))
    assert crashes == []
    assert errors == [] and len({p.pk for p in results}) == 1
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("30.00")
    assert SupplierPayment.objects.count() == 1


def test_two_reversals_of_one_payment_at_once_make_one(shop):
    owner, supplier, invoice = shop
    payment = _pay(owner, supplier, invoice, "100.00")
    results, errors, crashes = race(
        2,
        lambda i: services_bills.supplier_payment_reverse(
            payment=payment, actor=owner.user, reason=f"clerk {i}"
        ),
    )
    assert crashes == []
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Conflict)
    invoice.refresh_from_db()
    assert invoice.paid_total == 0
    assert SupplierPayment.objects.filter(reverses=payment).count() == 1


def test_the_same_supplier_number_typed_twice_at_once_is_recorded_once(shop):
    owner, supplier, _ = shop
    results, errors, crashes = race(
        2,
        lambda i: services_bills.supplier_invoice_record(
            business=owner.business,
            actor=owner.user,
            supplier=supplier,
            number="SAME-1" if i else "same-1",
            issued_on=selectors_bills.local_today(owner.business),
            total=Decimal("10.00"),
        ),
    )
    assert crashes == []
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Conflict)
    assert SupplierInvoice.objects.filter(number__iexact="same-1").count() == 1
