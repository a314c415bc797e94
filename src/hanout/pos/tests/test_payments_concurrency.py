"""Races on one payment link between real connections (PostgreSQL row locks):
exactly one outcome, one event, the exact final state."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from hanout.core.errors import DomainError
from hanout.core.events import _subscribers
from hanout.core.models import AuditEntry
from hanout.pos import services_payments as services
from hanout.pos.models import PaymentLink, PaymentLinkStatus
from hanout.pos.tests.payments_support import make_link, make_register, pay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


def race(fns):
    """Run each function in its own thread and connection, all at once."""
    barrier = threading.Barrier(len(fns))
    results, errors = [], []
    lock = threading.Lock()

    def run(fn):
        try:
            barrier.wait()
            out = fn()
            with lock:
                results.append(out)
        except DomainError as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.fixture
def events():
    seen = []
    names = ("payment.confirmed", "payment.cancelled")
    for name in names:
        _subscribers[name].append(seen.append)
    yield seen
    for name in names:
        _subscribers[name].remove(seen.append)


def test_four_confirmations_at_once_pay_the_link_once(owner, events):
    link = make_link(make_register(owner), owner.user)
    results, errors = race(
        [
            lambda i=i: services.payment_link_confirm(link=link, provider_reference=f"ref-{i}")
            for i in range(4)
        ]
    )
    assert errors == [] and len(results) == 4
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PAID
    assert {r.provider_reference for r in results} == {link.provider_reference}
    assert {r.paid_at for r in results} == {link.paid_at}
    assert [e.name for e in events] == ["payment.confirmed"]
    assert AuditEntry.objects.filter(action="payment_link.confirm").count() == 1


def test_the_customer_pays_while_the_cashier_cancels_one_of_them_wins(owner, events):
    link = make_link(make_register(owner), owner.user)
    results, errors = race(
        [lambda: pay(link), lambda: services.payment_link_cancel(link=link, actor=owner.user)]
    )
    link = PaymentLink.objects.get(pk=link.pk)
    assert len(results) == 1 and len(errors) == 1
    if link.status == PaymentLinkStatus.PAID:
        assert [e.name for e in events] == ["payment.confirmed"]
        assert "already made" in errors[0].message  # the cashier is told
    else:
        assert link.status == PaymentLinkStatus.CANCELLED
        assert [e.name for e in events] == ["payment.cancelled"]
        assert "cancelled" in errors[0].message  # the phone is told (and refunded)
