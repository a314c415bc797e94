"""REST: the scheduled report emails (`/api/v1/reports/schedules/`), the same services as
the Scheduled emails page. Readers of Reports list them; full access creates, changes
(`is_active: false` pauses one) and deletes them."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from hanout.core.api_base import ApiViewSet
from hanout.core.errors import ValidationFailed
from hanout.core.models import Shop
from hanout.core.permissions import Module
from hanout.reports import services_schedules as services
from hanout.reports.models import FileFormat, Frequency, ReportSchedule

REPORTS = ["sales", "top-products", "profit", "customers", "expenses"]
_BY_HELP = _(
    "sales: day, month, product, category, register, employee, method or tax_rate; "
    "top-products: revenue or quantity; profit: month or day; expenses: category or "
    "month; customers: empty."
)


class ScheduleSerializer(serializers.ModelSerializer):
    shop = serializers.UUIDField(source="shop_id", allow_null=True, read_only=True)
    recipients = serializers.ListField(child=serializers.EmailField(), read_only=True)

    class Meta:
        model = ReportSchedule
        fields = [
            "id",
            "name",
            "report",
            "by",
            "frequency",
            "hour",
            "shop",
            "file_format",
            "language",
            "recipients",
            "is_active",
            "next_run_at",
            "last_period_end",
            "last_sent_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ScheduleUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    report = serializers.ChoiceField(choices=REPORTS, required=False)
    by = serializers.CharField(max_length=12, allow_blank=True, required=False, help_text=_BY_HELP)
    frequency = serializers.ChoiceField(
        choices=Frequency.choices,
        required=False,
        help_text=_("daily (for yesterday), weekly (Mondays, last week), monthly (the 1st)."),
    )
    hour = serializers.IntegerField(
        min_value=0, max_value=23, required=False, help_text=_("On the shop's clock.")
    )
    shop = serializers.UUIDField(
        allow_null=True, required=False, help_text=_("One shop, or null for all of them.")
    )
    file_format = serializers.ChoiceField(choices=FileFormat.choices, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=254), max_length=50, required=False
    )
    is_active = serializers.BooleanField(required=False)


class ScheduleCreateSerializer(ScheduleUpdateSerializer):
    name = serializers.CharField(max_length=120)
    report = serializers.ChoiceField(choices=REPORTS, default="sales")
    recipients = serializers.ListField(child=serializers.CharField(max_length=254), max_length=50)


@extend_schema_view(
    list=extend_schema(responses=ScheduleSerializer),
    retrieve=extend_schema(responses=ScheduleSerializer),
    create=extend_schema(request=ScheduleCreateSerializer, responses={201: ScheduleSerializer}),
    partial_update=extend_schema(request=ScheduleUpdateSerializer, responses=ScheduleSerializer),
    destroy=extend_schema(responses={204: None}),
)
class ScheduleViewSet(ApiViewSet):
    """Reports emailed regularly, at the shop's hour, with the report attached."""

    module = Module.REPORTS
    model = ReportSchedule
    serializer_class = ScheduleSerializer

    def scoped_queryset(self):
        return ReportSchedule.objects.for_business(self.request.business).select_related("shop")

    def list(self, request):
        return self.paginated(ScheduleSerializer, self.scoped_queryset())

    def retrieve(self, request, pk=None):
        return self.respond(ScheduleSerializer, self.get_object())

    def create(self, request):
        data = self._with_shop(self.validated(ScheduleCreateSerializer))
        with transaction.atomic():
            schedule = services.schedule_create(
                business=request.business, actor=request.user, data=data
            )
            if data.get("is_active") is False:  # made paused
                schedule = services.schedule_update(
                    schedule=schedule, actor=request.user, data={"is_active": False}
                )
        return self.respond(ScheduleSerializer, schedule, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        schedule = self.get_object()
        data = self._with_shop(self.validated(ScheduleUpdateSerializer, partial=True))
        if "report" in data and "by" not in data:  # another report: its first variant
            data["by"] = services.DEFAULT_BY[data["report"]]
        schedule = services.schedule_update(schedule=schedule, actor=request.user, data=data)
        return self.respond(ScheduleSerializer, schedule)

    def destroy(self, request, pk=None):
        services.schedule_delete(schedule=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _with_shop(self, data) -> dict:
        """The `shop` id as this business's Shop (another business's is a 400)."""
        data = dict(data)
        if data.get("shop") is not None:
            shop = Shop.objects.filter(business=self.request.business, pk=data["shop"]).first()
            if shop is None:
                raise ValidationFailed(
                    _("Check the schedule."), fields={"shop": [_("Choose one of your shops.")]}
                )
            data["shop"] = shop
        return data


def register(router) -> None:
    router.register("reports/schedules", ScheduleViewSet, basename="report-schedule")
