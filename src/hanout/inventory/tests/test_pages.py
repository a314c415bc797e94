"""The stock pages, driven through Django's test client like a person would:
levels, the ledger and its forms, transfers, locations, counts, low stock and
valuation. Each list's query count is checked not to grow with its rows.
"""

from __future__ import annotations

import io
import re
import subprocess
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hanout.accounts import services as accounts
from hanout.catalog import services as catalog
from hanout.core.models import Shop
from hanout.core.permissions import Level, Module, Role
from hanout.inventory import services, views
from hanout.inventory.models import (
    CountStatus,
    Location,
    MovementReason,
    StockCount,
    StockLevel,
    StockMovement,
)
from hanout.suppliers import services as suppliers
from tests.conftest import login
from tests.factories import make_member

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


# --- builders ------------------------------------------------------------------------------------


def shop_of(business) -> Shop:
    return Shop.objects.filter(business=business).order_by("created_at").first()


def floor(membership) -> Location:
    return services.default_location(shop=shop_of(membership.business))


def back_room(membership, name="Back room") -> Location:
    return services.location_create(
        business=membership.business,
        actor=membership.user,
        shop=shop_of(membership.business),
        name=name,
        kind="backroom",
    )


_n = iter(range(1, 10**9))


def product(membership, name=None, *, unit="piece", barcode=None, sku=None, cost="1.00"):
    n = next(_n)
    data = {
        "name": name or f"Product {n:04d}",
        "sku": sku if sku is not None else f"A{n}",
        "unit": unit,
        "sale_price": Decimal("2.50"),
        "cost": Decimal(cost),
    }
    if barcode:
        data["barcodes"] = [barcode]
    return catalog.product_create(business=membership.business, actor=membership.user, data=data)


def receive(membership, prod, location, qty, cost="1.00"):
    return services.stock_receive(
        business=membership.business,
        actor=membership.user,
        product=prod,
        location=location,
        quantity=Decimal(qty),
        unit_cost=Decimal(cost),
    )


def client_for(membership) -> Client:
    return login(Client(), membership)


def reader(owner):
    member = make_member(owner, role=Role.STAFF)
    accounts.module_access_set(
        actor_membership=owner, membership=member, levels={Module.STOCK: Level.READ}
    )
    return member


def level_of(prod, location) -> Decimal:
    return StockLevel.objects.get(product=prod, location=location).quantity


def queries_for(client, url, **extra) -> int:
    """Queries of a warm request (per-process caches such as the time zone already filled)."""
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- stock levels ----------------------------------------------------------------------------------


def test_levels_page_lists_each_product_and_location_with_its_figures(owner, owner_client):
    shelf, back = floor(owner), back_room(owner)
    flour = product(owner, "Flour", unit="kg", sku="FL1")
    receive(owner, flour, shelf, "12.5")
    receive(owner, flour, back, "40")
    services.stock_level_set_thresholds(
        business=owner.business,
        actor=owner.user,
        product=flour,
        location=shelf,
        reorder_point=Decimal(20),
        reorder_quantity=Decimal(25),
    )
    page = owner_client.get(reverse("stock_levels")).content.decode()
    assert page.count('<tr id="level-') == 2
    assert "12.5" in page and "40" in page and "Low" in page
    assert reverse("stock_movements") in page and reverse("stock_count_list") in page  # sub-nav
    assert reverse("product_detail", args=[flour.pk]) in page

    low_only = owner_client.get(reverse("stock_levels"), {"low": "on"}).content.decode()
    assert low_only.count('<tr id="level-') == 1
    by_location = owner_client.get(reverse("stock_levels"), {"location": back.pk}).content.decode()
    assert by_location.count('<tr id="level-') == 1 and "40" in by_location
    by_sku = owner_client.get(reverse("stock_levels"), {"q": "FL1"}).content.decode()
    assert by_sku.count('<tr id="level-') == 2
    none = owner_client.get(reverse("stock_levels"), {"q": "nothing-like-it"}).content.decode()
    assert "No stock matches these filters." in none


