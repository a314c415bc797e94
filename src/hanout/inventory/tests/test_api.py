"""The stock API: what a script or the desktop app can do, and what it cannot."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal

import pytest

from hanout.core.permissions import Level, Module, Role
from hanout.inventory import services
from hanout.inventory.models import StockCount, StockLevel, StockMovement
from hanout.inventory.services import MoveLine
from hanout.inventory.tests.stockdata import level_of, make_location, make_product
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def stock(owner):
    business = owner.business
    floor = make_location(business, default=True)
    back = make_location(business, "Back room")
    croissant = make_product(business, "Croissant", sku="9012")
    return business, owner.user, floor, back, croissant


def receive(business, actor, product, location, qty, cost="1.00"):
    return services.stock_receive(
        business=business,
        actor=actor,
        product=product,
        location=location,
        quantity=D(qty),
        unit_cost=D(cost),
    )


def post_move(api, product, location, quantity, reason="receipt", **extra):
    body = {
        "product": str(product.pk),
        "location": str(location.pk),
        "quantity": str(quantity),
        "reason": reason,
        **extra,
    }
    return api.post("/api/v1/stock-movements/", body, format="json")


# --- movements ---------------------------------------------------------------------------------


def test_posting_a_receipt_answers_the_movement_and_moves_the_level(owner_api, stock):
    business, _, floor, _, croissant = stock
    r = post_move(owner_api, croissant, floor, "12", unit_cost="0.35", reference="BL-7")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["reason"] == "receipt" and body["quantity"] == "12.000"
    assert body["balance_after"] == "12.000" and body["unit_cost"] == "0.350"
    assert body["product"]["name"] == "Croissant" and body["location"]["id"] == str(floor.pk)
    assert level_of(croissant, floor) == 12
    listed = owner_api.get("/api/v1/stock-movements/", {"product": str(croissant.pk)}).json()
    assert [m["id"] for m in listed["results"]] == [body["id"]]


def test_the_same_client_uuid_twice_gives_one_movement_and_the_same_answer(owner_api, stock):
    _, _, floor, _, croissant = stock
    key = str(uuid.uuid4())
    first = post_move(owner_api, croissant, floor, "5", client_uuid=key)
    again = post_move(owner_api, croissant, floor, "5.000", client_uuid=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert StockMovement.objects.filter(product=croissant).count() == 1
    other = post_move(owner_api, croissant, floor, "6", client_uuid=key)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert level_of(croissant, floor) == 5


def test_a_removal_beyond_what_is_on_hand_is_a_clear_400(owner_api, stock):
    business, actor, floor, _, croissant = stock
    receive(business, actor, croissant, floor, 2)
    r = post_move(owner_api, croissant, floor, "-3", reason="write_off", note="burnt")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert "Croissant" in error["message"] and "2 available" in error["message"]
    assert "quantity" in error["fields"]
    assert level_of(croissant, floor) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"quantity": "1.0001"}, "quantity"),
        ({"quantity": "-2"}, "quantity"),  # a negative receipt
        ({"quantity": "2.5"}, "quantity"),  # pieces
        ({"reason": "sale"}, "reason"),  # sales come from the register
        ({"reason": "teleport"}, "reason"),
        ({"unit_cost": "-1"}, "unit_cost"),
        ({"product": "not-a-uuid"}, "product"),
        ({"client_uuid": "nope"}, "client_uuid"),
        ({"reason": "adjustment", "note": ""}, "note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(owner_api, stock, change, field):
    _, _, floor, _, croissant = stock
    body = {
        "product": str(croissant.pk),
        "location": str(floor.pk),
        "quantity": "2",
        "reason": "receipt",
        **change,
    }
    r = owner_api.post("/api/v1/stock-movements/", body, format="json")
    assert r.status_code == 400, r.json()
    assert field in r.json()["error"]["fields"]
    assert not StockMovement.objects.exists()


def test_another_businesss_product_or_location_in_the_body_is_a_404(owner_api, stock, other_owner):
    _, _, floor, _, croissant = stock
    theirs = make_product(other_owner.business)
    their_room = make_location(other_owner.business)
    r = post_move(owner_api, theirs, floor, "1")
    assert r.status_code == 404 and "product" in r.json()["error"]["fields"]
    r = post_move(owner_api, croissant, their_room, "1")
    assert r.status_code == 404 and "location" in r.json()["error"]["fields"]
    assert not StockMovement.objects.exists()


def test_a_read_only_member_reads_but_cannot_post(owner, stock, member_factory):
    from hanout.accounts import services as accounts

    _, _, floor, _, croissant = stock
    clerk = member_factory(role=Role.STAFF)
    accounts.module_access_set(
        actor_membership=owner, membership=clerk, levels={Module.STOCK: Level.READ}
    )
    api = api_client_for(clerk)
    assert api.get("/api/v1/stock-levels/").status_code == 200
    r = post_move(api, croissant, floor, "1")
    assert r.status_code == 403 and "read-only" in r.json()["error"]["message"]
    cashier = api_client_for(member_factory(role=Role.CASHIER))
    assert cashier.get("/api/v1/stock-levels/").status_code == 403


# --- transfers ---------------------------------------------------------------------------------


def test_a_transfer_answers_both_legs(owner_api, stock):
    business, actor, floor, back, croissant = stock
    receive(business, actor, croissant, back, 10)
    body = {
        "product": str(croissant.pk),
        "from_location": str(back.pk),
        "to_location": str(floor.pk),
        "quantity": "4",
        "client_uuid": str(uuid.uuid4()),
    }
    r = owner_api.post("/api/v1/stock-transfers/", body, format="json")
    assert r.status_code == 201, r.json()
    out = r.json()
    assert out["transfer_out"]["quantity"] == "-4.000" and out["transfer_in"]["quantity"] == "4.000"
    assert out["transfer_out"]["group"] == out["transfer_in"]["group"] == out["group"]
    again = owner_api.post("/api/v1/stock-transfers/", body, format="json")
    assert again.json() == out
    assert (level_of(croissant, back), level_of(croissant, floor)) == (6, 4)


def test_a_transfer_to_the_same_place_or_another_tenant_is_refused(owner_api, stock, other_owner):
    _, _, floor, _, croissant = stock
    body = {"product": str(croissant.pk), "from_location": str(floor.pk), "quantity": "1"}
    r = owner_api.post(
        "/api/v1/stock-transfers/", {**body, "to_location": str(floor.pk)}, format="json"
    )
    assert r.status_code == 400 and "to_location" in r.json()["error"]["fields"]
    their_room = make_location(other_owner.business)
    r = owner_api.post(
        "/api/v1/stock-transfers/", {**body, "to_location": str(their_room.pk)}, format="json"
    )
    assert r.status_code == 404 and "to_location" in r.json()["error"]["fields"]


# --- levels and thresholds ---------------------------------------------------------------------


def test_levels_list_filters_and_thresholds_are_set_with_patch(owner_api, stock):
    business, actor, floor, back, croissant = stock
    cafe = make_product(business, "Café", sku="0000")
    receive(business, actor, croissant, floor, 8)
    receive(business, actor, cafe, back, 3)
    body = owner_api.get("/api/v1/stock-levels/", {"search": "caf"}).json()
    assert [lvl["product"]["name"] for lvl in body["results"]] == ["Café"]
    body = owner_api.get("/api/v1/stock-levels/", {"location": str(floor.pk)}).json()
    assert [lvl["product"]["sku"] for lvl in body["results"]] == ["9012"]
    level = StockLevel.objects.get(product=croissant, location=floor)
    r = owner_api.patch(
        f"/api/v1/stock-levels/{level.pk}/",
        {"reorder_point": "10", "reorder_quantity": "24"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["is_low"] is True and r.json()["reorder_point"] == "10.000"
    low = owner_api.get("/api/v1/stock/low/").json()
    assert [lvl["id"] for lvl in low["results"]] == [str(level.pk)]
    assert owner_api.get("/api/v1/stock-levels/", {"low": "true"}).json()["results"][0][
        "id"
    ] == str(level.pk)
    r = owner_api.patch(
        f"/api/v1/stock-levels/{level.pk}/", {"reorder_quantity": "0"}, format="json"
    )
    assert r.status_code == 400 and "reorder_quantity" in r.json()["error"]["fields"]
    r = owner_api.patch(f"/api/v1/stock-levels/{level.pk}/", {"reorder_point": None}, format="json")
    assert r.json()["is_low"] is False and r.json()["reorder_quantity"] == "24.000"


def test_another_tenants_level_count_or_location_is_a_404(stock, other_owner):
    business, actor, floor, _, croissant = stock
    receive(business, actor, croissant, floor, 1)
    level = StockLevel.objects.get(product=croissant)
    count = services.stock_count_start(location=floor, actor=actor)
    movement = StockMovement.objects.first()
    theirs = api_client_for(other_owner)
    assert theirs.get(f"/api/v1/stock-levels/{level.pk}/").status_code == 404
    assert theirs.patch(f"/api/v1/stock-levels/{level.pk}/", {}, format="json").status_code == 404
    assert theirs.get(f"/api/v1/locations/{floor.pk}/").status_code == 404
    assert theirs.get(f"/api/v1/stock-movements/{movement.pk}/").status_code == 404
    assert theirs.post(f"/api/v1/stock-counts/{count.pk}/validate/").status_code == 404
    assert (
        theirs.put(f"/api/v1/stock-counts/{count.pk}/lines/", {}, format="json").status_code == 404
    )
    r = theirs.post("/api/v1/stock-counts/", {"location": str(floor.pk)}, format="json")
    assert r.status_code == 404
    assert theirs.get("/api/v1/stock-levels/").json()["results"] == []
    StockCount.objects.get(pk=count.pk)  # untouched


# --- locations ---------------------------------------------------------------------------------


def test_locations_are_created_listed_and_changed(owner_api, stock):
    business, _, floor, back, _ = stock
    r = owner_api.post(
        "/api/v1/locations/",
        {"shop": str(floor.shop_id), "name": "Warehouse", "kind": "warehouse"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    new_id = r.json()["id"]
    dup = owner_api.post(
        "/api/v1/locations/", {"shop": str(floor.shop_id), "name": "warehouse"}, format="json"
    )
    assert dup.status_code == 400 and "name" in dup.json()["error"]["fields"]
    r = owner_api.patch(f"/api/v1/locations/{new_id}/", {"is_default": True}, format="json")
    assert r.status_code == 200 and r.json()["is_default"] is True
    names = [loc["name"] for loc in owner_api.get("/api/v1/locations/").json()["results"]]
    assert sorted(names) == sorted([floor.name, back.name, "Warehouse"])
    r = owner_api.patch(f"/api/v1/locations/{new_id}/", {"is_active": False}, format="json")
    assert r.status_code == 400


# --- counts ------------------------------------------------------------------------------------


def test_a_count_sheet_through_the_api(owner_api, stock):
    business, actor, floor, _, croissant = stock
    cafe = make_product(business, "Café")
    receive(business, actor, croissant, floor, 10)
    r = owner_api.post("/api/v1/stock-counts/", {"location": str(floor.pk)}, format="json")
    assert r.status_code == 201, r.json()
    count_id = r.json()["id"]
    again = owner_api.post("/api/v1/stock-counts/", {"location": str(floor.pk)}, format="json")
    assert again.status_code == 409
    url = f"/api/v1/stock-counts/{count_id}/"
    r = owner_api.post(
        url + "lines/",
        {
            "lines": [
                {"product": str(croissant.pk), "counted": "7"},
                {"product": str(cafe.pk), "counted": "1"},
            ]
        },
        format="json",
    )
    assert r.status_code == 200 and len(r.json()["lines"]) == 2
    r = owner_api.put(
        url + "lines/", {"lines": [{"product": str(croissant.pk), "counted": "8"}]}, format="json"
    )
    assert [(line["product"]["name"], line["counted"]) for line in r.json()["lines"]] == [
        ("Croissant", "8.000")
    ]
    bad = owner_api.post(
        url + "lines/", {"lines": [{"product": str(cafe.pk), "counted": "-1"}]}, format="json"
    )
    assert bad.status_code == 400
    r = owner_api.post(url + "validate/")
    assert r.status_code == 200
    line = r.json()["lines"][0]
    assert r.json()["status"] == "validated" and line["expected"] == "10.000" and line["movement"]
    assert level_of(croissant, floor) == 8
    assert owner_api.post(url + "cancel/").status_code == 409
    assert owner_api.post(url + "lines/", {"lines": []}, format="json").status_code == 409
    listed = owner_api.get("/api/v1/stock-counts/", {"status": "validated"}).json()["results"]
    assert [c["id"] for c in listed] == [count_id]


# --- reports -----------------------------------------------------------------------------------


def test_valuation_as_json_and_csv(owner_api, stock):
    business, actor, floor, back, croissant = stock
    receive(business, actor, croissant, floor, 10, "0.40")
    receive(business, actor, croissant, back, 10, "0.60")
    body = owner_api.get("/api/v1/stock/valuation/").json()
    assert D(body["total"]) == D("10.00") and body["group_by"] == "location"
    assert {row["label"].split(" · ")[-1]: D(row["value"]) for row in body["rows"]} == {
        floor.name: D("5.00"),
        back.name: D("5.00"),
    }
    r = owner_api.get("/api/v1/stock/valuation/", {"format": "csv", "group_by": "category"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][0] == "Category" and rows[-1] == ["Total", "", "20.000", "10.00"]
    early = owner_api.get("/api/v1/stock/valuation/", {"at": "2000-01-01"}).json()
    assert D(early["total"]) == 0 and early["rows"] == []
    bad = owner_api.get("/api/v1/stock/valuation/", {"at": "yesterday"})
    assert bad.status_code == 400 and "at" in bad.json()["error"]["fields"]
    bad = owner_api.get("/api/v1/stock/valuation/", {"format": "xml"})
    assert bad.status_code == 400 and "format" in bad.json()["error"]["fields"]


def test_restock_suggestions_grouped_by_supplier(owner_api, stock):
    business, actor, floor, _, croissant = stock
    receive(business, actor, croissant, floor, 10)
    services.stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(croissant, floor, D(-9))],
        reason="sale",
    )
    body = owner_api.get("/api/v1/stock/restock-suggestions/", {"days": 3}).json()
    assert body["days"] == 3 and body["groups"][0]["supplier"] is None
    line = body["groups"][0]["lines"][0]
    # 9 sold in 3 days = 3 a day × 7 review days = 21 − 1 on hand = 20
    assert line["product"]["name"] == "Croissant" and line["quantity"] == "20.000"
    assert owner_api.get("/api/v1/stock/restock-suggestions/", {"days": 0}).status_code == 400


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stock-levels/",
        "/api/v1/stock-movements/",
        "/api/v1/locations/",
        "/api/v1/stock-counts/",
        "/api/v1/stock/low/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(owner_api, stock, path, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    business, actor, floor, _, _ = stock

    def add_rows(n):
        for _i in range(n):
            p = make_product(business)
            room = make_location(business)
            receive(business, actor, p, room, 1)
            services.stock_level_set_thresholds(
                business=business,
                actor=actor,
                product=p,
                location=room,
                reorder_point=D(5),
                reorder_quantity=None,
            )
            services.stock_count_start(location=room, actor=actor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            r = owner_api.get(path)
        assert r.status_code == 200
        return len(ctx.captured_queries), len(r.json()["results"])

    add_rows(2)
    queries()  # the token's first use of the day is written down once
    few, rows_few = queries()
    add_rows(6)
    many, rows_many = queries()
    assert rows_many > rows_few > 0
    assert many == few
