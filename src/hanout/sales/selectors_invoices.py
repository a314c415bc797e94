"""Every read of customer invoices and credit notes: lists, one document, exports.

Lists read the document rows only (the frozen buyer name is on the row), with
the customer joined: the number of queries does not grow with the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.sales.models import Invoice, InvoiceKind

MAX_SEARCH = 100


def _day_start(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def invoice_list(
    *,
    business: Business,
    kind: str | None = None,
    customer=None,
    search: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    year: int | None = None,
    order=None,
    sale=None,
    tz=None,
) -> QuerySet[Invoice]:
    """Invoices and credit notes of `business`, newest first, filtered.

    Dates are days in the shop's time zone (`tz`; UTC when None), both ends
    included. `search` matches the reference (2026-0042, AV-2026-0003), the
    number alone, or the buyer's name.
    """
    qs = (
        Invoice.objects.for_business(business)
        .select_related("customer", "credited_invoice")
        .order_by("-issued_at", "-number")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if order is not None:
        qs = qs.filter(order=order)
    if sale is not None:
        qs = qs.filter(sale=sale)
    if year:
        qs = qs.filter(year=year)
    if date_from:
        qs = qs.filter(issued_at__gte=_day_start(date_from, tz or _utc()))
    if date_to:
        qs = qs.filter(issued_at__lt=_day_start(date_to + timedelta(days=1), tz or _utc()))
    search = (search or "").strip()[:MAX_SEARCH]
    if search:
        qs = qs.filter(_search_q(search))
    return qs


def _utc():
    from datetime import UTC

    return UTC


def _search_q(search: str) -> Q:
    q = Q(buyer__name__icontains=search) | Q(customer__name__icontains=search)
    text = search.upper().removeprefix("AV-")
    year, _sep, number = text.partition("-")
    if number and year.isdigit() and number.isdigit() and len(year) == 4:
        q |= Q(year=int(year), number=int(number))
    elif text.isdigit() and len(text) < 10:
        q |= Q(number=int(text))
    return q


def invoice_get(*, business: Business, pk) -> Invoice:
    """One document of `business` with what its page and PDF show (Invoice.DoesNotExist else)."""
    return (
        Invoice.objects.for_business(business)
        .select_related(
            "customer", "order", "sale", "credited_invoice", "return_record", "issued_by"
        )
        .prefetch_related("lines", "credit_notes")
        .get(pk=pk)
    )


def credited_so_far(invoice: Invoice):
    """How much the credit notes on `invoice` give back (already prefetched on invoice_get)."""
    return sum((note.total for note in invoice.credit_notes.all()), Decimal(0))


def invoice_for_sale(*, business: Business, sale) -> Invoice | None:
    return (
        Invoice.objects.for_business(business)
        .filter(kind=InvoiceKind.INVOICE, sale=sale)
        .only("id", "year", "number", "kind")
        .first()
    )


def invoice_for_order(*, business: Business, order) -> Invoice | None:
    return (
        Invoice.objects.for_business(business)
        .filter(kind=InvoiceKind.INVOICE, order=order)
        .only("id", "year", "number", "kind")
        .first()
    )


# --- exports ---------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "kind",
    "reference",
    "issued_at",
    "customer",
    "customer_tax_id",
    "net_total",
    "tax_total",
    "total",
    "currency",
    "credits",
    "order",
    "ticket",
    "reason",
)


def export_header() -> list[str]:
    return [
        _("Kind"),
        _("Number"),
        _("Issued"),
        _("Customer"),
        _("Customer tax number"),
        _("Total without tax"),
        _("Tax"),
        _("Total"),
        _("Currency"),
        _("Credits invoice"),
        _("Order"),
        _("Ticket"),
        _("Reason"),
    ]


def export_rows(invoices: QuerySet[Invoice], *, tz=None) -> Iterator[list]:
    """One list of cells per document (no header), dates in `tz`, amounts as Decimal: written
    with `hanout.core.exports` (never a formula, money with a dot)."""
    qs = invoices.select_related("credited_invoice", "order", "sale").iterator(chunk_size=2000)
    for inv in qs:
        issued = inv.issued_at.astimezone(tz) if tz else inv.issued_at
        yield [
            str(InvoiceKind(inv.kind).label),
            inv.reference,
            issued.strftime("%Y-%m-%d %H:%M"),
            inv.buyer.get("name", ""),
            inv.buyer.get("tax_id", ""),
            quantize(inv.net_total, inv.currency),
            quantize(inv.tax_total, inv.currency),
            quantize(inv.total, inv.currency),
            inv.currency,
            inv.credited_invoice.reference if inv.credited_invoice_id else "",
            inv.order.reference if inv.order_id else "",
            inv.sale.ticket_number if inv.sale_id else "",
            inv.reason,
        ]
