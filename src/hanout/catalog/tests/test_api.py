"""Catalog REST API: products (list, search, lookup, bulk, images), categories and tags."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from PIL import Image

from hanout.catalog import services
from hanout.catalog.models import Product, ProductImage
from hanout.core.permissions import Role
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
LOOKUP = "/api/v1/products/lookup/"
BULK = "/api/v1/products/bulk/"
CATEGORIES = "/api/v1/categories/"
TAGS = "/api/v1/tags/"


def create(owner, name="Croissant", **data):
    return services.product_create(
        business=owner.business,
        actor=owner.user,
        data={"name": name, "sale_price": Decimal("1.00"), **data},
    )


def png_upload(name="photo.png"):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def error_fields(response):
    return response.json()["error"]["fields"]


# --- list and search --------------------------------------------------------------------------


def test_list_is_ordered_by_name_with_cursor_pages(owner, owner_api):
    for name in ["Croissant", "Café", "Baguette", "Tarte au riz", "Éclair"]:
        create(owner, name)
    first = owner_api.get(PRODUCTS, {"page_size": 2}).json()
    assert [p["name"] for p in first["results"]] == ["Baguette", "Café"]
    second = owner_api.get(first["next"]).json()
    assert [p["name"] for p in second["results"]] == ["Croissant", "Tarte au riz"]
    desc = owner_api.get(PRODUCTS, {"ordering": "-name", "page_size": 10}).json()
    assert desc["results"][0]["name"] == "Éclair"
    by_price = owner_api.get(PRODUCTS, {"ordering": "price"})
    assert by_price.status_code == 200


def test_list_query_count_does_not_grow_with_rows(
    owner, owner_api, django_assert_max_num_queries, django_assert_num_queries
):
    cat = services.category_create(business=owner.business, actor=owner.user, name="Boulangerie")

    def fill(n):
        for i in range(n):
            create(
                owner,
                f"P{i:03d}-{Product.objects.count()}",
                category=cat,
                tags=[f"t{i % 3}"],
                barcodes=[f"X{Product.objects.count()}-{i}"],
            )

    fill(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner_api.get(PRODUCTS)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert owner_api.get(PRODUCTS, {"page_size": 50}).status_code == 200
    fill(25)
    with CaptureQueriesContext(connection) as big:
        body = owner_api.get(PRODUCTS, {"page_size": 50}).json()
    assert len(body["results"]) == 30
    assert len(big) == len(small)
    with CaptureQueriesContext(connection) as searched:
        owner_api.get(
            PRODUCTS, {"search": "p0", "category": str(cat.pk), "tag": "", "page_size": 50}
        )
    assert len(searched) <= len(small) + 1


def test_search_filters_and_other_tenant(owner, other_owner, owner_api):
    dom = services.category_create(business=owner.business, actor=owner.user, name="Boissons")
    sub = services.category_create(
        business=owner.business, actor=owner.user, name="Chaud", parent=dom
    )
    create(owner, "Café", sku="0000", category=sub, tags=["chaud"])
    create(owner, "Canette Coca", sku="9630", is_active=False)
    create(other_owner, "Café marocain", sku="0000")

    def names(**params):
        response = owner_api.get(PRODUCTS, params)
        assert response.status_code == 200, response.content
        return [p["name"] for p in response.json()["results"]]

    assert names(search="CAFE") == ["Café"]
    assert names(search="0000") == ["Café"]
    assert names(category=str(dom.pk)) == ["Café"]
    assert names(active="false") == ["Canette Coca"]
    tag_id = owner_api.get(TAGS).json()["results"][0]["id"]
    assert names(tag=tag_id) == ["Café"]
    assert names(search="marocain") == []
    assert owner_api.get(PRODUCTS, {"category": "nope"}).status_code == 400
    assert owner_api.get(PRODUCTS, {"ordering": "bogus"}).status_code == 400


def test_product_shape(owner, owner_api):
    product = create(owner, "Café", sku="0000", tax_rate="21", barcodes=["4829105637487"])
    services.product_image_add(product=product, actor=owner.user, file=png_upload())
    item = owner_api.get(PRODUCTS).json()["results"][0]
    assert item["barcodes"] == [{"code": "4829105637487", "kind": "ean13"}]
    assert item["sale_price"] == "1.00"  # at the currency's precision (EUR)
    assert item["tax_rate"] == "21.00"
    assert item["thumbnail"].startswith(f"/api/v1/products/{item['id']}/thumbnail/?v=")
    assert item["thumbnail"].endswith(".webp")
    detail = owner_api.get(f"{PRODUCTS}{product.pk}/").json()
    assert len(detail["images"]) == 1


# --- lookup --------------------------------------------------------------------------------


def test_lookup_by_barcode_and_sku_with_and_without_slash(owner, owner_api):
    product = create(owner, "Café", sku="0000", barcodes=["4829105637487"], tax_rate="6")
    for url in (LOOKUP, "/api/v1/products/lookup"):
        response = owner_api.get(url, {"code": "4829105637487"})
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        assert body["id"] == str(product.pk)
        assert body["tax_rate"] == "6.00" and body["unit"] == "piece" and body["is_active"]
        assert owner_api.get(url, {"code": "0000"}).json()["id"] == str(product.pk)


def test_lookup_answers_exactly_what_the_serializer_would(owner, owner_api):
    """The lean lookup (values + a dict) gives ProductLookupSerializer's JSON, field for field."""
    from hanout.catalog import selectors
    from hanout.catalog.api import ProductLookupSerializer

    category = services.category_create(business=owner.business, actor=owner.user, name="Café")
    full = create(
        owner,
        "Café moulu",
        sku="0007",
        barcodes=[{"code": "4829105637487"}, {"code": "77", "kind": "internal"}],
        category=category,
        cost=Decimal("1.25"),
        tax_rate="6",
        brand="Lavazza",
    )
    services.product_image_add(product=full, actor=owner.user, file=png_upload())
    bare = create(owner, "Sans rien", sku="0008")
    for product, code in ((full, "4829105637487"), (full, "0007"), (bare, "0008")):
        found = selectors.product_lookup(business=owner.business, code=code)
        request = type("Request", (), {"business": owner.business})()
        expected = ProductLookupSerializer(found, context={"request": request}).data
        body = owner_api.get(LOOKUP, {"code": code}).json()
        assert body == json.loads(json.dumps(expected, cls=DjangoJSONEncoder)), code
        assert body["id"] == str(product.pk)
    body = owner_api.get(LOOKUP, {"code": "0007"}).json()
    assert body["category_name"] == "Café" and body["thumbnail"].endswith(".webp")
    assert [b["code"] for b in body["barcodes"]] == ["4829105637487", "77"]


