"""The shared CSV/XLSX writers (`hanout.core.exports`) and the API export helper."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.test import APIRequestFactory

from hanout.core import exports

HEADER = ["Name", "Phone", "Amount", "Count", "Active", "Day", "Note"]
ROWS = [
    ['=HYPERLINK("http://x")', "+212600000000", Decimal("-12.50"), 3, True, None, "@cmd"],
    ["Café Nour", "0012", Decimal("1E+2"), 0, False, datetime.date(2026, 3, 4), "-x"],
]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _sheet(body: bytes):
    return load_workbook(io.BytesIO(body)).worksheets[0]


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_cells_are_never_formulas_and_numbers_keep_a_dot():
    assert exports.cell("=1+1") == "'=1+1"
    for start in ("+", "-", "@", "\t", "\r"):
        assert exports.cell(f"{start}x") == f"'{start}x"
    assert exports.cell(Decimal("-12.50")) == "-12.50"  # a negative amount is a number
    assert exports.cell(Decimal("1E+2")) == "100"
    assert exports.cell(None) == ""
    assert exports.cell(True) == "yes" and exports.cell(False) == "no"
    assert exports.cell(7) == "7"
    assert exports.cell(datetime.date(2026, 3, 4)) == "2026-03-04"


def test_csv_starts_with_a_bom_and_reads_back():
    body = exports.csv_bytes(HEADER, ROWS)
    assert body.startswith("\ufeff".encode())
    header, first, second = _csv(body.decode("utf-8-sig"))
    assert header == HEADER
    assert first == [
        '\'=HYPERLINK("http://x")',
        "'+212600000000",
        "-12.50",
        "3",
        "yes",
        "",
        "'@cmd",
    ]
    assert second == ["Café Nour", "0012", "100", "0", "no", "2026-03-04", "'-x"]
    assert not exports.csv_bytes(HEADER, [], bom=False).startswith("\ufeff".encode())


def test_a_long_csv_is_streamed_in_pieces_with_the_bom_once():
    rows = ([f"row {i}", i] for i in range(1201))
    pieces = list(exports.csv_lines(["name", "n"], rows, batch=500))
    assert len(pieces) == 4  # the header, then 500 + 500 + 201 rows
    text = "".join(pieces)
    assert text.count("\ufeff") == 1 and text.startswith("\ufeffname,n\r\n")
    assert len(_csv(text.removeprefix("\ufeff"))) == 1202


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_has_amounts_as_numbers_and_text_as_text():
    sheet = _sheet(exports.xlsx_bytes("A sheet title longer than thirty-one", HEADER, ROWS))
    assert sheet.title == "A sheet title longer than thirty"[:31]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == HEADER and rows[0][0].font.b
    first, second = rows[1], rows[2]
    assert first[0].value == '=HYPERLINK("http://x")' and first[0].data_type == "s"  # no formula
    assert first[1].value == "+212600000000" and second[1].value == "0012"
    assert first[2].value == Decimal("-12.5") and first[2].data_type == "n"
    assert first[2].number_format == "0.00"
    assert second[2].value == 100
    assert first[3].value == 3 and second[3].value == 0
    assert first[4].value == "yes" and second[4].value == "no"
    assert first[5].value in ("", None)  # an empty cell, not "None"
    assert second[5].value == "2026-03-04" and second[5].data_type == "s"  # a date as written


def test_xlsx_number_formats_per_column():
    body = exports.xlsx_bytes(
        "Lines",
        ["qty", "cost"],
        [[Decimal("1.5"), Decimal("2.25")]],
        number_format="0.00###",
        column_formats={0: "0.###"},
    )
    qty, cost = list(_sheet(body).iter_rows())[1]
    assert qty.number_format == "0.###" and cost.number_format == "0.00###"


# --- downloads -----------------------------------------------------------------------------------


def test_file_response_names_the_file_and_picks_the_writer():
    csv_file = exports.file_response("csv", name="things-1", title="T", header=HEADER, rows=ROWS)
    assert csv_file.streaming and csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_file["Content-Disposition"] == 'attachment; filename="things-1.csv"'
    assert b"".join(csv_file.streaming_content).startswith("\ufeffName,".encode())
    xlsx = exports.file_response("xlsx", name="things-1", title="T", header=HEADER, rows=ROWS)
    assert xlsx["Content-Type"] == exports.XLSX_TYPE
    assert xlsx["Content-Disposition"] == 'attachment; filename="things-1.xlsx"'
    assert _sheet(xlsx.content).title == "T"


def test_bad_format():
    assert not any(exports.bad_format(v) for v in (None, "", "csv", "xlsx"))
    assert all(exports.bad_format(v) for v in ("pdf", "json", "CSV", "xls"))


# --- the API helper ------------------------------------------------------------------------------


class _Things(exports.FileExportMixin, viewsets.ViewSet):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @action(detail=False, methods=["get"], renderer_classes=exports.EXPORT_RENDERERS)
    def export(self, request):
        fmt = self.export_format(fallback=request.query_params.get("file"))
        if request.query_params.get("fail"):
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"fail": ["bad filter"]})
        return exports.file_response(fmt, name="things", title="T", header=HEADER, rows=ROWS)


def _get(query=None, **headers):
    view = _Things.as_view({"get": "export"}, **_Things.export.kwargs)
    return view(APIRequestFactory().get("/things/export/", query or {}, **headers))


@pytest.mark.parametrize(
    ("query", "headers", "fmt"),
    [
        ({"format": "csv"}, {}, "csv"),
        ({"format": "xlsx"}, {}, "xlsx"),
        ({}, {"HTTP_ACCEPT": "text/csv"}, "csv"),
        ({}, {"HTTP_ACCEPT": exports.XLSX_TYPE}, "xlsx"),
        ({"file": "xlsx"}, {}, "xlsx"),  # an older name for the format, given by the view
        ({"format": "csv", "file": "xlsx"}, {}, "csv"),  # `format` first
    ],
)
def test_the_api_export_reads_the_format(query, headers, fmt):
    response = _get(query, **headers)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.parametrize(
    "query", [{}, {"format": "pdf"}, {"format": "json"}, {"format": "CSV"}, {"file": "pdf"}]
)
def test_a_missing_or_unknown_format_is_a_json_400_naming_format(query):
    response = _get(query)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert list(json.loads(response.content)["error"]["fields"]) == ["format"]


def test_an_accept_header_for_no_file_is_a_406_in_json():
    response = _get(HTTP_ACCEPT="application/pdf")
    response.render()
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")


def test_an_error_of_a_file_export_is_json_not_an_empty_file():
    response = _get({"format": "xlsx", "fail": "1"})
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert b"bad filter" in response.content
