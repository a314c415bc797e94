"""Reads about supplier invoices, payments, what we owe each supplier and the recap.

Shared by the pages, the API and the exports. Every query is scoped to the
business; list queries keep a constant number of queries whatever the rows.

Figures (all tax included, in the business currency):

- **ordered**: totals of purchase orders that were sent (status not draft or cancelled);
- **received**: value of the goods received, Σ receipt line quantity × its unit cost;
- **invoiced**: totals of the supplier's invoices;
- **paid**: Σ payments, reversals counted negative, on account included;
- **owed** = invoiced − paid (negative: we paid in advance);
- **overdue**: Σ (total − paid) of invoices past their due date and not fully paid.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from hanout.core.models import Business
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES, quantize
from hanout.core.selectors import business_time_zone
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseReceiptLine,
    SupplierInvoice,
    SupplierPayment,
)
from hanout.suppliers.models import Supplier

ZERO = Decimal(0)
MONEY_OUT = DecimalField(max_digits=MONEY_DIGITS + 6, decimal_places=MONEY_PLACES)
INVOICE_STATUSES = ("open", "overdue", "paid")
BILLED_STATUSES = [s for s in POStatus.values if s not in (POStatus.DRAFT, POStatus.CANCELLED)]


def business_zone(business: Business) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(business_time_zone(business) or settings.TIME_ZONE)


def local_today(business: Business) -> datetime.date:
    from django.utils import timezone

    return timezone.now().astimezone(business_zone(business)).date()


def day_bounds(business: Business, first: datetime.date, last: datetime.date):
    """[start, end) as aware datetimes: `first` 00:00 to the day after `last` 00:00, shop time."""
    zone = business_zone(business)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _zero():
    return Value(ZERO, output_field=MONEY_OUT)


def _summed(queryset: QuerySet, expression) -> Subquery:
    """Σ `expression` of `queryset` (already filtered on OuterRef) as a subquery, 0 if none."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("business")
            .annotate(s=Sum(expression, output_field=MONEY_OUT))
            .values("s")[:1],
            output_field=MONEY_OUT,
        ),
        _zero(),
    )


_RECEIVED_VALUE = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=MONEY_OUT)


# --- invoices ----------------------------------------------------------------------------------


def supplier_invoice_list(
    *,
    business: Business,
    supplier=None,
    status: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str | None = None,
    order=None,
) -> QuerySet[SupplierInvoice]:
    """The business's supplier invoices, newest first, with their supplier and PO.

    `status`: "open" (not fully paid), "overdue" (open and past its due date, shop
    time), "paid". `date_from`/`date_to` bound the invoice date; `search` finds
    the supplier's invoice number or the supplier's name.
    """
    qs = SupplierInvoice.objects.filter(business=business).select_related("supplier", "order")
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    if order is not None:
        qs = qs.filter(order=order)
    if status == "paid":
        qs = qs.filter(paid_total__gte=F("total"))
    elif status == "open":
        qs = qs.filter(paid_total__lt=F("total"))
    elif status == "overdue":
        qs = qs.filter(paid_total__lt=F("total"), due_on__lt=local_today(business))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(supplier__name__icontains=search))
    return qs.order_by("-issued_on", "-created_at", "-id")


def supplier_invoice_get(*, business: Business, pk) -> SupplierInvoice:
    """One invoice of this business; another business's id raises DoesNotExist."""
    return supplier_invoice_list(business=business).select_related("business").get(pk=pk)


def invoice_totals(queryset: QuerySet[SupplierInvoice]) -> dict[str, Decimal]:
    """Σ total, paid and left to pay of a filtered invoice list (one query)."""
    sums = queryset.order_by().aggregate(
        total=Coalesce(Sum("total"), _zero()),
        paid=Coalesce(Sum("paid_total"), _zero()),
    )
    return {**sums, "balance": sums["total"] - sums["paid"]}


# --- payments --------------------------------------------------------------------------------