def test_lookup_unknown_code_is_a_clear_404(owner, owner_api):
    for url in (LOOKUP, "/api/v1/products/lookup"):
        response = owner_api.get(url, {"code": "999"})
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "No product with code 999."
        assert owner_api.get(url).status_code == 400


def test_lookup_query_count(owner, owner_api, django_assert_max_num_queries):
    create(owner, "Café", sku="0000", barcodes=["4829105637487"])
    owner_api.get(LOOKUP, {"code": "0000"})  # warm up: token, membership
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert owner_api.get(LOOKUP, {"code": "4829105637487"}).status_code == 200
    catalog = [q for q in ctx.captured_queries if "catalog_" in q["sql"]]
    assert len(catalog) == 2, [q["sql"] for q in catalog]


def test_cashier_can_look_up_and_search_but_not_write(owner, member_factory):
    create(owner, "Café", sku="0000")
    cashier = api_client_for(member_factory(role=Role.CASHIER))
    assert cashier.get(LOOKUP, {"code": "0000"}).status_code == 200
    assert cashier.get(PRODUCTS, {"search": "caf"}).status_code == 200
    response = cashier.post(PRODUCTS, {"name": "X", "sale_price": "1"}, format="json")
    assert response.status_code == 403
    assert cashier.post(BULK, {"products": []}, format="json").status_code == 403
    assert cashier.post(CATEGORIES, {"name": "X"}, format="json").status_code == 403
    assert not Product.objects.filter(name="X").exists()


def test_other_business_cannot_see_or_touch_products(owner, other_owner):
    product = create(owner, "Café", sku="0000", barcodes=["4829105637487"])
    other = api_client_for(other_owner)
    assert other.get(f"{PRODUCTS}{product.pk}/").status_code == 404
    assert other.patch(f"{PRODUCTS}{product.pk}/", {"name": "x"}, format="json").status_code == 404
    assert other.get(LOOKUP, {"code": "4829105637487"}).status_code == 404
    assert other.get(PRODUCTS, {"search": "cafe"}).json()["results"] == []


# --- writes --------------------------------------------------------------------------------


