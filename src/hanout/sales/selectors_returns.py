"""Reads on customer returns, shared by the pages, the API and the exports.

Every query is scoped to a business. The list annotates each return's total and
line count and joins what a row shows (order, ticket, customer, location, the
person, the credit note) in the same statement, so a page costs the same
number of queries at 2 rows or 2,000.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from hanout.core.selectors import business_zone
from hanout.sales.models import CustomerOrder, CustomerReturn, OrderStatus, ReturnLine

ZERO = Decimal(0)
ORDER_NUMBER = re.compile(r"^\s*(?:SO-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
RETURN_NUMBER = re.compile(r"^\s*(?:RT-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
TICKET_NUMBER = re.compile(r"^\s*0*(\d{1,9})\s*$")


def _day_start(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def return_list(
    *,
    business,
    source: str | None = None,
    refund_method: str | None = None,
    customer=None,
    order=None,
    sale=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str | None = None,
    tz=None,
) -> QuerySet[CustomerReturn]:
    """The business's returns, newest number first, with `total` and `line_count`.

    `source` is "order" or "sale"; dates are days in `tz` (default: the
    business's), both included; `search` is a return number (RT-000004, 4), an
    order number (SO-000012) or words of the reason or the customer's name.
    """
    qs = (
        CustomerReturn.objects.filter(business=business)
        .select_related(
            "order", "sale", "sale__register", "customer", "location", "processed_by", "credit_note"
        )
        .annotate(total=Sum("lines__total"), line_count=Count("lines"))
        .order_by("-number")
    )
    if source == "order":
        qs = qs.filter(order__isnull=False)
    elif source == "sale":
        qs = qs.filter(sale__isnull=False)
    if refund_method:
        qs = qs.filter(refund_method=refund_method)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if order is not None:
        qs = qs.filter(order=order)
    if sale is not None:
        qs = qs.filter(sale=sale)
    if date_from or date_to:
        tz = tz or business_zone(business)
        if date_from:
            qs = qs.filter(returned_at__gte=_day_start(date_from, tz))
        if date_to:
            qs = qs.filter(returned_at__lt=_day_start(date_to + datetime.timedelta(days=1), tz))
    search = (search or "").strip()[:100]
    if search:
        match = Q(reason__icontains=search) | Q(customer__name__icontains=search)
        number = RETURN_NUMBER.match(search)
        if number and not search.upper().startswith("SO"):
            match |= Q(number=int(number.group(1)))
        order_number = ORDER_NUMBER.match(search)
        if order_number and search.upper().startswith("SO"):
            match |= Q(order__number=int(order_number.group(1)))
        qs = qs.filter(match)
    return qs


def return_get(*, business, pk) -> CustomerReturn:
    """One return with its lines (product, movement) and what it came from.

    Raises CustomerReturn.DoesNotExist for another business's id."""
    lines = ReturnLine.objects.select_related("product", "movement", "order_line", "sale_line")
    return (
        return_list(business=business)
        .prefetch_related(Prefetch("lines", queryset=lines.order_by("id")))
        .get(pk=pk)
    )


# --- starting a return -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnableLine:
    """A line of an order or a ticket as the return form shows it."""

    line: object
    sold: Decimal  # shipped, for an order
    returned: Decimal
    left: Decimal

    @property
    def pk(self):
        return self.line.pk


def order_for_return(*, business, pk) -> CustomerOrder:
    """An order of this business (raises CustomerOrder.DoesNotExist otherwise)."""
    return CustomerOrder.objects.select_related("customer", "location").get(
        business=business, pk=pk
    )


def sale_for_return(*, business, pk):
    """A ticket of this business (raises Sale.DoesNotExist otherwise)."""
    from hanout.pos.models import Sale

    return Sale.objects.select_related("customer", "register", "shop").get(business=business, pk=pk)


def returnable_lines(*, order=None, sale=None) -> list[ReturnableLine]:
    """The product lines that could come back, with how much is left of each."""
    rows = []
    if order is not None:
        for line in order.lines.select_related("product").order_by("position", "id"):
            left = max(line.shipped_quantity - line.returned_quantity, ZERO)
            rows.append(ReturnableLine(line, line.shipped_quantity, line.returned_quantity, left))
    else:
        for line in sale.lines.select_related("product").order_by("position"):
            if line.product_id is None:
                continue
            left = max(line.quantity - line.returned_quantity, ZERO)
            rows.append(ReturnableLine(line, line.quantity, line.returned_quantity, left))
    return rows


def order_returnable(order: CustomerOrder) -> bool:
    return order.status in (OrderStatus.PARTIAL, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def find_sources(*, business, query: str, limit: int = 20) -> dict:
    """Orders (by SO number) and tickets (by printed number) a return could start from."""
    from hanout.pos.models import Sale

    query = (query or "").strip()[:40]
    out: dict = {"orders": [], "sales": []}
    if not query:
        return out
    order_number = ORDER_NUMBER.match(query)
    if order_number:
        out["orders"] = list(
            CustomerOrder.objects.filter(business=business, number=int(order_number.group(1)))
            .select_related("customer")
            .order_by("-number")[:limit]
        )
    ticket = TICKET_NUMBER.match(query)
    if ticket:
        out["sales"] = list(
            Sale.objects.filter(business=business, kind="sale", number=int(ticket.group(1)))
            .select_related("register", "shop", "customer")
            .order_by("-sold_at")[:limit]
        )
    return out


# --- exports ---------------------------------------------------------------------------------


def export_lines(returns: QuerySet[CustomerReturn]) -> QuerySet[ReturnLine]:
    """Every line of these returns, with its return's columns joined (one query)."""
    ids = returns.order_by().values("pk")
    return (
        ReturnLine.objects.filter(customer_return__in=ids)
        .select_related(
            "customer_return",
            "customer_return__order",
            "customer_return__sale",
            "customer_return__customer",
            "customer_return__location",
            "customer_return__credit_note",
            "product",
        )
        .order_by("-customer_return__number", "id")
    )


def export_header() -> list[str]:
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    return [
        _("Return"),
        _("Date"),
        pgettext("return origin", "From"),
        _("Customer"),
        _("Reason"),
        _("Refund method"),
        _("Refunded"),
        _("Credit note"),
        _("Product"),
        _("SKU"),
        _("Quantity"),
        _("Unit price"),
        _("Tax rate"),
        _("Total"),
        _("Tax"),
        _("Goods"),
        _("Location"),
    ]


def export_rows(returns: QuerySet[CustomerReturn], *, tz=None) -> list[list]:
    """One row per returned line, the return's columns repeated (dates in `tz`)."""
    from hanout.sales.models import RefundMethod, ReturnDisposition

    tz = tz or ZoneInfo("UTC")
    rows = []
    for line in export_lines(returns):
        ret = line.customer_return
        source = ret.order.reference if ret.order_id else ret.sale.ticket_number
        note = ret.credit_note if _has_credit_note(ret) else None
        rows.append(
            [
                ret.reference,
                ret.returned_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                source,
                ret.customer.name if ret.customer_id else "",
                ret.reason,
                str(RefundMethod(ret.refund_method).label),
                ret.refund_amount,
                note.reference if note is not None else "",
                line.name,
                line.product.sku,
                line.quantity.normalize()
                if line.quantity == line.quantity.to_integral()
                else line.quantity,
                line.unit_price,
                line.tax_rate.normalize(),
                line.total,
                line.tax_amount,
                str(ReturnDisposition(line.disposition).label),
                ret.location.name if ret.location_id else "",
            ]
        )
    return rows


def credit_note_of(ret):
    """The return's credit note, or None (a reverse one-to-one raises when missing)."""
    return ret.credit_note if _has_credit_note(ret) else None


def _has_credit_note(ret) -> bool:
    try:
        return ret.credit_note is not None
    except CustomerReturn.credit_note.RelatedObjectDoesNotExist:
        return False


def _quantized(rows: list[list], currency: str) -> list[list]:
    from hanout.core.money import quantize

    money_columns = (6, 11, 13, 14)
    for row in rows:
        for i in money_columns:
            row[i] = quantize(row[i], currency)
    return rows


def export_table(
    returns: QuerySet[CustomerReturn], *, currency: str, tz=None
) -> tuple[list[str], list[list]]:
    """(header, rows) of the export, amounts rounded to the currency; written with
    `hanout.core.exports` (never a formula; in XLSX amounts and quantities are numbers,
    shown with `NUMBER_FORMAT`)."""
    return export_header(), _quantized(export_rows(returns, tz=tz), currency)


NUMBER_FORMAT = "0.00###"
