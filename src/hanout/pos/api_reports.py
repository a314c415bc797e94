"""REST: the end-of-day report as JSON (`GET /api/v1/reports/day/?date=YYYY-MM-DD`).

The same `pos.reports.day_report` as the page and its downloads. The day is
required (an API reader names the day it wants); shop and register narrow it.
A shop or register of another business is a 404, like any other id.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.pos import reports
from hanout.pos.models import Sale


class DayReportQuerySerializer(serializers.Serializer):
    date = serializers.CharField(
        max_length=40,
        help_text=_lazy("The day, YYYY-MM-DD, read in each shop's own time zone."),
    )
    shop = serializers.UUIDField(required=False, help_text=_lazy("Only this shop."))
    register = serializers.UUIDField(required=False, help_text=_lazy("Only this register."))

    def validate_date(self, value):
        return reports.parse_day(value)


class ReportLineSerializer(serializers.Serializer):
    sale = serializers.CharField(source="sale_id", help_text=_lazy("The sale's id."))
    ticket = serializers.CharField(help_text=_lazy('As printed: "000123", returns "R000004".'))
    is_return = serializers.BooleanField()
    sold_at = serializers.DateTimeField(help_text=_lazy("In the shop's time zone."))
    time = serializers.CharField(help_text=_lazy("HH:MM in the shop's time zone."))
    shop = serializers.CharField()
    register = serializers.CharField()
    seller = serializers.CharField()
    product = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, help_text=_lazy("Negative on returns.")
    )
    unit_price = MoneyField()
    discount = MoneyField()
    amount = MoneyField(help_text=_lazy("Tax included; negative on returns."))
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    tax = MoneyField()
    late = serializers.BooleanField(help_text=_lazy("Arrived after its session was closed."))
    offline = serializers.BooleanField()
    session = serializers.CharField(source="session_id")


class MethodTotalSerializer(serializers.Serializer):
    method = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = MoneyField()


class SellerTotalSerializer(serializers.Serializer):
    seller = serializers.CharField()
    sales = serializers.IntegerField()
    returns = serializers.IntegerField()
    revenue = MoneyField()


class RateTotalSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = MoneyField()
    tax = MoneyField()
    total = MoneyField()


class SessionRowSerializer(serializers.Serializer):
    id = serializers.CharField()
    register = serializers.CharField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    opened_by = serializers.CharField()
    closed_by = serializers.CharField()
    opening_float = MoneyField()
    expected = MoneyField(allow_null=True, help_text=_lazy("Open sessions: the running figure."))
    counted = MoneyField(allow_null=True)
    difference = MoneyField(allow_null=True, help_text=_lazy("Counted − expected."))
    sales_count = serializers.IntegerField()
    revenue = MoneyField()
    late_count = serializers.IntegerField(help_text=_lazy("Sales that arrived after the close."))
    late_amount = MoneyField()


class DayReportSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    shop = serializers.SerializerMethodField()
    register = serializers.SerializerMethodField()
    currency = serializers.CharField()
    time_zones = serializers.ListField(child=serializers.CharField())
    sales_count = serializers.IntegerField()
    returns_count = serializers.IntegerField()
    late_count = serializers.IntegerField()
    revenue = MoneyField(help_text=_lazy("Product lines only, net of returns."))
    tax_total = MoneyField()
    discount_total = MoneyField()
    withdrawal_total = MoneyField(help_text=_lazy("Cash withdrawals: not revenue."))
    collected = MoneyField(help_text=_lazy("Revenue + withdrawals: what customers paid."))
    lines = ReportLineSerializer(many=True)
    withdrawals = ReportLineSerializer(many=True)
    by_method = MethodTotalSerializer(many=True)
    by_seller = SellerTotalSerializer(many=True)
    by_rate = RateTotalSerializer(many=True)
    sessions = SessionRowSerializer(many=True)

    def get_shop(self, report) -> str | None:
        return str(report.shop.pk) if report.shop is not None else None

    def get_register(self, report) -> str | None:
        return str(report.register.pk) if report.register is not None else None


class ReportViewSet(ApiViewSet):
    """Register reports."""

    module = Module.REPORTS
    model = Sale
    pagination_class = None

    def scoped_queryset(self):
        return Sale.objects.for_business(self.request.business)

    @extend_schema(
        operation_id="reports_day",
        parameters=[DayReportQuerySerializer],
        responses={
            200: DayReportSerializer,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("A bad day or id; `fields` names the parameter."),
            ),
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=_lazy("The shop or register is not found (or in another business)."),
            ),
        },
        description=_lazy(
            "The end-of-day report: every line sold on the day (in each shop's time zone), "
            "withdrawals apart and not revenue, returns negative, totals by payment method, "
            "seller and tax rate, and the cash sessions of the day with their differences."
        ),
    )
    @action(detail=False, methods=["get"], url_path="day", url_name="day")
    def day(self, request):
        query = self.query(DayReportQuerySerializer)
        shop, register = reports.resolve_scope(
            business=request.business, shop=query.get("shop"), register=query.get("register")
        )
        report = reports.day_report(
            business=request.business, day=query["date"], shop=shop, register=register
        )
        return self.respond(DayReportSerializer, report)


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="report")
