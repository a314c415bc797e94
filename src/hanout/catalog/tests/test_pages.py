"""The catalog pages driven through Django's test client like a person would: the
explorer (search, filters, cards/table, keyset pages, constant query count), a
product's page, create/edit with good and bad input, images, the category tree,
read-only access and the other tenant."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanout.catalog import services
from hanout.catalog.models import Barcode, Category, Product
from hanout.core.permissions import Role
from tests.conftest import login

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'href="/catalog/products/([0-9a-f-]{36})/"')


def client_for(membership) -> Client:
    return login(Client(), membership)


def product(owner, name, price="1.00", **data):
    return services.product_create(
        business=owner.business,
        actor=owner.user,
        data={"name": name, "sale_price": Decimal(price), **data},
    )


def png_bytes(colour=(200, 120, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, format="PNG")
    return buf.getvalue()


def form_data(**overrides) -> dict:
    data = {
        "name": "Pain au chocolat",
        "sku": "1234",
        "sale_price": "1.20",
        "cost": "0.40",
        "tax_rate": "6",
        "unit": "piece",
        "category": "",
        "tags": "viennoiserie, breakfast",
        "brand": "",
        "model": "",
        "colour": "",
        "size": "",
        "description": "Flaky.",
        "is_active": "on",
        "barcodes-TOTAL_FORMS": "1",
        "barcodes-INITIAL_FORMS": "0",
        "barcodes-MIN_NUM_FORMS": "0",
        "barcodes-MAX_NUM_FORMS": "1000",
        "barcodes-0-code": "4006381333931",
        "barcodes-0-kind": "",
    }
    return data | overrides


def shown_ids(response) -> list[str]:
    return ROW_LINK.findall(response.content.decode())


@pytest.fixture
def cashier(owner):
    """A cashier: read-only on the catalog by role default."""
    from tests.factories import make_member

    return make_member(owner, role=Role.CASHIER)


@pytest.fixture
def tree(owner):
    """Bakery › Viennoiseries › Croissants, and Drinks."""
    b, u = owner.business, owner.user
    bakery = services.category_create(business=b, actor=u, name="Bakery")
    vien = services.category_create(business=b, actor=u, name="Viennoiseries", parent=bakery)
    croissants = services.category_create(business=b, actor=u, name="Croissants", parent=vien)
    drinks = services.category_create(business=b, actor=u, name="Drinks")
    return {"bakery": bakery, "vien": vien, "croissants": croissants, "drinks": drinks}


# --- explorer ----------------------------------------------------------------------------------


def test_new_business_sees_what_to_do_when_the_catalog_is_empty(owner_client):
    response = owner_client.get(reverse("catalog_explorer"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "No products yet" in body
    assert reverse("product_create") in body


def test_explorer_shows_products_as_cards_with_the_price_in_the_business_currency(
    owner, owner_client, tree
):
    product(owner, "Croissant", "1.00", category=tree["croissants"], sku="9012")
    product(owner, "Canette Coca", "3.50", category=tree["drinks"])
    response = owner_client.get(reverse("catalog_explorer"))
    body = response.content.decode()
    assert "Croissant" in body and "Canette Coca" in body
    # English reader, EUR business in Belgium: CLDR's en_BE writes "1,00 €".
    assert "1,00\xa0€" in body and "3,50\xa0€" in body
    assert "product-card" in body
    # The tree with counts that include sub-categories: Bakery counts its croissant.
    assert re.search(r"Bakery</span>\s*<span[^>]*>1</span>", body)


def test_prices_follow_the_reader_language(owner, client):
    product(owner, "Croissant", "1234.5")
    client.force_login(owner.user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    body = client.get(reverse("catalog_explorer")).content.decode()
    assert "1\u202f234,50\xa0€" in body  # French in Belgium


def test_table_view_is_remembered_in_the_url(owner, owner_client):
    product(owner, "Croissant", sku="9012", barcodes=["3792075124138"])
    response = owner_client.get(reverse("catalog_explorer"), {"view": "table"})
    body = response.content.decode()
    assert "product-table" in body and "3792075124138" in body
    assert 'id="view-table" value="table" autocomplete="off" checked' in body
    # The next-page and tree links keep view=table.
    assert "view=table" in body


def test_search_by_name_sku_barcode_and_tag(owner, owner_client):
    cafe = product(owner, "Café", "2.50", sku="0000", barcodes=["4829105637487"])
    deo = product(owner, "Déodorant CienMEN", "4.00", sku="4821", tags=["hygiene"])
    product(owner, "Croissant", "1.00")
    url = reverse("catalog_explorer")
    assert shown_ids(owner_client.get(url, {"q": "cafe"})) == [str(cafe.pk)]
    assert shown_ids(owner_client.get(url, {"q": "4829105637487"})) == [str(cafe.pk)]
    assert shown_ids(owner_client.get(url, {"q": "4821"})) == [str(deo.pk)]
    assert shown_ids(owner_client.get(url, {"q": "hygiene"})) == [str(deo.pk)]
    empty = owner_client.get(url, {"q": "zzzz"}).content.decode()
    assert "No product matches" in empty and "Clear the search" in empty


def test_live_search_answers_with_the_results_only(owner, owner_client):
    product(owner, "Croissant")
    response = owner_client.get(
        reverse("catalog_explorer"),
        {"q": "crois"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Croissant" in body
    assert "<html" not in body and "category-tree" not in body


def test_filters_category_with_descendants_tag_and_inactive(owner, owner_client, tree):
    c = product(owner, "Croissant", category=tree["croissants"], tags=["morning"])
    coca = product(owner, "Canette Coca", category=tree["drinks"])
    old = product(owner, "Old bun", category=tree["vien"], is_active=False)
    url = reverse("catalog_explorer")
    assert shown_ids(owner_client.get(url, {"category": tree["bakery"].pk})) == [str(c.pk)]
    assert shown_ids(owner_client.get(url, {"category": tree["drinks"].pk})) == [str(coca.pk)]
    assert shown_ids(owner_client.get(url, {"tag": c.tags.get().pk})) == [str(c.pk)]
    assert shown_ids(owner_client.get(url, {"status": "inactive"})) == [str(old.pk)]
    assert len(shown_ids(owner_client.get(url, {"status": "all"}))) == 3
    # A value that is not in the lists (edited URL) is ignored, not an error.
    assert owner_client.get(url, {"category": "nope", "sort": "x"}).status_code == 200


def _tree_links(body: str) -> list[str]:
    """The category ids linked from the explorer's tree, in order."""
    return re.findall(r'data-category-link="([^"]+)"', body)


