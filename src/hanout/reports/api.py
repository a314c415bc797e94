"""REST: the dashboard as JSON (`GET /api/v1/reports/dashboard/?shop=`), the same
`reports.selectors.dashboard` as the page, for the desktop app and integrations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.models import Shop
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.pos.reports import today_for
from hanout.reports import selectors, services
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


def register(router) -> None:
    # Before the Z reports' `reports/{id}/`, which would otherwise take "dashboard" for an id.
    router.register("", DashboardViewSet, basename="reports-dashboard")
