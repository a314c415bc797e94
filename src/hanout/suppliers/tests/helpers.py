"""Test helpers of the supplier tests: products made the way the catalog makes them."""

from __future__ import annotations

from decimal import Decimal

from hanout.catalog.models import Product
from hanout.suppliers import services


def make_product(membership, name: str, sku: str = "", price: str = "1.00") -> Product:
    """A product of the membership's business, through the catalog's service once it exists
    (so its search row is there), else as a plain row."""
    try:
        from hanout.catalog.services import product_create
    except ImportError:
        product_create = None
    if product_create is not None:
        return product_create(
            business=membership.business,
            actor=membership.user,
            data={"name": name, "sku": sku, "sale_price": Decimal(price)},
        )
    return Product.objects.create(
        business=membership.business, name=name, sku=sku, sale_price=Decimal(price)
    )


def make_supplier(membership, name: str = "Moulins Réunis", **data):
    return services.supplier_create(
        business=membership.business, actor=membership.user, data={"name": name, **data}
    )
