"""Customer orders through the services: prices, reservations, shipments, cancellation."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from hanout.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.inventory.ledger import InsufficientStock
from hanout.inventory.models import StockMovement
from hanout.sales import services_orders as orders
from hanout.sales.models import (
    CustomerOrder,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Shipment,
    ShipmentLine,
)
from hanout.sales.services_orders import OrderLineInput
from hanout.sales.tests.orders_support import level, make_customer, make_order, make_till
from tests.factories import make_business

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity="10")


@pytest.fixture
def customer(till):
    return make_customer(till, address="Rue Haute 5, 1000 Bruxelles")


def test_an_order_is_priced_from_the_catalog_with_the_tax_inside_each_line(till, customer):
    order = make_order(till, customer, ("cafe", 3), ("deo", 1))  # 2.50 @6 %, 4.50 @21 %
    lines = list(order.lines.order_by("position"))
    assert [(ln.name, ln.unit_price, ln.total, ln.tax_amount) for ln in lines] == [
        ("Café", D("2.500"), D("7.500"), D("0.420")),  # 7.50 × 6/106 = 0.4245… → 0.42
        ("Déodorant CienMEN", D("4.500"), D("4.500"), D("0.780")),  # 4.50 × 21/121 = 0.781…
    ]
    assert order.total == D("12.00") and order.tax_total == D("1.20")
    assert order.status == OrderStatus.DRAFT and order.number == 1
    assert order.reference == "SO-000001"
    assert order.shipping_address == "Rue Haute 5, 1000 Bruxelles"
    assert make_order(till, customer, ("cafe", 1)).number == 2
    assert OrderStatusChange.objects.filter(order=order, to_status="draft").count() == 1


def test_lines_can_name_a_product_by_its_barcode_or_sku(till, customer):
    order = orders.order_create(
        business=till.business,
        actor=till.user,
        customer=customer,
        location=till.location,
        lines=[OrderLineInput(code="1946753214860", quantity=2), OrderLineInput(code="7777")],
    )
    assert [ln.name for ln in order.lines.order_by("position")] == [
        "Pain au chocolat",
        "Déodorant CienMEN",
    ]


def test_a_given_price_needs_the_right_to_set_prices(till, customer):
    lines = [OrderLineInput(product=till["cafe"], quantity=2, unit_price="2.00", discount="0.50")]
    with pytest.raises(PermissionDenied) as exc:
        orders.order_create(business=till.business, actor=till.user, customer=customer, lines=lines)
    assert "lines[0].unit_price" in exc.value.fields
    order = orders.order_create(
        business=till.business, actor=till.user, customer=customer, lines=lines, allow_price=True
    )
    line = order.lines.get()
    assert (line.unit_price, line.discount, line.total) == (D("2.000"), D("0.500"), D("3.500"))
    assert order.discount_total == D("0.50")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (OrderLineInput(product=uuid.uuid4(), quantity=1), "lines[0].product"),
        (OrderLineInput(code="nope", quantity=1), "lines[0].code"),
        (OrderLineInput(product="cafe", quantity=0), "lines[0].quantity"),
        (OrderLineInput(product="cafe", quantity=-2), "lines[0].quantity"),
        (OrderLineInput(product="cafe", quantity="1.5"), "lines[0].quantity"),
        (OrderLineInput(product="cafe", quantity="abc"), "lines[0].quantity"),
        (OrderLineInput(product="cafe", quantity=10**12), "lines[0].quantity"),
        (OrderLineInput(product="cafe", quantity=1, unit_price="-1"), "lines[0].unit_price"),
        (OrderLineInput(product="cafe", quantity=1, discount="9"), "lines[0].discount"),
    ],
)
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_written(till, customer, line, field):
    if line.product == "cafe":
        line = OrderLineInput(
            product=till["cafe"],
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
        )
    with pytest.raises((ValidationFailed, NotFound)) as exc:
        orders.order_create(
            business=till.business,
            actor=till.user,
            customer=customer,
            lines=[line],
            allow_price=True,
        )
    assert field in exc.value.fields
    assert CustomerOrder.objects.count() == 0 and OrderLine.objects.count() == 0


def test_another_businesss_customer_product_or_location_is_not_found(till, customer):
    other = make_till(make_business("Other"), quantity="5")
    their_customer = make_customer(other, "Theirs")
    cases = [
        ({"customer": their_customer}, "customer"),
        ({"location": other.location}, "location"),
        ({"lines": [OrderLineInput(product=other["cafe"], quantity=1)]}, "lines[0].product"),
    ]
    for change, field in cases:
        kwargs = {"customer": customer, "lines": [OrderLineInput(product=till["cafe"])]} | change
        with pytest.raises(NotFound) as exc:
            orders.order_create(business=till.business, actor=till.user, **kwargs)
        assert field in exc.value.fields
    assert CustomerOrder.objects.count() == 0


def test_the_same_client_uuid_is_one_order_and_other_data_is_a_conflict(till, customer):
    key = uuid.uuid4()
    first = make_order(till, customer, ("cafe", 2), client_uuid=key)
    again = make_order(till, customer, ("cafe", 2), client_uuid=key)
    assert again.pk == first.pk and getattr(again, "replayed", False)
    with pytest.raises(Conflict):
        make_order(till, customer, ("cafe", 3), client_uuid=key)
    assert CustomerOrder.objects.count() == 1


def test_confirming_reserves_and_available_drops(till, customer):
    order = make_order(till, customer, ("cafe", 4), ("cafe", 2), ("deo", 1))
    orders.order_confirm(order=order, actor=till.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and order.confirmed_at is not None
    cafe = level(till, "cafe")
    assert (cafe.quantity, cafe.reserved, cafe.available) == (D(10), D(6), D(4))
    assert level(till, "deo").reserved == D(1)
    assert {ln.reserved_quantity for ln in order.lines.all()} == {D(4), D(2), D(1)}
    # Reserving moves no stock.
    assert not StockMovement.objects.filter(reason="sale").exists()


def test_a_second_order_cannot_reserve_what_the_first_holds_and_every_shortfall_is_named(
    till, customer
):
    first = make_order(till, customer, ("cafe", 8), ("deo", 9))
    orders.order_confirm(order=first, actor=till.user)
    second = make_order(till, customer, ("cafe", 3), ("deo", 2), ("pain", 1))
    with pytest.raises(InsufficientStock) as exc:
        orders.order_confirm(order=second, actor=till.user)
    names = {s["product_name"]: (s["available"], s["requested"]) for s in exc.value.shortfalls}
    assert names == {"Café": (D(2), D(3)), "Déodorant CienMEN": (D(1), D(2))}
    assert "Café" in exc.value.message and "2 available, 3 asked" in exc.value.message
    second.refresh_from_db()
    assert second.status == OrderStatus.DRAFT
    assert level(till, "cafe").reserved == D(8) and level(till, "pain").reserved == 0
    assert not second.lines.filter(reserved_quantity__gt=0).exists()


def test_cancelling_a_confirmed_order_releases_its_reservation(till, customer):
    order = make_order(till, customer, ("cafe", 6), ("deo", 2))
    orders.order_confirm(order=order, actor=till.user)
    orders.order_pick(order=order, actor=till.user)
    orders.order_cancel(order=order, actor=till.user, reason="Changed their mind")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    assert level(till, "cafe").reserved == 0 and level(till, "deo").reserved == 0
    assert level(till, "cafe").quantity == D(10)
    assert list(order.history.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "confirmed"),
        ("confirmed", "picking"),
        ("picking", "cancelled"),
    ]
    assert all(h.actor_id == till.user.pk for h in order.history.all()[1:])
    # The released stock can be promised again.
    again = make_order(till, customer, ("cafe", 10))
    orders.order_confirm(order=again, actor=till.user)


def test_partial_shipments_move_stock_and_release_exactly_what_ships(till, customer):
    order = make_order(till, customer, ("cafe", 5), ("deo", 2))
    orders.order_confirm(order=order, actor=till.user)
    cafe_line = order.lines.get(product=till["cafe"])
    deo_line = order.lines.get(product=till["deo"])

    first = orders.order_ship(
        order=order, actor=till.user, lines={cafe_line.pk: 3}, carrier="bpost", tracking="X1"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIAL
    cafe = level(till, "cafe")
    assert (cafe.quantity, cafe.reserved, cafe.available) == (D(7), D(2), D(5))
    assert level(till, "deo").reserved == D(2) and level(till, "deo").quantity == D(10)
    line = first.lines.get()
    assert line.quantity == D(3) and line.movement.quantity == D(-3)
    assert line.movement.reason == "sale" and line.movement.reference == "SO-000001"
    assert first.movement_group == line.movement.group

    orders.order_ship(order=order, actor=till.user, lines=[(cafe_line.pk, 1), (deo_line.pk, 2)])
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIAL  # one café still to ship
    assert (level(till, "cafe").quantity, level(till, "cafe").reserved) == (D(6), D(1))
    assert (level(till, "deo").quantity, level(till, "deo").reserved) == (D(8), D(0))

    orders.order_ship(order=order, actor=till.user)  # the rest
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert (level(till, "cafe").quantity, level(till, "cafe").reserved) == (D(5), D(0))
    assert {
        (ln.product_id, ln.shipped_quantity, ln.reserved_quantity) for ln in order.lines.all()
    } == {
        (till["cafe"].pk, D(5), D(0)),
        (till["deo"].pk, D(2), D(0)),
    }
    assert Shipment.objects.filter(order=order).count() == 3
    assert ShipmentLine.objects.filter(shipment__order=order).count() == 4
    sold = StockMovement.objects.filter(reference="SO-000001", reason="sale")
    assert sum(m.quantity for m in sold) == D(-7)
    orders.order_deliver(order=order, actor=till.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.delivered_at is not None
    assert list(order.history.values_list("to_status", flat=True)) == [
        "draft",
        "confirmed",
        "partial",
        "shipped",
        "delivered",
    ]


def test_shipping_more_than_is_left_or_a_foreign_line_is_refused_and_nothing_moves(till, customer):
    order = make_order(till, customer, ("cafe", 2))
    orders.order_confirm(order=order, actor=till.user)
    line = order.lines.get()
    other = make_order(till, customer, ("deo", 1))
    for bad, field in (
        ({line.pk: 3}, "lines[0].quantity"),
        ({line.pk: "-1"}, "lines[0].quantity"),
        ({other.lines.get().pk: 1}, "lines[0].line"),
        ({}, "lines"),
    ):
        with pytest.raises((ValidationFailed, NotFound)) as exc:
            orders.order_ship(order=order, actor=till.user, lines=bad)
        assert field in exc.value.fields
    assert not Shipment.objects.exists() and not StockMovement.objects.filter(reason="sale")
    assert level(till, "cafe").reserved == D(2)


def test_the_same_shipment_sent_twice_ships_once(till, customer):
    order = make_order(till, customer, ("cafe", 4))
    orders.order_confirm(order=order, actor=till.user)
    key, line = uuid.uuid4(), order.lines.get()
    first = orders.order_ship(order=order, actor=till.user, lines={line.pk: 1}, client_uuid=key)
    again = orders.order_ship(order=order, actor=till.user, lines={line.pk: 1}, client_uuid=key)
    assert again.pk == first.pk and level(till, "cafe").quantity == D(9)


def test_cancelling_an_order_that_shipped_anything_is_refused(till, customer):
    order = make_order(till, customer, ("cafe", 2))
    orders.order_confirm(order=order, actor=till.user)
    orders.order_ship(order=order, actor=till.user, lines={order.lines.get().pk: 1})
    with pytest.raises(Conflict) as exc:
        orders.order_cancel(order=order, actor=till.user)
    assert exc.value.code == "order_already_shipped" and exc.value.status == 409
    orders.order_ship(order=order, actor=till.user)
    with pytest.raises(Conflict):
        orders.order_cancel(order=order, actor=till.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert level(till, "cafe").quantity == D(8) and level(till, "cafe").reserved == 0


@pytest.mark.parametrize(
    ("action", "from_status"),
    [
        ("order_pick", "draft"),
        ("order_ship", "draft"),
        ("order_deliver", "confirmed"),
        ("order_confirm", "confirmed"),
        ("order_update", "confirmed"),
    ],
)
def test_steps_out_of_order_are_a_conflict(till, customer, action, from_status):
    order = make_order(till, customer, ("cafe", 1))
    if from_status == "confirmed":
        orders.order_confirm(order=order, actor=till.user)
    with pytest.raises(Conflict):
        getattr(orders, action)(order=order, actor=till.user)


def test_a_draft_can_be_edited_and_its_lines_replaced(till, customer):
    order = make_order(till, customer, ("cafe", 1))
    orders.order_update(
        order=order,
        actor=till.user,
        data={"promised_on": "2026-12-24", "note": "Ring twice"},
        lines=[OrderLineInput(product=till["deo"], quantity=2)],
    )
    order.refresh_from_db()
    assert str(order.promised_on) == "2026-12-24" and order.note == "Ring twice"
    assert order.total == D("9.00") and order.lines.get().name == "Déodorant CienMEN"
    entry = AuditEntry.objects.filter(action="order.update", object_id=str(order.pk)).get()
    assert [D(v) for v in entry.changes["total"]] == [D("2.50"), D("9.00")]
    with pytest.raises(ValidationFailed) as exc:
        orders.order_update(order=order, actor=till.user, data={"promised_on": "24/12"})
    assert "promised_on" in exc.value.fields


def test_status_changes_emit_an_event_after_commit(
    till, customer, django_capture_on_commit_callbacks
):
    from hanout.core import events

    seen = []
    events._subscribers["order.status_changed"].append(seen.append)
    try:
        order = make_order(till, customer, ("cafe", 1))
        with django_capture_on_commit_callbacks(execute=True):
            orders.order_confirm(order=order, actor=till.user)
    finally:
        events._subscribers["order.status_changed"].remove(seen.append)
    assert [(e.payload["from"], e.payload["to"]) for e in seen] == [("draft", "confirmed")]
    assert seen[0].payload["reference"] == "SO-000001"
