"""The till's catalog cache: `GET /pos/catalog.json`.

The selling screen keeps the catalog in the browser (IndexedDB) so that it can
scan, price and show product buttons while the network is down. This endpoint
gives it the active products of the business in one answer, most sold first:
what a register sells every day is what must be there offline. Beyond a cap
(HANOUT_TILL_CATALOG_CAP, 5,000 by default) only the most sold products over
the last 90 days — then the rest by name — are sent; the till asks the server
(`/api/v1/products/lookup?code=`) on a miss while online.

A handful of queries whatever the size of the catalog (the query-count test
holds it): the sold ranking, the products (by name, cap + 1 rows: one more
tells whether it was cut), the top sellers the name order cut off (only when
cut), their barcodes, the categories.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from hashlib import blake2s

from django.conf import settings
from django.db.models import OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hanout.catalog.models import Barcode, Category, Product, ProductImage
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.core.permissions import Module

DEFAULT_CAP = 5_000
SOLD_OVER_DAYS = 90
QUANTITY = Decimal("0.001")

_COLUMNS = ("id", "name", "sku", "sale_price", "tax_rate", "unit", "category_id")


def _catalog_cap() -> int:
    return int(getattr(settings, "HANOUT_TILL_CATALOG_CAP", DEFAULT_CAP))


def _thumbnail_name() -> Subquery:
    return Subquery(
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )


def _sold_ranking(*, business: Business, since, limit: int) -> dict:
    """{product_id: quantity sold since `since`}, the `limit` best sellers.

    Reached from the sales (index on business, sold_at) so that only the
    window's lines are read; returns are left out (they are separate sales)."""
    from hanout.pos.models import LineKind, SaleKind, SaleLine

    rows = (
        SaleLine.objects.filter(
            sale__business=business,
            sale__sold_at__gte=since,
            sale__kind=SaleKind.SALE,
            kind=LineKind.PRODUCT,
            product__isnull=False,
        )
        .values("product_id")
        .annotate(sold=Sum("quantity"))
        .filter(sold__gt=0)
        .order_by("-sold", "product_id")
        .values_list("product_id", "sold")[:limit]
    )
    return dict(rows)


def till_catalog(*, business: Business, cap: int | None = None, now=None) -> dict:
    """The active catalog for a register, most sold first (see the module docstring).

    Returns {"generated_at", "currency", "cap", "truncated", "count",
    "categories": [...], "products": [{"id", "name", "sku", "barcodes",
    "price", "tax_rate", "unit", "category", "thumbnail", "sold"}]}.
    """
    cap = _catalog_cap() if cap is None else cap
    now = now or timezone.now()
    sold = _sold_ranking(business=business, since=now - timedelta(days=SOLD_OVER_DAYS), limit=cap)
    active = Product.objects.for_business(business).filter(is_active=True)
    fields = {"thumbnail_name": _thumbnail_name()}
    rows = list(active.order_by("name", "id").values(*_COLUMNS, **fields)[: cap + 1])
    truncated = len(rows) > cap
    if truncated:
        by_id = {r["id"]: r for r in rows[:cap]}
        missing = [pk for pk in sold if pk not in by_id]
        if missing:
            by_id |= {r["id"]: r for r in active.filter(id__in=missing).values(*_COLUMNS, **fields)}
        rows = list(by_id.values())
    # Most sold first, then by name (a stable order: the buttons do not jump around).
    rows.sort(key=lambda r: (-sold.get(r["id"], 0), r["name"].casefold(), str(r["id"])))
    rows = rows[:cap]

    barcodes: dict = {}
    codes = Barcode.objects.filter(business=business).order_by("created_at", "id")
    if truncated:
        codes = codes.filter(product_id__in=[r["id"] for r in rows])
    else:
        codes = codes.filter(product__is_active=True)
    for product_id, code in codes.values_list("product_id", "code"):
        barcodes.setdefault(product_id, []).append(code)

    categories = [
        {
            "id": str(c["id"]),
            "name": c["name"],
            "parent": str(c["parent_id"]) if c["parent_id"] else None,
            "level": c["level"],
            "position": c["position"],
        }
        for c in Category.objects.for_business(business)
        .order_by("level", "position", "name", "id")
        .values("id", "name", "parent_id", "level", "position")
    ]

    currency = business.currency
    products = []
    for r in rows:
        thumb = r["thumbnail_name"]
        products.append(
            {
                "id": str(r["id"]),
                "name": r["name"],
                "sku": r["sku"],
                "barcodes": barcodes.get(r["id"], []),
                "price": str(quantize(r["sale_price"], currency)),
                "tax_rate": str(r["tax_rate"]),
                "unit": r["unit"],
                "category": str(r["category_id"]) if r["category_id"] else None,
                # The file name versions the URL: a new picture is a new cache entry.
                "thumbnail": (
                    reverse("product_thumbnail", args=[r["id"]])
                    + "?v="
                    + blake2s(thumb.encode(), digest_size=4).hexdigest()
                    if thumb
                    else None
                ),
                "sold": str(Decimal(sold.get(r["id"], 0)).quantize(QUANTITY)),
            }
        )
    return {
        "generated_at": now.isoformat(),
        "currency": currency,
        "cap": cap,
        "truncated": truncated,
        "count": len(products),
        "categories": categories,
        "products": products,
    }


@extend_schema(exclude=True)  # the register's own cache feed, not a public API
class TillCatalogView(APIView):
    """GET: the catalog for the till's offline cache. Register: read."""

    module = Module.REGISTER

    def get(self, request):
        data = till_catalog(business=request.business)
        response = Response(data)
        response["Cache-Control"] = "private, no-cache"
        return response


# Kept for the url module: one name per page, like the other pos views.
till_catalog_view = TillCatalogView.as_view()
