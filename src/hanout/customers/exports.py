"""CSV and XLSX files of the customer and order lists (with the list's filters).

Cells are written the way the catalog and day-report exports write them:
decimals with a dot, text kept as text (a phone "+212…" or a tax id "0012"
keeps its form), nothing a spreadsheet would run as a formula. The CSV is
streamed row by row; the XLSX is written in write-only mode, so memory stays
flat for a long list.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value) -> str:
    """Text for a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs read UTF-8
    yield writer.writerow([cell(v) for v in header])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    heading = []
    for value in header:
        c = WriteOnlyCell(sheet, value=str(value))
        c.font = bold
        heading.append(c)
    sheet.append(heading)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                c = WriteOnlyCell(sheet, value=value)
                c.number_format = "0.00"
            elif isinstance(value, bool):
                c = WriteOnlyCell(sheet, value=_("yes") if value else _("no"))
            elif isinstance(value, int):
                c = WriteOnlyCell(sheet, value=value)
            else:
                c = WriteOnlyCell(sheet, value="" if value is None else str(value))
                c.data_type = "s"
            cells.append(c)
        sheet.append(cells)
    with tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024) as out:
        workbook.save(out)
        out.seek(0)
        return out.read()


def file_response(fmt: str, *, name: str, title: str, header: list[str], rows: Iterable[list]):
    """A download: `fmt` "xlsx" or anything else for CSV."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def customer_export_rows(customers):
    """(header, rows) of a customer list, one row per customer."""
    header = [
        _("Name"),
        _("Company"),
        _("Phone"),
        _("Email"),
        _("Address"),
        _("Tax / VAT number"),
        _("Orders"),
        _("Active"),
        _("Notes"),
    ]

    def rows():
        for c in customers.iterator(chunk_size=2000):
            yield [
                c.name,
                c.is_company,
                c.phone,
                c.email,
                c.address,
                c.tax_id,
                c.order_count,
                c.is_active,
                c.notes,
            ]

    return header, rows()
