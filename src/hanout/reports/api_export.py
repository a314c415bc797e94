"""REST: the figures for BI tools and spreadsheets, as CSV or JSON.

`GET /api/v1/reports/export/<dataset>/?start=&end=&shop=&format=csv|json`, one route per
dataset (daily-sales, product-sales, expenses, stock), each with its own row schema in
the OpenAPI document. The rows are those of the SQL views of docs/bi.md, always of the
caller's business (the tenancy of the API; no business parameter is read), for anyone
with read access to Reports.

CSV is streamed (UTF-8 with a BOM, a header row); JSON comes in pages of `page_size`
rows (500 by default, 5,000 at most) with `next` and `previous` links. A period is at
most ten years; bad filters are a 400 naming the parameter, before anything is read.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, serializers
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.exports import CSV_TYPE, CsvRenderer, csv_lines
from hanout.core.models import Shop
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.pos.reports import today_for
from hanout.reports import services
from hanout.reports.models import Channel, DailySales
from hanout.reports.selectors_bi import DATASETS, MAX_DAYS, Dataset

FORMATS = ("json", "csv")
DEFAULT_DAYS = 30  # without `start`: the 30 days before `end`
FROM_DAILY_TABLES = {"daily-sales", "product-sales"}


class ExportQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text=_lazy("First day (default: 30 days before the end).")
    )
    end = serializers.DateField(required=False, help_text=_lazy("Last day (default: today)."))
    shop = serializers.UUIDField(required=False, help_text=_lazy("Only this shop."))

    def _plausible(self, value):
        if value is not None and value.year < 1900:  # 0001-01-01 minus 30 days is no date
            raise serializers.ValidationError(_lazy("Choose a day from 1900 on."))
        return value

    def validate_start(self, value):
        return self._plausible(value)

    def validate_end(self, value):
        return self._plausible(value)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise serializers.ValidationError(
                    {"end": [_lazy("The end comes before the start.")]}
                )
            if (end - start).days >= MAX_DAYS:
                raise serializers.ValidationError(
                    {"start": [_lazy("The period is too long: ten years at most.")]}
                )
        return data


class ExportPagination(PageNumberPagination):
    page_size = 500
    max_page_size = 5000
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:  # a page past the end, or not a number
            raise exceptions.ValidationError(
                {self.page_query_param: [_("There is no such page.")]}
            ) from exc


# --- the rows' schema ------------------------------------------------------------------------------

_UUID = {
    "shop_id",
    "product_id",
    "category_id",
    "expense_id",
    "supplier_id",
    "location_id",
}
_COUNTS = {"tickets", "returns"}
_HELP = {
    "channel": _lazy("register (tickets at the till) or orders (invoiced customer orders)."),
    "revenue": _lazy("Sales, tax included, net of returns and credit notes."),
    "net": _lazy("Revenue − tax."),
    "cost": _lazy("Average cost of the goods that went out, net of goods put back."),
    "margin": _lazy("Revenue − tax − cost."),
    "withdrawals": _lazy("Cash handed out on card payments (not revenue)."),
    "points": _lazy("Loyalty points spent as payment."),
    "items": _lazy("Units sold, net of returns."),
    "average_cost": _lazy("The product's weighted average cost now."),
    "value": _lazy("quantity × average cost."),
    "reserved": _lazy("Reserved for customer orders (part of the quantity)."),
}


def _field(dataset: Dataset, column: str) -> serializers.Field:
    nullable = column in {"category_id", "category_name", "supplier_id", "supplier_name"} or (
        dataset.name == "stock" and column in {"shop_id", "shop_name"}
    )
    kw = {"allow_null": nullable, "help_text": _HELP.get(column)}
    kw = {k: v for k, v in kw.items() if v is not None}
    if column in _UUID:
        return serializers.UUIDField(**kw)
    if column == "day":
        return serializers.DateField(**kw)
    if column == "channel":
        return serializers.ChoiceField(choices=Channel.choices, **kw)
    if column in _COUNTS:
        return serializers.IntegerField(**kw)
    if column in dataset.money:
        return MoneyField(**kw)
    if column in {"quantity", "reserved", "items"}:
        return serializers.DecimalField(max_digits=20, decimal_places=3, **kw)
    return serializers.CharField(**kw)


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("-"))


def _row_serializer(dataset: Dataset) -> type[serializers.Serializer]:
    fields = {column: _field(dataset, column) for column in dataset.columns}
    return type(f"Export{_camel(dataset.name)}RowSerializer", (serializers.Serializer,), fields)


def _page_serializer(dataset: Dataset, row) -> type[serializers.Serializer]:
    fields = {
        "count": serializers.IntegerField(help_text=_lazy("Rows in the whole export.")),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "currency": serializers.CharField(),
        "start": serializers.DateField(allow_null=True),
        "end": serializers.DateField(allow_null=True),
        "results": row(many=True),
    }
    return type(f"Export{_camel(dataset.name)}PageSerializer", (serializers.Serializer,), fields)


ROWS = {name: _row_serializer(d) for name, d in DATASETS.items()}
PAGES = {name: _page_serializer(d, ROWS[name]) for name, d in DATASETS.items()}


_NOTE = {
    "stock": _lazy("Start and end do not apply (the stock now)."),
    "expenses": _lazy("Shop does not apply (expenses belong to the business)."),
}


def _schema(name: str, what):
    parameters = [
        ExportQuerySerializer,
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=list(FORMATS),
            description=_lazy("json (pages, the default) or csv (one streamed file)."),
        ),
        OpenApiParameter("page", OpenApiTypes.INT, description=_lazy("JSON: the page number.")),
        OpenApiParameter(
            "page_size", OpenApiTypes.INT, description=_lazy("JSON: rows a page (5,000 at most).")
        ),
    ]
    return extend_schema(
        operation_id=f"reports_export_{name.replace('-', '_')}",
        parameters=parameters,
        responses={
            (200, "application/json"): PAGES[name],
            (200, "text/csv"): OpenApiTypes.STR,
            (400, "application/json"): OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("Bad filters or format; `fields` names them."),
            ),
            (404, "application/json"): OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("The shop is not found (or in another business)."),
            ),
        },
        description=" ".join(str(part) for part in (what, _NOTE.get(name, "")) if part),
    )


class ReportExportViewSet(ApiViewSet):
    """The figures of the BI views, for BI tools and spreadsheets."""

    module = Module.REPORTS
    model = DailySales
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]
    pagination_class = ExportPagination

    def scoped_queryset(self):
        return DailySales.objects.filter(business=self.request.business)

    def perform_content_negotiation(self, request, force=False):
        """An unknown `?format=` is bad input (a 400 naming it), not a 404."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:
            raise exceptions.ValidationError({"format": [_("Choose json or csv.")]}) from exc

    def finalize_response(self, request, response, *args, **kwargs):
        """An error is JSON in the API's error shape, even when CSV was asked for."""
        if isinstance(response, Response) and isinstance(
            getattr(request, "accepted_renderer", None), CsvRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def _export(self, name: str):
        dataset = DATASETS[name]
        business = self.request.business
        query = self.query(ExportQuerySerializer)
        if not dataset.dated:
            for field in ("start", "end"):
                if field in query:
                    raise exceptions.ValidationError(
                        {field: [_("The stock has no period: it is what is on hand now.")]}
                    )
        if not dataset.per_shop and "shop" in query:
            raise exceptions.ValidationError(
                {"shop": [_("Expenses belong to the business, not to a shop.")]}
            )
        shop = None
        if query.get("shop"):
            shop = Shop.objects.filter(business=business, pk=query["shop"]).first()
            if shop is None:
                raise NotFound(_("There is no such shop."), fields={"shop": [_("Not found.")]})
        start = end = None
        if dataset.dated:
            end = query.get("end") or today_for(business=business, shop=shop)
            start = query.get("start") or end - timedelta(days=DEFAULT_DAYS)
            if start > end:
                raise exceptions.ValidationError({"start": [_("The start comes after the end.")]})
        if name in FROM_DAILY_TABLES:
            services.daily_refresh_pending(business=business)
        rows = dataset.rows(business=business, start=start, end=end, shop=shop)
        currency = business.currency

        if self.request.accepted_renderer.format == "csv":
            lines = (
                list(dataset.row(values, currency).values())
                for values in rows.iterator(chunk_size=2000)
            )
            response = StreamingHttpResponse(
                csv_lines(list(dataset.columns), lines), content_type=CSV_TYPE
            )
            period = f"-{start}-{end}" if dataset.dated else ""
            response["Content-Disposition"] = f'attachment; filename="{name}{period}.csv"'
            return response

        page = self.paginate_queryset(rows)
        data = ROWS[name](
            [dataset.row(v, currency) for v in page],
            many=True,
            context=self.get_serializer_context(),
        ).data
        paginator = self.paginator
        return Response(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "currency": currency,
                "start": start,
                "end": end,
                "results": data,
            }
        )

    @_schema("daily-sales", _lazy("Sales per shop, local day and channel (bi_daily_sales)."))
    @action(
        detail=False,
        methods=["get"],
        url_path="reports/export/daily-sales",
        url_name="reports-export-daily-sales",
    )
    def daily_sales(self, request):
        return self._export("daily-sales")

    @_schema("product-sales", _lazy("Sales per shop, local day and product (bi_product_sales)."))
    @action(
        detail=False,
        methods=["get"],
        url_path="reports/export/product-sales",
        url_name="reports-export-product-sales",
    )
    def product_sales(self, request):
        return self._export("product-sales")

    @_schema("expenses", _lazy("Every expense of the period (bi_expenses)."))
    @action(
        detail=False,
        methods=["get"],
        url_path="reports/export/expenses",
        url_name="reports-export-expenses",
    )
    def expenses(self, request):
        return self._export("expenses")

    @_schema("stock", _lazy("What is on hand now per product and location (bi_stock)."))
    @action(
        detail=False,
        methods=["get"],
        url_path="reports/export/stock",
        url_name="reports-export-stock",
    )
    def stock(self, request):
        return self._export("stock")


def register(router) -> None:
    # Before the Z reports' `reports/{id}/`, which would otherwise take "export" for an id.
    router.register("", ReportExportViewSet, basename="reports-bi-export")
