"""Catalog services: barcodes, categories, products, images and bulk upsert."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hanout.catalog import selectors, services
from hanout.catalog.barcodes import barcode_parse, gs1_check_digit
from hanout.catalog.models import Barcode, Category, Product, ProductImage, ProductSearch, Tag
from hanout.core import events
from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def create(owner, **data):
    return services.product_create(
        business=owner.business,
        actor=owner.user,
        data={"name": "Croissant", "sale_price": Decimal("1.00"), **data},
    )


def png(size=(800, 600), color=(200, 100, 50), fmt="PNG", name="photo.png"):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


# --- barcodes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("4006381333931", "ean13"),
        ("4006 3813 3393 1", "ean13"),
        ("96385074", "ean8"),
        ("036000291452", "upca"),
        ("1234", "internal"),
        ("ABC-123/x", "code128"),
    ],
)
def test_barcode_kind_is_recognised(code, kind):
    assert barcode_parse(code) == ("".join(code.split()), kind)


def test_wrong_check_digit_names_the_right_one_and_the_shops_own_code():
    assert gs1_check_digit("194675321486") == 0  # Kaching's Pain au chocolat: a valid EAN-13
    with pytest.raises(ValidationFailed) as exc:
        barcode_parse("1946753214862")
    assert "should be 0" in exc.value.message
    assert "Shop's own code" in exc.value.message
    assert exc.value.fields["code"]
    # Chosen as the shop's own code, it is kept as typed.
    assert barcode_parse("1946753214862", "internal") == ("1946753214862", "internal")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("4006381333932", "ean13"),  # wrong check digit
        ("400638133393", "ean13"),  # wrong length
        ("96385074", "upca"),
        ("", None),
        ("   ", None),
        ("x" * 65, None),
        ("café", None),
        ("1234", "qr"),
    ],
)
def test_bad_barcodes_are_refused(code, kind):
    with pytest.raises(ValidationFailed):
        barcode_parse(code, kind)


# --- categories -----------------------------------------------------------------------------


def tree3(owner):
    b, a = owner.business, owner.user
    domain = services.category_create(business=b, actor=a, name="Boulangerie")
    cat = services.category_create(business=b, actor=a, name="Viennoiseries", parent=domain)
    sub = services.category_create(business=b, actor=a, name="Croissants", parent=cat)
    return domain, cat, sub


def test_category_levels_follow_the_parent_and_stop_at_three(owner):
    domain, cat, sub = tree3(owner)
    assert (domain.level, cat.level, sub.level) == (0, 1, 2)
    with pytest.raises(ValidationFailed) as exc:
        services.category_create(business=owner.business, actor=owner.user, name="X", parent=sub)
    assert "parent" in exc.value.fields
    assert AuditEntry.objects.filter(action="category.create").count() == 3


def test_category_names_are_unique_among_siblings(owner):
    domain, cat, _sub = tree3(owner)
    with pytest.raises(ValidationFailed) as exc:
        services.category_create(
            business=owner.business, actor=owner.user, name="viennoiseries", parent=domain
        )
    assert "name" in exc.value.fields
    # The same name elsewhere in the tree is fine.
    services.category_create(business=owner.business, actor=owner.user, name="Croissants")


def test_category_of_another_business_is_unknown(owner, other_owner):
    foreign = services.category_create(
        business=other_owner.business, actor=other_owner.user, name="Épicerie"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.category_create(
            business=owner.business, actor=owner.user, name="X", parent=foreign
        )
    assert "parent" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        create(owner, category=foreign)
    assert "category" in exc.value.fields
    assert not Product.objects.exists()


def test_moving_a_category_keeps_three_levels(owner):
    domain, cat, sub = tree3(owner)
    other = services.category_create(business=owner.business, actor=owner.user, name="Épicerie")
    moved = services.category_update(category=cat, actor=owner.user, data={"parent": other.pk})
    assert moved.parent_id == other.pk
    # A category with sub-categories cannot go under a category.
    snacks = services.category_create(
        business=owner.business, actor=owner.user, name="Snacks", parent=other
    )
    with pytest.raises(ValidationFailed):
        services.category_update(category=cat, actor=owner.user, data={"parent": snacks})
    with pytest.raises(ValidationFailed):
        services.category_update(category=domain, actor=owner.user, data={"parent": domain})
    # Becoming a domain lifts the whole branch one level.
    services.category_update(category=cat, actor=owner.user, data={"parent": None})
    sub.refresh_from_db()
    cat.refresh_from_db()
    assert (cat.level, sub.level) == (0, 1)


def test_category_with_children_or_products_cannot_be_deleted(owner):
    domain, cat, sub = tree3(owner)
    with pytest.raises(Conflict) as exc:
        services.category_delete(category=cat, actor=owner.user)
    assert "sub-categories" in exc.value.message
    product = create(owner, category=sub)
    with pytest.raises(Conflict) as exc:
        services.category_delete(category=sub, actor=owner.user)
    assert "products" in exc.value.message
    services.product_update(product=product, actor=owner.user, data={"category": None})
    services.category_delete(category=sub, actor=owner.user)
    assert not Category.objects.filter(pk=sub.pk).exists()
    assert AuditEntry.objects.filter(action="category.delete").count() == 1


def test_tree_counts_products_with_descendants(owner):
    domain, cat, sub = tree3(owner)
    create(owner, name="A", category=sub)
    create(owner, name="B", category=cat)
    moving = create(owner, name="C", category=domain)
    tree = selectors.category_tree(business=owner.business)
    assert tree[0]["total_count"] == 3 and tree[0]["product_count"] == 1
    assert tree[0]["children"][0]["total_count"] == 2
    services.product_update(product=moving, actor=owner.user, data={"category": sub})
    tree = selectors.category_tree(business=owner.business)
    assert tree[0]["product_count"] == 0
    assert tree[0]["children"][0]["children"][0]["product_count"] == 2
    # The counter agrees with a recount.
    before = list(Category.objects.order_by("id").values_list("product_count", flat=True))
    services.category_counts_rebuild(business=owner.business)
    assert list(Category.objects.order_by("id").values_list("product_count", flat=True)) == before
    # A count gone wrong (a bulk write that bypassed the services) is put right, and only
    # the wrong rows are written.
    assert services.category_counts_rebuild(business=owner.business) == 0
    Category.objects.filter(pk=cat.pk).update(product_count=99)
    assert services.category_counts_rebuild(business=owner.business) == 1
    assert list(Category.objects.order_by("id").values_list("product_count", flat=True)) == before


def test_filtering_by_a_category_includes_its_descendants(owner):
    domain, cat, sub = tree3(owner)
    create(owner, name="A", category=sub)
    create(owner, name="B", category=cat)
    create(owner, name="C")
    names = lambda c: [p.name for p in selectors.product_list(business=owner.business, category=c)]  # noqa: E731
    assert names(domain) == ["A", "B"]
    assert names(cat) == ["A", "B"]
    assert names(sub) == ["A"]


# --- products -------------------------------------------------------------------------------


def test_product_create_writes_everything_audits_and_emits_after_commit(
    owner, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    monkeypatch.setattr(events, "_dispatch", lambda event: seen.append(event))
    _d, _c, sub = tree3(owner)
    with django_capture_on_commit_callbacks(execute=True):
        product = create(
            owner,
            name="Pain au chocolat",
            sku=" 1234 ",
            sale_price="1.205",
            cost=Decimal("0.4"),
            tax_rate="6",
            unit="piece",
            category=sub,
            tags=["viennoiserie", "chaud", "viennoiserie"],
            barcodes=[{"code": "1946753214860", "kind": "internal"}, "4006381333931"],
        )
    assert product.sku == "1234"
    assert product.sale_price == Decimal("1.21")  # EUR cents, half up
    assert product.tax_rate == Decimal("6.00")
    assert sorted(product.barcodes.values_list("code", "kind")) == [
        ("1946753214860", "internal"),
        ("4006381333931", "ean13"),
    ]
    assert sorted(product.tags.values_list("name", flat=True)) == ["chaud", "viennoiserie"]
    assert ProductSearch.objects.get(product=product).text.startswith("pain au chocolat 1234")
    entry = AuditEntry.objects.get(action="product.create")
    assert entry.changes["name"] == [None, "Pain au chocolat"]
    assert entry.changes["barcodes"][1] == ["1946753214860", "4006381333931"]
    assert [e.name for e in seen] == ["product.created"]
    assert seen[0].payload["id"] == str(product.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sale_price": "-1"}, "sale_price"),
        ({"sale_price": "abc"}, "sale_price"),
        ({"cost": -2}, "cost"),
        ({"tax_rate": "101"}, "tax_rate"),
        ({"tax_rate": "-1"}, "tax_rate"),
        ({"name": "  "}, "name"),
        ({"unit": "gallon"}, "unit"),
        ({"category": "00000000-0000-0000-0000-000000000000"}, "category"),
        ({"barcodes": ["4006381333932"]}, "barcodes[0]"),
        ({"barcodes": ["1234", "1234"]}, "barcodes[1]"),
        ({"sale_price": "1e20"}, "sale_price"),
        ({"sale_price": "1e999999"}, "sale_price"),
        ({"cost": "NaN"}, "cost"),
        ({"tax_rate": "Infinity"}, "tax_rate"),
        ({"barcodes": 5}, "barcodes"),
        ({"tags": 5}, "tags"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(owner, data, field):
    with pytest.raises(ValidationFailed) as exc:
        create(owner, **data)
    assert field in exc.value.fields, exc.value.fields
    assert not Product.objects.exists()
    assert not Barcode.objects.exists()
    assert not AuditEntry.objects.filter(action="product.create").exists()


def test_several_bad_fields_are_reported_together(owner):
    with pytest.raises(ValidationFailed) as exc:
        create(owner, sale_price="-1", tax_rate="200", name="")
    assert {"sale_price", "tax_rate", "name"} <= set(exc.value.fields)


def test_duplicate_sku_and_barcode_name_the_product_that_has_them(owner):
    create(owner, name="Café", sku="0000", barcodes=["4006381333931"])
    with pytest.raises(ValidationFailed) as exc:
        create(owner, name="Thé", sku="0000")
    assert "Café" in exc.value.fields["sku"][0]
    with pytest.raises(ValidationFailed) as exc:
        create(owner, name="Thé", barcodes=["4006381333931"])
    assert "Café" in exc.value.fields["barcodes[0]"][0]
    assert Product.objects.count() == 1


def test_same_codes_in_another_business_are_fine(owner, other_owner):
    create(owner, sku="0000", barcodes=["4006381333931"])
    create(other_owner, sku="0000", barcodes=["4006381333931"])
    assert Barcode.objects.count() == 2


def test_concurrent_duplicate_barcode_becomes_a_clear_error(owner, monkeypatch):
    """The check passed, then someone else's insert wins: the IntegrityError becomes a message."""
    first = create(owner, name="Café", barcodes=["4006381333931"])
    original = Barcode.objects.for_business
    monkeypatch.setattr(
        Barcode.objects,
        "for_business",
        lambda business: original(business).exclude(product=first),
    )
    with pytest.raises(ValidationFailed) as exc:
        create(owner, name="Thé", barcodes=["4006381333931"])
    assert "Café" in exc.value.message
    assert Product.objects.count() == 1


