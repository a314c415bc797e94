"""The till's offline catalog feed (GET /pos/catalog.json): what the register keeps in
IndexedDB to scan and price while the network is down."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hanout.catalog import services as catalog
from hanout.core.models import Shop
from hanout.core.permissions import Module, Role
from hanout.pos.models import CashSession, LineKind, Register, Sale, SaleKind, SaleLine
from tests.factories import make_member
from tests.fixtures import api_client_for, login

pytestmark = pytest.mark.django_db

URL = "/pos/catalog.json"


def product(owner, name, price, *, sku="", barcodes=(), category=None, active=True):
    p = catalog.product_create(
        business=owner.business,
        actor=owner.user,
        data={
            "name": name,
            "sale_price": Decimal(price),
            "sku": sku,
            "barcodes": list(barcodes),
            "category": category,
            "tax_rate": Decimal("6"),
        },
    )
    if not active:
        p = catalog.product_set_active(product=p, actor=owner.user, active=False)
    return p


def png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buf, format="PNG")
    return buf.getvalue()


class Till:
    """A register with an open session, to record past sales directly (the ranking
    only reads sale lines, whoever wrote them)."""

    def __init__(self, owner):
        self.owner = owner
        b = owner.business
        shop = Shop.objects.for_business(b).first()
        self.register = Register.objects.create(business=b, shop=shop, name="Caisse 1")
        self.session = CashSession.objects.create(
            business=b,
            register=self.register,
            number=1,
            opened_by=owner.user,
            opened_at=timezone.now(),
            opening_float=Decimal("50"),
        )
        self.number = 0

    def sold(self, items, *, days_ago=1, kind=SaleKind.SALE):
        self.number += 1
        b = self.owner.business
        sale = Sale.objects.create(
            business=b,
            client_uuid=uuid.uuid4(),
            kind=kind,
            register=self.register,
            shop=self.register.shop,
            session=self.session,
            number=self.number,
            cashier=self.owner.user,
            sold_at=timezone.now() - timedelta(days=days_ago),
            total=0,
            revenue=0,
            tax_total=0,
            paid_total=0,
        )
        for i, (p, qty) in enumerate(items):
            SaleLine.objects.create(
                business=b,
                sale=sale,
                position=i,
                kind=LineKind.PRODUCT,
                product=p,
                name=p.name,
                quantity=Decimal(qty),
                unit_price=p.sale_price,
                total=p.sale_price * Decimal(qty),
            )
        return sale


@pytest.fixture
def bakery(owner):
    cat = catalog.category_create(business=owner.business, actor=owner.user, name="Viennoiseries")
    pac = product(
        owner, "Pain au chocolat", "1.2", sku="1234", barcodes=["1946753214860"], category=cat
    )
    catalog.product_image_add(
        product=pac,
        actor=owner.user,
        file=SimpleUploadedFile("pac.png", png(), content_type="image/png"),
    )
    product(owner, "Croissant", "1.00", sku="9012", category=cat)
    product(owner, "Café", "2.50", sku="0000")
    product(owner, "Old cake", "3.00", sku="7777", active=False)
    return owner


def test_a_cashier_gets_the_active_catalog_to_sell_offline(client, bakery):
    cashier = make_member(bakery, role=Role.CASHIER, code="14", pin="1234")
    data = login(client, cashier).get(URL).json()

    assert data["currency"] == "EUR"
    assert data["truncated"] is False
    names = [p["name"] for p in data["products"]]
    assert names == ["Café", "Croissant", "Pain au chocolat"]  # nothing sold yet: by name
    pac = data["products"][2]
    assert pac["price"] == "1.20"
    assert pac["tax_rate"] == "6.00"
    assert pac["sku"] == "1234"
    assert pac["barcodes"] == ["1946753214860"]
    assert pac["thumbnail"].startswith(reverse("product_thumbnail", args=[pac["id"]]) + "?v=")
    assert data["products"][0]["thumbnail"] is None
    assert [c["name"] for c in data["categories"]] == ["Viennoiseries"]
    assert pac["category"] == data["categories"][0]["id"]
    # The thumbnail URL it gives works for the cashier.
    assert client.get(pac["thumbnail"]).status_code == 200


def test_another_business_products_never_appear(client, bakery, other_owner):
    product(other_owner, "Msemen", "3", sku="1234", barcodes=["6111245591209"])
    data = login(client, bakery).get(URL).json()
    assert "Msemen" not in [p["name"] for p in data["products"]]
    data = login(client, other_owner).get(URL).json()
    assert [p["name"] for p in data["products"]] == ["Msemen"]
    assert data["categories"] == []


def test_beyond_the_cap_the_most_sold_of_the_last_90_days_come_first(client, bakery, settings):
    settings.HANOUT_TILL_CATALOG_CAP = 3
    b = bakery.business
    extra = [product(bakery, f"Zz product {i}", "1") for i in range(3)]
    till = Till(bakery)
    by_name = {p.name: p for p in extra}
    from hanout.catalog.models import Product

    cafe = Product.objects.get(business=b, name="Café")
    croissant = Product.objects.get(business=b, name="Croissant")
    till.sold([(by_name["Zz product 2"], "5"), (cafe, "1")])
    till.sold([(by_name["Zz product 2"], "2"), (by_name["Zz product 1"], "3")])
    till.sold([(croissant, "50")], days_ago=120)  # too old to count
    till.sold([(by_name["Zz product 0"], "40")], kind=SaleKind.RETURN)  # a return is no sale

    data = login(client, bakery).get(URL).json()

    assert data["truncated"] is True and data["cap"] == 3 and data["count"] == 3
    assert [(p["name"], p["sold"]) for p in data["products"]] == [
        ("Zz product 2", "7.000"),
        ("Zz product 1", "3.000"),
        ("Café", "1.000"),
    ]


def test_under_the_cap_best_sellers_lead_and_the_rest_follow_by_name(client, bakery):
    from hanout.catalog.models import Product

    croissant = Product.objects.get(business=bakery.business, name="Croissant")
    Till(bakery).sold([(croissant, "2")])
    data = login(client, bakery).get(URL).json()
    assert [p["name"] for p in data["products"]] == ["Croissant", "Café", "Pain au chocolat"]


def test_a_member_without_register_access_is_refused(client, bakery):
    from hanout.accounts.services import module_access_set

    clerk = make_member(bakery, role=Role.STAFF)
    module_access_set(actor_membership=bakery, membership=clerk, levels={Module.REGISTER: "none"})
    response = login(client, clerk).get(URL)
    assert response.status_code == 403
    assert "Register" in response.json()["error"]["message"]


def test_nobody_signed_in_gets_nothing(client, bakery):
    response = client.get(URL)
    assert response.status_code in (401, 403)
    assert "products" not in response.json()


def test_the_desktop_app_reads_it_with_a_token(bakery):
    response = api_client_for(bakery).get(URL)
    assert response.status_code == 200
    assert len(response.json()["products"]) == 3


def test_the_query_count_does_not_grow_with_the_catalog(client, bakery, settings):
    login(client, bakery)

    ctx_log: list = []

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        ctx_log[:] = ctx.captured_queries
        return len(ctx.captured_queries)

    count()  # the first request of a session also loads what later ones find cached
    small = count()
    till = Till(bakery)
    more = [
        product(bakery, f"Product {i}", "1", barcodes=[{"code": f"P{i:05d}", "kind": "code128"}])
        for i in range(30)
    ]
    till.sold([(p, "1") for p in more[:10]])
    assert count() == small, "\n".join(q["sql"] for q in ctx_log)
    settings.HANOUT_TILL_CATALOG_CAP = 5  # cut: one more query for the cut-off best sellers
    assert count() <= small + 1
