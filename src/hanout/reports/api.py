"""REST: the dashboard as JSON (`GET /api/v1/reports/dashboard/?shop=`), the same
`reports.selectors.dashboard` as the page, for the desktop app and integrations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import Shop
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.pos.reports import today_for
from hanout.reports import selectors, services, tables
from hanout.reports.forms import TABLE_REPORTS
from hanout.reports.models import DailySales
from hanout.reports.selectors_sales import GROUPS, MAX_DAYS, MAX_YEARS_DAYS, sales_report


class DashboardQuerySerializer(serializers.Serializer):
    shop = serializers.UUIDField(required=False, help_text=_lazy("Only this shop."))


class FiguresSerializer(serializers.Serializer):
    revenue = MoneyField(help_text=_lazy("Sales, tax included, net of returns and credit notes."))
    tax = MoneyField()
    cost = MoneyField(help_text=_lazy("Average cost of the goods that went out."))
    margin = MoneyField(help_text=_lazy("Revenue without tax − cost."))
    tickets = serializers.IntegerField(help_text=_lazy("Register tickets and order invoices."))
    basket = MoneyField(allow_null=True, help_text=_lazy("Average basket (null without tickets)."))


class ComparisonSerializer(serializers.Serializer):
    label = serializers.CharField()
    previous_label = serializers.CharField()
    current = FiguresSerializer()
    previous = FiguresSerializer()


class TopProductSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3)
    revenue = MoneyField()


class ChartSerializer(serializers.Serializer):
    type = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    datasets = serializers.ListField(child=serializers.DictField())


class DashboardSerializer(serializers.Serializer):
    currency = serializers.CharField()
    today = serializers.DateField(help_text=_lazy("Today in the shop's time zone."))
    day = ComparisonSerializer(help_text=_lazy("Today against the same weekday last week."))
    month = ComparisonSerializer(
        help_text=_lazy("This month so far against the same days of last month.")
    )
    daily = ChartSerializer()
    monthly = ChartSerializer()
    methods = ChartSerializer()
    top_products = TopProductSerializer(many=True)
    low_stock = serializers.IntegerField()
    expenses_month = MoneyField()
    profit_month = MoneyField(help_text=_lazy("This month's margin − expenses."))
    cash_in_drawers = MoneyField(help_text=_lazy("Expected cash in the open registers now."))
    open_sessions = serializers.IntegerField()


class SalesQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=list(GROUPS), required=False, default="day", help_text=_lazy("How to group.")
    )
    start = serializers.DateField(
        required=False, help_text=_lazy("First day (default: the 1st of this month).")
    )
    end = serializers.DateField(required=False, help_text=_lazy("Last day (default: today)."))
    shop = serializers.UUIDField(required=False, help_text=_lazy("Only this shop."))

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise serializers.ValidationError(
                    {"end": [_lazy("The end comes before the start.")]}
                )
            limit = MAX_DAYS if data.get("by", "day") == "day" else MAX_YEARS_DAYS
            if (end - start).days > limit:
                raise serializers.ValidationError({"start": [_lazy("The period is too long.")]})
        return data


class SalesRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_lazy("The day, month, product id, method…"))
    label = serializers.CharField()
    tickets = serializers.IntegerField(allow_null=True)
    quantity = serializers.DecimalField(max_digits=20, decimal_places=3, allow_null=True)
    revenue = MoneyField(help_text=_lazy("Tax included, net of returns and credit notes."))
    tax = MoneyField(allow_null=True)
    net = MoneyField(allow_null=True)
    cost = MoneyField(allow_null=True)
    margin = MoneyField(allow_null=True)
    expenses = MoneyField(
        allow_null=True, help_text=_lazy("By day or month for all shops: what was spent.")
    )
    profit = MoneyField(allow_null=True, help_text=_lazy("Margin − expenses."))


class SalesReportSerializer(serializers.Serializer):
    by = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    register_only = serializers.BooleanField(
        help_text=_lazy("True when the grouping only exists at the register (orders left out).")
    )
    rows = SalesRowSerializer(many=True)
    total = SalesRowSerializer()


class DashboardViewSet(ApiViewSet):
    """The owner's key figures."""

    module = Module.REPORTS
    model = DailySales
    pagination_class = None

    def scoped_queryset(self):
        return DailySales.objects.filter(business=self.request.business)

    @extend_schema(
        operation_id="reports_dashboard",
        parameters=[DashboardQuerySerializer],
        responses={
            200: DashboardSerializer,
            400: OpenApiResponse(response=ErrorSerializer, description=_lazy("A bad shop id.")),
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("The shop is not found (or in another business)."),
            ),
        },
        description=_lazy(
            "Today and this month against the period before (sales, margin, tickets, average "
            "basket), day-by-day and month-by-month series, takings by payment method, top "
            "products, low-stock count, expenses, profit and the cash in the open registers."
        ),
    )
    @action(
        detail=False, methods=["get"], url_path="reports/dashboard", url_name="reports-dashboard"
    )
    def dashboard(self, request):
        query = self.query(DashboardQuerySerializer)
        shop = None
        if query.get("shop"):
            shop = Shop.objects.filter(business=request.business, pk=query["shop"]).first()
            if shop is None:
                raise NotFound(
                    _lazy("There is no such shop."), fields={"shop": [_lazy("Not found.")]}
                )
        services.daily_refresh_pending(business=request.business)
        today = today_for(business=request.business, shop=shop)
        data = selectors.dashboard(business=request.business, today=today, shop=shop)
        return self.respond(DashboardSerializer, data)

    @extend_schema(
        operation_id="reports_sales",
        parameters=[SalesQuerySerializer],
        responses={
            200: SalesReportSerializer,
            400: OpenApiResponse(response=ErrorSerializer, description=_lazy("Bad filters.")),
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("The shop is not found (or in another business)."),
            ),
        },
        description=_lazy(
            "Sales over a period grouped by day, month, product, category, register, "
            "employee, payment method or tax rate: tickets, quantity, sales, tax, cost and "
            "margin per row, and the total."
        ),
    )
    @action(detail=False, methods=["get"], url_path="reports/sales", url_name="reports-sales")
    def sales(self, request):
        query = self.query(SalesQuerySerializer)
        shop = None
        if query.get("shop"):
            shop = Shop.objects.filter(business=request.business, pk=query["shop"]).first()
            if shop is None:
                raise NotFound(
                    _lazy("There is no such shop."), fields={"shop": [_lazy("Not found.")]}
                )
        today = today_for(business=request.business)
        start = query.get("start") or today.replace(day=1)
        end = query.get("end") or today
        if start > end:
            start = end.replace(day=1)
        services.daily_refresh_pending(business=request.business)
        report = sales_report(
            business=request.business, start=start, end=end, by=query["by"], shop=shop
        )
        data = {
            "by": report.by,
            "start": report.start,
            "end": report.end,
            "currency": report.currency,
            "register_only": report.register_only,
            "rows": report.rows,
            "total": report.total,
        }
        return self.respond(SalesReportSerializer, data)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=list(tables.KINDS),
        help_text=_lazy(
            "text, int, qty (a quantity), money (in `currency`), percent or date (ISO day)."
        ),
    )


