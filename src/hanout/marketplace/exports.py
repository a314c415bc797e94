"""The wallet ledger as an XLSX file, with its times as real spreadsheet dates.

`hanout.core.exports` writes every cell but a number as text; a ledger is sorted and
filtered by its time, so here the time column is a date cell (a serial number shown
as "yyyy-mm-dd hh:mm", in the business's time zone named in the header) and the rest
is written by the shared helper, typed the same way as every other export.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hanout.core import exports

MOMENT_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx_bytes(title: str, header: list, rows: Iterable[list]) -> bytes:
    """One sheet called `title`: `header` in bold, then `rows`, a datetime as a date cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(exports.xlsx_heading(sheet, header))
    for row in rows:
        cells = exports.xlsx_cells(sheet, row)
        for i, value in enumerate(row):
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = MOMENT_FORMAT
                cells[i] = cell
        sheet.append(cells)
    with exports.workbook_file(workbook) as out:
        return out.read()