def supplier_payment_list(
    *,
    business: Business,
    supplier=None,
    invoice=None,
    method: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[SupplierPayment]:
    """Payments to suppliers, newest first, with supplier, invoice and what reversed each."""
    qs = SupplierPayment.objects.filter(business=business).select_related(
        "supplier", "invoice", "reversed_by"
    )
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    if invoice is not None:
        qs = qs.filter(invoice=invoice)
    if method:
        qs = qs.filter(method=method)
    if date_from:
        qs = qs.filter(paid_on__gte=date_from)
    if date_to:
        qs = qs.filter(paid_on__lte=date_to)
    return qs.order_by("-paid_on", "-created_at", "-id")


def supplier_payment_get(*, business: Business, pk) -> SupplierPayment:
    return supplier_payment_list(business=business).select_related("business").get(pk=pk)


def payment_total(queryset: QuerySet[SupplierPayment]) -> Decimal:
    return queryset.order_by().aggregate(s=Coalesce(Sum("amount"), _zero()))["s"]


# --- what we owe each supplier -----------------------------------------------------------------


def supplier_accounts(
    *, business: Business, supplier=None, only_with_activity: bool = False
) -> QuerySet[Supplier]:
    """Suppliers annotated with `ordered`, `received`, `invoiced`, `paid`, `owed`,
    `overdue` and `on_account` (see the module docstring), by name. One query.
    """
    today = local_today(business)
    invoices = SupplierInvoice.objects.filter(business=business, supplier=OuterRef("pk"))
    payments = SupplierPayment.objects.filter(business=business, supplier=OuterRef("pk"))
    qs = (
        Supplier.objects.for_business(business)
        .annotate(
            ordered=_summed(
                PurchaseOrder.objects.filter(
                    business=business, supplier=OuterRef("pk"), status__in=BILLED_STATUSES
                ),
                F("total"),
            ),
            received=_summed(
                PurchaseReceiptLine.objects.filter(
                    business=business, receipt__order__supplier=OuterRef("pk")
                ),
                _RECEIVED_VALUE,
            ),
            invoiced=_summed(invoices, F("total")),
            paid=_summed(payments, F("amount")),
            on_account=_summed(payments.filter(invoice__isnull=True), F("amount")),
            overdue=_summed(
                invoices.filter(paid_total__lt=F("total"), due_on__lt=today),
                F("total") - F("paid_total"),
            ),
        )
        .annotate(
            owed=ExpressionWrapper(F("invoiced") - F("paid"), output_field=MONEY_OUT),
        )
        .order_by("name", "id")
    )
    if supplier is not None:
        qs = qs.filter(pk=supplier.pk)
    if only_with_activity:
        qs = qs.filter(Q(ordered__gt=0) | Q(invoiced__gt=0) | ~Q(paid=0))
    return qs


def supplier_account(*, business: Business, supplier: Supplier) -> Supplier:
    """The supplier with its account figures (one query)."""
    return supplier_accounts(business=business, supplier=supplier).get()


# --- recap of a period ---------------------------------------------------------------------------


@dataclass
class RecapRow:
    supplier_id: str
    name: str
    ordered: Decimal = ZERO
    received: Decimal = ZERO
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    share: Decimal = ZERO  # of the period's invoiced total, in percent (one decimal)


@dataclass
class Recap:
    date_from: datetime.date
    date_to: datetime.date
    rows: list[RecapRow] = field(default_factory=list)
    ordered: Decimal = ZERO
    received: Decimal = ZERO
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    owed_now: Decimal = ZERO  # all invoices to date − all payments to date
    overdue_now: Decimal = ZERO


def supplier_recap(
    *, business: Business, date_from: datetime.date, date_to: datetime.date
) -> Recap:
    """What was bought from whom in a period (shop-local days, both ends included).

    Per supplier: ordered (POs whose order date is in the period), received
    (goods received in the period, at cost), invoiced (invoices dated in the
    period: the "spend" of the pie chart) and paid (payments dated in the
    period, reversals negative). Rows are sorted by invoiced, largest first.
    Six queries whatever the number of suppliers.
    """
    start, end = day_bounds(business, date_from, date_to)
    rows: dict[str, RecapRow] = {}

    def add(pairs, attr):
        for supplier_id, amount in pairs:
            key = str(supplier_id)
            row = rows.setdefault(key, RecapRow(supplier_id=key, name=""))
            setattr(row, attr, quantize(amount or ZERO, business.currency))

    def grouped(qs, supplier_path, expression):
        return (
            qs.order_by()
            .values_list(supplier_path)
            .annotate(s=Sum(expression, output_field=MONEY_OUT))
            .values_list(supplier_path, "s")
        )

    add(
        grouped(
            PurchaseOrder.objects.filter(
                business=business,
                status__in=BILLED_STATUSES,
                ordered_on__gte=date_from,
                ordered_on__lte=date_to,
            ),
            "supplier",
            F("total"),
        ),
        "ordered",
    )
    add(
        grouped(
            PurchaseReceiptLine.objects.filter(
                business=business, receipt__received_at__gte=start, receipt__received_at__lt=end
            ),
            "receipt__order__supplier",
            _RECEIVED_VALUE,
        ),
        "received",
    )
    add(
        grouped(
            SupplierInvoice.objects.filter(
                business=business, issued_on__gte=date_from, issued_on__lte=date_to
            ),
            "supplier",
            F("total"),
        ),
        "invoiced",
    )
    add(
        grouped(
            SupplierPayment.objects.filter(
                business=business, paid_on__gte=date_from, paid_on__lte=date_to
            ),
            "supplier",
            F("amount"),
        ),
        "paid",
    )
    names = dict(
        Supplier.objects.for_business(business).filter(pk__in=list(rows)).values_list("pk", "name")
    )
    recap = Recap(date_from=date_from, date_to=date_to)
    for row in rows.values():
        row.name = names.get(row.supplier_id) or names.get(_uuid(row.supplier_id), "")
        if not (row.ordered or row.received or row.invoiced or row.paid):
            continue
        recap.rows.append(row)
    recap.rows.sort(key=lambda r: (-r.invoiced, -r.received, name_key(r.name)))
    for name in ("ordered", "received", "invoiced", "paid"):
        setattr(recap, name, sum((getattr(r, name) for r in recap.rows), ZERO))
    if recap.invoiced:
        for row in recap.rows:
            row.share = (row.invoiced * 100 / recap.invoiced).quantize(Decimal("0.1"))
    today = local_today(business)
    totals = SupplierInvoice.objects.filter(business=business).aggregate(
        invoiced=Coalesce(Sum("total"), _zero()),
        overdue=Coalesce(
            Sum(
                F("total") - F("paid_total"),
                filter=Q(paid_total__lt=F("total"), due_on__lt=today),
                output_field=MONEY_OUT,
            ),
            _zero(),
        ),
    )
    paid_all = payment_total(SupplierPayment.objects.filter(business=business))
    recap.owed_now = quantize(totals["invoiced"] - paid_all, business.currency)
    recap.overdue_now = quantize(totals["overdue"], business.currency)
    return recap


def name_key(name: str) -> str:
    """Sort key of a name that ignores case and accents ("Épices" sorts with the E's)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return value


def pie_slices(
    recap: Recap, *, limit: int = 8, others_label: str = ""
) -> list[tuple[str, Decimal]]:
    """(label, amount) of the spend pie: the `limit` largest suppliers, the rest as one slice."""
    spend = [(r.name, r.invoiced) for r in recap.rows if r.invoiced > 0]
    if len(spend) <= limit:
        return spend
    head, tail = spend[: limit - 1], spend[limit - 1 :]
    return [*head, (others_label, sum((a for _n, a in tail), ZERO))]
