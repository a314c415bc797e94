"""Supplier performance over a period: on time, how fast, how complete, how much.

The period is a range of shop-local days, both ends included. The purchase
orders looked at are those **ordered** in the period (`ordered_on`, set when the
PO is sent) and not cancelled (sent, partly received, received or closed).

For one supplier (and for all of them together):

- **On-time rate** = receipt lines received on or before their PO's expected
  date ÷ all receipt lines of those POs, × 100. A receipt line is one product in
  one delivery; its day is the shop-local day of the delivery. POs without an
  expected date are left out of this figure.
- **Average lead time** (days) = mean over the POs that received anything of
  (shop-local day of the first delivery − `ordered_on`).
- **Fill rate** = Σ min(received, ordered) ÷ Σ ordered over the lines of those
  POs, × 100. Receiving more of one line does not hide what is missing on
  another; orders still on their way count as not filled yet.
- **Spend** = Σ totals (tax included) of the supplier's invoices dated in the
  period — the same figure as the recap's pie chart.

Rates and the lead time are rounded half-up to one decimal; a figure with
nothing to measure is None (shown "—"), never 0. Five queries whatever the
number of suppliers, POs or deliveries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Least, TruncDate

from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceiptLine,
    SupplierInvoice,
)
from hanout.purchasing.selectors_bills import (
    BILLED_STATUSES,
    MONEY_OUT,
    ZERO,
    business_zone,
    local_today,
    name_key,
)
from hanout.suppliers.models import Supplier

ONE_DECIMAL = Decimal("0.1")
DEFAULT_DAYS = 90
MAX_PERIOD_DAYS = 5 * 366


@dataclass
class SupplierPerformance:
    supplier_id: str | None
    name: str
    orders: int = 0
    receipt_lines: int = 0
    on_time_lines: int = 0
    lead_time_orders: int = 0
    lead_time_total_days: int = 0
    ordered_quantity: Decimal = ZERO
    received_quantity: Decimal = ZERO  # capped per line at what was ordered
    spend: Decimal = ZERO

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time_lines, self.receipt_lines)

    @property
    def lead_time_days(self) -> Decimal | None:
        if not self.lead_time_orders:
            return None
        return (Decimal(self.lead_time_total_days) / self.lead_time_orders).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )

    @property
    def fill_rate(self) -> Decimal | None:
        return _percent(self.received_quantity, self.ordered_quantity)

    def add(self, other: SupplierPerformance) -> None:
        for name in (
            "orders",
            "receipt_lines",
            "on_time_lines",
            "lead_time_orders",
            "lead_time_total_days",
            "ordered_quantity",
            "received_quantity",
            "spend",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PerformanceReport:
    date_from: datetime.date
    date_to: datetime.date
    rows: list[SupplierPerformance] = field(default_factory=list)
    total: SupplierPerformance = field(
        default_factory=lambda: SupplierPerformance(supplier_id=None, name="")
    )


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def default_period(business: Business) -> tuple[datetime.date, datetime.date]:
    """The last DEFAULT_DAYS days up to today, shop time."""
    today = local_today(business)
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def supplier_performance(
    *,
    business: Business,
    date_from: datetime.date,
    date_to: datetime.date,
    supplier: Supplier | None = None,
) -> PerformanceReport:
    """Per supplier with purchase orders or invoices in the period, by name; see the
    module docstring for each formula."""
    orders = PurchaseOrder.objects.filter(
        business=business,
        status__in=BILLED_STATUSES,
        ordered_on__gte=date_from,
        ordered_on__lte=date_to,
    )
    invoices = SupplierInvoice.objects.filter(
        business=business, issued_on__gte=date_from, issued_on__lte=date_to
    )
    if supplier is not None:
        orders = orders.filter(supplier=supplier)
        invoices = invoices.filter(supplier=supplier)
    rows: dict[str, SupplierPerformance] = {}

    def row(supplier_id) -> SupplierPerformance:
        key = str(supplier_id)
        return rows.setdefault(key, SupplierPerformance(supplier_id=key, name=""))

    # 1. Fill rate and the number of orders.
    for supplier_id, count, ordered, received in (
        PurchaseOrderLine.objects.filter(business=business, order__in=orders)
        .order_by()
        .values_list("order__supplier")
        .annotate(
            n=Count("order", distinct=True),
            ordered=Sum("quantity"),
            received=Sum(Least("received_quantity", "quantity")),
        )
        .values_list("order__supplier", "n", "ordered", "received")
    ):
        r = row(supplier_id)
        r.orders, r.ordered_quantity, r.received_quantity = count, ordered or ZERO, received or ZERO

    # 2. On time: receipt lines by the shop-local day of their delivery.
    zone = business_zone(business)
    for supplier_id, lines, on_time in (
        PurchaseReceiptLine.objects.filter(
            business=business,
            receipt__order__in=orders,
            receipt__order__expected_on__isnull=False,
        )
        .annotate(day=TruncDate("receipt__received_at", tzinfo=zone))
        .order_by()
        .values_list("receipt__order__supplier")
        .annotate(
            lines=Count("id"),
            on_time=Count("id", filter=Q(day__lte=F("receipt__order__expected_on"))),
        )
        .values_list("receipt__order__supplier", "lines", "on_time")
    ):
        r = row(supplier_id)
        r.receipt_lines, r.on_time_lines = lines, on_time

    # 3. Lead time: one (ordered_on, first delivery) pair per PO that received anything.
    for supplier_id, ordered_on, first in (
        orders.order_by()
        .annotate(first=Min("receipts__received_at"))
        .filter(first__isnull=False)
        .values_list("supplier", "ordered_on", "first")
    ):
        r = row(supplier_id)
        r.lead_time_orders += 1
        r.lead_time_total_days += (first.astimezone(zone).date() - ordered_on).days

    # 4. Spend.
    for supplier_id, spend in (
        invoices.order_by()
        .values_list("supplier")
        .annotate(s=Sum("total", output_field=MONEY_OUT))
        .values_list("supplier", "s")
    ):
        row(supplier_id).spend = quantize(spend or ZERO, business.currency)

    # 5. Names.
    names = {
        str(pk): name
        for pk, name in Supplier.objects.for_business(business)
        .filter(pk__in=list(rows))
        .values_list("pk", "name")
    }
    report = PerformanceReport(date_from=date_from, date_to=date_to)
    for key, r in rows.items():
        r.name = names.get(key, "")
        report.rows.append(r)
        report.total.add(r)
    report.rows.sort(key=lambda r: (name_key(r.name), r.supplier_id))
    return report


def performance_table(report: PerformanceReport, *, currency: str) -> tuple[list[str], list[list]]:
    """(header, rows) of the report's files: one row per supplier and a last row for all
    of them; rates in percent, None when not measurable; amounts and quantities Decimal."""
    from django.utils.translation import gettext as _

    def quantity(value: Decimal) -> Decimal:
        return value.normalize() if value == value.to_integral() else value

    header = [
        _("Supplier"),
        _("From"),
        _("To"),
        _("Purchase orders"),
        _("Receipt lines"),
        _("On time"),
        _("On-time rate (%)"),
        _("Average lead time (days)"),
        _("Ordered quantity"),
        _("Received quantity"),
        _("Fill rate (%)"),
        _("Spend"),
        _("Currency"),
    ]
    rows = [
        [
            r.name if r.supplier_id else _("All suppliers"),
            report.date_from.isoformat(),
            report.date_to.isoformat(),
            r.orders,
            r.receipt_lines,
            r.on_time_lines,
            r.on_time_rate,
            r.lead_time_days,
            quantity(r.ordered_quantity),
            quantity(r.received_quantity),
            r.fill_rate,
            quantize(r.spend, currency),
            currency,
        ]
        for r in [*report.rows, report.total]
    ]
    return header, rows


def performance_csv(report: PerformanceReport, *, currency: str) -> bytes:
    """The report as CSV (UTF-8 with BOM, decimals with a dot, nothing a spreadsheet
    would run as a formula); see `performance_table`."""
    from hanout.core.exports import csv_bytes

    return csv_bytes(*performance_table(report, currency=currency))
