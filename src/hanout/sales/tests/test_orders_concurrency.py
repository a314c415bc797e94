"""Customer orders racing for the same stock on real connections (PostgreSQL, threads).

Each thread has its own database connection; the exact final state is asserted.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from hanout.inventory.ledger import InsufficientStock
from hanout.inventory.models import StockMovement
from hanout.sales import services_orders as orders
from hanout.sales.models import OrderLine, OrderStatus, OrderStatusChange
from hanout.sales.tests.orders_support import level, make_customer, make_order, make_till
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]
D = Decimal


def test_two_orders_of_two_for_the_last_three_units_one_confirms_one_is_told_why():
    till = make_till(quantity="3")
    customer = make_customer(till)
    both = [make_order(till, customer, ("cafe", 2)) for _ in range(2)]

    results, errors, crashes = race(
        2, lambda i: orders.order_confirm(order=both[i], actor=till.user)
    )

    assert crashes == []
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], InsufficientStock)
    assert "Café" in errors[0].message and "1 available, 2 asked" in errors[0].message
    cafe = level(till, "cafe")
    assert (cafe.quantity, cafe.reserved, cafe.available) == (D(3), D(2), D(1))
    winner = results[0].pk
    statuses = {o.pk: o.status for o in type(both[0]).objects.filter(pk__in=[o.pk for o in both])}
    assert sorted(statuses.values()) == [OrderStatus.CONFIRMED, OrderStatus.DRAFT]
    assert statuses[winner] == OrderStatus.CONFIRMED
    loser = next(o.pk for o in both if o.pk != winner)
    assert OrderLine.objects.get(order_id=loser).reserved_quantity == 0
    assert OrderStatusChange.objects.filter(order_id=loser).count() == 1  # created only
    assert not StockMovement.objects.filter(reason="sale").exists()


def test_eight_orders_of_one_for_five_units_confirm_exactly_five():
    till = make_till(quantity="5")
    customer = make_customer(till)
    many = [make_order(till, customer, ("deo", 1), ("cafe", 1)) for _ in range(8)]

    results, errors, crashes = race(
        8, lambda i: orders.order_confirm(order=many[i], actor=till.user)
    )

    assert crashes == []
    assert len(results) == 5 and len(errors) == 3
    assert all(isinstance(e, InsufficientStock) for e in errors)
    assert level(till, "deo").reserved == D(5) and level(till, "cafe").reserved == D(5)


def test_shipping_and_a_register_sale_at_once_never_deadlock_and_stock_adds_up():
    """Ship an order (reserved stock) while the register sells the free units, a
    delivery of café is received and another order is cancelled: no deadlock, and
    the levels end exactly where the ledger says."""
    from hanout.pos.tests.factories import open_session, sell, stock

    till = make_till(quantity="10")
    open_session(till)
    customer = make_customer(till)
    shipping = make_order(till, customer, ("cafe", 4), ("deo", 2))
    cancelling = make_order(till, customer, ("deo", 3), ("cafe", 1))
    for order in (shipping, cancelling):
        orders.order_confirm(order=order, actor=till.user)

    jobs = [
        lambda: orders.order_ship(order=shipping, actor=till.user),
        lambda: orders.order_cancel(order=cancelling, actor=till.user),
        lambda: sell(till, ("deo", 2), ("cafe", 3)),
        lambda: stock(till, till["cafe"], "5"),
    ]
    results, errors, crashes = race(4, lambda i: jobs[i]())

    assert crashes == [] and errors == []
    cafe, deo = level(till, "cafe"), level(till, "deo")
    assert (cafe.quantity, cafe.reserved) == (D(8), D(0))  # 10 − 4 shipped − 3 sold + 5
    assert (deo.quantity, deo.reserved) == (D(6), D(0))
    for lvl in (cafe, deo):
        moved = StockMovement.objects.filter(product_id=lvl.product_id, location=till.location)
        assert sum(m.quantity for m in moved) == lvl.quantity
