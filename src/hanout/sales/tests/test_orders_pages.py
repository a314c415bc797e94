"""The order pages as a shop owner uses them: list, export, new order, the steps, tenants."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.sales import services_orders as orders
from hanout.sales.models import CustomerOrder, OrderStatus
from hanout.sales.tests.orders_support import level, make_customer, make_order, make_till
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity="5")


@pytest.fixture
def customer(till):
    return make_customer(till, address="Rue Haute 5")


@pytest.fixture
def web(client, till):
    client.force_login(till.user)
    return client


def test_a_new_order_is_made_from_the_form_and_shown(web, till, customer):
    page = web.get(reverse("order_create") + f"?customer={customer.pk}")
    assert page.status_code == 200 and "Atelier Nour" in page.content.decode()
    response = web.post(
        reverse("order_create"),
        {
            "customer": str(customer.pk),
            "rows": "5",
            "product-0": str(till["cafe"].pk),
            "quantity-0": "2",
            "code-1": "7777",
            "quantity-1": "1",
            "promised_on": "2026-12-24",
            "client_uuid": "0190a8f5-1111-7000-8000-000000000001",
        },
    )
    order = CustomerOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse("order_detail", args=[order.pk])
    assert order.total == D("9.50") and order.lines.count() == 2
    detail = web.get(response.url).content.decode()
    assert "SO-000001" in detail and "Confirm and reserve stock" in detail
    assert "Café" in detail and "Déodorant CienMEN" in detail


def test_a_bad_line_shows_the_error_and_keeps_what_was_typed(web, till, customer):
    response = web.post(
        reverse("order_create"),
        {"customer": str(customer.pk), "rows": "5", "code-0": "nope", "quantity-0": "2"},
    )
    assert response.status_code == 404
    text = response.content.decode()
    assert "No product has the code" in text and 'value="nope"' in text
    assert not CustomerOrder.objects.exists()


def test_confirm_ship_partly_deliver_from_the_order_page(web, till, customer):
    order = make_order(till, customer, ("cafe", 3), ("deo", 1))
    url = reverse("order_detail", args=[order.pk])
    step = lambda name: reverse("order_step", args=[order.pk, name])  # noqa: E731
    assert web.post(step("confirm")).status_code == 302
    assert level(till, "cafe").reserved == D(3)
    cafe = order.lines.get(product=till["cafe"])
    deo = order.lines.get(product=till["deo"])
    shipped = web.post(
        reverse("order_ship", args=[order.pk]),
        {f"ship-{cafe.pk}": "2", f"ship-{deo.pk}": "0", "carrier": "bpost", "tracking": "T1"},
    )
    assert shipped.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIAL
    assert (level(till, "cafe").quantity, level(till, "cafe").reserved) == (D(3), D(1))
    refused = web.post(step("cancel"))
    assert refused.status_code == 409 and "cannot be cancelled" in refused.content.decode()
    too_many = web.post(reverse("order_ship", args=[order.pk]), {f"ship-{cafe.pk}": "5"})
    assert too_many.status_code == 400 and "left to ship" in too_many.content.decode()
    web.post(
        reverse("order_ship", args=[order.pk]), {f"ship-{cafe.pk}": "1", f"ship-{deo.pk}": "1"}
    )
    web.post(step("deliver"))
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    text = web.get(url).content.decode()
    assert "bpost" in text and "T1" in text and "Delivered" in text


def test_a_shortfall_is_shown_on_the_page(web, till, customer):
    first = make_order(till, customer, ("cafe", 4))
    orders.order_confirm(order=first, actor=till.user)
    second = make_order(till, customer, ("cafe", 2))
    response = web.post(reverse("order_step", args=[second.pk, "confirm"]))
    assert response.status_code == 400
    assert "1 available, 2 asked" in response.content.decode()


def test_a_cashier_sees_orders_without_buttons_and_cannot_post(client, till, customer):
    order = make_order(till, customer, ("cafe", 1))
    cashier = make_member(till.owner, role=Role.CASHIER)
    client.force_login(cashier.user)
    page = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert "Confirm and reserve stock" not in page
    assert client.post(reverse("order_step", args=[order.pk, "confirm"])).status_code == 403
    assert client.get(reverse("order_create")).status_code == 403


def test_another_businesss_order_is_a_404(client, till, customer):
    order = make_order(till, customer, ("cafe", 1))
    other = make_business("Other")
    client.force_login(other.user)
    assert client.get(reverse("order_detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("order_step", args=[order.pk, "confirm"])).status_code == 404
    assert client.post(reverse("order_ship", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_the_list_filters_and_exports_csv_and_xlsx(web, till, customer):
    first = make_order(till, customer, ("cafe", 1))
    make_order(till, make_customer(till, "=Zeta"), ("deo", 1))
    orders.order_confirm(order=first, actor=till.user)
    text = web.get(reverse("order_list"), {"status": "confirmed"}).content.decode()
    assert "SO-000001" in text and "SO-000002" not in text
    csv = b"".join(web.get(reverse("order_export"), {"status": "all"}).streaming_content)
    rows = csv.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Order,Date,Status,Customer")
    assert any(r.startswith("SO-000002") and "'=Zeta" in r for r in rows)  # no formula
    assert len(rows) == 3
    xlsx = web.get(reverse("order_export"), {"status": "all", "file": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Order" and len(values) == 3
    assert {v[7] for v in values[1:]} == {2.5, 4.5}


@pytest.mark.parametrize("rows", [2, 20])
def test_the_order_list_page_costs_the_same_queries_at_2_and_20_rows(
    web, till, customer, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        make_order(till, customer, ("cafe", 1))
    with django_assert_max_num_queries(7):
        response = web.get(reverse("order_list"))
    assert response.content.decode().count("SO-0000") >= rows


@pytest.mark.parametrize("rows", [2, 20])
def test_the_customer_page_costs_the_same_queries_at_2_and_20_orders(
    web, till, customer, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        make_order(till, customer, ("cafe", 1))
    # 9 for the card and its lists, 9 for the CRM figures (spent, net gain, payments by
    # method, loyalty): each one aggregate, whatever the number of orders.
    with django_assert_max_num_queries(18):
        response = web.get(reverse("customer_detail", args=[customer.pk]))
    assert response.status_code == 200
