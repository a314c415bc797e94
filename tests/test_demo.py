"""The demo's catalog and stock: what a person opening `hanout demo` expects to find."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from hanout.accounts.models import Membership
from hanout.catalog import selectors as catalog_selectors
from hanout.catalog.models import Barcode, Category, Product, ProductImage, ProductSearch, Tag
from hanout.core.models import AuditEntry, Business
from hanout.core.permissions import Role
from hanout.demo import load_demo
from hanout.inventory import selectors as inventory_selectors
from hanout.inventory.models import (
    CountStatus,
    Location,
    MovementReason,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
)
from hanout.suppliers.models import Supplier, SupplierProduct
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

KACHING_PRODUCTS = {
    # article number (SKU): (barcode, name, price EUR)
    "1234": ("1946753214860", "Pain au chocolat", "1.20"),
    "5678": ("9859432166010", "Tarte au riz", "1.10"),
    "9012": ("3792075124138", "Croissant", "1.00"),
    "0000": ("4829105637487", "Café", "2.50"),
    "4821": ("9056712384908", "Déodorant CienMEN", "4.00"),
    "2020": ("1738459201677", "Croissant au pistache", "1.50"),
    "8975": ("5126903748124", "Pain au saucisse", "2.00"),
    "9630": ("7741039582619", "Canette Coca", "3.50"),
    "6051": ("1983746509282", "Chocolat noir", "4.00"),
}
TABLES = [
    Business, Membership, Category, Tag, Product, Barcode, ProductImage, ProductSearch,
    Supplier, SupplierProduct, Location, StockLevel, StockMovement, StockCount, StockCountLine,
    AuditEntry,
]  # fmt: skip


@pytest.fixture
def demo():
    # Only the demo businesses themselves (not their marketplace neighbours).
    return {b.name: b for b in load_demo()}


def _owner(business):
    return Membership.objects.get(business=business, role=Role.OWNER)


def test_loading_the_demo_twice_changes_nothing(demo):
    before = {model.__name__: model.objects.count() for model in TABLES}
    levels = sorted(StockLevel.objects.values_list("id", "quantity", "is_low"))
    load_demo()
    assert {model.__name__: model.objects.count() for model in TABLES} == before
    assert sorted(StockLevel.objects.values_list("id", "quantity", "is_low")) == levels
    assert before["Product"] >= 14 and before["StockMovement"] > 50


def test_kaching_sells_the_nine_products_with_their_article_numbers_and_barcodes(demo):
    kaching = demo["Boulangerie Kaching"]
    products = Product.objects.for_business(kaching).prefetch_related("barcodes")
    found = {
        p.sku: ([(b.code, b.kind) for b in p.barcodes.all()], p.name, p.sale_price)
        for p in products
    }
    assert found == {
        sku: ([(code, "ean13")], name, Decimal(price))
        for sku, (code, name, price) in KACHING_PRODUCTS.items()
    }
    assert all(p.category_id and p.cost > 0 for p in products)
    deodorant = products.get(sku="4821")
    assert deodorant.tax_rate == Decimal(21) and products.get(sku="1234").tax_rate == Decimal(6)
    assert deodorant.category.parent.name == "Hygiène"


@pytest.mark.parametrize("code", ["1234", "1946753214860", " 1946 7532 14860 "])
def test_the_register_finds_pain_au_chocolat_by_article_number_or_barcode(demo, code):
    kaching = demo["Boulangerie Kaching"]
    assert catalog_selectors.product_lookup(business=kaching, code=code).name == "Pain au chocolat"


def test_the_lookup_endpoint_answers_both_codes_without_a_redirect(demo):
    api = api_client_for(_owner(demo["Boulangerie Kaching"]))
    for code in ("1234", "1946753214860"):
        response = api.get(f"/api/v1/products/lookup?code={code}")
        assert response.status_code == 200, response.content[:300]
        assert response.json()["name"] == "Pain au chocolat"
    # "0000" is Café's article number, not a barcode.
    assert api.get("/api/v1/products/lookup/?code=0000").json()["name"] == "Café"


def test_search_folds_accents_and_reads_arabic(demo):
    kaching, alma7al = demo["Boulangerie Kaching"], demo["Alma7al"]
    names = {p.name for p in catalog_selectors.product_list(business=kaching, search="cafe")}
    assert "Café" in names
    names = {p.name for p in catalog_selectors.product_list(business=kaching, search="croissant")}
    assert names == {"Croissant", "Croissant au pistache"}
    names = {p.name for p in catalog_selectors.product_list(business=alma7al, search="أتاي")}
    assert names == {"أتاي أخضر سلطان 200 غ"}


def test_every_product_has_a_picture_with_a_thumbnail(demo):
    products = Product.objects.all()
    assert products.count() == ProductImage.objects.values("product").distinct().count()
    for image in ProductImage.objects.all():
        assert image.image.name and image.thumbnail.name
        with image.image.open("rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_suppliers_have_contacts_and_catalog_lines(demo):
    kaching = demo["Boulangerie Kaching"]
    suppliers = Supplier.objects.for_business(kaching)
    assert suppliers.count() == 2
    assert all(s.phone.startswith("+32") and "@" in s.email for s in suppliers)
    lines = SupplierProduct.objects.for_business(kaching)
    assert lines.filter(is_preferred=True).count() == 9  # one preferred source per product
    croissant = Product.objects.get(business=kaching, sku="9012")
    assert lines.filter(product=croissant).count() == 2
    assert all(line.lead_time_days > 0 and line.supplier_sku for line in lines)


def test_stock_is_a_ledger_with_a_month_of_history(demo):
    for level in StockLevel.objects.all():
        total = StockMovement.objects.filter(
            product=level.product_id, location=level.location_id
        ).aggregate(s=Sum("quantity"))["s"]
        assert level.quantity == total
    sales = StockMovement.objects.filter(reason=MovementReason.SALE)
    now = timezone.now()
    assert sales.filter(created_at__lt=now - timedelta(days=20)).exists()
    assert not sales.filter(created_at__lt=now - timedelta(days=31)).exists()
    assert StockMovement.objects.filter(reason=MovementReason.TRANSFER_IN).exists()
    for business in demo.values():
        assert Location.objects.for_business(business).count() == 2
        count = StockCount.objects.get(business=business)
        assert count.status == CountStatus.OPEN and count.lines.count() >= 2


def test_a_product_or_two_are_low_and_restocking_is_suggested(demo):
    kaching = demo["Boulangerie Kaching"]
    low = {level.product.name for level in inventory_selectors.low_stock_list(business=kaching)}
    assert low == {"Croissant au pistache", "Chocolat noir"}
    suggestions = inventory_selectors.restock_suggestions(business=kaching)
    assert suggestions
    alma7al = demo["Alma7al"]
    assert inventory_selectors.low_stock_list(business=alma7al).exists()
    assert inventory_selectors.restock_suggestions(business=alma7al)


def test_alma7al_sells_in_dirhams_with_arabic_names(demo):
    alma7al = demo["Alma7al"]
    assert alma7al.currency == "MAD"
    products = Product.objects.for_business(alma7al)
    assert products.count() == 5
    assert all(any("\u0600" <= c <= "\u06ff" for c in p.name) for p in products)
    tea = products.get(sku="T200")
    assert tea.sale_price == Decimal("18.00") and tea.barcodes.get().kind == "ean13"
    # The tea supplier, and the packaging company the supplier-bills demo adds.
    suppliers = Supplier.objects.for_business(alma7al)
    assert suppliers.count() == 2
    assert all(s.phone.startswith("+212") for s in suppliers)


def test_the_demo_operator_may_set_the_marketplace_terms_in_django_admin(demo, client):
    from hanout.accounts.models import User
    from hanout.marketplace.demo import OPERATOR_EMAIL

    client.force_login(User.objects.get(email=OPERATOR_EMAIL))
    assert client.get("/django-admin/marketplace/marketterms/add/").status_code == 200
    response = client.post(
        "/django-admin/marketplace/marketterms/add/",
        {
            "currency": "MAD",
            "approval_threshold": "5000",
            "request_days": "7",
            "confirm_days": "7",
            "max_amount": "1000000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/django-admin/marketplace/walletentry/").status_code == 200
    # Reading, not editing, the wallets; and nothing of the shops' own tables.
    assert client.get("/django-admin/accounts/user/").status_code == 403
