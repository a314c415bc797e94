"""Suppliers and their catalogs through the REST API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.suppliers import services
from hanout.suppliers.models import Supplier, SupplierProduct
from tests.fixtures import api_client_for
from tests.test_api_common import assert_error

from .helpers import make_product, make_supplier

pytestmark = pytest.mark.django_db

URL = "/api/v1/suppliers/"
MAX_LIST_QUERIES = 4  # token + membership, module access, the page (items: + the supplier)


def items_url(supplier) -> str:
    return f"{URL}{supplier.pk}/items/"


def test_create_retrieve_list_and_patch_a_supplier(owner_api, owner):
    response = owner_api.post(
        URL,
        {
            "name": "Moulins Réunis",
            "contact_name": "Jan Peeters",
            "phone": "0470 12 34 56",
            "email": "jan@moulins.example",
            "address": "Rue du Moulin 1",
            "notes": "Tuesdays",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "+32470123456" and body["is_active"] and body["item_count"] == 0
    pk = body["id"]

    assert owner_api.get(f"{URL}{pk}/").json()["name"] == "Moulins Réunis"
    listed = owner_api.get(URL, {"search": "peeters"}).json()["results"]
    assert [s["id"] for s in listed] == [pk]
    assert owner_api.get(URL, {"active": "false"}).json()["results"] == []

    response = owner_api.patch(f"{URL}{pk}/", {"contact_name": "Els"}, format="json")
    assert response.status_code == 200 and response.json()["contact_name"] == "Els"
    assert response.json()["phone"] == "+32470123456"  # untouched
    assert AuditEntry.objects.filter(action="supplier.update").count() == 1


def test_deactivate_and_reactivate(owner_api, owner):
    supplier = make_supplier(owner)
    response = owner_api.post(f"{URL}{supplier.pk}/deactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert [s["id"] for s in owner_api.get(URL, {"active": "false"}).json()["results"]] == [
        str(supplier.pk)
    ]
    response = owner_api.post(f"{URL}{supplier.pk}/reactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "moulins réunis"}, "name"),
        ({"name": "New", "phone": "123"}, "phone"),
        ({"name": "New", "email": "nope"}, "email"),
        ({"name": ""}, "name"),
        ({}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(owner_api, owner, body, field):
    make_supplier(owner, "Moulins Réunis")
    assert_error(owner_api.post(URL, body, format="json"), 400, field=field)
    assert Supplier.objects.count() == 1


def test_catalog_lines_upsert_list_and_delete(owner_api, owner):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain", sku="1234")
    response = owner_api.post(
        items_url(supplier),
        {"product": str(bread.pk), "supplier_sku": "MR-1", "cost": "0.455", "lead_time_days": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    line = response.json()
    assert (
        line["cost"] == "0.46" and line["product_name"] == "Pain" and line["product_sku"] == "1234"
    )
    assert line["min_order_quantity"] == "1.000" and line["is_preferred"] is False

    response = owner_api.post(
        items_url(supplier), {"product": str(bread.pk), "is_preferred": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["id"] == line["id"]
    assert response.json()["is_preferred"] is True and response.json()["supplier_sku"] == "MR-1"

    listed = owner_api.get(items_url(supplier)).json()["results"]
    assert [i["id"] for i in listed] == [line["id"]]
    assert owner_api.get(f"{URL}{supplier.pk}/").json()["item_count"] == 1

    response = owner_api.delete(f"{items_url(supplier)}{line['id']}/")
    assert response.status_code == 204
    assert not SupplierProduct.objects.exists()
    assert_error(owner_api.delete(f"{items_url(supplier)}{line['id']}/"), 404)
    assert_error(owner_api.delete(f"{items_url(supplier)}not-a-uuid/"), 404)


def test_preferred_moves_between_suppliers(owner_api, owner):
    mill, baker = make_supplier(owner, "Mill"), make_supplier(owner, "Baker")
    bread = make_product(owner, "Pain")
    for supplier in (mill, baker):
        response = owner_api.post(
            items_url(supplier), {"product": str(bread.pk), "is_preferred": True}, format="json"
        )
        assert response.status_code == 201
    assert list(
        SupplierProduct.objects.filter(product=bread, is_preferred=True).values_list(
            "supplier__name", flat=True
        )
    ) == ["Baker"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cost": "-1"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"lead_time_days": -2}, "lead_time_days"),
        ({"min_order_quantity": "-0.5"}, "min_order_quantity"),
    ],
)
def test_bad_catalog_numbers_are_a_400(owner_api, owner, body, field):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain")
    response = owner_api.post(
        items_url(supplier), {"product": str(bread.pk), **body}, format="json"
    )
    assert_error(response, 400, field=field)
    assert not SupplierProduct.objects.exists()


def test_another_business_is_a_404_everywhere(owner_api, owner, other_owner):
    theirs = make_supplier(other_owner, "Theirs")
    their_bread = make_product(other_owner, "Their bread")
    their_line = services.supplier_item_set(
        supplier=theirs, actor=other_owner.user, product=their_bread, data={}
    )
    mine = make_supplier(owner, "Mine")
    assert_error(owner_api.get(f"{URL}{theirs.pk}/"), 404)
    assert_error(owner_api.patch(f"{URL}{theirs.pk}/", {"name": "Hacked"}, format="json"), 404)
    assert_error(owner_api.post(f"{URL}{theirs.pk}/deactivate/"), 404)
    assert_error(owner_api.get(items_url(theirs)), 404)
    assert_error(owner_api.post(items_url(theirs), {}, format="json"), 404)
    assert_error(owner_api.delete(f"{items_url(theirs)}{their_line.pk}/"), 404)
    # Their line through my supplier, and my supplier with their product.
    assert_error(owner_api.delete(f"{items_url(mine)}{their_line.pk}/"), 404)
    assert_error(
        owner_api.post(items_url(mine), {"product": str(their_bread.pk)}, format="json"),
        404,
        field="product",
    )
    assert owner_api.get(URL).json()["results"] == [{**owner_api.get(f"{URL}{mine.pk}/").json()}]
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and theirs.is_active
    assert SupplierProduct.objects.count() == 1


def test_a_read_only_member_reads_but_cannot_write(owner, member_factory):
    staff = member_factory(role=Role.STAFF)  # suppliers: read
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain")
    line = services.supplier_item_set(supplier=supplier, actor=owner.user, product=bread, data={})
    api = api_client_for(staff)
    assert api.get(URL).status_code == 200
    assert api.get(items_url(supplier)).status_code == 200
    assert_error(api.post(URL, {"name": "New"}, format="json"), 403)
    assert_error(api.patch(f"{URL}{supplier.pk}/", {"name": "X"}, format="json"), 403)
    assert_error(api.post(f"{URL}{supplier.pk}/deactivate/"), 403)
    assert_error(api.post(items_url(supplier), {"product": str(bread.pk)}, format="json"), 403)
    assert_error(api.delete(f"{items_url(supplier)}{line.pk}/"), 403)
    cashier = api_client_for(member_factory(role=Role.CASHIER))  # suppliers: none
    assert_error(cashier.get(URL), 403)
    supplier.refresh_from_db()
    assert supplier.name == "Moulins Réunis" and SupplierProduct.objects.count() == 1


def _add_suppliers(owner, start, stop):
    for n in range(start, stop):
        supplier = make_supplier(owner, f"Supplier {n:02d}", phone="0470123456")
        services.supplier_item_set(
            supplier=supplier,
            actor=owner.user,
            product=make_product(owner, f"Product {n:02d}"),
            data={"is_preferred": True},
        )


def test_list_query_counts_do_not_grow_with_rows(owner_api, owner, django_assert_max_num_queries):
    owner_api.get(URL)  # the token's first use is recorded once; not part of the count
    counts = []
    for start, stop in ((0, 3), (3, 30)):
        _add_suppliers(owner, start, stop)
        with (
            CaptureQueriesContext(connection) as ctx,
            django_assert_max_num_queries(MAX_LIST_QUERIES),
        ):
            response = owner_api.get(URL, {"search": "Supplier"})
        assert len(response.json()["results"]) == stop
        counts.append(len(ctx))
    assert counts[0] == counts[1], [q["sql"] for q in ctx.captured_queries]


def test_items_query_counts_do_not_grow_with_rows(owner_api, owner, django_assert_max_num_queries):
    supplier = make_supplier(owner)
    owner_api.get(URL)  # the token's first use is recorded once; not part of the count
    counts = []
    for start, stop in ((0, 2), (2, 25)):
        for n in range(start, stop):
            services.supplier_item_set(
                supplier=supplier,
                actor=owner.user,
                product=make_product(owner, f"Product {n:02d}"),
                data={"cost": n},
            )
        with (
            CaptureQueriesContext(connection) as ctx,
            django_assert_max_num_queries(MAX_LIST_QUERIES + 1),
        ):
            response = owner_api.get(items_url(supplier))
        assert len(response.json()["results"]) == stop
        counts.append(len(ctx))
    assert counts[0] == counts[1], [q["sql"] for q in ctx.captured_queries]
