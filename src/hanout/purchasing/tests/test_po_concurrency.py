"""Receiving the same purchase order from several connections at once (PostgreSQL,
real threads): the PO row lock serialises the deliveries, so nothing is lost,
nothing is received twice past what was ordered, and the numbers stay gapless.

Skipped on SQLite, where BEGIN IMMEDIATE serialises every write transaction.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Sum

from hanout.inventory.models import StockMovement
from hanout.purchasing import services
from hanout.purchasing.models import POStatus, PurchaseOrder, PurchaseReceipt
from hanout.purchasing.tests.po_support import D, level_of, purchase_shop
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]


def test_ten_deliveries_at_once_all_count():
    shop = purchase_shop("Race Mill", n_products=2)
    a, b = shop.products
    order = shop.sent([100, 50])
    lines = {x.product_id: x.pk for x in order.lines.all()}

    def deliver(i):
        return services.purchase_order_receive(
            order=order, actor=shop.actor, lines={lines[a.pk]: D(10), lines[b.pk]: D(5)}
        )

    results, errors, crashes = race(10, deliver)
    assert (len(results), errors, crashes) == (10, [], [])
    order.refresh_from_db()
    assert order.status == POStatus.RECEIVED
    assert [x.received_quantity for x in order.lines.order_by("position")] == [D(100), D(50)]
    assert (level_of(a, shop.floor), level_of(b, shop.floor)) == (D(100), D(50))
    total = StockMovement.objects.filter(product=a).aggregate(s=Sum("quantity"))["s"]
    assert total == D(100)
    assert PurchaseReceipt.objects.filter(order=order).count() == 10
    statuses = list(order.events.values_list("status", flat=True))
    assert statuses.count("partial") == 9 and statuses.count("received") == 1
    a.refresh_from_db()
    assert a.cost == D("2.00")


def test_two_people_receiving_the_rest_at_once_one_is_told_it_is_too_much():
    shop = purchase_shop("Race Mill 2", n_products=1)
    (a,) = shop.products
    order = shop.sent([100])
    line = order.lines.get().pk

    def deliver(i):
        return services.purchase_order_receive(order=order, actor=shop.actor, lines={line: D(60)})

    results, errors, crashes = race(2, deliver)
    assert (len(results), len(errors), crashes) == (1, 1, [])
    assert errors[0].code == "over_receipt"
    order.refresh_from_db()
    assert order.lines.get().received_quantity == D(60)
    assert level_of(a, shop.floor) == D(60)
    assert order.status == POStatus.PARTIAL


def test_drafts_made_at_once_get_consecutive_numbers():
    shop = purchase_shop("Race Mill 3", n_products=1)

    def draft(i):
        return shop.draft([1]).number

    results, errors, crashes = race(12, draft)
    assert (errors, crashes) == ([], [])
    assert sorted(results) == list(range(1, 13))
    assert PurchaseOrder.objects.filter(business=shop.business).count() == 12


def test_cancel_racing_a_delivery_one_wins():
    shop = purchase_shop("Race Mill 4", n_products=1)
    order = shop.sent([10])
    line = order.lines.get().pk

    def act(i):
        if i == 0:
            return services.purchase_order_cancel(order=order, actor=shop.actor)
        return services.purchase_order_receive(order=order, actor=shop.actor, lines={line: D(4)})

    results, errors, crashes = race(2, act)
    assert (len(results), len(errors), crashes) == (1, 1, [])
    order.refresh_from_db()
    if order.status == POStatus.CANCELLED:
        assert not PurchaseReceipt.objects.filter(order=order).exists()
        assert level_of(shop.products[0], shop.floor) == 0
    else:
        assert order.status == POStatus.PARTIAL
        assert level_of(shop.products[0], shop.floor) == D(4)
