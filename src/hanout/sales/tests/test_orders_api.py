"""The orders API: create (idempotent), confirm, ship partly, cancel, errors, tenants, queries."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from hanout.core.permissions import Role
from hanout.sales.models import CustomerOrder, OrderStatus
from hanout.sales.tests.orders_support import level, make_customer, make_order, make_till
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity="3")


@pytest.fixture
def api(till):
    return api_client_for(till.owner)


@pytest.fixture
def customer(till):
    return make_customer(till, address="Rue Haute 5")


def _create(api, till, customer, **extra):
    body = {
        "customer": str(customer.pk),
        "lines": [
            {"product": str(till["cafe"].pk), "quantity": "2"},
            {"code": "7777", "quantity": "1"},
        ],
        **extra,
    }
    return api.post("/api/v1/orders/", body, format="json")


def test_an_order_goes_from_draft_to_delivered_through_the_api(api, till, customer):
    key = str(uuid.uuid4())
    created = _create(api, till, customer, client_uuid=key, promised_on="2026-12-24")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"] == "SO-000001" and body["status"] == "draft"
    assert body["total"] == "9.50" and body["tax_total"] == "1.06"  # 0.28 + 0.78
    assert [ln["name"] for ln in body["lines"]] == ["Café", "Déodorant CienMEN"]
    assert body["customer"]["name"] == "Atelier Nour" and body["shipping_address"] == "Rue Haute 5"
    again = _create(api, till, customer, client_uuid=key, promised_on="2026-12-24")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    conflict = _create(api, till, customer, client_uuid=key, note="other")
    assert conflict.status_code == 409
    assert CustomerOrder.objects.count() == 1

    url = f"/api/v1/orders/{body['id']}/"
    confirmed = api.post(url + "confirm/", {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert level(till, "cafe").reserved == D(2)
    cafe_line = body["lines"][0]["id"]
    part = api.post(
        url + "ship/",
        {"lines": [{"line": cafe_line, "quantity": "1"}], "carrier": "bpost"},
        format="json",
    )
    assert part.status_code == 201 and part.json()["status"] == "partial"
    assert (level(till, "cafe").quantity, level(till, "cafe").reserved) == (D(2), D(1))
    refused = api.post(url + "cancel/", {"reason": "late"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "order_already_shipped"
    rest = api.post(url + "ship/", {}, format="json")
    assert rest.json()["status"] == "shipped" and len(rest.json()["shipments"]) == 2
    delivered = api.post(url + "deliver/", {}, format="json")
    assert delivered.json()["status"] == "delivered"
    history = [h["to_status"] for h in delivered.json()["history"]]
    assert history == ["draft", "confirmed", "partial", "shipped", "delivered"]


def test_confirming_without_enough_stock_is_a_400_naming_every_product(api, till, customer):
    make = _create(api, till, customer).json()  # 2 cafés of 3
    other = api.post(
        "/api/v1/orders/",
        {
            "customer": str(customer.pk),
            "lines": [
                {"product": str(till["cafe"].pk), "quantity": 2},
                {"product": str(till["deo"].pk), "quantity": 4},
            ],
        },
        format="json",
    ).json()
    assert api.post(f"/api/v1/orders/{make['id']}/confirm/", {}, format="json").status_code == 200
    response = api.post(f"/api/v1/orders/{other['id']}/confirm/", {}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert "Café" in error["message"] and "Déodorant" in error["message"]
    assert len(error["fields"]["lines"]) == 2
    assert CustomerOrder.objects.get(pk=other["id"]).status == OrderStatus.DRAFT


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"lines": []}, "lines", 400),
        ({"lines": [{"quantity": 1}]}, "lines[0].code", 400),
        ({"lines": [{"code": "nope"}]}, "lines[0].code", 404),
        ({"lines": [{"code": "7777", "quantity": "-1"}]}, "lines[0].quantity", 400),
        ({"lines": [{"code": "7777", "quantity": "abc"}]}, "lines[0].quantity", 400),
        ({"customer": str(uuid.uuid4())}, "customer", 404),
        ({"promised_on": "24/12/2026"}, "promised_on", 400),
        ({"lines": [{"code": "7777", "unit_price": "1.00"}]}, "lines[0].unit_price", 403),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(
    till, customer, body, field, code
):
    staff = make_member(till.owner, role=Role.STAFF)
    api = api_client_for(staff)
    payload = {"customer": str(customer.pk), "lines": [{"code": "7777"}], **body}
    response = api.post("/api/v1/orders/", payload, format="json")
    assert response.status_code == code, response.content
    assert field in response.json()["error"]["fields"]
    assert CustomerOrder.objects.count() == 0


def test_a_manager_may_set_a_price_and_a_discount(till, customer):
    api = api_client_for(make_member(till.owner, role=Role.MANAGER))
    response = api.post(
        "/api/v1/orders/",
        {
            "customer": str(customer.pk),
            "lines": [{"code": "7777", "quantity": 2, "unit_price": "4.00", "discount": "1.00"}],
        },
        format="json",
    )
    assert response.status_code == 201
    line = response.json()["lines"][0]
    assert (line["unit_price"], line["discount"], line["total"]) == ("4.00", "1.00", "7.00")


def test_a_cashier_reads_orders_but_cannot_create_or_confirm_them(till, customer):
    order = make_order(till, customer, ("cafe", 1))
    api = api_client_for(make_member(till.owner, role=Role.CASHIER))
    assert api.get("/api/v1/orders/").status_code == 200
    assert _create(api, till, customer).status_code == 403
    assert api.post(f"/api/v1/orders/{order.pk}/confirm/", {}, format="json").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_another_business_cannot_see_or_touch_an_order(till, customer):
    order = make_order(till, customer, ("cafe", 1))
    other = make_business("Other", currency="MAD", country="MA", time_zone="Africa/Casablanca")
    api = api_client_for(other)
    assert api.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    for action in ("confirm", "pick", "ship", "deliver", "cancel"):
        assert (
            api.post(f"/api/v1/orders/{order.pk}/{action}/", {}, format="json").status_code == 404
        )
    assert api.patch(f"/api/v1/orders/{order.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/orders/").json()["results"] == []
    # Their customer id is not found either.
    theirs = api.post(
        "/api/v1/orders/",
        {"customer": str(customer.pk), "lines": [{"code": "7777"}]},
        format="json",
    )
    assert theirs.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT and order.note == ""


def test_filters_by_status_customer_and_search(api, till, customer):
    other_customer = make_customer(till, "Zeta SPRL")
    first = make_order(till, customer, ("cafe", 1))
    make_order(till, other_customer, ("deo", 1))
    from hanout.sales import services_orders

    services_orders.order_confirm(order=first, actor=till.user)
    ids = lambda r: [o["reference"] for o in r.json()["results"]]  # noqa: E731
    assert ids(api.get("/api/v1/orders/", {"status": "confirmed"})) == ["SO-000001"]
    assert ids(api.get("/api/v1/orders/", {"customer": str(other_customer.pk)})) == ["SO-000002"]
    assert ids(api.get("/api/v1/orders/", {"search": "zeta"})) == ["SO-000002"]
    assert ids(api.get("/api/v1/orders/", {"search": "SO-000001"})) == ["SO-000001"]
    assert api.get("/api/v1/orders/", {"status": "nope"}).status_code == 400
    assert api.get("/api/v1/orders/", {"customer": str(uuid.uuid4())}).status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_the_order_list_costs_the_same_queries_at_2_and_20_rows(
    api, till, customer, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        make_order(till, customer, ("cafe", 1), ("deo", 1))
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/orders/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_the_customer_list_costs_the_same_queries_at_2_and_20_rows(
    api, till, rows, django_assert_max_num_queries
):
    for i in range(rows):
        make_customer(till, f"Client {i}")
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/customers/")
    assert len(response.json()["results"]) == rows
