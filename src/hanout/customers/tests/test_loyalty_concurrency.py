"""Two registers redeeming the same customer's points at once (PostgreSQL, real
threads on their own connections): they can never spend more than the balance."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from hanout.customers import services_loyalty as loyalty
from hanout.customers.models import Customer, LoyaltyEntry
from hanout.customers.tests.crm_support import loyalty_on, make_customer
from tests.concurrency import race
from tests.factories import make_business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


def test_four_registers_redeeming_at_once_cannot_overspend():
    owner = make_business("Race Shop")
    loyalty_on(owner)
    customer = make_customer(owner)
    loyalty.loyalty_adjust(customer=customer, actor=owner.user, points=100, reason="Start")

    results, errors, crashes = race(
        4,
        lambda i: loyalty.loyalty_redeem(
            customer=Customer.objects.get(pk=customer.pk),
            points=40,
            reference=f"R{i}",
            client_uuid=uuid.uuid4(),
        ),
    )
    assert crashes == []

    assert len(results) == 2 and len(errors) == 2
    assert all("Not enough points" in str(e) for e in errors)
    customer.refresh_from_db()
    assert customer.loyalty_points == 20
    entries = list(LoyaltyEntry.objects.filter(customer=customer).order_by("created_at"))
    assert [e.balance_after for e in entries] == [100, 60, 20]
    assert sum(e.points for e in entries) == 20


def test_the_same_redemption_sent_twice_at_once_is_spent_once():
    owner = make_business("Retry Shop")
    loyalty_on(owner)
    customer = make_customer(owner)
    loyalty.loyalty_adjust(customer=customer, actor=owner.user, points=50, reason="Start")
    key = uuid.uuid4()

    results, errors, crashes = race(
        3,
        lambda i: loyalty.loyalty_redeem(
            customer=Customer.objects.get(pk=customer.pk),
            points=30,
            reference="B-1",
            client_uuid=key,
        ),
    )
    assert crashes == []

    assert errors == [] and len({r.pk for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True]
    customer.refresh_from_db()
    assert customer.loyalty_points == 20
