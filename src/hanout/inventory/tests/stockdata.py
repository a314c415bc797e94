"""Small builders for the inventory tests (products straight from the model, so these
tests do not depend on the catalog's services)."""

from __future__ import annotations

from decimal import Decimal

from hanout.catalog.models import Product, Unit
from hanout.core.models import Shop
from hanout.inventory import services
from hanout.inventory.models import Location, LocationKind

_n = iter(range(1, 10**9))


def make_product(business, name=None, *, unit=Unit.PIECE, cost="0", sku=None) -> Product:
    n = next(_n)
    return Product.objects.create(
        business=business,
        name=name or f"Product {n}",
        sku=sku if sku is not None else f"SKU{n}",
        unit=unit,
        sale_price=Decimal("1.00"),
        cost=Decimal(cost),
    )


def shop_of(business) -> Shop:
    return Shop.objects.filter(business=business).order_by("created_at").first()


def make_location(business, name=None, *, default=False, kind=LocationKind.BACKROOM) -> Location:
    shop = shop_of(business)
    if default:
        return services.default_location(shop=shop)
    return services.location_create(
        business=business, actor=None, shop=shop, name=name or f"Room {next(_n)}", kind=kind
    )


def level_of(product, location) -> Decimal:
    from hanout.inventory.models import StockLevel

    level = StockLevel.objects.filter(product=product, location=location).first()
    return level.quantity if level else Decimal(0)


def ledger_sum(product, location) -> Decimal:
    from django.db.models import Sum

    from hanout.inventory.models import StockMovement

    total = StockMovement.objects.filter(product=product, location=location).aggregate(
        s=Sum("quantity")
    )["s"]
    return total or Decimal(0)
