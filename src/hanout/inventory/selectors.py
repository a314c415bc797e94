"""Reads of the inventory, shared by the pages, the API and reports.

Lists are querysets with their joins done here, once, so a page's query count
does not grow with its rows. Reports (restock suggestions, valuation) read the
ledger with a few aggregate or streaming queries, never one query per product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from hanout.catalog.models import Category, Product, Unit
from hanout.core import clock
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.inventory.models import (
    Location,
    MovementReason,
    StockCount,
    StockLevel,
    StockMovement,
)

# Days of stock a restock should cover on top of the supplier's lead time.
REVIEW_PERIOD_DAYS = 7


def location_list(*, business: Business, shop=None, active: bool | None = None) -> QuerySet:
    """The business's locations, shop by shop, the selling one first."""
    qs = (
        Location.objects.for_business(business)
        .select_related("shop")
        .order_by("shop__name", "-is_default", "name", "id")
    )
    if shop is not None:
        qs = qs.filter(shop=shop)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def stock_level_list(
    *,
    business: Business,
    location=None,
    product=None,
    low: bool | None = None,
    search: str | None = None,
) -> QuerySet:
    """Levels with their product and location; `search` matches the product's name or SKU."""
    qs = (
        StockLevel.objects.for_business(business)
        .select_related("product", "location", "location__shop")
        .order_by("product__name", "location__name", "id")
    )
    if location is not None:
        qs = qs.filter(location=location)
    if product is not None:
        qs = qs.filter(product=product)
    if low is not None:
        qs = qs.filter(is_low=low)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(product__name__icontains=search) | Q(product__sku__iexact=search))
    return qs


def stock_level_get(*, business: Business, pk) -> StockLevel:
    return stock_level_list(business=business).get(pk=pk)


def movement_list(
    *,
    business: Business,
    product=None,
    location=None,
    reason: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    group=None,
) -> QuerySet:
    """The ledger, newest first, with product, location and actor."""
    qs = (
        StockMovement.objects.for_business(business)
        .select_related("product", "location", "actor")
        .order_by("-created_at", "-id")
    )
    if product is not None:
        qs = qs.filter(product=product)
    if location is not None:
        qs = qs.filter(location=location)
    if reason:
        qs = qs.filter(reason=reason)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if group is not None:
        qs = qs.filter(group=group)
    return qs


def low_stock_list(*, business: Business, location=None) -> QuerySet:
    """Levels at or below their threshold (flagged by the ledger when they crossed it)."""
    return stock_level_list(business=business, location=location, low=True)


def stock_count_list(*, business: Business, location=None, status: str | None = None) -> QuerySet:
    qs = (
        StockCount.objects.for_business(business)
        .select_related("location", "location__shop", "started_by", "validated_by")
        .order_by("-created_at", "-id")
    )
    if location is not None:
        qs = qs.filter(location=location)
    if status:
        qs = qs.filter(status=status)
    return qs


def stock_count_get(*, business: Business, pk) -> StockCount:
    """One count with its lines (and their products and movements) prefetched."""
    from django.db.models import Prefetch

    from hanout.inventory.models import StockCountLine

    return (
        stock_count_list(business=business)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=StockCountLine.objects.select_related("product").order_by(
                    "created_at", "id"
                ),
            )
        )
        .get(pk=pk)
    )


# --- restock suggestions -----------------------------------------------------------------------


@dataclass
class RestockLine:
    """What to order of one product, and why (the figures it was computed from)."""

    product: Product
    supplier: object | None  # suppliers.Supplier, or None when no preferred supplier
    on_hand: Decimal
    sold: Decimal
    daily_sales: Decimal
    lead_time_days: int
    cover_days: int
    min_order_quantity: Decimal
    supplier_sku: str
    unit_cost: Decimal
    quantity: Decimal
    is_low: bool


@dataclass
class RestockGroup:
    supplier: object | None
    lines: list[RestockLine] = field(default_factory=list)


def _round_up(value: Decimal, step: Decimal, whole: bool) -> Decimal:
    if step and step > 0:
        value = Decimal(math.ceil(value / step)) * step
    if whole:
        value = Decimal(math.ceil(value))
    return value.quantize(Decimal("0.001"))


