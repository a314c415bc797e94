"""Reads about suppliers, shared by the pages, the API and the catalog's product page."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet

from hanout.catalog.models import Product
from hanout.core.models import Business
from hanout.suppliers.models import Supplier, SupplierProduct

_NOT_DIGITS = re.compile(r"\D")


def supplier_list(
    *, business: Business, search: str | None = None, active: bool | None = None
) -> QuerySet[Supplier]:
    """The business's suppliers with `item_count` (lines in their catalog), by name.

    `search` finds a part of the name, contact person, email or phone; a phone
    typed the local way ("0470 12…") still finds the stored "+32470 12…".
    """
    qs = (
        Supplier.objects.for_business(business)
        .annotate(item_count=Count("catalog"))
        .order_by("name", "id")
    )
    search = (search or "").strip()
    if search:
        match = (
            Q(name__icontains=search)
            | Q(contact_name__icontains=search)
            | Q(email__icontains=search)
        )
        digits = _NOT_DIGITS.sub("", search).lstrip("0")
        if len(digits) >= 3:
            match |= Q(phone__contains=digits)
        qs = qs.filter(match)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def supplier_get(*, business: Business, pk) -> Supplier:
    """One supplier of this business; another business's id raises Supplier.DoesNotExist."""
    return supplier_list(business=business).select_related("business").get(pk=pk)


def supplier_items(*, supplier: Supplier) -> QuerySet[SupplierProduct]:
    """The supplier's catalog, with each line's product, by product name."""
    return (
        SupplierProduct.objects.filter(business_id=supplier.business_id, supplier=supplier)
        .select_related("product")
        .order_by("product__name", "id")
    )


def supplier_item_get(*, supplier: Supplier, pk) -> SupplierProduct:
    """One line of the supplier's catalog; any other id raises SupplierProduct.DoesNotExist."""
    return supplier_items(supplier=supplier).select_related("supplier", "business").get(pk=pk)


def product_suppliers(*, product: Product) -> QuerySet[SupplierProduct]:
    """Who sells us this product: the preferred supplier first, then by name."""
    return (
        SupplierProduct.objects.filter(business_id=product.business_id, product=product)
        .select_related("supplier")
        .order_by("-is_preferred", "supplier__name", "id")
    )


def product_choices(*, business: Business, search: str = "", limit: int = 20) -> list[Product]:
    """Products to pick for a catalog line, found by name or SKU (or barcode once the
    catalog's search is in): the catalog's own search when it exists, else a simple filter."""
    search = (search or "").strip()
    try:
        from hanout.catalog.selectors import product_list
    except ImportError:  # the catalog's selectors are not there yet
        product_list = None
    if product_list is not None:
        qs = product_list(business=business, search=search or None, active=True)
    else:
        qs = Product.objects.for_business(business).filter(is_active=True).order_by("name", "id")
        if search:
            qs = qs.filter(Q(name__icontains=search) | Q(sku__iexact=search))
    return list(qs.select_related(None).prefetch_related(None).only("id", "name", "sku")[:limit])


def product_for_business(*, business: Business, pk) -> Product:
    """One product of this business; another business's id raises Product.DoesNotExist."""
    return Product.objects.for_business(business).get(pk=pk)
