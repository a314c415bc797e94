"""Builders for the return tests: register tickets through the real register services,
and shipped customer orders.

A shipped order is made through the order services (`sales.services_orders`:
create, confirm, ship — partly when asked —, deliver), so the lines, the
reservation and the sale movements are what real use leaves.

    till = make_till()                 # business, shop, register, products in stock (50 each)
    open_session(till)
    sale = sell(till, ("croissant", 3), ("deo", 1))
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 4), ("deo", 2))
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from hanout.customers.models import Customer
from hanout.inventory.models import StockLevel
from hanout.pos.tests.factories import (  # noqa: F401  (re-exported for the tests)
    Till,
    make_product,
    make_till,
    open_session,
    sell,
)
from hanout.sales import services_returns as returns
from hanout.sales.models import CustomerOrder, OrderLine, OrderStatus

D = Decimal


def make_customer(business, name="Atelier Nour", **fields) -> Customer:
    defaults = {"is_company": True, "email": "compta@atelier-nour.test", "tax_id": "BE0123456789"}
    defaults.update(fields)
    return Customer.objects.create(
        business=business, name=name, search_text=name.lower(), **defaults
    )


def make_shipped_order(
    till: Till, customer: Customer, *items, shipped=None, status=None
) -> CustomerOrder:
    """An order of `items` ((key or product, quantity[, discount])) from the till's
    location, confirmed and shipped through the order services. `shipped` maps an
    item index to the quantity actually shipped (0: that line is not shipped);
    `status=DELIVERED` delivers a fully shipped order; CONFIRMED ships nothing."""
    from hanout.sales import services_orders as orders

    actor = till.user
    inputs = []
    for item in items:
        product, qty = item[0], D(str(item[1]))
        if isinstance(product, str):
            product = till[product]
        discount = D(str(item[2])) if len(item) > 2 else D(0)
        inputs.append(orders.OrderLineInput(product=product, quantity=qty, discount=discount))
    order = orders.order_create(
        business=till.business,
        actor=actor,
        customer=customer,
        lines=inputs,
        location=till.location,
        allow_price=True,
    )
    order = orders.order_confirm(order=order, actor=actor)
    if status == OrderStatus.CONFIRMED:
        return CustomerOrder.objects.get(pk=order.pk)
    lines = order_lines(order)
    wanted = {
        line.pk: D(str((shipped or {}).get(i, line.quantity))) for i, line in enumerate(lines)
    }
    wanted = {pk: qty for pk, qty in wanted.items() if qty > 0}
    if wanted:
        orders.order_ship(order=order, actor=actor, lines=wanted)
    if status == OrderStatus.DELIVERED:
        orders.order_deliver(order=order, actor=actor)
    return CustomerOrder.objects.get(pk=order.pk)


def level(till_or_business, product, location=None) -> Decimal:
    business = getattr(till_or_business, "business", till_or_business)
    location = location or till_or_business.location
    row = StockLevel.objects.filter(business=business, product=product, location=location).first()
    return row.quantity if row else D(0)


def take_back(
    till: Till,
    *,
    order=None,
    sale=None,
    lines,
    reason="Damaged in transit",
    refund_method="bank",
    client_uuid=None,
    actor=None,
    **kwargs,
):
    """`return_record` with the test's defaults; `lines` are (line, qty[, disposition])."""
    return returns.return_record(
        business=till.business,
        actor=actor or till.user,
        order=order,
        sale=sale,
        lines=[returns.ReturnLineInput(*item) for item in lines],
        reason=reason,
        refund_method=refund_method,
        client_uuid=client_uuid if client_uuid is not None else uuid.uuid4(),
        **kwargs,
    )


def order_lines(order) -> list[OrderLine]:
    return list(order.lines.order_by("position"))


def sale_lines(sale) -> list:
    return list(sale.lines.order_by("position"))