class TableSerializer(serializers.Serializer):
    report = serializers.CharField(source="slug")
    title = serializers.CharField()
    subtitle = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    shop = serializers.UUIDField(source="shop.pk", allow_null=True, default=None)
    currency = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.SerializerMethodField(
        help_text=_lazy("One object per row, keyed by the columns' keys (plus `key`).")
    )
    total = serializers.SerializerMethodField(help_text=_lazy("The total row, or null."))
    note = serializers.CharField()

    @staticmethod
    def _plain(row: dict | None):
        if row is None:
            return None
        return {k: _json_value(v) for k, v in row.items()}

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_rows(self, table):
        return [self._plain(r) for r in table.rows]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_total(self, table):
        return self._plain(table.total)


def _json_value(value):
    """Decimals as strings (exact), days as ISO text, the rest as it is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


TABLE_DESCRIPTIONS = {
    "top-products": _lazy(
        "The best-selling products of a period, by sales (tax included) or by quantity "
        "sold, each with its margin and its share of the period's total."
    ),
    "profit": _lazy(
        "Sales − cost of the goods sold − expenses, by day or by month, for the whole "
        "business (expenses have no shop)."
    ),
    "customers": _lazy(
        "The customers who bought in the period (register tickets net of returns and "
        "customer orders), biggest spenders first, with the margin on their tickets."
    ),
    "expenses": _lazy("Expenses dated in the period, by category or by month, with shares."),
}


def _parameters(form_class) -> list[OpenApiParameter]:
    """The report form's fields as query parameters (what the form refuses is a 400)."""
    from django import forms as django_forms

    out = []
    for name, field in form_class.base_fields.items():
        if name == "shop" and not form_class.has_shop:
            continue
        kind, enum = str, None
        if isinstance(field, django_forms.DateField):
            kind = date
        elif isinstance(field, django_forms.ModelChoiceField):
            kind = OpenApiTypes.UUID
        elif isinstance(field, django_forms.ChoiceField):
            enum = [str(value) for value, _label in field.choices]
        default = {"start": form_class.start_default_label, "end": _lazy("today")}.get(name)
        help_text = str(field.label)
        if default is not None:
            help_text = f"{help_text} ({_lazy('default')}: {default})"
        elif field.initial is not None:
            help_text = f"{help_text} ({_lazy('default')}: {field.initial})"
        out.append(OpenApiParameter(name, kind, enum=enum, description=help_text))
    return out


