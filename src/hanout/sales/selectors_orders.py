"""Reads about customer orders, shared by the pages, the API, the exports and the
customer page. Every query is scoped to one business; the list's query count
does not depend on its length (customer and location are joined, the line
count is an annotation)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from hanout.core.models import Business
from hanout.core.selectors import business_time_zone
from hanout.inventory.models import StockLevel
from hanout.sales.models import (
    CustomerOrder,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Shipment,
    ShipmentLine,
)

# Statuses still waiting for something: the default view of the list page.
OPEN_STATUSES = (
    OrderStatus.DRAFT,
    OrderStatus.CONFIRMED,
    OrderStatus.PICKING,
    OrderStatus.PARTIAL,
    OrderStatus.SHIPPED,
)


def _day_bounds(business: Business, day: datetime.date) -> datetime.datetime:
    tz = ZoneInfo(business_time_zone(business) or "UTC")
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def order_list(
    *,
    business: Business,
    status: str | list | tuple | None = None,
    customer=None,
    search: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    promised_by: datetime.date | None = None,
) -> QuerySet[CustomerOrder]:
    """Orders newest first, with customer and location, and `line_count`.

    `status` one or several; `date_from`/`date_to` are days of the shop's time
    zone (on the order's creation); `promised_by` keeps orders promised on or
    before that day; `search` finds the number ("123", "SO-000123") or a part of
    the customer's name.
    """
    qs = (
        CustomerOrder.objects.for_business(business)
        .select_related("customer", "location")
        .annotate(line_count=Count("lines"))
    )
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if customer is not None:
        qs = qs.filter(customer=customer)
    search = (search or "").strip()
    if search:
        match = Q(customer__name__icontains=search)
        digits = search.upper().removeprefix("SO-").lstrip("0")
        if digits.isdigit() and len(digits) < 10:
            match |= Q(number=int(digits))
        qs = qs.filter(match)
    if date_from:
        qs = qs.filter(created_at__gte=_day_bounds(business, date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_bounds(business, date_to + datetime.timedelta(days=1)))
    if promised_by:
        qs = qs.filter(promised_on__lte=promised_by)
    return qs.order_by("-number")


def order_get(*, business: Business, pk) -> CustomerOrder:
    """One order with its lines (and products), history and shipments; another
    business's id raises CustomerOrder.DoesNotExist."""
    return (
        order_list(business=business)
        .select_related("business", "created_by", "customer", "location__shop")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("product")),
            Prefetch("history", queryset=OrderStatusChange.objects.select_related("actor")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.select_related("shipped_by").prefetch_related(
                    Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
                ),
            ),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class LineStock:
    on_hand: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


def order_stock(*, order: CustomerOrder) -> dict:
    """{product_id: LineStock} at the order's location, in one query (for the page)."""
    product_ids = {line.product_id for line in order.lines.all()}
    rows = StockLevel.objects.filter(
        business_id=order.business_id, location_id=order.location_id, product_id__in=product_ids
    ).values_list("product_id", "quantity", "reserved")
    found = {pid: LineStock(q, r) for pid, q, r in rows}
    zero = Decimal(0)
    return {pid: found.get(pid, LineStock(zero, zero)) for pid in product_ids}


def order_export_rows(*, orders: QuerySet[CustomerOrder]):
    """(header, rows) of the filtered list for the CSV/XLSX export, one row per order."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    header = [
        _("Order"),
        _("Date"),
        _("Status"),
        _("Customer"),
        _("Ship from"),
        _("Promised"),
        _("Lines"),
        _("Total"),
        _("Tax"),
        _("Discount"),
        _("Confirmed"),
        _("Delivered"),
        _("Cancelled"),
    ]

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def rows():
        for order in orders.iterator(chunk_size=2000):
            yield [
                order.reference,
                when(order.created_at),
                str(OrderStatus(order.status).label),
                order.customer.name,
                order.location.name,
                order.promised_on.isoformat() if order.promised_on else "",
                order.line_count,
                order.total,
                order.tax_total,
                order.discount_total,
                when(order.confirmed_at),
                when(order.delivered_at),
                when(order.cancelled_at),
            ]

    return header, rows()