def test_product_update_changes_only_what_is_given_and_replaces_sets(owner):
    product = create(owner, sku="9012", barcodes=["3792075124138"], tags=["a", "b"])
    services.product_update(
        product=product,
        actor=owner.user,
        data={"sale_price": "1.10", "tags": ["b", "c"], "barcodes": ["4006381333931"]},
    )
    product.refresh_from_db()
    assert product.name == "Croissant" and product.sku == "9012"
    assert product.sale_price == Decimal("1.10")
    assert sorted(product.tags.values_list("name", flat=True)) == ["b", "c"]
    assert list(product.barcodes.values_list("code", flat=True)) == ["4006381333931"]
    entry = AuditEntry.objects.get(action="product.update")
    assert set(entry.changes) == {"sale_price", "tags", "barcodes"}
    assert (
        entry.changes["sale_price"] == ["1.000", "1.100"]
        or entry.changes["sale_price"][1] == "1.10"
    )
    # Nothing changed → no audit row.
    services.product_update(product=product, actor=owner.user, data={"name": "Croissant"})
    assert AuditEntry.objects.filter(action="product.update").count() == 1


def test_product_update_with_bad_input_changes_nothing(owner):
    product = create(owner, sku="9012", barcodes=["3792075124138"])
    with pytest.raises(ValidationFailed):
        services.product_update(
            product=product,
            actor=owner.user,
            data={"name": "Nouveau", "barcodes": ["123", "4006381333932"]},
        )
    product.refresh_from_db()
    assert product.name == "Croissant"
    assert list(product.barcodes.values_list("code", flat=True)) == ["3792075124138"]