def test_create_update_deactivate(owner, owner_api):
    cat = services.category_create(business=owner.business, actor=owner.user, name="Boulangerie")
    response = owner_api.post(
        PRODUCTS,
        {
            "name": "Pain au chocolat",
            "sku": "1234",
            "sale_price": "1.20",
            "tax_rate": "6",
            "category": str(cat.pk),
            "tags": ["viennoiserie"],
            "barcodes": [{"code": "1946753214860"}, {"code": "12345", "kind": "internal"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category_name"] == "Boulangerie"
    assert {b["code"]: b["kind"] for b in body["barcodes"]} == {
        "1946753214860": "ean13",
        "12345": "internal",
    }
    url = f"{PRODUCTS}{body['id']}/"
    response = owner_api.patch(url, {"sale_price": "1.30", "tags": []}, format="json")
    assert response.status_code == 200
    assert response.json()["sale_price"] == "1.30" and response.json()["tags"] == []
    response = owner_api.patch(url, {"is_active": False}, format="json")
    assert response.json()["is_active"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "sale_price": "-1"}, "sale_price"),
        ({"name": "X", "sale_price": "1", "tax_rate": "101"}, "tax_rate"),
        (
            {"name": "X", "sale_price": "1", "category": "00000000-0000-0000-0000-000000000000"},
            "category",
        ),
        ({"name": "X", "sale_price": "1", "barcodes": [{"code": "4006381333932"}]}, "barcodes[0]"),
        ({"sale_price": "1"}, "name"),
    ],
)
def test_bad_product_input_is_a_400_naming_the_field(owner_api, body, field):
    response = owner_api.post(PRODUCTS, body, format="json")
    assert response.status_code == 400, response.content
    assert field in error_fields(response)
    assert not Product.objects.exists()


def test_wrong_check_digit_message_points_to_shops_own_code(owner_api):
    response = owner_api.post(
        PRODUCTS,
        {"name": "X", "sale_price": "1", "barcodes": [{"code": "4006381333932"}]},
        format="json",
    )
    message = error_fields(response)["barcodes[0]"][0]
    assert "should be 1" in message and "Shop's own code" in message


def test_duplicate_sku_is_a_400_naming_the_product(owner, owner_api):
    create(owner, "Café", sku="0000")
    response = owner_api.post(
        PRODUCTS, {"name": "Thé", "sale_price": "1", "sku": "0000"}, format="json"
    )
    assert response.status_code == 400
    assert "Café" in error_fields(response)["sku"][0]


# --- bulk ----------------------------------------------------------------------------------


def test_bulk_non_atomic_reports_each_row(owner, owner_api):
    create(owner, "Croissant", sku="9012")
    response = owner_api.post(
        BULK,
        {
            "atomic": False,
            "products": [
                {"sku": "9012", "sale_price": "1.05"},
                {"name": "Tarte au riz", "sku": "5678", "sale_price": "1.10"},
                {"name": "Bad", "sale_price": "-3"},
                {"name": "Bad shape", "sale_price": "1", "barcodes": "nope"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["updated", "created", "error", "error"]
    assert (body["created"], body["updated"], body["errors"]) == (1, 1, 2)
    assert "sale_price" in body["results"][2]["errors"]
    assert "barcodes" in body["results"][3]["errors"]
    assert Product.objects.count() == 2


def test_bulk_atomic_is_all_or_nothing(owner_api):
    response = owner_api.post(
        BULK,
        {
            "atomic": True,
            "products": [
                {"name": "A", "sale_price": "1"},
                {"name": "B", "sale_price": "1", "tax_rate": "150"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["skipped", "error"]
    assert "First: row 2," in body["error"]["message"]  # the second row (`index` 1)
    assert body["results"][1]["index"] == 1
    assert not Product.objects.exists()
    ok = owner_api.post(
        BULK, {"atomic": True, "products": [{"name": "A", "sale_price": "1"}]}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1


def test_bulk_refuses_more_than_1000_rows(owner_api):
    rows = [{"name": f"P{i}", "sale_price": "1"} for i in range(1001)]
    response = owner_api.post(BULK, {"atomic": False, "products": rows}, format="json")
    assert response.status_code == 400
    assert "products" in error_fields(response)
    assert not Product.objects.exists()


# --- images --------------------------------------------------------------------------------


def test_image_upload_list_and_delete(owner, owner_api, other_owner):
    product = create(owner)
    url = f"{PRODUCTS}{product.pk}/images/"
    response = owner_api.post(url, {"file": png_upload()}, format="multipart")
    assert response.status_code == 201, response.content
    image_id = response.json()["id"]
    assert response.json()["thumbnail"] == f"{url}{image_id}/thumb/"
    assert [i["id"] for i in owner_api.get(url).json()] == [image_id]
    bad = owner_api.post(
        url, {"file": SimpleUploadedFile("x.png", b"not an image")}, format="multipart"
    )
    assert bad.status_code == 400 and "file" in error_fields(bad)
    other = api_client_for(other_owner)
    assert other.delete(f"{url}{image_id}/").status_code == 404
    assert owner_api.delete(f"{url}not-a-uuid/").status_code == 404
    assert owner_api.delete(f"{url}{image_id}/").status_code == 204
    assert not ProductImage.objects.exists()


# --- categories and tags ---------------------------------------------------------------------


def test_category_crud_and_tree(owner, owner_api):
    dom = owner_api.post(CATEGORIES, {"name": "Boulangerie"}, format="json").json()
    cat = owner_api.post(
        CATEGORIES, {"name": "Viennoiseries", "parent": dom["id"]}, format="json"
    ).json()
    sub = owner_api.post(
        CATEGORIES, {"name": "Croissants", "parent": cat["id"]}, format="json"
    ).json()
    assert (dom["level"], cat["level"], sub["level"]) == (0, 1, 2)
    too_deep = owner_api.post(CATEGORIES, {"name": "X", "parent": sub["id"]}, format="json")
    assert too_deep.status_code == 400 and "parent" in error_fields(too_deep)
    create(owner, "Croissant", category=sub["id"])
    tree = owner_api.get(f"{CATEGORIES}tree/").json()
    assert tree[0]["name"] == "Boulangerie" and tree[0]["total_count"] == 1
    assert tree[0]["children"][0]["children"][0]["product_count"] == 1
    assert owner_api.get(CATEGORIES).json()["results"]
    renamed = owner_api.patch(f"{CATEGORIES}{cat['id']}/", {"name": "Viennoiserie"}, format="json")
    assert renamed.json()["name"] == "Viennoiserie"
    refused = owner_api.delete(f"{CATEGORIES}{sub['id']}/")
    assert refused.status_code == 409 and "products" in refused.json()["error"]["message"]
    empty = owner_api.post(CATEGORIES, {"name": "Vide"}, format="json").json()
    assert owner_api.delete(f"{CATEGORIES}{empty['id']}/").status_code == 204


def test_tags_list_and_create(owner_api):
    assert owner_api.post(TAGS, {"name": "bio"}, format="json").status_code == 201
    duplicate = owner_api.post(TAGS, {"name": "bio"}, format="json")
    assert duplicate.status_code == 400 and "name" in error_fields(duplicate)
    assert [t["name"] for t in owner_api.get(TAGS).json()["results"]] == ["bio"]


def test_schema_documents_catalog_routes(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for route in [PRODUCTS, LOOKUP, BULK, CATEGORIES, f"{CATEGORIES}tree/", TAGS]:
        assert route in paths, route
    assert "/api/v1/products/{id}/images/{image_id}/" in paths
    assert "/api/v1/products/lookup" not in paths


def test_long_image_file_names_are_kept_whole(owner):
    """products/<business>/<image>/<60-character stem>-thumb.webp is ~155 characters:
    the columns hold 255 (they held 100, and Django cut the names to fit)."""
    product = create(owner, "Café")
    stem = "photo-du-paquet-de-cafe-moulu-arabica-100-pourcent-vue-face"[:60]
    image = services.product_image_add(
        product=product, actor=owner.user, file=png_upload(stem + ".png")
    )
    image.refresh_from_db()
    assert len(image.thumbnail.name) > 100
    assert image.thumbnail.name.endswith(f"/{stem}-thumb.webp")
    assert image.image.name.endswith(f"/{stem}.webp") or f"/{stem}." in image.image.name
    assert image.thumbnail.storage.exists(image.thumbnail.name)


def test_pictures_are_served_to_a_token_and_to_no_other_business(owner, owner_api, other_owner):
    """The URLs the API gives for pictures answer with the file, to the same token."""
    product = create(owner)
    url = f"{PRODUCTS}{product.pk}/images/"
    image = owner_api.post(url, {"file": png_upload()}, format="multipart").json()
    listed = owner_api.get(f"{PRODUCTS}{product.pk}/").json()
    for link in (image["thumbnail"], image["image"], listed["thumbnail"]):
        response = owner_api.get(link)
        assert response.status_code == 200, link
        body = b"".join(response.streaming_content)
        assert body[:4] in (b"RIFF", b"\x89PNG")  # WebP thumbnail, the original PNG
        assert response["Cache-Control"] == "private, max-age=86400"
    other = api_client_for(other_owner)
    for link in (image["thumbnail"], image["image"], listed["thumbnail"]):
        assert other.get(link).status_code == 404
    assert owner_api.get(f"{url}not-a-uuid/thumb/").status_code == 404
    assert owner_api.get(f"{url}{image['id']}/huge/").status_code == 404
    without_picture = create(owner, name="Bare", sku="BARE-1")
    assert owner_api.get(f"{PRODUCTS}{without_picture.pk}/thumbnail/").status_code == 404
