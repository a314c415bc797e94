"""Closing a partly shipped order short: the rest is released, what shipped stays,
and the order goes on to delivery and an invoice for what shipped."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from hanout.core import events
from hanout.core.errors import Conflict, DomainError, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.sales import services_orders as orders
from hanout.sales.models import CustomerOrder, OrderStatus, OrderStatusChange
from hanout.sales.services_invoices import invoice_issue_for_order
from hanout.sales.services_orders_close import order_close_short
from hanout.sales.tests.orders_support import level, make_customer, make_order, make_till
from tests.factories import make_business
from tests.fixtures import api_client_for

D = Decimal


def partly_shipped(till, customer):
    """Café 5 and déodorant 2 ordered; 3 cafés and 2 déodorants shipped."""
    order = make_order(till, customer, ("cafe", 5), ("deo", 2))
    orders.order_confirm(order=order, actor=till.user)
    cafe, deo = order.lines.order_by("position")
    orders.order_ship(order=order, actor=till.user, lines=[(cafe.pk, 3), (deo.pk, 2)])
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIAL
    return order


@pytest.mark.django_db
def test_the_rest_is_released_and_the_order_is_delivered_and_invoiced_for_what_shipped(
    django_capture_on_commit_callbacks,
):
    till = make_till(quantity="10")
    customer = make_customer(till)
    order = partly_shipped(till, customer)
    assert (level(till, "cafe").quantity, level(till, "cafe").reserved) == (D(7), D(2))
    seen = []
    events._subscribers["order.status_changed"].append(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order_close_short(
                order=order, actor=till.user, reason="  Out of   stock at the roaster "
            )
    finally:
        events._subscribers["order.status_changed"].remove(seen.append)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    cafe = level(till, "cafe")
    assert (cafe.quantity, cafe.reserved, cafe.available) == (D(7), D(0), D(7))
    assert sum(line.reserved_quantity for line in order.lines.all()) == 0
    change = OrderStatusChange.objects.filter(order=order).latest("at")
    assert (change.from_status, change.to_status, change.note) == (
        "partial",
        "shipped",
        "Out of stock at the roaster",
    )
    entry = AuditEntry.objects.get(action="order.close_short", object_id=str(order.pk))
    assert entry.changes["unshipped"] == [None, {str(till["cafe"].pk): "2"}]
    (event,) = seen
    assert event.payload["closed_short"] is True and event.payload["to"] == "shipped"

    orders.order_deliver(order=order, actor=till.user)
    invoice = invoice_issue_for_order(order=order, actor=till.user)
    billed = {line.name: line.quantity for line in invoice.lines.all()}
    assert billed == {"Café": D(3), "Déodorant CienMEN": D(2)}


@pytest.mark.django_db
def test_a_reason_is_required_and_only_a_partly_shipped_order_closes_short():
    till = make_till(quantity="10")
    customer = make_customer(till)
    order = partly_shipped(till, customer)
    for reason in ("", "   ", "x" * 301):
        with pytest.raises(ValidationFailed) as exc:
            order_close_short(order=order, actor=till.user, reason=reason)
        assert "reason" in exc.value.fields
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIAL and level(till, "cafe").reserved == D(2)

    confirmed = make_order(till, customer, ("cafe", 1))
    orders.order_confirm(order=confirmed, actor=till.user)
    with pytest.raises(Conflict):
        order_close_short(order=confirmed, actor=till.user, reason="No")
    order_close_short(order=order, actor=till.user, reason="Supplier out")
    with pytest.raises(Conflict):  # twice
        order_close_short(order=order, actor=till.user, reason="Supplier out")


@pytest.mark.django_db
def test_the_api_closes_short_with_a_reason_and_answers_409_and_404():
    till = make_till(quantity="10")
    customer = make_customer(till)
    order = partly_shipped(till, customer)
    api = api_client_for(till.owner)
    url = f"/api/v1/orders/{order.pk}/close-short/"
    assert api.post(url, {}, format="json").status_code == 400
    answer = api.post(url, {"reason": "Discontinued"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "shipped"
    assert api.post(url, {"reason": "Again"}, format="json").status_code == 409

    outsider = api_client_for(make_business("Ailleurs"))
    assert outsider.post(url, {"reason": "Mine"}, format="json").status_code == 404


@pytest.mark.django_db
def test_the_order_page_offers_close_short_only_when_partly_shipped(client):
    till = make_till(quantity="10")
    customer = make_customer(till)
    order = partly_shipped(till, customer)
    client.force_login(till.user)
    page = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    url = reverse("order_step", args=[order.pk, "close-short"])
    assert url in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert CustomerOrder.objects.get(pk=order.pk).status == OrderStatus.PARTIAL
    done = client.post(url, {"reason": "The rest is out of season"})
    assert done.status_code == 302
    assert CustomerOrder.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    page = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert url not in page and "The rest is out of season" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks")
def test_closing_short_while_the_rest_ships_ends_in_one_consistent_state():
    till = make_till(quantity="10")
    customer = make_customer(till)
    order = partly_shipped(till, customer)
    barrier = threading.Barrier(2)
    outcomes, crashes = [], []

    def close():
        return order_close_short(order=order, actor=till.user, reason="Out")

    def ship():
        return orders.order_ship(order=order, actor=till.user)  # all that is left

    def run(fn):
        try:
            barrier.wait()
            fn()
            outcomes.append(fn.__name__)
        except DomainError as exc:
            outcomes.append(f"refused {exc.code}")
        except Exception as exc:
            crashes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in (close, ship)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert crashes == []
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    cafe = level(till, "cafe")
    shipped = sum(line.shipped_quantity for line in order.lines.filter(product=till["cafe"]))
    assert cafe.reserved == 0
    assert cafe.quantity == D(10) - shipped
    assert shipped in (D(3), D(5))  # closed first: 3; shipped first: all 5
    assert sorted(outcomes)[0] in ("close", "refused order_status") and len(outcomes) == 2