def _table_action(slug: str):
    """GET /api/v1/reports/<slug>/: the table of `forms.TABLE_REPORTS[slug]`."""

    def handler(self, request):
        return self.table(request, slug)

    # The name first: @action maps GET to the function's name.
    handler.__name__ = handler.__qualname__ = slug.replace("-", "_")
    handler = action(
        detail=False, methods=["get"], url_path=f"reports/{slug}", url_name=f"reports-{slug}"
    )(handler)
    return extend_schema(
        operation_id=f"reports_{slug.replace('-', '_')}",
        parameters=_parameters(TABLE_REPORTS[slug]),
        responses={
            200: TableSerializer,
            400: OpenApiResponse(
                response=ErrorSerializer, description=_lazy("Bad filters (each one named).")
            ),
        },
        description=TABLE_DESCRIPTIONS[slug],
    )(handler)


class TableReportViewSet(ApiViewSet):
    """Top products, profit, customers and expenses: the same tables as the pages. Each
    row is an object keyed by the columns' keys; `columns` say how to read the values."""

    module = Module.REPORTS
    model = DailySales
    pagination_class = None

    def scoped_queryset(self):
        return DailySales.objects.filter(business=self.request.business)

    def table(self, request, slug: str):
        today = today_for(business=request.business)
        form = TABLE_REPORTS[slug](
            request.query_params.dict(), business=request.business, today=today
        )
        if not form.is_valid():
            raise ValidationFailed(
                _lazy("Check the filters."),
                fields={k: [str(m) for m in v] for k, v in form.errors.items()},
            )
        services.daily_refresh_pending(business=request.business)
        return self.respond(TableSerializer, form.build())

    top_products = _table_action("top-products")
    profit = _table_action("profit")
    customers = _table_action("customers")
    expenses = _table_action("expenses")


def register(router) -> None:
    # Before the Z reports' `reports/{id}/`, which would otherwise take "dashboard" for an id.
    from hanout.reports import api_schedules

    router.register("", DashboardViewSet, basename="reports-dashboard")
    api_schedules.register(router)
    router.register("", TableReportViewSet, basename="reports-table")
