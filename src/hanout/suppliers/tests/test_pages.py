"""The supplier pages, driven through Django's test client like a person would."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanout.core.permissions import Role
from hanout.suppliers import services
from hanout.suppliers.models import Supplier, SupplierProduct
from tests.conftest import login

from .helpers import make_product, make_supplier

pytestmark = pytest.mark.django_db

ROW_RE = re.compile(r'<a class="fw-semibold" href="/suppliers/[0-9a-f-]{36}/">')
MAX_LIST_QUERIES = 8  # session, user, membership (+ access), the count, the page


def client_for(membership) -> Client:
    return login(Client(), membership)


def supplier_data(**overrides) -> dict:
    return {
        "name": "Moulins Réunis",
        "contact_name": "Jan Peeters",
        "phone": "0470 12 34 56",
        "email": "jan@moulins.example",
        "address": "Rue du Moulin 1\n1000 Bruxelles",
        "notes": "Delivers on Tuesdays",
        **overrides,
    }


def test_owner_adds_a_supplier_and_lands_on_its_card(owner_client, owner):
    response = owner_client.get(reverse("supplier_create"))
    assert response.status_code == 200
    response = owner_client.post(reverse("supplier_create"), supplier_data())
    supplier = Supplier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supplier_detail", args=[supplier.pk]
    )
    page = owner_client.get(response["Location"]).content.decode()
    assert 'href="tel:+32470123456"' in page
    assert 'href="mailto:jan@moulins.example"' in page
    assert "Rue du Moulin 1<br>1000 Bruxelles" in page
    assert reverse("supplier_edit", args=[supplier.pk]) in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "123"}, "phone", "is not a valid phone number"),
        ({"email": "jan@"}, "email", "valid email"),
        ({"name": "COCA-COLA"}, "name", "already exists"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_bad_input_is_shown_beside_the_field(owner_client, owner, overrides, field, message):
    make_supplier(owner, "Coca-Cola")
    response = owner_client.post(reverse("supplier_create"), supplier_data(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(rf'id="id_{field}_error">([^<]*)<', page)
    assert error and message in error.group(1), page
    assert Supplier.objects.count() == 1


def test_every_problem_is_shown_at_once(owner_client, owner):
    make_supplier(owner, "Coca-Cola")
    response = owner_client.post(
        reverse("supplier_create"), supplier_data(name="coca-cola", phone="12", email="x@")
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("name", "phone", "email"):
        assert f'id="id_{field}_error"' in page, field


def test_edit_a_supplier(owner_client, owner):
    supplier = make_supplier(owner, phone="+32470123456")
    url = reverse("supplier_edit", args=[supplier.pk])
    page = owner_client.get(url).content.decode()
    assert 'value="+32470123456"' in page
    response = owner_client.post(url, supplier_data(name="Moulins", contact_name="Els"))
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.name == "Moulins" and supplier.contact_name == "Els"
    response = owner_client.post(url, supplier_data(phone="nope"))
    assert response.status_code == 400 and 'id="id_phone_error"' in response.content.decode()


def test_deactivate_then_reactivate_from_the_card(owner_client, owner):
    supplier = make_supplier(owner)
    url = reverse("supplier_toggle_active", args=[supplier.pk])
    assert owner_client.post(url, {"active": "0"}).status_code == 302
    supplier.refresh_from_db()
    assert not supplier.is_active
    listed = owner_client.get(reverse("supplier_list"), {"status": "inactive"}).content.decode()
    assert "Moulins Réunis" in listed
    assert owner_client.post(url, {"active": "1"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_active


def test_list_searches_and_filters(owner_client, owner):
    make_supplier(owner, "Moulins", contact_name="Jan Peeters")
    make_supplier(owner, "Coca-Cola", phone="+32470123456")
    page = owner_client.get(reverse("supplier_list")).content.decode()
    assert len(ROW_RE.findall(page)) == 2 and "table-stack" in page
    page = owner_client.get(reverse("supplier_list"), {"q": "peeters"}).content.decode()
    assert len(ROW_RE.findall(page)) == 1 and "Moulins" in page
    partial = owner_client.get(
        reverse("supplier_list"), {"q": "0470"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and len(ROW_RE.findall(partial)) == 1 and "Coca-Cola" in partial


def test_add_change_and_remove_a_catalog_line(owner_client, owner):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain au chocolat", sku="1234")
    make_product(owner, "Croissant", sku="9012")
    detail = reverse("supplier_detail", args=[supplier.pk])
    page = owner_client.get(detail).content.decode()
    assert "Pain au chocolat · #1234" in page  # offered in the product select

    options = owner_client.get(
        reverse("supplier_product_options", args=[supplier.pk]),
        {"product_search": "croiss"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Croissant" in options and "Pain au chocolat" not in options and "<html" not in options

    save = reverse("supplier_item_save", args=[supplier.pk])
    line = {
        "product": str(bread.pk),
        "supplier_sku": "MR-1",
        "cost": "0.455",
        "lead_time_days": "2",
        "min_order_quantity": "12",
        "is_preferred": "on",
    }
    response = owner_client.post(save, line)
    assert response.status_code == 302, response.content.decode()
    item = SupplierProduct.objects.get()
    assert (str(item.cost), item.lead_time_days, item.is_preferred) == ("0.460", 2, True)
    page = owner_client.get(detail).content.decode()
    assert "MR-1" in page and "Preferred" in page and "2 days" in page

    # Edit: the form is filled in; saving changes the same line.
    page = owner_client.get(detail, {"edit": str(item.pk)}).content.decode()
    assert 'value="MR-1"' in page and f'name="editing" value="{item.pk}"' in page
    response = owner_client.post(save, {**line, "cost": "0.50", "editing": str(item.pk)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert str(item.cost) == "0.500" and SupplierProduct.objects.count() == 1

    response = owner_client.post(reverse("supplier_item_remove", args=[supplier.pk, item.pk]))
    assert response.status_code == 302 and not SupplierProduct.objects.exists()


def test_catalog_line_errors_are_shown_beside_the_field(owner_client, owner, other_owner):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain")
    theirs = make_product(other_owner, "Their bread")
    save = reverse("supplier_item_save", args=[supplier.pk])
    response = owner_client.post(save, {"product": str(bread.pk), "cost": "-1"})
    assert response.status_code == 400
    assert re.search(r'id="id_cost_error">[^<]*negative', response.content.decode())
    response = owner_client.post(save, {"product": str(theirs.pk), "cost": "1"})
    assert response.status_code == 400
    assert re.search(r'id="id_product_error">[^<]*Choose a product', response.content.decode())
    response = owner_client.post(save, {"product": "", "cost": "1"})
    assert response.status_code == 400 and 'id="id_product_error"' in response.content.decode()
    assert not SupplierProduct.objects.exists()


def test_read_only_member_sees_no_edit_controls_and_posts_are_refused(owner, member_factory):
    staff = client_for(member_factory(role=Role.STAFF))  # suppliers: read
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain")
    item = services.supplier_item_set(supplier=supplier, actor=owner.user, product=bread, data={})
    listed = staff.get(reverse("supplier_list"))
    assert listed.status_code == 200
    assert reverse("supplier_create") not in listed.content.decode()
    page = staff.get(reverse("supplier_detail", args=[supplier.pk])).content.decode()
    assert "Pain" in page
    for url in (
        reverse("supplier_edit", args=[supplier.pk]),
        reverse("supplier_toggle_active", args=[supplier.pk]),
        reverse("supplier_item_save", args=[supplier.pk]),
        reverse("supplier_item_remove", args=[supplier.pk, item.pk]),
    ):
        assert url not in page
    assert '<form method="post"' not in page.split("<main", 1)[1]
    for url, data in (
        (reverse("supplier_create"), supplier_data(name="New")),
        (reverse("supplier_edit", args=[supplier.pk]), supplier_data(name="X")),
        (reverse("supplier_toggle_active", args=[supplier.pk]), {"active": "0"}),
        (reverse("supplier_item_save", args=[supplier.pk]), {"product": str(bread.pk)}),
        (reverse("supplier_item_remove", args=[supplier.pk, item.pk]), {}),
    ):
        response = staff.post(url, data)
        assert response.status_code == 403 and "Not allowed" in response.content.decode(), url
    assert staff.get(reverse("supplier_create")).status_code == 403
    assert staff.get(reverse("supplier_edit", args=[supplier.pk])).status_code == 403
    supplier.refresh_from_db()
    assert supplier.name == "Moulins Réunis" and supplier.is_active
    assert SupplierProduct.objects.count() == 1 and Supplier.objects.count() == 1
    # A cashier has no supplier access at all.
    assert (
        client_for(member_factory(role=Role.CASHIER)).get(reverse("supplier_list")).status_code
        == 403
    )


def test_another_business_supplier_is_a_404(owner_client, other_owner):
    theirs = make_supplier(other_owner, "Theirs")
    for url in (
        reverse("supplier_detail", args=[theirs.pk]),
        reverse("supplier_edit", args=[theirs.pk]),
    ):
        assert owner_client.get(url).status_code == 404
    assert owner_client.post(reverse("supplier_toggle_active", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_list_and_detail_query_counts_stay_flat(owner_client, owner, django_assert_max_num_queries):
    counts = []
    big = make_supplier(owner, "Aaa big supplier")
    owner_client.get(reverse("supplier_list"))  # warm the per-process caches (the time zone)
    for start, stop in ((0, 3), (3, 30)):
        for n in range(start, stop):
            make_supplier(owner, f"Supplier {n:02d}")
            services.supplier_item_set(
                supplier=big,
                actor=owner.user,
                product=make_product(owner, f"Product {n:02d}"),
                data={"cost": n, "is_preferred": True},
            )
        with CaptureQueriesContext(connection) as listed:
            response = owner_client.get(reverse("supplier_list"))
        assert len(ROW_RE.findall(response.content.decode())) == stop + 1
        with CaptureQueriesContext(connection) as detail:
            response = owner_client.get(reverse("supplier_detail", args=[big.pk]))
        assert f"Product {stop - 1:02d}" in response.content.decode()
        counts.append((len(listed), len(detail)))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        owner_client.get(reverse("supplier_list"))