def test_tree_shows_the_domains_and_the_open_branch_only(owner, owner_client, tree):
    product(owner, "Croissant", category=tree["croissants"])
    url = reverse("catalog_explorer")
    bakery, vien, croissants, drinks = (
        str(tree[k].pk) for k in ("bakery", "vien", "croissants", "drinks")
    )
    # No category chosen: the domains only, Bakery with a button to open it; no <select>.
    body = owner_client.get(url).content.decode()
    assert _tree_links(body) == [bakery, drinks]
    assert reverse("catalog_tree_children", args=[tree["bakery"].pk]) in body
    assert '<select name="category"' not in body
    assert 'type="hidden" name="category"' in body
    assert "data-category-chip hidden" in body
    # A sub-category chosen: its ancestors are open, it is active and shown as a chip.
    body = owner_client.get(url, {"category": croissants, "view": "table"}).content.decode()
    assert _tree_links(body) == [bakery, vien, croissants, drinks]
    assert re.search(r'active" href="[^"]*" data-category-link="' + croissants + '"', body)
    assert re.search(
        r"data-category-chip>.*?<span data-category-chip-name>Croissants</span>", body, re.S
    )
    assert f'value="{croissants}"' in body
    # A closed branch opened: the row and its children, links keeping the other filters.
    response = owner_client.get(
        reverse("catalog_tree_children", args=[tree["bakery"].pk]),
        {"view": "table", "category": drinks},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert _tree_links(body) == [bakery, vien]
    assert re.search(r"Bakery</span>\s*<span[^>]*>1</span>", body)
    assert "view=table" in body and f"category={vien}" in body
    # Viennoiseries can be opened in turn; a leaf has no button.
    assert reverse("catalog_tree_children", args=[tree["vien"].pk]) in body
    leaf = owner_client.get(reverse("catalog_tree_children", args=[tree["croissants"].pk]))
    assert _tree_links(leaf.content.decode()) == [croissants]


def test_tree_children_is_scoped_and_needs_catalog_read(owner, other_owner, tree):
    url = reverse("catalog_tree_children", args=[tree["bakery"].pk])
    assert client_for(other_owner).get(url).status_code == 404
    assert Client().get(url).status_code in (302, 403)


def test_low_stock_and_supplier_filters(owner, owner_client):
    from hanout.suppliers import services as supplier_services

    p1 = product(owner, "Croissant")
    product(owner, "Tarte au riz")
    supplier = supplier_services.supplier_create(
        business=owner.business, actor=owner.user, data={"name": "Moulin SA"}
    )
    supplier_services.supplier_item_set(
        supplier=supplier, actor=owner.user, product=p1, data={"cost": "0.30"}
    )
    url = reverse("catalog_explorer")
    assert shown_ids(owner_client.get(url, {"supplier": supplier.pk})) == [str(p1.pk)]
    assert shown_ids(owner_client.get(url, {"low": "on"})) == []


def test_sorting_by_price_and_newest(owner, owner_client):
    a = product(owner, "A", "3.00")
    b = product(owner, "B", "1.00")
    c = product(owner, "C", "2.00")
    url = reverse("catalog_explorer")
    assert shown_ids(owner_client.get(url)) == [str(a.pk), str(b.pk), str(c.pk)]
    assert shown_ids(owner_client.get(url, {"sort": "price"})) == [str(b.pk), str(c.pk), str(a.pk)]
    assert shown_ids(owner_client.get(url, {"sort": "-price"})) == [str(a.pk), str(c.pk), str(b.pk)]
    assert shown_ids(owner_client.get(url, {"sort": "-created"})) == [
        str(c.pk),
        str(b.pk),
        str(a.pk),
    ]


def test_pages_follow_a_cursor_without_counting_or_offset(owner, owner_client):
    made = [product(owner, f"Product {i:02d}") for i in range(30)]
    names_order = [str(p.pk) for p in sorted(made, key=lambda p: (p.name, p.pk))]
    url = reverse("catalog_explorer")
    with CaptureQueriesContext(connection) as queries:
        first = owner_client.get(url)
    product_sql = [
        q["sql"].upper()
        for q in queries.captured_queries
        if '"CATALOG_PRODUCT"' in q["sql"].upper()
    ]
    assert product_sql
    assert not any("OFFSET" in q or "COUNT(" in q for q in product_sql), product_sql
    assert shown_ids(first) == names_order[:24]
    after = re.search(r'rel="next" href="\?after=([^"&]+)"', first.content.decode()).group(1)
    second = owner_client.get(url, {"after": after})
    assert shown_ids(second) == names_order[24:]
    body = second.content.decode()
    assert 'rel="next"' not in body
    before = re.search(r'rel="prev" href="\?before=([^"&]+)"', body).group(1)
    assert shown_ids(owner_client.get(url, {"before": before})) == names_order[:24]
    # A cursor edited by hand gives the first page.
    assert shown_ids(owner_client.get(url, {"after": "garbage!"})) == names_order[:24]


def _explorer_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("catalog_explorer"), params)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("view", ["", "table"])
def test_explorer_query_count_does_not_grow_with_products(
    owner, owner_client, tree, django_assert_num_queries, view
):
    def add(n, start):
        for i in range(start, start + n):
            p = product(
                owner,
                f"Item {i:03d}",
                category=tree["croissants"] if i % 2 else tree["drinks"],
                tags=[f"t{i % 3}"],
                barcodes=[f"X{i:05d}"],
            )
            if i % 4 == 0:
                from django.core.files.uploadedfile import SimpleUploadedFile

                services.product_image_add(
                    product=p,
                    actor=owner.user,
                    file=SimpleUploadedFile(f"{i}.png", png_bytes(), content_type="image/png"),
                )

    add(5, 0)
    _explorer_queries(owner_client, view=view)  # warm the per-session caches of the middleware
    with_five = _explorer_queries(owner_client, view=view)
    add(35, 5)
    with django_assert_num_queries(with_five):
        response = owner_client.get(reverse("catalog_explorer"), {"view": view})
    assert len(shown_ids(response)) == (40 if view else 24)


