"""A report as a table: typed columns, rows, a total, a chart — and the same table as a
CSV, XLSX or A4 PDF file.

The reports of the Reports section that are not the sales report (top products,
profit, customers, expenses) build a `Table`; so do the stock valuation and the
supplier performance pages for their PDF. One page template, one PDF template and
one API shape serve them all, so a new report is a selector and a form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from hanout.core import exports

PDF_TYPE = "application/pdf"
FORMATS = ("csv", "xlsx", "pdf")
# text, whole number, quantity, money (the business's currency), per cent, ISO day
KINDS = ("text", "int", "qty", "money", "percent", "date")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "qty", "money", "percent")


@dataclass
class Cell:
    value: object
    kind: str
    blank: bool = False  # a total row's column that has no total: nothing, not "—"


@dataclass
class Table:
    """`rows` and `total` are dicts keyed by column key (a missing value is None: "—")."""

    slug: str
    title: str
    business: object
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None
    chart: dict | None = None
    start: date | None = None
    end: date | None = None
    shop: object = None
    subtitle: str = ""
    note: str = ""
    empty: str = ""

    @property
    def currency(self) -> str:
        return self.business.currency

    def cells(self, row: dict) -> list[Cell]:
        return [Cell(row.get(c.key), c.kind) for c in self.columns]

    @property
    def wide(self) -> bool:
        """More columns than an A4 page holds upright: the PDF turns to landscape."""
        return len(self.columns) > 7

    @property
    def body(self) -> list[list[Cell]]:
        """The rows as cells, for the templates."""
        return [self.cells(r) for r in self.rows]

    @property
    def footer(self) -> list[Cell] | None:
        if self.total is None:
            return None
        return [Cell(self.total.get(c.key), c.kind, c.key not in self.total) for c in self.columns]

    @property
    def total_figures(self) -> list[tuple[str, Cell]]:
        """(label, cell) of the total's amounts: the summary of an email."""
        if self.total is None:
            return []
        return [
            (c.label, Cell(self.total.get(c.key), c.kind))
            for c in self.columns
            if c.kind == "money" and self.total.get(c.key) is not None
        ]

    def values(self) -> list[list]:
        """Plain values for the files: the rows, then the total."""
        rows = [*self.rows, *([self.total] if self.total is not None else [])]
        return [[_file_value(r.get(c.key), c.kind) for c in self.columns] for r in rows]

    def filename(self) -> str:
        span = ""
        if self.start and self.end:
            span = f"-{self.start:%Y%m%d}-{self.end:%Y%m%d}"
        elif self.end:
            span = f"-{self.end:%Y%m%d}"
        return f"{self.slug}{span}"


def _file_value(value, kind: str):
    if isinstance(value, date):
        return value.isoformat()
    if kind == "qty" and isinstance(value, Decimal) and value == value.to_integral():
        return value.quantize(Decimal(1))
    return value


def table_file(table: Table, fmt: str) -> tuple[bytes, str]:
    """(body, content type) of the table as `fmt` ("csv", "xlsx" or "pdf"), in the active
    language."""
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "reports/table_pdf.html",
            {
                "table": table,
                "business": table.business,
                "rtl": translation.get_language_bidi(),
                "language": translation.get_language(),
            },
        )
        return HTML(string=html, base_url=None).write_pdf(), PDF_TYPE
    header = [c.label for c in table.columns]
    if fmt == "xlsx":
        formats = {i: "0.000" for i, c in enumerate(table.columns) if c.kind == "qty"}
        formats.update({i: "0.0" for i, c in enumerate(table.columns) if c.kind == "percent"})
        body = exports.xlsx_bytes(table.title, header, table.values(), column_formats=formats)
        return body, exports.XLSX_TYPE
    return exports.csv_bytes(header, table.values()), exports.CSV_TYPE


def download(table: Table, fmt: str):
    """The table as a download `<slug>-<from>-<to>.<fmt>`."""
    from django.http import HttpResponse

    body, content_type = table_file(table, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table.filename()}.{fmt}"'
    return response


def chart_of(
    table: Table,
    *,
    label_key: str,
    series: list[tuple[str, str]],
    kind: str = "bar",
    limit: int | None = None,
    money: bool = True,
    percent: bool = False,
) -> dict | None:
    """Chart.js JSON (see core/charts.js) of the table's rows: `series` are (column key,
    legend) pairs; `limit` keeps the first rows."""
    rows = table.rows[:limit] if limit else table.rows
    if not rows:
        return None
    spec = {
        "type": kind,
        "labels": [str(r.get(label_key) or "—") for r in rows],
        "datasets": [
            {"label": str(legend), "data": [_chart_value(r.get(key)) for r in rows]}
            for key, legend in series
        ],
    }
    if money:
        spec["currency"] = table.currency
    if percent:
        spec["percent"] = True
    return spec


def _chart_value(value):
    return None if value is None else str(value)
