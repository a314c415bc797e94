"""Lists as files, for the pages and the API: CSV and XLSX.

Cells are written one way everywhere: decimals with a dot, a bool as yes/no, text
kept as text (a phone "+212…" or a SKU "0012" keeps its form) and nothing a
spreadsheet would run as a formula. The CSV is UTF-8 with a BOM (spreadsheet
programs then read accents right) and is streamed in pieces; the XLSX is written
in write-only mode into a temporary file (on disk past 20 MB), with amounts as
numbers, so memory stays flat for a long list.

`file_response()` is the download of a page; an API `export` action uses
`EXPORT_RENDERERS`, `FileExportMixin` (a missing or unknown format is a JSON 400
naming `format`) and `export_schema()` for its OpenAPI entry.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.response import Response

from hanout.core.schema import ErrorSerializer

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500  # CSV rows per streamed piece


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


def bad_format(value: str | None) -> bool:
    """True for a format other than csv and xlsx (a missing one is CSV on the pages)."""
    return value not in (None, "", *FORMATS)


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: list, rows: Iterable[list], *, bom: bool = True, batch: int = BATCH
) -> Iterator[str]:
    """The CSV text in pieces of `batch` rows, the first starting with a BOM (`bom`)."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" if bom else "") + writer.writerow([cell(v) for v in header])
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([cell(v) for v in row]))
        if len(buffer) >= batch:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_bytes(header: list, rows: Iterable[list], *, bom: bool = True) -> bytes:
    """A CSV in memory (a short list, or one answered in one piece)."""
    return "".join(csv_lines(header, rows, bom=bom)).encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------


def xlsx_file(
    title: str,
    header: list,
    rows: Iterable[list],
    *,
    number_format: str = "0.00",
    column_formats: Mapping[int, str] | None = None,
) -> tempfile.SpooledTemporaryFile:
    """One sheet called `title`: a bold header, then the rows, typed by value.

    A Decimal is a number shown with `number_format` (or `column_formats[i]` in column
    i), an int a number, a bool yes/no, anything else text (never a formula). The
    workbook is in a temporary file, rewound for reading.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(xlsx_heading(sheet, header))
    for row in rows:
        sheet.append(
            xlsx_cells(sheet, row, number_format=number_format, column_formats=column_formats)
        )
    return workbook_file(workbook)


def workbook_file(workbook) -> tempfile.SpooledTemporaryFile:
    """`workbook` saved in a temporary file (on disk past 20 MB), rewound for reading."""
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 (returned)
    workbook.save(out)
    out.seek(0)
    return out


def xlsx_heading(sheet, values: Iterable) -> list:
    """A bold row of `sheet` (write-only) for `values`, as text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for value in values:
        c = WriteOnlyCell(sheet, value=str(value))
        c.font = bold
        cells.append(c)
    return cells


def xlsx_cells(
    sheet,
    values: Iterable,
    *,
    number_format: str = "0.00",
    column_formats: Mapping[int, str] | None = None,
) -> list:
    """A row of `sheet` (write-only), typed by value: see `xlsx_file()`."""
    from openpyxl.cell import WriteOnlyCell

    formats = column_formats or {}
    cells = []
    for i, value in enumerate(values):
        if isinstance(value, Decimal):
            c = WriteOnlyCell(sheet, value=value)
            c.number_format = formats.get(i, number_format)
        elif isinstance(value, bool):
            c = WriteOnlyCell(sheet, value=_("yes") if value else _("no"))
        elif isinstance(value, int):
            c = WriteOnlyCell(sheet, value=value)
        else:
            # Text stays text: a SKU "0012" keeps its zeros, "=…" is not a formula.
            c = WriteOnlyCell(sheet, value="" if value is None else str(value))
            c.data_type = "s"
        cells.append(c)
    return cells


def xlsx_bytes(title: str, header: list, rows: Iterable[list], **formats) -> bytes:
    """The workbook of `xlsx_file()` as bytes."""
    with xlsx_file(title, header, rows, **formats) as out:
        return out.read()


# --- downloads -----------------------------------------------------------------------------------


def attachment(body: bytes, *, fmt: str, name: str) -> HttpResponse:
    """A file already written (`fmt` "xlsx" or "csv") as the download `name`.<fmt>."""
    response = HttpResponse(body, content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def file_response(
    fmt: str,
    *,
    name: str,
    title: str,
    header: list,
    rows: Iterable[list],
    stream: bool = True,
    **formats,
):
    """A download: `fmt` "xlsx" or anything else for CSV (streamed unless not `stream`).

    `formats` are `xlsx_file()`'s number formats."""
    if fmt == "xlsx":
        return attachment(xlsx_bytes(title, header, rows, **formats), fmt="xlsx", name=name)
    if not stream:
        return attachment(csv_bytes(header, rows), fmt="csv", name=name)
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- the API -------------------------------------------------------------------------------------
# `GET …/export/?format=csv|xlsx&<the list's filters>`: the renderers let DRF's `?format=`
# (or an `Accept: text/csv` / XLSX header) choose the file; the view writes the body itself.
# A missing or unknown format is a 400 naming `format`, and every error is JSON in the API's
# error shape, never an empty file.


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class XlsxRenderer(renderers.BaseRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


EXPORT_RENDERERS = [renderers.JSONRenderer, CsvRenderer, XlsxRenderer]


def format_error() -> exceptions.ValidationError:
    return exceptions.ValidationError({"format": [_("Choose csv or xlsx.")]})


class FileExportMixin:
    """For a viewset with an `export` action using EXPORT_RENDERERS."""

    def perform_content_negotiation(self, request, force=False):
        """On `export`, an unknown `?format=` is bad input (400 naming it), not a 404."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:
            if getattr(self, "action", None) != "export":
                raise
            raise format_error() from exc

    def finalize_response(self, request, response, *args, **kwargs):
        """An error of an export is JSON, whatever file was asked for."""
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and isinstance(renderer, CsvRenderer | XlsxRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def export_format(self, fallback: str | None = None) -> str:
        """csv or xlsx, from `?format=`, else `fallback`, else the Accept header; else a 400."""
        fmt = (
            self.request.query_params.get("format")
            or fallback
            or self.request.accepted_renderer.format
        )
        if fmt not in FORMATS:
            raise format_error()
        return fmt


def export_schema(
    query_serializer, *, what: str, not_found: dict | None = None, legacy_name: str = ""
):
    """extend_schema of an export action: the list's filters, `format`, a file back.

    `legacy_name`: an older name of `format` the view still reads (deprecated). `format`
    is documented as required either way: a client should send it."""
    parameters = [
        query_serializer,
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=list(FORMATS),
            required=True,
            description=gettext_lazy("csv (UTF-8) or xlsx (amounts as numbers)."),
        ),
    ]
    if legacy_name:
        parameters.append(
            OpenApiParameter(
                legacy_name,
                OpenApiTypes.STR,
                enum=list(FORMATS),
                deprecated=True,
                description=gettext_lazy("The former name of `format`, still read."),
            )
        )
    return extend_schema(
        parameters=parameters,
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description=gettext_lazy("Bad query parameters; `fields` names them."),
            ),
            **(not_found or {}),
        },
        description=what,
    )
