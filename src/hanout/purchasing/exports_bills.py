"""CSV and XLSX files of the supplier invoice, payment and performance lists.

Shared by the pages and the API: each `*_table()` gives (header, rows) of plain
values for a list already filtered by its selector, and `download()` writes them
with the project's export helper (`hanout.core.exports`): CSV streamed in
UTF-8 with a BOM, decimals with a dot and nothing a spreadsheet would run as a
formula; XLSX with amounts as numbers and text kept as text. Dates are the
invoice's / payment's own days; moments (when a row was recorded) are in the
shop's time zone. Constant queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hanout.core import clock
from hanout.core.exports import FORMATS, attachment, bad_format, csv_bytes, file_response
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.purchasing import performance
from hanout.purchasing.models import SupplierInvoice, SupplierPayment, SupplierPaymentMethod
from hanout.purchasing.selectors_bills import business_zone, local_today

__all__ = ["FORMATS", "bad_format", "download", "invoice_table", "payment_table"]
_MOMENT = "%Y-%m-%d %H:%M"


def download(fmt: str, *, name: str, title: str, header: list[str], rows: Iterable[list]):
    """The file: `name`-YYYYMMDD.csv or .xlsx (`fmt`), one sheet called `title`."""
    stamp = clock.now().strftime("%Y%m%d")
    return file_response(
        "xlsx" if fmt == "xlsx" else "csv",
        name=f"{name}-{stamp}",
        title=title,
        header=header,
        rows=rows,
    )


def _day(value) -> str:
    return value.isoformat() if value else ""


# --- supplier invoices -------------------------------------------------------------------------


def invoice_table(
    invoices: QuerySet[SupplierInvoice], *, business: Business
) -> tuple[list[str], Iterator[list]]:
    """One row per invoice: who, their number, our dates, the figures and where it stands."""
    header = [
        _("Supplier"),
        _("Supplier's invoice number"),
        _("Invoice date"),
        _("Due date"),
        _("Total"),
        _("Of which tax"),
        _("Paid"),
        _("Left to pay"),
        _("Currency"),
        _("Status"),
        _("Overdue"),
        _("Purchase order"),
        _("Recorded at"),
    ]
    currency = business.currency
    zone = business_zone(business)
    today = local_today(business)

    def rows():
        for inv in invoices.select_related("supplier", "order").iterator(chunk_size=2000):
            open_ = inv.paid_total < inv.total
            overdue = open_ and inv.due_on is not None and inv.due_on < today
            if not open_:
                status = _("Paid")
            elif overdue:
                status = _("Overdue")
            elif inv.paid_total > 0:
                status = _("Partly paid")
            else:
                status = _("To pay")
            yield [
                inv.supplier.name,
                inv.number,
                _day(inv.issued_on),
                _day(inv.due_on),
                quantize(inv.total, currency),
                quantize(inv.tax_total, currency),
                quantize(inv.paid_total, currency),
                quantize(inv.total - inv.paid_total, currency),
                currency,
                status,
                overdue,
                inv.order.reference if inv.order_id else "",
                inv.created_at.astimezone(zone).strftime(_MOMENT),
            ]

    return header, rows()


# --- supplier payments -------------------------------------------------------------------------


def payment_table(
    payments: QuerySet[SupplierPayment], *, business: Business
) -> tuple[list[str], Iterator[list]]:
    """One row per payment; a reversal is its own row (negative amount)."""
    header = [
        _("Paid on"),
        _("Supplier"),
        _("Method"),
        _("Amount"),
        _("Currency"),
        _("Invoice"),
        _("Reference"),
        _("Note"),
        _("Reversal"),
        _("Reversed"),
        _("Recorded by"),
        _("Recorded at"),
    ]
    currency = business.currency
    zone = business_zone(business)
    methods = dict(SupplierPaymentMethod.choices)

    def rows():
        qs = payments.select_related("supplier", "invoice", "reversed_by", "created_by")
        for p in qs.iterator(chunk_size=2000):
            try:
                reversed_ = p.reversed_by is not None
            except SupplierPayment.DoesNotExist:
                reversed_ = False
            yield [
                _day(p.paid_on),
                p.supplier.name,
                str(methods.get(p.method, p.method)),
                quantize(p.amount, currency),
                currency,
                p.invoice.number if p.invoice_id else _("On account"),
                p.reference,
                p.note,
                p.reverses_id is not None,
                reversed_,
                str(p.created_by) if p.created_by_id else "",
                p.created_at.astimezone(zone).strftime(_MOMENT),
            ]

    return header, rows()


# --- supplier performance ----------------------------------------------------------------------


def performance_download(fmt: str, report: performance.PerformanceReport, *, currency: str):
    """The performance report as a file: the same columns as its CSV, a row per supplier
    and a last row for all of them."""
    header, rows = performance.performance_table(report, currency=currency)
    name = f"supplier-performance-{report.date_from}-{report.date_to}"
    if fmt == "xlsx":
        return file_response(
            "xlsx", name=name, title=_("Supplier performance"), header=header, rows=rows
        )
    return attachment(csv_bytes(header, rows), fmt="csv", name=name)