def test_levels_filter_by_htmx_returns_only_the_rows(owner, owner_client):
    receive(owner, product(owner, "Tea"), floor(owner), "3")
    response = owner_client.get(
        reverse("stock_levels"), {"q": "Tea"}, HTTP_HX_TARGET="level-rows", **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and '<tr id="level-' in body


def test_levels_page_counts_nothing_and_survives_a_tampered_cursor(owner, owner_client):
    receive(owner, product(owner, "Apple"), floor(owner), "1")
    with CaptureQueriesContext(connection) as ctx:
        assert owner_client.get(reverse("stock_levels")).status_code == 200
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    # A tampered cursor falls back to the first page instead of failing.
    for bad in ("not-a-cursor", "WyJ4IiwieSJd"):  # the second is ["x","y"]
        page = owner_client.get(reverse("stock_levels"), {"after": bad})
        assert page.status_code == 200 and "Apple" in page.content.decode()


def test_levels_keyset_pages_hold_every_row_once(owner, owner_client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    shelf = floor(owner)
    for name in ("Apple", "Bread", "Cheese", "Dates", "Eggs"):
        receive(owner, product(owner, name), shelf, "1")
    found, params = [], {}
    for _ in range(5):
        page = owner_client.get(reverse("stock_levels"), params).content.decode()
        found += re.findall(r"/\">(Apple|Bread|Cheese|Dates|Eggs)</a>", page)
        cursor = re.search(r'after=([\w-]+)" rel="next"', page)
        if not cursor:
            break
        params = {"after": cursor.group(1)}
    assert found == ["Apple", "Bread", "Cheese", "Dates", "Eggs"]


def test_levels_query_count_does_not_grow_with_rows(owner, owner_client):
    shelf = floor(owner)
    for _ in range(5):
        receive(owner, product(owner), shelf, "1")
    few = queries_for(owner_client, reverse("stock_levels"))
    for _ in range(25):
        receive(owner, product(owner), shelf, "1")
    assert queries_for(owner_client, reverse("stock_levels")) == few


def test_threshold_edited_inline_with_htmx(owner, owner_client):
    shelf = floor(owner)
    salt = product(owner, "Salt")
    receive(owner, salt, shelf, "4")
    level = StockLevel.objects.get(product=salt, location=shelf)
    url = reverse("stock_level_thresholds", args=[level.pk])

    form = owner_client.get(url, **HX).content.decode()
    assert 'name="reorder_point"' in form and "<html" not in form

    saved = owner_client.post(url, {"reorder_point": "5", "reorder_quantity": "10"}, **HX)
    assert saved.status_code == 200
    assert f'id="level-{level.pk}"' in saved.content.decode() and "Low" in saved.content.decode()
    level.refresh_from_db()
    assert level.reorder_point == 5 and level.reorder_quantity == 10 and level.is_low

    cancelled = owner_client.get(url, {"cancel": "1"}, **HX).content.decode()
    assert 'name="reorder_point"' not in cancelled


def test_threshold_errors_show_beside_the_field(owner, owner_client):
    shelf = floor(owner)
    salt = product(owner, "Salt")
    receive(owner, salt, shelf, "4")
    level = StockLevel.objects.get(product=salt, location=shelf)
    url = reverse("stock_level_thresholds", args=[level.pk])
    # Whole numbers for a product sold by the piece: the service says so, beside the field.
    response = owner_client.post(url, {"reorder_point": "1.5", "reorder_quantity": "0"}, **HX)
    assert response.status_code == 200  # htmx swaps only 2xx: the row comes back with its errors
    body = response.content.decode()
    assert body.count("invalid-feedback") >= 1 and "is-invalid" in body
    level.refresh_from_db()
    assert level.reorder_point is None


def test_threshold_without_htmx_redirects_back(owner, owner_client):
    shelf = floor(owner)
    salt = product(owner, "Salt")
    receive(owner, salt, shelf, "4")
    level = StockLevel.objects.get(product=salt, location=shelf)
    url = reverse("stock_level_thresholds", args=[level.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, {"reorder_point": "2", "reorder_quantity": ""})
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.reorder_point == 2 and level.reorder_quantity is None


# --- read-only people and other tenants --------------------------------------------------------------


def test_reader_sees_no_edit_controls_and_cannot_post(owner):
    shelf = floor(owner)
    salt = product(owner, "Salt")
    receive(owner, salt, shelf, "4")
    level = StockLevel.objects.get(product=salt, location=shelf)
    count = services.stock_count_start(location=shelf, actor=owner.user)
    client = client_for(reader(owner))

    for name, args in [
        ("stock_levels", []),
        ("stock_movements", []),
        ("location_list", []),
        ("stock_count_list", []),
        ("stock_count_detail", [count.pk]),
        ("stock_low", []),
        ("stock_valuation", []),
    ]:
        page = client.get(reverse(name, args=args))
        assert page.status_code == 200, name
        body = page.content.decode()
        for control in (
            reverse("stock_receive"),
            reverse("stock_level_thresholds", args=[level.pk]),
            reverse("location_edit", args=[shelf.pk]),
            reverse("stock_count_scan", args=[count.pk]),
            'name="location"\n',
            "Start counting",
            "Add the location",
        ):
            assert control not in body, (name, control)

    refused = [
        (reverse("stock_level_thresholds", args=[level.pk]), {"reorder_point": "1"}),
        (reverse("stock_receive"), {"product": salt.pk, "location": shelf.pk, "quantity": "1"}),
        (reverse("stock_transfer"), {}),
        (reverse("location_list"), {"name": "X"}),
        (reverse("location_edit", args=[shelf.pk]), {"name": "X"}),
        (reverse("stock_count_list"), {"location": shelf.pk}),
        (reverse("stock_count_scan", args=[count.pk]), {"product": "A1"}),
        (reverse("stock_count_line", args=[count.pk]), {"product": salt.pk, "counted": "1"}),
        (reverse("stock_count_validate", args=[count.pk]), {}),
        (reverse("stock_count_cancel", args=[count.pk]), {}),
    ]
    for url, data in refused:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Not allowed" in response.content.decode()
    for name in ("stock_receive", "stock_adjust", "stock_write_off", "stock_transfer"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("stock_count_review", args=[count.pk])).status_code == 403
    assert StockMovement.objects.filter(business=owner.business).count() == 1
    count.refresh_from_db()
    assert count.status == CountStatus.OPEN


def test_cashier_without_stock_access_is_refused(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    response = client_for(cashier).get(reverse("stock_levels"))
    assert response.status_code == 403


def test_another_business_ids_are_not_found(owner, other_owner, owner_client):
    theirs_shelf = floor(other_owner)
    theirs = product(other_owner, "Their tea")
    receive(other_owner, theirs, theirs_shelf, "5")
    level = StockLevel.objects.get(product=theirs)
    count = services.stock_count_start(location=theirs_shelf, actor=other_owner.user)
    for url in [
        reverse("stock_level_thresholds", args=[level.pk]),
        reverse("location_edit", args=[theirs_shelf.pk]),
        reverse("stock_count_detail", args=[count.pk]),
        reverse("stock_count_review", args=[count.pk]),
    ]:
        assert owner_client.get(url).status_code == 404, url
    for url in [
        reverse("stock_level_thresholds", args=[level.pk]),
        reverse("stock_count_scan", args=[count.pk]),
        reverse("stock_count_line", args=[count.pk]),
        reverse("stock_count_validate", args=[count.pk]),
        reverse("stock_count_cancel", args=[count.pk]),
    ]:
        assert owner_client.post(url, {"reorder_point": "1"}).status_code == 404, url
    # Their product or location in a form is "not found" beside the field, nothing posted.
    mine = floor(owner)
    response = owner_client.post(
        reverse("stock_receive"),
        {
            "product": theirs.pk,
            "location": mine.pk,
            "quantity": "1",
            "unit_cost": "1",
            "client_uuid": uuid.uuid4(),
        },
    )
    assert response.status_code == 400 and "No product has" in response.content.decode()
    response = owner_client.post(
        reverse("stock_receive"),
        {
            "product": "A1",
            "location": theirs_shelf.pk,
            "quantity": "1",
            "unit_cost": "1",
            "client_uuid": uuid.uuid4(),
        },
    )
    assert response.status_code == 400
    assert not StockMovement.objects.filter(business=owner.business).exists()
    # Their rows never show in my lists.
    assert "Their tea" not in owner_client.get(reverse("stock_levels")).content.decode()
    assert "Their tea" not in owner_client.get(reverse("stock_movements")).content.decode()


# --- the ledger and its forms -------------------------------------------------------------------------


def test_receipt_posts_once_even_when_submitted_twice(owner, owner_client):
    shelf = floor(owner)
    milk = product(owner, "Milk", barcode="5449000000996")
    form = owner_client.get(reverse("stock_receive"), {"product": milk.pk}).content.decode()
    client_uuid = re.search(r'name="client_uuid" value="([0-9a-f-]{36})"', form).group(1)
    data = {
        "product": "5449000000996",  # scanned
        "location": shelf.pk,
        "quantity": "12",
        "unit_cost": "0.80",
        "reference": "BL-2041",
        "note": "",
        "client_uuid": client_uuid,
    }
    first = owner_client.post(reverse("stock_receive"), data)
    second = owner_client.post(reverse("stock_receive"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"{reverse('stock_movements')}?product={milk.pk}"
    assert StockMovement.objects.filter(product=milk).count() == 1
    assert level_of(milk, shelf) == 12
    ledger = owner_client.get(first["Location"]).content.decode()
    assert "BL-2041" in ledger and "+12" in ledger and "Receipt" in ledger
    assert owner.user.full_name in ledger
    # A fresh form gets a fresh key.
    again = owner_client.get(reverse("stock_receive")).content.decode()
    assert client_uuid not in again


def test_receipt_form_rejects_bad_input_beside_the_field(owner, owner_client):
    shelf = floor(owner)
    response = owner_client.post(
        reverse("stock_receive"),
        {
            "product": "no-such-code",
            "location": shelf.pk,
            "quantity": "-3",
            "unit_cost": "abc",
            "client_uuid": uuid.uuid4(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "No product has the barcode, article number or name" in body
    assert 'id="id_quantity_error"' in body and 'id="id_unit_cost_error"' in body
    assert not StockMovement.objects.exists()


def test_adjustment_needs_a_note_and_a_change(owner, owner_client):
    shelf = floor(owner)
    eggs = product(owner, "Eggs", sku="EGG")
    receive(owner, eggs, shelf, "10")
    base = {"product": "EGG", "location": shelf.pk, "client_uuid": uuid.uuid4()}
    no_note = owner_client.post(reverse("stock_adjust"), {**base, "quantity": "-2", "note": ""})
    assert no_note.status_code == 400 and 'id="id_note_error"' in no_note.content.decode()
    neither = owner_client.post(reverse("stock_adjust"), {**base, "note": "found"})
    assert (
        neither.status_code == 400
        and "Enter a change or a new quantity." in neither.content.decode()
    )
    by_change = owner_client.post(
        reverse("stock_adjust"), {**base, "quantity": "-2", "note": "broken"}
    )
    assert by_change.status_code == 302
    assert level_of(eggs, shelf) == 8
    to_new = owner_client.post(
        reverse("stock_adjust"),
        {**base, "client_uuid": uuid.uuid4(), "new_quantity": "11", "note": "found a box"},
    )
    assert to_new.status_code == 302
    assert level_of(eggs, shelf) == 11


def test_write_off_refused_beyond_what_is_on_hand(owner, owner_client):
    shelf = floor(owner)
    eggs = product(owner, "Eggs", sku="EGG")
    receive(owner, eggs, shelf, "3")
    data = {
        "product": "EGG",
        "location": shelf.pk,
        "quantity": "5",
        "note": "dropped",
        "client_uuid": uuid.uuid4(),
    }
    response = owner_client.post(reverse("stock_write_off"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_quantity_error"' in body and "Not enough" in body
    assert level_of(eggs, shelf) == 3
    no_note = owner_client.post(reverse("stock_write_off"), {**data, "quantity": "1", "note": ""})
    assert no_note.status_code == 400
    ok = owner_client.post(reverse("stock_write_off"), {**data, "quantity": "1"})
    assert ok.status_code == 302
    assert level_of(eggs, shelf) == 2
    assert StockMovement.objects.get(reason=MovementReason.WRITE_OFF).quantity == -1


def test_ledger_filters_by_product_location_reason_and_local_dates(owner, owner_client):
    shelf, back = floor(owner), back_room(owner)
    tea, rice = product(owner, "Tea", sku="TEA"), product(owner, "Rice", sku="RICE")
    receive(owner, tea, shelf, "5")
    receive(owner, rice, back, "7")
    services.stock_transfer(
        business=owner.business,
        actor=owner.user,
        product=rice,
        from_location=back,
        to_location=shelf,
        quantity=Decimal(2),
    )
    url = reverse("stock_movements")

    def rows(**params):
        return owner_client.get(url, params).content.decode().count("<time ")

    assert rows() == 4
    assert rows(product="TEA") == 1
    assert rows(product=str(rice.pk)) == 3
    assert rows(location=back.pk) == 2
    assert rows(reason="transfer_in") == 1
    today = timezone.localdate()  # the business's zone is active in the request, not here
    assert rows(since=today.isoformat(), until=today.isoformat()) == 4
    assert rows(since=(today + timedelta(days=2)).isoformat()) == 0
    assert rows(until=(today - timedelta(days=2)).isoformat()) == 0
    bad = owner_client.get(url, {"since": "2025-05-10", "until": "2025-05-01", "product": "zz"})
    assert bad.status_code == 200 and "Some filters were not understood" in bad.content.decode()


def test_ledger_day_is_read_in_the_business_time_zone(owner, owner_client):
    """A movement at 23:30 in Brussels belongs to that day, not the next (UTC) one."""
    shelf = floor(owner)
    tea = product(owner, "Tea")
    movement = receive(owner, tea, shelf, "5")
    brussels = timezone.localtime(
        movement.created_at, timezone=__import__("zoneinfo").ZoneInfo("Europe/Brussels")
    )
    day = brussels.date()
    page = owner_client.get(reverse("stock_movements"), {"since": day, "until": day})
    assert page.content.decode().count("<time ") == 1


def test_ledger_query_count_does_not_grow_with_rows(owner, owner_client):
    shelf = floor(owner)
    tea = product(owner, "Tea")
    for _ in range(5):
        receive(owner, tea, shelf, "1")
    few = queries_for(owner_client, reverse("stock_movements"))
    others = [product(owner) for _ in range(5)]
    for i in range(25):
        receive(owner, others[i % 5], shelf, "1")
    assert queries_for(owner_client, reverse("stock_movements")) == few


def test_ledger_pages_by_keyset(owner, owner_client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    shelf = floor(owner)
    tea = product(owner, "Tea")
    for _ in range(7):
        receive(owner, tea, shelf, "1")
    seen, params = 0, {}
    for _ in range(5):
        page = owner_client.get(reverse("stock_movements"), params).content.decode()
        seen += page.count("<time ")
        cursor = re.search(r'after=([\w-]+)" rel="next"', page)
        if not cursor:
            break
        params = {"after": cursor.group(1)}
    assert seen == 7


# --- transfers -------------------------------------------------------------------------------------------


def test_transfer_moves_stock_and_explains_refusals(owner, owner_client):
    shelf, back = floor(owner), back_room(owner)
    rice = product(owner, "Rice", sku="RICE")
    receive(owner, rice, back, "4")
    base = {"product": "RICE", "note": "", "client_uuid": uuid.uuid4()}

    same = owner_client.post(
        reverse("stock_transfer"),
        {**base, "from_location": back.pk, "to_location": back.pk, "quantity": "1"},
    )
    assert same.status_code == 400 and 'id="id_to_location_error"' in same.content.decode()

    short = owner_client.post(
        reverse("stock_transfer"),
        {**base, "from_location": back.pk, "to_location": shelf.pk, "quantity": "9"},
    )
    assert short.status_code == 400
    assert 'id="id_quantity_error"' in short.content.decode()
    assert "Not enough" in short.content.decode()

    data = {**base, "from_location": back.pk, "to_location": shelf.pk, "quantity": "3"}
    assert owner_client.post(reverse("stock_transfer"), data).status_code == 302
    assert owner_client.post(reverse("stock_transfer"), data).status_code == 302  # double submit
    assert level_of(rice, back) == 1 and level_of(rice, shelf) == 3

    prefilled = owner_client.get(
        reverse("stock_transfer"), {"product": rice.pk, "location": back.pk}
    ).content.decode()
    assert str(rice.pk) in prefilled


# --- locations -------------------------------------------------------------------------------------------


def test_locations_created_renamed_made_default_and_deactivated(owner, owner_client):
    shelf = floor(owner)
    shop = shop_of(owner.business)
    created = owner_client.post(
        reverse("location_list"),
        {"shop": shop.pk, "name": "Cellar", "kind": "warehouse", "is_default": ""},
    )
    assert created.status_code == 302
    cellar = Location.objects.get(name="Cellar")
    duplicate = owner_client.post(
        reverse("location_list"), {"shop": shop.pk, "name": "cellar", "kind": "warehouse"}
    )
    assert duplicate.status_code == 400 and 'id="id_name_error"' in duplicate.content.decode()

    page = owner_client.get(reverse("location_list")).content.decode()
    assert "Cellar" in page and shop.name in page and "Register sells from here" in page

    edit = reverse("location_edit", args=[cellar.pk])
    assert owner_client.get(edit).status_code == 200
    renamed = owner_client.post(
        edit, {"name": "Cold cellar", "kind": "warehouse", "is_active": "on"}
    )
    assert renamed.status_code == 302
    made_default = owner_client.post(
        edit, {"name": "Cold cellar", "kind": "warehouse", "is_default": "on", "is_active": "on"}
    )
    assert made_default.status_code == 302
    cellar.refresh_from_db()
    shelf.refresh_from_db()
    assert cellar.name == "Cold cellar" and cellar.is_default and not shelf.is_default

    # The selling location cannot be deactivated: the service says so beside the field.
    refused = owner_client.post(
        edit, {"name": "Cold cellar", "kind": "warehouse", "is_default": "on"}
    )
    assert refused.status_code == 400 and 'id="id_is_active_error"' in refused.content.decode()
    deactivated = owner_client.post(
        reverse("location_edit", args=[shelf.pk]), {"name": shelf.name, "kind": "floor"}
    )
    assert deactivated.status_code == 302
    shelf.refresh_from_db()
    assert not shelf.is_active


# --- counts ----------------------------------------------------------------------------------------------


def start_count(owner_client, location) -> StockCount:
    response = owner_client.post(reverse("stock_count_list"), {"location": location.pk})
    assert response.status_code == 302
    return StockCount.objects.get(location=location, status=CountStatus.OPEN)


def test_count_sheet_from_start_to_validation(owner, owner_client):
    shelf = floor(owner)
    flour = product(owner, "Flour", unit="kg", sku="FL")
    jam = product(owner, "Jam", barcode="4006381333931")
    olives = product(owner, "Olives", sku="OL")
    receive(owner, flour, shelf, "10")
    receive(owner, jam, shelf, "6")
    receive(owner, olives, shelf, "3")
    count = start_count(owner_client, shelf)
    assert owner_client.post(reverse("stock_count_list"), {"location": shelf.pk}).status_code == 409

    sheet_url = reverse("stock_count_detail", args=[count.pk])
    sheet = owner_client.get(sheet_url).content.decode()
    assert "hidden while you count" in sheet
    # The expected quantities are not on the sheet.
    assert "Expected" not in sheet and ">10<" not in sheet

    unknown = owner_client.post(
        reverse("stock_count_scan", args=[count.pk]), {"product": "999"}, **HX
    )
    assert unknown.status_code == 200 and "No product has" in unknown.content.decode()

    scanned = owner_client.post(
        reverse("stock_count_scan", args=[count.pk]), {"product": "4006381333931"}, **HX
    )
    body = scanned.content.decode()
    assert scanned.status_code == 200 and "Jam" in body and 'name="counted"' in body
    assert "<html" not in body

    saved = owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "5"}, **HX
    )
    body = saved.content.decode()
    assert saved.status_code == 200 and 'hx-swap-oob="true"' in body and "Saved: Jam" in body
    owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": flour.pk, "counted": "9.75"}, **HX
    )
    bad = owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "-1"}, **HX
    )
    assert bad.status_code == 200 and "count-counted-error" in bad.content.decode()
    half_jar = owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "2.5"}, **HX
    )
    assert half_jar.status_code == 200 and "count-counted-error" in half_jar.content.decode()

    # Scanning a product already counted shows what was counted, to correct it.
    again = owner_client.post(
        reverse("stock_count_scan", args=[count.pk]), {"product": str(jam.pk)}, **HX
    )
    assert "already counted: 5" in again.content.decode()

    review = owner_client.get(reverse("stock_count_review", args=[count.pk]), **HX).content.decode()
    assert "Jam" in review and "Flour" in review and "−1" in review and "−0.25" in review
    assert "Olives" not in review  # not counted: left as it is
    assert "These 2 differences will be posted" in review
    assert owner_client.get(reverse("stock_count_review", args=[count.pk])).status_code == 200

    validated = owner_client.post(reverse("stock_count_validate", args=[count.pk]))
    assert validated.status_code == 302
    assert level_of(jam, shelf) == 5 and level_of(flour, shelf) == Decimal("9.75")
    assert level_of(olives, shelf) == 3
    assert StockMovement.objects.filter(reason=MovementReason.COUNT).count() == 2
    result = owner_client.get(sheet_url).content.decode()
    assert "Expected" in result and "−1" in result and "Validated" in result
    # A validated count takes no more lines.
    late = owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "1"}
    )
    assert late.status_code == 302
    assert level_of(jam, shelf) == 5


def test_count_sheet_works_without_javascript(owner, owner_client):
    shelf = floor(owner)
    jam = product(owner, "Jam", sku="JAM")
    receive(owner, jam, shelf, "6")
    count = start_count(owner_client, shelf)
    scanned = owner_client.post(reverse("stock_count_scan", args=[count.pk]), {"product": "JAM"})
    assert scanned.status_code == 200 and "<html" in scanned.content.decode()
    saved = owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "6"}
    )
    assert saved.status_code == 302
    review = owner_client.get(reverse("stock_count_review", args=[count.pk])).content.decode()
    assert "Every counted product matches" in review


def test_count_cancelled_posts_nothing(owner, owner_client):
    shelf = floor(owner)
    jam = product(owner, "Jam", sku="JAM")
    receive(owner, jam, shelf, "6")
    count = start_count(owner_client, shelf)
    owner_client.post(
        reverse("stock_count_line", args=[count.pk]), {"product": jam.pk, "counted": "1"}
    )
    assert owner_client.post(reverse("stock_count_cancel", args=[count.pk])).status_code == 302
    count.refresh_from_db()
    assert count.status == CountStatus.CANCELLED and level_of(jam, shelf) == 6
    assert (
        "was cancelled"
        in owner_client.get(reverse("stock_count_detail", args=[count.pk])).content.decode()
    )
    listing = owner_client.get(reverse("stock_count_list")).content.decode()
    assert "Cancelled" in listing


def test_count_pages_query_count_does_not_grow_with_lines(owner, owner_client):
    shelf = floor(owner)
    items = [product(owner) for _ in range(30)]
    count = services.stock_count_start(location=shelf, actor=owner.user)
    for p in items[:5]:
        services.stock_count_set_line(count=count, actor=owner.user, product=p, counted=Decimal(1))
    sheet = reverse("stock_count_detail", args=[count.pk])
    review = reverse("stock_count_review", args=[count.pk])
    few = (queries_for(owner_client, sheet), queries_for(owner_client, review))
    for p in items[5:]:
        services.stock_count_set_line(count=count, actor=owner.user, product=p, counted=Decimal(1))
    assert (queries_for(owner_client, sheet), queries_for(owner_client, review)) == few


# --- low stock and restock suggestions ---------------------------------------------------------------


def test_low_stock_page_groups_suggestions_by_preferred_supplier(owner, owner_client):
    shelf = floor(owner)
    cola, chips = product(owner, "Cola"), product(owner, "Chips")
    receive(owner, cola, shelf, "30")
    receive(owner, chips, shelf, "5")
    for p in (cola, chips):
        services.stock_level_set_thresholds(
            business=owner.business,
            actor=owner.user,
            product=p,
            location=shelf,
            reorder_point=Decimal(10),
            reorder_quantity=Decimal(24),
        )
    services.stock_move(
        business=owner.business,
        actor=owner.user,
        product=cola,
        location=shelf,
        quantity=Decimal(-25),
        reason=MovementReason.SALE,
    )
    drinks = suppliers.supplier_create(
        business=owner.business, actor=owner.user, data={"name": "Drinks Co"}
    )
    suppliers.supplier_item_set(
        supplier=drinks,
        actor=owner.user,
        product=cola,
        data={
            "is_preferred": True,
            "lead_time_days": 3,
            "min_order_quantity": Decimal(6),
            "cost": Decimal("0.50"),
        },
    )
    page = owner_client.get(reverse("stock_low"), {"days": 7}).content.decode()
    assert "Cola" in page and "Chips" in page
    assert "Drinks Co" in page and "No preferred supplier" in page
    assert page.index("Drinks Co") < page.index("No preferred supplier")
    assert owner_client.get(reverse("stock_low"), {"days": "nonsense"}).status_code == 200


def test_low_stock_query_count_does_not_grow_with_rows(owner, owner_client):
    shelf = floor(owner)

    def add(n):
        for _ in range(n):
            p = product(owner)
            receive(owner, p, shelf, "1")
            services.stock_level_set_thresholds(
                business=owner.business,
                actor=owner.user,
                product=p,
                location=shelf,
                reorder_point=Decimal(5),
                reorder_quantity=Decimal(5),
            )

    add(5)
    few = queries_for(owner_client, reverse("stock_low"))
    add(25)
    assert queries_for(owner_client, reverse("stock_low")) == few


# --- valuation -----------------------------------------------------------------------------------------


def test_valuation_by_location_and_category_with_csv(owner, owner_client):
    shelf, back = floor(owner), back_room(owner)
    tea = product(owner, "Tea")
    receive(owner, tea, shelf, "10", cost="2.00")
    receive(owner, tea, back, "5", cost="2.00")
    page = owner_client.get(reverse("stock_valuation")).content.decode()
    assert "Back room" in page and "30,00\xa0€" in page and "20,00\xa0€" in page  # en_BE
    by_category = owner_client.get(
        reverse("stock_valuation"), {"group_by": "category"}
    ).content.decode()
    assert "No category" in by_category and "30,00\xa0€" in by_category

    yesterday = (timezone.localdate() - timedelta(days=3)).isoformat()
    past = owner_client.get(reverse("stock_valuation"), {"at": yesterday}).content.decode()
    assert "No stock at that date." in past

    for response in (
        owner_client.get(reverse("stock_valuation"), {"format": "csv"}),
        owner_client.get(reverse("stock_valuation_csv")),
    ):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert "Location,Products,Quantity,Value (EUR)" in text
        assert text.strip().splitlines()[-1] == "Total,,15.000,30.00"

    # The same table as a chart, a workbook and an A4 page.
    assert 'data-chart="valuation-chart"' in page
    xlsx = owner_client.get(reverse("stock_valuation"), {"format": "xlsx"})
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()
    ]
    assert rows[0][:4] == ["Location", "Products", "Quantity", "Value"]
    assert rows[-1][0] == "Total" and rows[-1][3] == 30
    pdf = owner_client.get(reverse("stock_valuation"), {"format": "pdf", "group_by": "category"})
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Stock valuation" in text and "No category" in text and "30,00" in text


