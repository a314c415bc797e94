"""What the `export` actions of the supplier bills API share.

`GET …/export/?format=csv|xlsx&<the list's filters>`: the renderers let DRF's
`?format=` (or an `Accept: text/csv` / XLSX header) choose the file; the view
writes the body itself (`hanout.purchasing.exports_bills`). A missing or unknown
format is a 400 naming `format`, and every error is JSON in the API's error
shape, never an empty file.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.response import Response

from hanout.core.schema import ErrorSerializer
from hanout.purchasing.exports_bills import FORMATS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class XlsxRenderer(renderers.BaseRenderer):
    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


EXPORT_RENDERERS = [renderers.JSONRenderer, CsvRenderer, XlsxRenderer]


def _format_error() -> exceptions.ValidationError:
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
            raise _format_error() from exc

    def finalize_response(self, request, response, *args, **kwargs):
        """An error of an export is JSON, whatever file was asked for."""
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and isinstance(renderer, CsvRenderer | XlsxRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def export_format(self) -> str:
        """csv or xlsx, from `?format=` or the Accept header; else a 400."""
        fmt = self.request.query_params.get("format") or self.request.accepted_renderer.format
        if fmt not in FORMATS:
            raise _format_error()
        return fmt


def export_schema(query_serializer, *, what: str, not_found: dict | None = None):
    """extend_schema of an export action: the list's filters, `format`, a file back."""
    return extend_schema(
        parameters=[
            query_serializer,
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(FORMATS),
                required=True,
                description=gettext_lazy("csv (UTF-8) or xlsx (amounts as numbers)."),
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description=gettext_lazy("Bad query parameters; `fields` names them."),
            ),
            **(not_found or {}),
        },
        description=what,
    )