def test_deactivate_and_reactivate(owner):
    product = create(owner)
    services.product_set_active(product=product, actor=owner.user, active=False)
    assert not Product.objects.get(pk=product.pk).is_active
    assert [p.pk for p in selectors.product_list(business=owner.business, active=True)] == []
    services.product_set_active(product=product, actor=owner.user, active=True)
    actions = list(
        AuditEntry.objects.filter(object_id=str(product.pk)).values_list("action", flat=True)
    )
    assert "product.deactivate" in actions and "product.activate" in actions


def test_tags_are_made_on_the_fly_once(owner):
    create(owner, name="A", tags=["bio"])
    create(owner, name="B", tags=["bio", "local"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["bio", "local"]
    with pytest.raises(ValidationFailed):
        services.tag_create(business=owner.business, actor=owner.user, name="bio")


# --- lookup ---------------------------------------------------------------------------------


def test_lookup_by_barcode_then_sku_in_two_queries(owner, other_owner, django_assert_num_queries):
    a = create(
        owner, name="Café", sku="0000", barcodes=[{"code": "4829105637487", "kind": "internal"}]
    )
    b = create(owner, name="Pain", sku="4829105637487")  # an SKU equal to a's barcode
    create(other_owner, name="Autre", sku="1234")
    with django_assert_num_queries(2):
        found = selectors.product_lookup(business=owner.business, code="4829105637487")
        assert [x.code for x in found.barcodes.all()] == ["4829105637487"]
    assert found.pk == a.pk  # the barcode wins
    with django_assert_num_queries(2):
        assert selectors.product_lookup(business=owner.business, code="0000").pk == a.pk
    assert selectors.product_lookup(business=owner.business, code="1234") is None
    assert selectors.product_lookup(business=owner.business, code="") is None
    assert b.pk


# --- images ---------------------------------------------------------------------------------


def test_image_upload_makes_a_thumbnail_and_remove_deletes_files(
    owner, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    product = create(owner)
    image = services.product_image_add(product=product, actor=owner.user, file=png())
    assert image.position == 0
    with default_storage.open(image.thumbnail.name) as f:
        thumb = Image.open(f)
        assert max(thumb.size) <= 320
    second = services.product_image_add(
        product=product, actor=owner.user, file=png(fmt="JPEG", name="b.jpg")
    )
    assert second.position == 1
    listed = selectors.product_list(business=owner.business).get(pk=product.pk)
    assert selectors.thumbnail_url(listed).endswith(".webp")
    names = [image.image.name, image.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_remove(image=image, actor=owner.user)
    assert not any(default_storage.exists(n) for n in names)
    assert ProductImage.objects.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("fake.png", b"%PDF-1.4 not an image", content_type="image/png"),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
)
def test_non_images_are_refused(owner, upload):
    product = create(owner)
    with pytest.raises(ValidationFailed) as exc:
        services.product_image_add(product=product, actor=owner.user, file=upload)
    assert "file" in exc.value.fields
    assert not ProductImage.objects.exists()


def test_too_large_image_is_refused(owner, monkeypatch):
    from hanout.catalog import images

    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(ValidationFailed) as exc:
        services.product_image_add(product=create(owner), actor=owner.user, file=png())
    assert "MB" in exc.value.message


# --- bulk -----------------------------------------------------------------------------------


def test_bulk_creates_and_updates_by_id_or_sku(owner):
    existing = create(owner, name="Croissant", sku="9012")
    other = create(owner, name="Café", sku="0000")
    results = services.products_bulk_upsert(
        business=owner.business,
        actor=owner.user,
        atomic=True,
        rows=[
            {"sku": "9012", "sale_price": "1.00", "name": "Croissant beurre"},
            {"id": str(other.pk), "tax_rate": "6"},
            {"name": "Tarte au riz", "sku": "5678", "sale_price": "1.10"},
        ],
    )
    assert [r.status for r in results] == ["updated", "updated", "created"]
    assert results[0].product_id == existing.pk
    assert Product.objects.get(pk=existing.pk).name == "Croissant beurre"
    assert Product.objects.get(sku="5678").sale_price == Decimal("1.10")


def test_bulk_atomic_writes_nothing_when_a_row_fails(owner):
    results = services.products_bulk_upsert(
        business=owner.business,
        actor=owner.user,
        atomic=True,
        rows=[
            {"name": "A", "sale_price": "1", "sku": "1"},
            {"name": "B", "sale_price": "-1", "sku": "2"},
            {"name": "C", "sale_price": "1", "sku": "1"},  # duplicate of row 0's SKU → update
        ],
    )
    assert [r.status for r in results] == ["skipped", "error", "skipped"]
    assert results[1].errors == {"sale_price": ["Cannot be negative."]}
    assert not Product.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="product.").exists()
    assert not ProductSearch.objects.exists()


def test_bulk_non_atomic_writes_the_good_rows(owner):
    results = services.products_bulk_upsert(
        business=owner.business,
        actor=owner.user,
        atomic=False,
        rows=[
            {"name": "A", "sale_price": "1", "barcodes": ["4006381333931"]},
            {"name": "B", "sale_price": "1", "barcodes": ["4006381333931"]},
            {"name": "C", "sale_price": "1", "category": "Nowhere > Else"},
            {"id": "not-a-uuid", "name": "D"},
            {"name": "E", "sale_price": "2"},
        ],
    )
    assert [r.status for r in results] == ["created", "error", "error", "error", "created"]
    assert "A" in results[1].errors["barcodes[0]"][0]
    assert "category" in results[2].errors
    assert "id" in results[3].errors
    assert sorted(Product.objects.values_list("name", flat=True)) == ["A", "E"]


def test_bulk_category_by_path_and_row_limit(owner):
    _d, _c, sub = tree3(owner)
    results = services.products_bulk_upsert(
        business=owner.business,
        actor=owner.user,
        atomic=True,
        rows=[
            {"name": "A", "sale_price": "1", "category": "boulangerie > Viennoiseries > Croissants"}
        ],
    )
    assert results[0].status == "created"
    assert Product.objects.get().category_id == sub.pk
    with pytest.raises(ValidationFailed):
        services.products_bulk_upsert(
            business=owner.business,
            actor=owner.user,
            atomic=False,
            rows=[{"name": "x", "sale_price": "1"}] * 1001,
        )
