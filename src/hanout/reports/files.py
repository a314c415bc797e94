"""The sales report as a file: CSV, XLSX (core.exports) or an A4 PDF (WeasyPrint), the
same for the page's downloads and the scheduled emails."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hanout.core import exports

PDF_TYPE = "application/pdf"


def sales_table(report) -> tuple[list, list[list]]:
    """Header and rows of the report (the total last)."""
    header = [
        report.group_label,
        _("Tickets"),
        _("Quantity"),
        _("Sales"),
        _("Tax"),
        _("Sales without tax"),
        _("Cost"),
        _("Margin"),
    ]
    # Days and months as ISO text in files (2026-03-16, 2026-03): unambiguous, and they sort.
    iso = report.by in ("day", "month")
    rows = [
        [
            r.key if iso and r.key else r.label,
            r.tickets,
            r.quantity,
            r.revenue,
            r.tax,
            r.net,
            r.cost,
            r.margin,
        ]
        + ([r.expenses, r.profit] if report.has_expenses else [])
        for r in [*report.rows, report.total]
    ]
    if report.has_expenses:
        header += [_("Expenses"), _("Profit")]
    return header, rows


def sales_filename(report) -> str:
    return f"sales-{report.by}-{report.start:%Y%m%d}-{report.end:%Y%m%d}"


def sales_file(report, fmt: str) -> tuple[bytes, str]:
    """(body, content type) of the report in `fmt` ("pdf", "xlsx" or "csv"), written in
    the active language."""
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "reports/sales_pdf.html",
            {
                "report": report,
                "business": report.business,
                "rtl": translation.get_language_bidi(),
                "language": translation.get_language(),
            },
        )
        return HTML(string=html, base_url=None).write_pdf(), PDF_TYPE
    header, rows = sales_table(report)
    if fmt == "xlsx":
        return exports.xlsx_bytes(_("Sales"), header, rows), exports.XLSX_TYPE
    return exports.csv_bytes(header, rows), exports.CSV_TYPE
