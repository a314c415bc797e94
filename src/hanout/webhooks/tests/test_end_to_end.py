"""From a real business action to the receiver: the services emit, the webhooks follow."""

from __future__ import annotations

import pytest

from hanout.sales import services_orders as orders
from hanout.sales.tests.orders_support import make_customer, make_order, make_till
from hanout.webhooks import services
from hanout.webhooks.models import DeliveryStatus, WebhookDelivery


@pytest.mark.django_db
def test_confirming_an_order_posts_its_status_change_to_the_receiver(
    receiver, django_capture_on_commit_callbacks
):
    till = make_till(quantity="10")
    _, receiver.secret = services.endpoint_create(
        business=till.business,
        actor=till.user,
        data={"url": receiver.url, "events": ["order.status_changed"]},
    )
    customer = make_customer(till)
    order = make_order(till, customer, ("cafe", 2))
    with django_capture_on_commit_callbacks(execute=True):
        orders.order_confirm(order=order, actor=till.user)

    (got,) = receiver.requests
    assert got.signature_ok and got.headers["Hanout-Event"] == "order.status_changed"
    body = got.json
    assert body["event"] == "order.status_changed"
    assert body["business"] == str(till.business.pk)
    assert body["data"]["id"] == str(order.pk) and body["data"]["to"] == "confirmed"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED


@pytest.mark.django_db
def test_a_register_sale_posts_sale_completed_and_nothing_else(
    receiver, django_capture_on_commit_callbacks
):
    from hanout.pos.tests.factories import make_till as pos_till
    from hanout.pos.tests.factories import open_session, sell

    till = pos_till(quantity="10")
    _, receiver.secret = services.endpoint_create(
        business=till.business,
        actor=till.user,
        data={"url": receiver.url, "events": ["sale.completed"]},
    )
    open_session(till)
    with django_capture_on_commit_callbacks(execute=True):
        sale = sell(till, (next(iter(till.products)), 2))
    assert [r.headers["Hanout-Event"] for r in receiver.requests] == ["sale.completed"]
    assert receiver.requests[0].json["data"]["id"] == str(sale.pk)
