"""Races on the stock ledger between real connections (PostgreSQL row locks).

Each thread has its own database connection; the exact final state is asserted.
Skipped on SQLite, where BEGIN IMMEDIATE serialises every write transaction.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from hanout.inventory import services
from hanout.inventory.models import MovementReason, StockLevel, StockMovement
from hanout.inventory.services import InsufficientStock, MoveLine
from hanout.inventory.tests.stockdata import level_of, make_location, make_product
from tests.concurrency import race as _race
from tests.factories import make_business


def race(n, fn):
    """A refusal here is running out of stock; anything else is a crash."""
    return _race(n, fn, expected=InsufficientStock)


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]

D = Decimal


@pytest.fixture
def shop():
    owner = make_business("Race Bakery")
    business = owner.business
    floor = make_location(business, default=True)
    back = make_location(business, "Back room")
    return business, owner.user, floor, back


def sell_one(business, actor, product, location):
    return services.stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(product, location, D(-1))],
        reason=MovementReason.SALE,
    )


def test_fifty_buyers_for_ten_croissants_exactly_ten_are_served(shop):
    business, actor, floor, _ = shop
    croissant = make_product(business, "Croissant")
    services.stock_receive(
        business=business, actor=actor, product=croissant, location=floor, quantity=D(10)
    )

    results, errors, crashes = race(50, lambda i: sell_one(business, actor, croissant, floor))

    assert crashes == []
    assert len(results) == 10 and len(errors) == 40
    assert all(e.code == "insufficient_stock" and "Croissant" in e.message for e in errors)
    assert level_of(croissant, floor) == 0
    sales = StockMovement.objects.filter(product=croissant, reason=MovementReason.SALE)
    assert sales.count() == 10
    # Every balance from 9 down to 0 appears once: no two sales saw the same level.
    assert sorted(sales.values_list("balance_after", flat=True)) == [D(n) for n in range(10)]


def test_a_transfer_racing_sales_never_oversells(shop):
    business, actor, floor, back = shop
    cafe = make_product(business, "Café")
    services.stock_receive(
        business=business, actor=actor, product=cafe, location=floor, quantity=D(10)
    )

    def act(i):
        if i == 0:
            return services.stock_transfer(
                business=business,
                actor=actor,
                product=cafe,
                from_location=floor,
                to_location=back,
                quantity=D(5),
            )
        return sell_one(business, actor, cafe, floor)

    results, errors, crashes = race(21, act)

    assert crashes == []
    transferred = any(isinstance(r, tuple) for r in results)
    sales = StockMovement.objects.filter(product=cafe, reason=MovementReason.SALE).count()
    # 20 buyers want more than there is: the floor always ends empty.
    assert level_of(cafe, floor) == 0
    assert level_of(cafe, back) == (5 if transferred else 0)
    assert sales == (5 if transferred else 10)
    assert len(results) + len(errors) == 21
    for level in StockLevel.objects.filter(product=cafe):
        total = StockMovement.objects.filter(product=cafe, location=level.location).aggregate(
            s=Sum("quantity")
        )["s"]
        assert level.quantity == total


def test_baskets_with_the_same_products_in_opposite_orders_never_deadlock(shop):
    business, actor, floor, _ = shop
    bread, milk = make_product(business, "Bread"), make_product(business, "Milk")
    for product in (bread, milk):
        services.stock_receive(
            business=business, actor=actor, product=product, location=floor, quantity=D(200)
        )

    def basket(i):
        order = (bread, milk) if i == 0 else (milk, bread)
        return services.stock_apply(
            business=business,
            actor=actor,
            lines=[MoveLine(p, floor, D(-1)) for p in order],
            reason=MovementReason.SALE,
        )

    crashes = []
    for _round in range(100):
        results, errors, failed = race(2, basket)
        crashes += failed
        assert len(results) == 2 and errors == []
    assert crashes == []
    assert level_of(bread, floor) == level_of(milk, floor) == 0
    assert StockMovement.objects.filter(reason=MovementReason.SALE).count() == 400


def test_the_same_client_uuid_sent_eight_times_at_once_posts_once(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    key = uuid.uuid4()

    results, errors, crashes = race(
        8,
        lambda i: services.stock_receive(
            business=business,
            actor=actor,
            product=p,
            location=floor,
            quantity=D(3),
            client_uuid=key,
        ),
    )

    assert crashes == [] and errors == []
    assert len({m.pk for m in results}) == 1
    assert level_of(p, floor) == 3
    assert StockMovement.objects.filter(product=p).count() == 1


def test_new_levels_made_at_the_same_moment_are_made_once(shop):
    business, actor, floor, _ = shop
    p = make_product(business)

    results, errors, crashes = race(
        10,
        lambda i: services.stock_receive(
            business=business, actor=actor, product=p, location=floor, quantity=D(1)
        ),
    )

    assert crashes == [] and len(results) == 10
    assert StockLevel.objects.filter(product=p, location=floor).count() == 1
    assert level_of(p, floor) == 10
