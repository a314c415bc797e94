"""The end-of-day report as files: CSV (lines, then withdrawals, then each table of
totals), XLSX (a sheet each) and an A4 PDF drawn by WeasyPrint with the Noto fonts.

Cells are written with the project's export helper (`hanout.core.exports`):
decimals with a dot, text kept as text (a SKU "0000" keeps its zeros), and nothing
a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from hanout.core.exports import cell, workbook_file, xlsx_cells, xlsx_heading
from hanout.pos.reports import DayReport, ReportLine


def line_header() -> list[str]:
    return [
        _("Date"),
        _("Time"),
        _("Ticket"),
        _("Kind"),
        _("Shop"),
        _("Register"),
        _("Seller"),
        _("Product"),
        _("SKU"),
        _("Quantity"),
        _("Unit price"),
        _("Discount"),
        _("Amount"),
        _("Tax rate"),
        _("Tax"),
        _("Late"),
    ]


def line_row(line: ReportLine) -> list:
    return [
        line.sold_at.date().isoformat(),
        line.time,
        line.ticket,
        _("Return") if line.is_return else _("Sale"),
        line.shop,
        line.register,
        line.seller,
        line.product,
        line.sku,
        line.quantity.normalize()
        if line.quantity == line.quantity.to_integral()
        else line.quantity,
        line.unit_price,
        line.discount,
        line.amount,
        line.tax_rate.normalize(),
        line.tax,
        line.late,
    ]


def summary_sections(report: DayReport) -> list[tuple[str, list[str], list[list]]]:
    """The totals as (title, header, rows) tables: shared by the CSV, the XLSX and the PDF."""
    return [
        (
            _("Totals"),
            [_("Figure"), _("Amount")],
            [
                [_("Sales"), report.sales_count],
                [_("Returns"), report.returns_count],
                [_("Revenue"), report.revenue],
                [_("Tax"), report.tax_total],
                [_("Discounts"), report.discount_total],
                [_("Cash withdrawals (not revenue)"), report.withdrawal_total],
                [_("Collected (revenue + withdrawals)"), report.collected],
                [_("Late sales"), report.late_count],
            ],
        ),
        (
            _("By payment method"),
            [_("Method"), _("Payments"), _("Amount")],
            [[m.label, m.count, m.amount] for m in report.by_method],
        ),
        (
            _("By seller"),
            [_("Seller"), _("Sales"), _("Returns"), _("Revenue")],
            [[s.seller, s.sales, s.returns, s.revenue] for s in report.by_seller],
        ),
        (
            _("By tax rate"),
            [_("Tax rate"), _("Base"), _("Tax"), _("Total")],
            [[r.rate, r.base, r.tax, r.total] for r in report.by_rate],
        ),
        (
            _("Cash sessions"),
            [
                _("Register"),
                _("Session"),
                _("Status"),
                _("Opened"),
                _("Closed"),
                _("Opening float"),
                _("Expected cash"),
                _("Counted cash"),
                _("Difference"),
                _("Late sales"),
            ],
            [
                [
                    s.register,
                    s.number,
                    s.status_label,
                    s.opened_at.strftime("%Y-%m-%d %H:%M"),
                    s.closed_at.strftime("%Y-%m-%d %H:%M") if s.closed_at else "",
                    s.opening_float,
                    s.expected,
                    s.counted,
                    s.difference,
                    s.late_count,
                ]
                for s in report.sessions
            ],
        ),
    ]


def filename(report: DayReport, extension: str) -> str:
    scope = ""
    if report.register is not None:
        scope = "-" + slug(report.register.name)
    elif report.shop is not None:
        scope = "-" + slug(report.shop.name)
    return f"day-report-{report.day.isoformat()}{scope}.{extension}"


def slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text, allow_unicode=False) or "shop"


def report_csv(report: DayReport) -> bytes:
    """The lines, then the withdrawals, then each table of totals, after a blank row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheet programs read UTF-8
    writer = csv.writer(buffer)
    writer.writerow([cell(v) for v in line_header()])
    for line in report.lines:
        writer.writerow([cell(v) for v in line_row(line)])
    writer.writerow([])
    writer.writerow([_("Cash withdrawals (not revenue)")])
    writer.writerow([cell(v) for v in line_header()])
    for line in report.withdrawals:
        writer.writerow([cell(v) for v in line_row(line)])
    for title, header, rows in summary_sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def report_xlsx(report: DayReport) -> bytes:
    """One sheet of lines, one of withdrawals, one of totals, one of cash sessions."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, lines in ((_("Lines"), report.lines), (_("Cash withdrawals"), report.withdrawals)):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(xlsx_heading(sheet, line_header()))
        for line in lines:
            sheet.append(xlsx_cells(sheet, line_row(line)))
    sections = summary_sections(report)
    totals = workbook.create_sheet(_("Totals")[:31])
    for title, header, rows in sections[:-1]:
        totals.append(xlsx_heading(totals, [title]))
        totals.append(xlsx_heading(totals, header))
        for row in rows:
            totals.append(xlsx_cells(totals, row))
        totals.append([])
    title, header, rows = sections[-1]
    sheet = workbook.create_sheet(title[:31])
    sheet.append(xlsx_heading(sheet, header))
    for row in rows:
        sheet.append(xlsx_cells(sheet, row))
    with workbook_file(workbook) as out:
        return out.read()


def report_pdf(report: DayReport, *, language: str | None = None) -> bytes:
    """The report as an A4 PDF (WeasyPrint, the Noto fonts for every script)."""
    from django.utils import translation
    from weasyprint import HTML

    language = language or translation.get_language() or "en"
    with translation.override(language):
        html = render_to_string(
            "pos/day_report_pdf.html",
            {
                "report": report,
                "language": language,
                "rtl": translation.get_language_bidi(),
                "business": report.business,
            },
        )
    return HTML(string=html, base_url=None).write_pdf()
