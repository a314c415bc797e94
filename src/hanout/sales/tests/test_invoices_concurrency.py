"""200 invoices issued at once get 200 distinct consecutive numbers, with no gap.

On PostgreSQL: 40 real threads (each its own connection) start at a barrier
and issue the invoices of 200 tickets between them; then 20 of them are
retried with the same keys at once. On SQLite: the same code, where BEGIN
IMMEDIATE serialises the writers.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from hanout.core.models import DocumentSequence
from hanout.sales.models import Invoice, InvoiceKind
from hanout.sales.services_invoices import invoice_issue_for_sale
from hanout.sales.tests.invoices_support import make_till, open_session, sell
from tests.concurrency import race
from tests.factories import make_business

pytestmark = [pytest.mark.django_db(transaction=True)]
N = 200


def test_200_concurrent_invoices_get_200_consecutive_numbers():
    owner = make_business("Race Invoices")
    till = make_till(owner, quantity="1000")
    open_session(till)
    sales = [sell(till, "croissant") for _ in range(N)]
    keys = [uuid.uuid4() for _ in range(N)]
    # PostgreSQL: 40 threads, each its own connection, issuing 5 invoices each (200 threads
    # would need 200 server connections: above a default max_connections of 100).
    # SQLite in memory is one shared connection: one thread (the writes are serialised anyway).
    threads = 40 if connection.vendor == "postgresql" else 8
    if connection.vendor != "postgresql" and "memory" in str(connection.settings_dict["NAME"]):
        threads = 1

    results, errors, crashes = race(
        N,
        lambda i: invoice_issue_for_sale(sale=sales[i], actor=till.user, client_uuid=keys[i]),
        threads=threads,
    )

    assert crashes == []
    assert errors == []
    numbers = sorted(
        Invoice.objects.filter(business=till.business, kind=InvoiceKind.INVOICE).values_list(
            "number", flat=True
        )
    )
    assert numbers == list(range(1, N + 1))
    assert len({r.pk for r in results}) == N
    assert DocumentSequence.objects.get(business=till.business, key="invoice").last_value == N

    # Retrying any of them with its key, at once, returns the same invoices and takes no number.
    again, errors, crashes = race(
        20,
        lambda i: invoice_issue_for_sale(sale=sales[i], actor=till.user, client_uuid=keys[i]),
        threads=threads if threads < 20 else 20,
    )
    assert crashes == [] and errors == []
    assert Invoice.objects.filter(business=till.business).count() == N
    assert DocumentSequence.objects.get(business=till.business, key="invoice").last_value == N


@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks")
def test_the_same_ticket_invoiced_from_ten_places_at_once_gives_one_invoice():
    owner = make_business("Race One Ticket")
    till = make_till(owner)
    open_session(till)
    sale = sell(till, "croissant", "deo")

    results, errors, crashes = race(
        10, lambda i: invoice_issue_for_sale(sale=sale, actor=till.user)
    )

    assert crashes == []
    assert len(results) == 1 and len(errors) == 9
    assert all(e.code == "already_invoiced" for e in errors)
    assert Invoice.objects.filter(sale=sale).count() == 1
    assert DocumentSequence.objects.get(business=till.business, key="invoice").last_value == 1
