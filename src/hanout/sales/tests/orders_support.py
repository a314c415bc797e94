"""Builders for the customer-order tests, through the real services.

till = make_till(quantity="10")        # business, shop, location, 5 products in stock
customer = make_customer(till)
order = make_order(till, customer, ("cafe", 2), ("deo", 1))
order_confirm(order=order, actor=till.user)
"""

from __future__ import annotations

from decimal import Decimal

from hanout.customers import services as customers
from hanout.inventory.models import StockLevel
from hanout.pos.tests.factories import (  # noqa: F401  (re-exported for the tests)
    Till,
    make_product,
    make_till,
    stock,
)
from hanout.sales import services_orders as orders
from hanout.sales.services_orders import OrderLineInput

D = Decimal


def make_customer(till_or_business, name="Atelier Nour", **data):
    business = getattr(till_or_business, "business", till_or_business)
    actor = getattr(till_or_business, "user", None)
    return customers.customer_create(
        business=business,
        actor=actor,
        data={"name": name, "email": "compta@atelier-nour.test", **data},
    )


def make_order(till, customer, *items, **kwargs):
    """An order of `items` ((key or product, quantity)), from the till's location."""
    lines = []
    for item in items:
        product, qty = item[0], item[1]
        if isinstance(product, str):
            product = till[product]
        lines.append(OrderLineInput(product=product, quantity=D(str(qty))))
    return orders.order_create(
        business=till.business,
        actor=till.user,
        customer=customer,
        location=till.location,
        lines=lines,
        **kwargs,
    )


def level(till, key_or_product) -> StockLevel:
    product = till[key_or_product] if isinstance(key_or_product, str) else key_or_product
    return StockLevel.objects.get(product=product, location=till.location)
