"""The purchase-order API: the whole life of a PO over HTTP, idempotent creates and
receipts, bad input (400/409 with a field, nothing written), another tenant's
objects (404), read-only access (403) and constant query counts."""

from __future__ import annotations

import uuid

import pytest

from hanout.core.permissions import Role
from hanout.inventory.models import StockMovement
from hanout.purchasing.models import POStatus, PurchaseOrder, PurchaseReceipt
from hanout.purchasing.tests.po_support import D, level_of, purchase_shop
from tests.factories import make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchase-orders/"


@pytest.fixture
def shop():
    return purchase_shop(n_products=2)


@pytest.fixture
def api(shop):
    return api_client_for(shop.membership)


def create(api, shop, **extra):
    body = {
        "supplier": str(shop.supplier.pk),
        "lines": [
            {"product": str(shop.products[0].pk), "quantity": "10"},
            {"product": str(shop.products[1].pk), "quantity": "4", "unit_cost": "3.5"},
        ],
        **extra,
    }
    return api.post(URL, body, format="json")


def test_the_life_of_a_purchase_order(api, shop):
    r = create(api, shop, expected_on="2030-01-10", note="Ring twice")
    assert r.status_code == 201, r.json()
    po = r.json()
    assert po["status"] == "draft" and po["reference"].startswith("PO-")
    assert po["total"] == "34.00"  # 10 × 2.00 + 4 × 3.50
    assert [x["supplier_sku"] for x in po["lines"]] == ["MILL-0", "MILL-1"]
    assert po["events"][0]["status"] == "draft"

    r = api.patch(
        f"{URL}{po['id']}/",
        {"lines": [{"product": str(shop.products[0].pk), "quantity": "12"}]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["total"] == "24.00"

    r = api.post(f"{URL}{po['id']}/send/", {"notify": False}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "sent" and r.json()["ordered_on"]
    line = r.json()["lines"][0]["id"]

    r = api.post(
        f"{URL}{po['id']}/receive/",
        {"lines": [{"line": line, "quantity": "5"}], "delivery_note": "BL 77"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "partial"
    assert body["receipts"][0]["delivery_note"] == "BL 77"
    assert body["lines"][0]["received_quantity"] == "5.000"
    assert level_of(shop.products[0], shop.floor) == D(5)

    r = api.post(f"{URL}{po['id']}/cancel/", {}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_cancellable"
    r = api.post(f"{URL}{po['id']}/close/", {"note": "Rest out of stock"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert [e["status"] for e in r.json()["events"]] == ["draft", "sent", "partial", "closed"]


def test_list_filters(api, shop):
    create(api, shop)
    sent = create(api, shop).json()
    api.post(f"{URL}{sent['id']}/send/", {"notify": False}, format="json")
    assert len(api.get(URL).json()["results"]) == 2
    assert [o["id"] for o in api.get(URL, {"status": "sent"}).json()["results"]] == [sent["id"]]
    assert len(api.get(URL, {"supplier": str(shop.supplier.pk)}).json()["results"]) == 2
    assert len(api.get(URL, {"search": sent["reference"]}).json()["results"]) == 1
    assert api.get(URL, {"status": "nope"}).status_code == 400
    assert api.get(URL, {"date_from": "yesterday"}).status_code == 400
    assert api.get(URL, {"supplier": str(uuid.uuid4())}).status_code == 404


def test_create_is_idempotent_on_client_uuid(api, shop):
    key = str(uuid.uuid4())
    first = create(api, shop, client_uuid=key)
    again = create(api, shop, client_uuid=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = create(api, shop, client_uuid=key, note="different")
    assert other.status_code == 409
    assert PurchaseOrder.objects.count() == 1


def test_receive_is_idempotent_and_over_receipt_needs_a_reason(api, shop):
    po = create(api, shop).json()
    api.post(f"{URL}{po['id']}/send/", {"notify": False}, format="json")
    line = po["lines"][0]["id"]
    key = str(uuid.uuid4())
    body = {"lines": [{"line": line, "quantity": "3"}], "client_uuid": key}
    assert api.post(f"{URL}{po['id']}/receive/", body, format="json").status_code == 201
    assert api.post(f"{URL}{po['id']}/receive/", body, format="json").status_code == 200
    assert PurchaseReceipt.objects.count() == 1

    r = api.post(
        f"{URL}{po['id']}/receive/", {"lines": [{"line": line, "quantity": "20"}]}, format="json"
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "over_receipt"
    assert "over_receipt_reason" in error["fields"] and "lines[0].quantity" in error["fields"]
    assert PurchaseReceipt.objects.count() == 1
    r = api.post(
        f"{URL}{po['id']}/receive/",
        {"lines": [{"line": line, "quantity": "20"}], "over_receipt_reason": "Promo pack"},
        format="json",
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [{"product": "P0", "quantity": "-2"}]}, "lines[0].quantity"),
        ({"lines": [{"product": "P0", "quantity": "abc"}]}, "lines.0.quantity"),
        ({"lines": [{"product": "P0", "quantity": "1", "unit_cost": "-1"}]}, "lines[0].unit_cost"),
        (
            {"lines": [{"product": "P0", "quantity": "1"}, {"product": "P0", "quantity": "1"}]},
            "lines[1].product",
        ),
        ({"expected_on": "31/02/2026"}, "expected_on"),
        ({"note": "x" * 2001}, "note"),
        ({"supplier": "not-a-uuid"}, "supplier"),
    ],
)
def test_bad_drafts_are_a_400_naming_the_field(api, shop, body, field):
    payload = {"supplier": str(shop.supplier.pk), **body}
    for line in payload.get("lines", []):
        line["product"] = str(shop.products[0].pk)
    r = api.post(URL, payload, format="json")
    assert r.status_code == 400, r.json()
    assert field in r.json()["error"]["fields"], r.json()
    assert not PurchaseOrder.objects.exists()


def test_another_tenants_objects_are_404(api, shop):
    other = purchase_shop("Other Grocer", n_products=1)
    r = api.post(URL, {"supplier": str(other.supplier.pk)}, format="json")
    assert r.status_code == 404 and "supplier" in r.json()["error"]["fields"]
    r = api.post(
        URL,
        {
            "supplier": str(shop.supplier.pk),
            "lines": [{"product": str(other.products[0].pk), "quantity": "1"}],
        },
        format="json",
    )
    assert r.status_code == 404 and "lines[0].product" in r.json()["error"]["fields"]
    r = api.post(
        URL, {"supplier": str(shop.supplier.pk), "location": str(other.floor.pk)}, format="json"
    )
    assert r.status_code == 404
    theirs = other.sent([1])
    for method, path in [
        ("get", f"{URL}{theirs.pk}/"),
        ("patch", f"{URL}{theirs.pk}/"),
        ("post", f"{URL}{theirs.pk}/receive/"),
        ("post", f"{URL}{theirs.pk}/close/"),
    ]:
        r = getattr(api, method)(path, {}, format="json")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", path
    mine = create(api, shop).json()
    api.post(f"{URL}{mine['id']}/send/", {"notify": False}, format="json")
    r = api.post(
        f"{URL}{mine['id']}/receive/",
        {"lines": [{"line": str(theirs.lines.first().pk), "quantity": "1"}]},
        format="json",
    )
    assert r.status_code == 404
    assert not StockMovement.objects.filter(business=shop.business).exists()


def test_read_only_people_cannot_write(shop):
    viewer = make_member(shop.membership, role=Role.CASHIER)
    api = api_client_for(viewer)
    r = api.get(URL)
    if r.status_code == 200:
        assert create(api, shop).status_code == 403
    else:
        assert r.status_code == 403


def test_from_restock_drafts_one_order_per_supplier(api, shop):
    from hanout.inventory import services as inventory
    from hanout.inventory.models import MovementReason

    a = shop.products[0]
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(5), D(1))],
        reason=MovementReason.RECEIPT,
    )
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(-5))],
        reason=MovementReason.SALE,
    )
    r = api.post(f"{URL}from-restock/", {}, format="json")
    assert r.status_code == 201, r.json()
    assert len(r.json()) == 1 and r.json()[0]["status"] == POStatus.DRAFT


def test_list_and_detail_cost_the_same_queries_at_2_and_20_rows(
    api, shop, django_assert_max_num_queries
):
    def fill(n):
        while PurchaseOrder.objects.count() < n:
            order = shop.sent([5, 5])
            shop.receive(order, {shop.products[0]: 2})

    fill(2)
    with django_assert_max_num_queries(8) as small:
        assert len(api.get(URL).json()["results"]) == 2
    fill(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 20
    order = PurchaseOrder.objects.first()
    with django_assert_max_num_queries(12) as detail_small:
        api.get(f"{URL}{order.pk}/")
    for _ in range(5):
        shop.receive(order, {shop.products[1]: 1}, over_receipt_reason="more")
    with django_assert_max_num_queries(len(detail_small.captured_queries)):
        api.get(f"{URL}{order.pk}/")