def restock_suggestions(
    *, business: Business, days: int = 30, location=None, review_days: int = REVIEW_PERIOD_DAYS
) -> list[RestockLine]:
    """What to order, by preferred supplier then product name.

    For each product sold in the last `days` days, or flagged low: average daily
    sales × (the preferred supplier's lead time + a review period), minus what is
    on hand, rounded up to the supplier's minimum order quantity (whole units for
    products sold by the piece). A low level with a reorder quantity asks for at
    least that much. Four queries, whatever the number of products.
    """
    from hanout.suppliers.models import SupplierProduct

    days = max(int(days), 1)
    since = clock.now() - timedelta(days=days)
    sales = StockMovement.objects.filter(
        business=business, reason=MovementReason.SALE, created_at__gte=since
    )
    levels = StockLevel.objects.filter(business=business)
    if location is not None:
        sales = sales.filter(location=location)
        levels = levels.filter(location=location)
    sold = dict(
        sales.values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    on_hand: dict = {}
    low_reorder: dict = {}
    low_ids = set()
    for pid, qty, is_low, reorder in levels.values_list(
        "product_id", "quantity", "is_low", "reorder_quantity"
    ):
        on_hand[pid] = on_hand.get(pid, Decimal(0)) + qty
        if is_low:
            low_ids.add(pid)
            low_reorder[pid] = low_reorder.get(pid, Decimal(0)) + (reorder or 0)
    candidates = set(sold) | low_ids
    if not candidates:
        return []
    products = {
        p.pk: p
        for p in Product.objects.filter(business=business, pk__in=candidates, is_active=True)
    }
    preferred = {
        item.product_id: item
        for item in SupplierProduct.objects.filter(
            business=business, product_id__in=list(products), is_preferred=True
        ).select_related("supplier")
    }
    out = []
    for pid, product in products.items():
        item = preferred.get(pid)
        lead = item.lead_time_days if item else 0
        moq = item.min_order_quantity if item else Decimal(0)
        # SQLite sums decimals as floats: round to the ledger's 3 places.
        units_sold = -Decimal(sold.get(pid) or 0).quantize(Decimal("0.001"))
        daily = units_sold / days
        cover = lead + review_days
        held = on_hand.get(pid, Decimal(0))
        need = daily * cover - held
        if pid in low_ids:
            need = max(need, low_reorder.get(pid, Decimal(0)))
        if need <= 0:
            continue
        out.append(
            RestockLine(
                product=product,
                supplier=item.supplier if item else None,
                on_hand=held,
                sold=units_sold,
                daily_sales=daily.quantize(Decimal("0.001")),
                lead_time_days=lead,
                cover_days=cover,
                min_order_quantity=moq,
                supplier_sku=item.supplier_sku if item else "",
                unit_cost=item.cost if item else product.cost,
                quantity=_round_up(need, moq, product.unit == Unit.PIECE),
                is_low=pid in low_ids,
            )
        )
    out.sort(
        key=lambda line: (
            line.supplier is None,
            line.supplier.name if line.supplier else "",
            line.product.name,
        )
    )
    return out


def restock_groups(lines: list[RestockLine]) -> list[RestockGroup]:
    """Suggestions grouped by preferred supplier (those without one last)."""
    groups: list[RestockGroup] = []
    for line in lines:
        supplier_id = getattr(line.supplier, "pk", None)
        if not groups or getattr(groups[-1].supplier, "pk", None) != supplier_id:
            groups.append(RestockGroup(supplier=line.supplier))
        groups[-1].lines.append(line)
    return groups


# --- valuation ---------------------------------------------------------------------------------


@dataclass
class ValuationRow:
    key: str | None  # location or category id; None for "no category"
    label: str
    quantity: Decimal = Decimal(0)
    value: Decimal = Decimal(0)
    products: int = 0


@dataclass
class Valuation:
    at: datetime
    group_by: str
    currency: str
    rows: list[ValuationRow]
    total_quantity: Decimal
    total: Decimal


def valuation(*, business: Business, at: datetime | None = None, group_by: str = "location"):
    """What the stock was worth at `at`, recomputed from the ledger (weighted average cost).

    One ordered streaming query over the movements up to `at` (product, then time):
    receipts bring their unit cost into the product's running average over what is on
    hand in all locations; every other movement moves quantity at the running average.
    Each product × location is then valued at its product's average, and summed by
    location or by category. Figures are rounded to the currency once, per row.
    """
    if group_by not in ("location", "category"):
        raise ValueError(group_by)
    at = at or clock.now()
    rows = (
        StockMovement.objects.filter(business=business, created_at__lte=at)
        .order_by("product_id", "created_at", "id")
        .values_list(
            "product_id", "location_id", "reason", "quantity", "unit_cost", "product__category_id"
        )
    )
    quantity: dict = {}
    value: dict = {}
    products: dict = {}

    def flush(category, per_location, avg):
        touched = set()  # a product held in two locations counts once in its category
        for loc, qty in per_location.items():
            if qty == 0:
                continue
            key = loc if group_by == "location" else category
            quantity[key] = quantity.get(key, Decimal(0)) + qty
            value[key] = value.get(key, Decimal(0)) + qty * avg
            touched.add(key)
        for key in touched:
            products[key] = products.get(key, 0) + 1

    current = None
    category = None
    per_location: dict = {}
    total_qty = Decimal(0)
    avg = Decimal(0)
    for pid, loc, reason, qty, unit_cost, cat in rows.iterator(chunk_size=5000):
        if pid != current:
            if current is not None:
                flush(category, per_location, avg)
            current, category, per_location = pid, cat, {}
            total_qty, avg = Decimal(0), Decimal(0)
        if reason == MovementReason.RECEIPT:
            held = max(total_qty, Decimal(0))
            avg = (held * avg + qty * unit_cost) / (held + qty) if held > 0 else unit_cost
        total_qty += qty
        per_location[loc] = per_location.get(loc, Decimal(0)) + qty
    if current is not None:
        flush(category, per_location, avg)

    if group_by == "location":
        names = {
            loc.pk: f"{loc.shop.name} · {loc.name}"
            for loc in Location.objects.for_business(business).select_related("shop")
        }
    else:
        names = dict(Category.objects.for_business(business).values_list("pk", "name"))
    out = [
        ValuationRow(
            key=str(key) if key else None,
            label=names.get(key, "") if key else _no_category(),
            quantity=quantity[key],
            value=quantize(value[key], business.currency),
            products=products[key],
        )
        for key in quantity
    ]
    out.sort(key=lambda r: (r.key is None, r.label.lower()))
    return Valuation(
        at=at,
        group_by=group_by,
        currency=business.currency,
        rows=out,
        total_quantity=sum((r.quantity for r in out), Decimal(0)),
        total=sum((r.value for r in out), Decimal(0)),
    )


def _no_category() -> str:
    from django.utils.translation import gettext as _

    return _("No category")
