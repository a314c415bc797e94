"""Editing a draft customer order from its page: the head and the lines, prefilled;
bad input changes nothing; an order past draft is not edited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.core.models import AuditEntry
from hanout.sales import services_orders as orders
from hanout.sales.models import CustomerOrder
from hanout.sales.tests.orders_support import make_customer, make_order, make_till
from tests.factories import make_business

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity="5")


@pytest.fixture
def web(client, till):
    client.force_login(till.user)
    return client


def test_the_form_is_prefilled_and_saving_replaces_head_and_lines(web, till):
    customer = make_customer(till, phone="+32470123456")
    other = make_customer(till, name="Boulangerie Sud")
    order = make_order(till, customer, ("cafe", 2), ("deo", 1), promised_on="2026-12-24")
    url = reverse("order_edit", args=[order.pk])
    detail = web.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert url in detail

    page = web.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Edit order SO-000001" in text
    assert f'<option value="{till["cafe"].pk}" selected' in text
    assert 'value="2024-12-24"' not in text and 'value="2026-12-24"' in text
    assert "+32 470 12 34 56" in text  # phones written for reading

    answer = web.post(
        url,
        {
            "customer": str(other.pk),
            "rows": "3",
            "product-0": str(till["cafe"].pk),
            "quantity-0": "3",
            "promised_on": "2026-12-31",
            "note": "Ring twice",
        },
    )
    assert answer.status_code == 302 and answer.url == reverse("order_detail", args=[order.pk])
    order.refresh_from_db()
    assert (order.customer_id, str(order.promised_on), order.note) == (
        other.pk,
        "2026-12-31",
        "Ring twice",
    )
    assert [(ln.name, ln.quantity) for ln in order.lines.all()] == [("Café", D(3))]
    assert AuditEntry.objects.filter(action="order.update", object_id=str(order.pk)).exists()


def test_bad_input_shows_the_error_and_changes_nothing(web, till):
    customer = make_customer(till)
    order = make_order(till, customer, ("cafe", 2))
    url = reverse("order_edit", args=[order.pk])
    before = list(order.lines.values_list("product_id", "quantity"))
    answer = web.post(
        url, {"customer": str(customer.pk), "rows": "2", "code-0": "nope", "quantity-0": "1"}
    )
    assert answer.status_code == 404 and 'value="nope"' in answer.content.decode()
    answer = web.post(url, {"customer": "not-a-customer", "rows": "1"})
    assert answer.status_code == 400
    assert list(order.lines.values_list("product_id", "quantity")) == before


def test_only_a_draft_is_edited_and_never_another_businesss(web, till, client):
    customer = make_customer(till)
    order = make_order(till, customer, ("cafe", 1))
    orders.order_confirm(order=order, actor=till.user)
    url = reverse("order_edit", args=[order.pk])
    answer = web.get(url)
    assert answer.status_code == 302 and answer.url == reverse("order_detail", args=[order.pk])
    web.post(url, {"customer": str(customer.pk), "rows": "1", "product-0": str(till["deo"].pk)})
    assert [ln.name for ln in CustomerOrder.objects.get(pk=order.pk).lines.all()] == ["Café"]

    draft = make_order(till, customer, ("cafe", 1))
    outsider = make_business("Ailleurs")
    client.force_login(outsider.user)
    assert client.get(reverse("order_edit", args=[draft.pk])).status_code == 404