# --- product page ------------------------------------------------------------------------------


def test_product_page_shows_barcodes_stock_suppliers_and_movements(owner, owner_client, tree):
    from hanout.inventory import services as stock
    from hanout.suppliers import services as supplier_services

    p = product(
        owner,
        "Croissant",
        "1.00",
        sku="9012",
        category=tree["croissants"],
        barcodes=[{"code": "1234", "kind": "internal"}, "3792075124138"],
        tags=["morning"],
    )
    from hanout.core.models import Shop

    shop = Shop.objects.filter(business=owner.business).first()
    location = stock.default_location(shop=shop)
    stock.stock_receive(
        business=owner.business,
        actor=owner.user,
        product=p,
        location=location,
        quantity=Decimal("12"),
        unit_cost=Decimal("0.35"),
        reference="BL-77",
    )
    supplier = supplier_services.supplier_create(
        business=owner.business, actor=owner.user, data={"name": "Moulin SA"}
    )
    supplier_services.supplier_item_set(
        supplier=supplier,
        actor=owner.user,
        product=p,
        data={"cost": "0.35", "supplier_sku": "MS-9", "lead_time_days": 2, "is_preferred": True},
    )
    response = owner_client.get(reverse("product_detail", args=[p.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "3792075124138" in body and "Shop&#x27;s own code" in body
    assert "Bakery" in body and "Viennoiseries" in body and "Croissants" in body
    assert "Moulin SA" in body and "MS-9" in body
    assert "BL-77" in body and "+12" in body
    assert reverse("product_edit", args=[p.pk]) in body
    assert reverse("product_set_active", args=[p.pk]) in body


def test_deactivate_and_reactivate(owner, owner_client):
    p = product(owner, "Croissant")
    url = reverse("product_set_active", args=[p.pk])
    response = owner_client.post(url, {"active": "0"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert not p.is_active
    owner_client.post(url, {"active": "1"})
    p.refresh_from_db()
    assert p.is_active


# --- create / edit -----------------------------------------------------------------------------


def test_create_a_product_with_barcodes_tags_category_and_image(owner, owner_client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(
        category=str(tree["croissants"].pk),
        **{
            "barcodes-TOTAL_FORMS": "2",
            "barcodes-1-code": "1234",
            "barcodes-1-kind": "internal",
        },
    )
    data["images"] = [SimpleUploadedFile("pain.png", png_bytes(), content_type="image/png")]
    response = owner_client.post(reverse("product_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Product.objects.get(business=owner.business, name="Pain au chocolat")
    assert response["Location"] == reverse("product_detail", args=[p.pk])
    assert p.sale_price == Decimal("1.20") and p.sku == "1234" and p.category == tree["croissants"]
    assert sorted(t.name for t in p.tags.all()) == ["breakfast", "viennoiserie"]
    assert sorted((b.code, b.kind) for b in p.barcodes.all()) == [
        ("1234", "internal"),
        ("4006381333931", "ean13"),
    ]
    assert p.images.count() == 1
    thumb = owner_client.get(reverse("product_thumbnail", args=[p.pk]))
    assert thumb.status_code == 200
    assert b"".join(thumb.streaming_content)[:4] in (b"\x89PNG", b"RIFF", b"\xff\xd8\xff\xe0")


def test_the_create_page_offers_the_tree_indented_and_explains_own_codes(owner_client, tree):
    body = owner_client.get(reverse("product_create")).content.decode()
    assert "Shop&#x27;s own code" in body or "Shop's own code" in body
    assert "\u2003\u2003· Croissants" in body
    assert 'id="barcodes-empty-row"' in body


def test_negative_price_is_refused_beside_the_field(owner, owner_client):
    response = owner_client.post(reverse("product_create"), form_data(sale_price="-1"))
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'id="id_sale_price_error"[^>]*>[^<]*negative', body)
    assert not Product.objects.filter(business=owner.business).exists()


def test_wrong_ean_check_digit_is_shown_beside_the_barcode(owner, owner_client):
    response = owner_client.post(
        reverse("product_create"), form_data(**{"barcodes-0-code": "4006381333932"})
    )
    assert response.status_code == 400
    body = response.content.decode()
    error = re.search(r'id="id_barcodes-0-code_error"[^>]*>([^<]*)<', body)
    assert error and "check digit should be" in error.group(1)
    assert not Product.objects.filter(business=owner.business).exists()
    # The same code as the shop's own code is accepted.
    response = owner_client.post(
        reverse("product_create"),
        form_data(**{"barcodes-0-code": "4006381333932", "barcodes-0-kind": "internal"}),
    )
    assert response.status_code == 302
    assert Barcode.objects.get(code="4006381333932").kind == "internal"


def test_a_barcode_already_on_another_product_is_shown_on_its_row(owner, owner_client):
    product(owner, "Croissant", barcodes=["4006381333931"])
    response = owner_client.post(reverse("product_create"), form_data())
    assert response.status_code == 400
    error = re.search(
        r'id="id_barcodes-0-code_error"[^>]*>([^<]*)<', response.content.decode()
    ).group(1)
    assert "Croissant" in error


def test_a_bad_image_saves_nothing(owner, owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data()
    data["images"] = [SimpleUploadedFile("x.png", b"not an image", content_type="image/png")]
    response = owner_client.post(reverse("product_create"), data)
    assert response.status_code == 400
    assert 'id="id_images_error"' in response.content.decode()
    assert not Product.objects.filter(business=owner.business).exists()


def test_edit_changes_fields_and_removes_a_barcode(owner, owner_client):
    p = product(owner, "Croissant", "1.00", sku="9012", barcodes=["3792075124138", "X-1"])
    page = owner_client.get(reverse("product_edit", args=[p.pk])).content.decode()
    assert 'value="3792075124138"' in page and 'value="X-1"' in page
    data = form_data(
        name="Croissant beurre",
        sku="9012",
        sale_price="1.10",
        tags="",
        **{
            "barcodes-TOTAL_FORMS": "2",
            "barcodes-INITIAL_FORMS": "2",
            "barcodes-0-code": "3792075124138",
            "barcodes-0-kind": "ean13",
            "barcodes-1-code": "X-1",
            "barcodes-1-kind": "code128",
            "barcodes-1-DELETE": "on",
        },
    )
    response = owner_client.post(reverse("product_edit", args=[p.pk]), data)
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.name == "Croissant beurre" and p.sale_price == Decimal("1.10")
    assert [b.code for b in p.barcodes.all()] == ["3792075124138"]


def test_remove_an_image(owner, owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = product(owner, "Croissant")
    image = services.product_image_add(
        product=p,
        actor=owner.user,
        file=SimpleUploadedFile("c.png", png_bytes(), content_type="image/png"),
    )
    page = owner_client.get(reverse("product_edit", args=[p.pk])).content.decode()
    assert reverse("product_image_remove", args=[p.pk, image.pk]) in page
    response = owner_client.post(reverse("product_image_remove", args=[p.pk, image.pk]))
    assert response.status_code == 302
    assert not p.images.exists()


# --- categories --------------------------------------------------------------------------------


def test_build_rename_and_delete_the_tree(owner, owner_client):
    url = reverse("category_list")
    owner_client.post(reverse("category_create"), {"name": "Bakery"})
    bakery = Category.objects.get(business=owner.business, name="Bakery")
    owner_client.post(reverse("category_create"), {"name": "Breads", "parent": bakery.pk})
    breads = Category.objects.get(business=owner.business, name="Breads")
    owner_client.post(reverse("category_create"), {"name": "Baguettes", "parent": breads.pk})
    baguettes = Category.objects.get(business=owner.business, name="Baguettes")
    assert baguettes.level == 2
    body = owner_client.get(url).content.decode()
    assert body.index("Bakery") < body.index("Breads") < body.index("Baguettes")
    # A sub-category offers no "add" (three levels), and the service refuses one anyway.
    response = owner_client.post(
        reverse("category_create"), {"name": "Too deep", "parent": baguettes.pk}, follow=True
    )
    assert "cannot have sub-categories" in response.content.decode()
    owner_client.post(reverse("category_update", args=[breads.pk]), {"name": "Breads & co"})
    breads.refresh_from_db()
    assert breads.name == "Breads & co"
    response = owner_client.post(reverse("category_delete", args=[breads.pk]), follow=True)
    assert "has sub-categories" in response.content.decode()
    product(owner, "Baguette", category=baguettes)
    response = owner_client.post(reverse("category_delete", args=[baguettes.pk]), follow=True)
    assert "still has products" in response.content.decode()
    assert Category.objects.filter(pk=baguettes.pk).exists()


def test_empty_category_is_deleted(owner, owner_client, tree):
    response = owner_client.post(reverse("category_delete", args=[tree["drinks"].pk]))
    assert response.status_code == 302
    assert not Category.objects.filter(pk=tree["drinks"].pk).exists()


# --- access ------------------------------------------------------------------------------------


def test_cashier_reads_the_catalog_without_edit_controls(owner, cashier, tree):
    p = product(owner, "Croissant", category=tree["croissants"])
    client = client_for(cashier)
    explorer = client.get(reverse("catalog_explorer")).content.decode()
    assert "Croissant" in explorer
    assert reverse("product_create") not in explorer
    assert reverse("category_list") not in explorer
    detail = client.get(reverse("product_detail", args=[p.pk])).content.decode()
    assert reverse("product_edit", args=[p.pk]) not in detail
    assert reverse("product_set_active", args=[p.pk]) not in detail
    categories = client.get(reverse("category_list")).content.decode()
    assert reverse("category_create") not in categories
    assert client.get(reverse("product_create")).status_code == 403
    assert client.get(reverse("product_edit", args=[p.pk])).status_code == 403
    assert client.post(reverse("product_create"), form_data()).status_code == 403
    assert client.post(reverse("product_edit", args=[p.pk]), form_data()).status_code == 403
    assert (
        client.post(reverse("product_set_active", args=[p.pk]), {"active": "0"}).status_code == 403
    )
    assert client.post(reverse("category_create"), {"name": "X"}).status_code == 403
    assert client.post(reverse("category_delete", args=[tree["drinks"].pk])).status_code == 403
    p.refresh_from_db()
    assert p.is_active and Category.objects.filter(pk=tree["drinks"].pk).exists()


def test_someone_without_catalog_access_is_refused(owner):
    from hanout.accounts import services as accounts
    from hanout.core.permissions import Level, Module
    from tests.factories import make_member

    member = make_member(owner, role=Role.STAFF)
    accounts.module_access_set(
        actor_membership=owner, membership=member, levels={Module.CATALOG: Level.NONE}
    )
    client = client_for(member)
    assert client.get(reverse("catalog_explorer")).status_code == 403


def test_another_business_products_and_categories_are_404(owner, other_owner, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = product(owner, "Croissant")
    image = services.product_image_add(
        product=p,
        actor=owner.user,
        file=SimpleUploadedFile("c.png", png_bytes(), content_type="image/png"),
    )
    intruder = client_for(other_owner)
    for url in (
        reverse("product_detail", args=[p.pk]),
        reverse("product_edit", args=[p.pk]),
        reverse("product_thumbnail", args=[p.pk]),
        reverse("product_image", args=[p.pk, image.pk, "full"]),
    ):
        assert intruder.get(url).status_code == 404, url
    for url, data in (
        (reverse("product_edit", args=[p.pk]), form_data()),
        (reverse("product_set_active", args=[p.pk]), {"active": "0"}),
        (reverse("product_image_remove", args=[p.pk, image.pk]), {}),
        (reverse("category_update", args=[tree["drinks"].pk]), {"name": "Mine"}),
        (reverse("category_delete", args=[tree["drinks"].pk]), {}),
        (reverse("category_create"), {"name": "Child", "parent": tree["drinks"].pk}),
    ):
        assert intruder.post(url, data).status_code == 404, url
    # Nor do the explorer's filters reach across: their category filters nothing in.
    body = intruder.get(reverse("catalog_explorer"), {"category": tree["bakery"].pk})
    assert shown_ids(body) == []
    p.refresh_from_db()
    assert p.is_active and p.images.count() == 1
    tree["drinks"].refresh_from_db()
    assert tree["drinks"].name == "Drinks"


def test_a_new_product_starts_at_the_tax_rate_most_products_carry(owner, owner_client):
    from decimal import Decimal

    from hanout.catalog import services as catalog

    for name, rate in (("Pain", "6"), ("Tarte", "6"), ("Déodorant", "21")):
        catalog.product_create(
            business=owner.business,
            actor=owner.user,
            data={"name": name, "sale_price": "1", "tax_rate": Decimal(rate)},
        )
    form = owner_client.get(reverse("product_create")).context["form"]
    assert Decimal(form.initial["tax_rate"]) == Decimal("6")


def test_a_negative_amount_reads_with_its_minus_first_in_arabic():
    """Babel starts an Arabic amount with a right-to-left mark, which put the minus after
    the number ("180,00-"); the shared filter keeps the signed number left-to-right."""
    from types import SimpleNamespace

    from django.utils import translation

    from hanout.catalog.templatetags.catalog_tags import money

    shop = SimpleNamespace(currency="MAD", country="MA")
    with translation.override("ar"):
        negative, positive = money("-180", shop), money("180", shop)
    assert "\u2066-180,00\u2069" in negative and "\u200f" not in negative
    assert "-" not in positive and "180,00" in positive
    with translation.override("fr"):
        assert money("-180", shop).startswith("-180,00")
