"""Reads about purchase orders, shared by the pages, the API and the exports.

Every read is scoped to a business; another business's id is `DoesNotExist`
(a 404 for the caller). List reads do their joins and counts in the query, so
a page costs the same number of queries at 2 rows and at 2,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from hanout.core.models import Business
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from hanout.suppliers.models import Supplier, SupplierProduct

_REFERENCE = re.compile(r"^\s*(?:PO-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


def po_list(
    *,
    business: Business,
    status: str | None = None,
    supplier=None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str | None = None,
    open_only: bool = False,
) -> QuerySet[PurchaseOrder]:
    """The business's POs, newest number first, with supplier, location and `line_count`.

    `date_from`/`date_to` filter on the order date (`ordered_on`, set when sent:
    drafts have none and are left out by a date filter). `search` finds a number
    ("PO-000042", "42") or a part of the supplier's name.
    """
    qs = (
        PurchaseOrder.objects.for_business(business)
        .select_related("supplier", "location")
        .annotate(line_count=Count("lines"))
        .order_by("-number")
    )
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=[POStatus.SENT, POStatus.PARTIAL])
    if supplier is not None:
        qs = qs.filter(supplier_id=getattr(supplier, "pk", supplier))
    if date_from:
        qs = qs.filter(ordered_on__gte=date_from)
    if date_to:
        qs = qs.filter(ordered_on__lte=date_to)
    search = (search or "").strip()
    if search:
        match = Q(supplier__name__icontains=search)
        number = _REFERENCE.match(search)
        if number:
            match |= Q(number=int(number.group(1)))
        qs = qs.filter(match)
    return qs


def po_get(*, business: Business, pk) -> PurchaseOrder:
    """One PO with its supplier, location (and shop), business and author."""
    return (
        PurchaseOrder.objects.for_business(business)
        .select_related("supplier", "location__shop", "business", "created_by")
        .get(pk=pk)
    )


def po_lines(*, order: PurchaseOrder) -> QuerySet[PurchaseOrderLine]:
    return (
        PurchaseOrderLine.objects.filter(business_id=order.business_id, order=order)
        .select_related("product")
        .order_by("position", "id")
    )


def po_receipts(*, order: PurchaseOrder) -> QuerySet[PurchaseReceipt]:
    """The deliveries of a PO, oldest first, each with its lines and their products."""
    return (
        PurchaseReceipt.objects.filter(business_id=order.business_id, order=order)
        .select_related("location", "received_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=PurchaseReceiptLine.objects.select_related("order_line__product").order_by(
                    "id"
                ),
            )
        )
        .order_by("received_at", "id")
    )


def po_events(*, order: PurchaseOrder) -> QuerySet[PurchaseOrderEvent]:
    return (
        PurchaseOrderEvent.objects.filter(business_id=order.business_id, order=order)
        .select_related("actor")
        .order_by("at", "id")
    )


def po_detail(*, business: Business, pk) -> PurchaseOrder:
    """One PO with its lines, receipts (with lines) and events prefetched (API detail)."""
    return (
        PurchaseOrder.objects.for_business(business)
        .select_related("supplier", "location__shop", "business", "created_by")
        .annotate(line_count=Count("lines"))
        .prefetch_related(
            Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("product")),
            Prefetch(
                "receipts",
                queryset=PurchaseReceipt.objects.select_related("location").prefetch_related(
                    Prefetch("lines", queryset=PurchaseReceiptLine.objects.order_by("id"))
                ),
            ),
            Prefetch("events", queryset=PurchaseOrderEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def supplier_catalog(*, business: Business, supplier: Supplier) -> QuerySet[SupplierProduct]:
    """What the supplier sells us (active products), by product name: the draft's pick list."""
    return (
        SupplierProduct.objects.filter(
            business=business, supplier=supplier, product__is_active=True
        )
        .select_related("product")
        .order_by("product__name", "id")
    )


def active_suppliers(*, business: Business) -> QuerySet[Supplier]:
    return Supplier.objects.for_business(business).filter(is_active=True).order_by("name", "id")


def supplier_for_business(*, business: Business, pk) -> Supplier:
    return Supplier.objects.for_business(business).get(pk=pk)


# --- export --------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "number",
    "status",
    "supplier",
    "location",
    "ordered_on",
    "expected_on",
    "received_at",
    "closed_at",
    "product",
    "sku",
    "supplier_sku",
    "quantity",
    "received",
    "unit_cost",
    "line_total",
    "order_total",
)


def export_rows(*, orders: QuerySet[PurchaseOrder], tz) -> Iterator[list]:
    """One row per PO line (a PO without lines gives one row), as plain values.

    Reads the lines of the selected POs in one query (values, no instances),
    whatever their number.
    """
    rows = (
        PurchaseOrderLine.objects.filter(order__in=orders.values("pk"))
        .order_by("-order__number", "position", "id")
        .values_list(
            "order_id",
            "product__name",
            "product__sku",
            "supplier_sku",
            "quantity",
            "received_quantity",
            "unit_cost",
            "total",
        )
        .iterator(chunk_size=2000)
    )
    by_order: dict = {}
    for row in rows:
        by_order.setdefault(row[0], []).append(row[1:])
    labels = dict(POStatus.choices)
    for order in orders.order_by("-number"):
        head = [
            order.reference,
            str(labels.get(order.status, order.status)),
            order.supplier.name,
            order.location.name,
            order.ordered_on.isoformat() if order.ordered_on else "",
            order.expected_on.isoformat() if order.expected_on else "",
            order.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if order.received_at
            else "",
            order.closed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if order.closed_at else "",
        ]
        lines = by_order.get(order.pk) or [("", "", "", None, None, None, None)]
        for name, sku, supplier_sku, qty, received, cost, total in lines:
            yield [*head, name, sku, supplier_sku, qty, received, cost, total, order.total]