def test_owner_turns_selling_below_zero_on_and_back_off_from_the_settings_page(owner, client):
    from tests.fixtures import login

    login(client, owner)
    page = client.get("/settings/")
    assert "Allow selling below zero stock" in page.content.decode()
    client.post("/settings/stock/", {"allow_negative_stock": "on"})
    owner.business.refresh_from_db()
    assert owner.business.allow_negative_stock is True
    client.post("/settings/stock/", {})
    owner.business.refresh_from_db()
    assert owner.business.allow_negative_stock is False


def test_a_manager_with_read_only_settings_cannot_change_the_stock_rule(
    owner, member_factory, client
):
    from hanout.core.permissions import Role
    from tests.fixtures import login

    manager = member_factory(role=Role.MANAGER)
    login(client, manager)
    assert client.post("/settings/stock/", {"allow_negative_stock": "on"}).status_code == 403
    owner.business.refresh_from_db()
    assert owner.business.allow_negative_stock is False


def test_a_product_can_be_picked_by_its_name_when_only_one_matches(owner, owner_client):
    shelf = floor(owner)
    product(owner, "Speculoos", sku="SPK")
    product(owner, "Pain gris", sku="PG1")
    product(owner, "Pain blanc", sku="PB1")
    response = owner_client.post(
        reverse("stock_receive"),
        {
            "product": "speculoos",
            "location": shelf.pk,
            "quantity": "4",
            "unit_cost": "0.50",
            "client_uuid": uuid.uuid4(),
        },
    )
    assert response.status_code == 302
    assert StockMovement.objects.get().product.name == "Speculoos"
    response = owner_client.post(
        reverse("stock_receive"),
        {
            "product": "pain",
            "location": shelf.pk,
            "quantity": "4",
            "unit_cost": "0.50",
            "client_uuid": uuid.uuid4(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Several products match" in body
    assert "Pain blanc" in body and "Pain gris" in body
    assert StockMovement.objects.count() == 1
