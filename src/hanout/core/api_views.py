"""REST API for the tenant itself: the business, its shops and opening hours, the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core import selectors, services
from hanout.core.api_base import ApiViewSet
from hanout.core.models import AuditEntry, Business, OpeningHours, Shop
from hanout.core.permissions import Module

# --- serializers: shape only; the services validate the rest and write -----------------------


class BusinessSerializer(serializers.ModelSerializer):
    # Where its times are shown: its first shop's time zone (empty without a shop).
    time_zone = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "currency",
            "country",
            "default_language",
            "legal_name",
            "legal_address",
            "tax_id",
            "registration_number",
            "invoice_email",
            "invoice_phone",
            "invoice_footer",
            "time_zone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_time_zone(self, business) -> str:
        return selectors.business_time_zone(business) or ""


class BusinessUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Business
        fields = [
            "name",
            "currency",
            "country",
            "default_language",
            # Legal details printed on the next invoices (issued ones keep theirs).
            "legal_name",
            "legal_address",
            "tax_id",
            "registration_number",
            "invoice_email",
            "invoice_phone",
            "invoice_footer",
        ]
        extra_kwargs = {
            "currency": {"min_length": 3},
            "country": {"min_length": 2},
        }


class ShopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = [
            "id",
            "name",
            "address",
            "phone",
            "time_zone",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ShopCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ["name", "time_zone", "address", "phone"]
        extra_kwargs = {"address": {"default": ""}, "phone": {"default": ""}}


class ShopUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ["name", "time_zone", "address", "phone", "is_active"]


class OpeningHoursSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text=_("0 = Monday … 6 = Sunday.")
    )
    is_closed = serializers.BooleanField(default=False)

    class Meta:
        model = OpeningHours
        fields = ["id", "weekday", "opens_at", "closes_at", "is_closed"]
        read_only_fields = ["id"]
        extra_kwargs = {"opens_at": {"required": True}, "closes_at": {"required": True}}


class OpeningHoursListSerializer(serializers.ListSerializer):
    """The whole week: seven rows, one per weekday."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("child", OpeningHoursSerializer())
        kwargs.setdefault("min_length", 7)
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)


class OpeningHoursWeekSerializer(serializers.Serializer):
    """The week under the name `hours`, so that errors read "hours.0.opens_at: …"."""

    hours = OpeningHoursListSerializer()


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.UUIDField(source="actor_id", read_only=True, allow_null=True)
    changes = serializers.DictField(
        read_only=True, child=serializers.ListField(), help_text=_("{field: [before, after]}")
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "ip",
        ]
        read_only_fields = fields


class AuditQuerySerializer(serializers.Serializer):
    actor = serializers.UUIDField(required=False, help_text=_("The user who acted."))
    action = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("Action, or its beginning: `shop.` matches every shop action."),
    )
    object_type = serializers.CharField(
        required=False, max_length=64, help_text=_("e.g. `core.shop`.")
    )
    object_id = serializers.CharField(required=False, max_length=64)
    since = serializers.DateTimeField(
        required=False, help_text=_("From this moment (ISO 8601), inclusive.")
    )
    until = serializers.DateTimeField(required=False, help_text=_("Before this moment (ISO 8601)."))
    search = serializers.CharField(
        required=False, max_length=200, help_text=_("Words in the object, actor or action.")
    )


# --- viewsets ----------------------------------------------------------------------------------


class BusinessViewSet(ApiViewSet):
    """The current business (the one the token or session belongs to)."""

    module = Module.SETTINGS
    pagination_class = None

    @extend_schema(operation_id="business_retrieve", responses=BusinessSerializer)
    @action(detail=False, methods=["get"], url_path="business", url_name="business")
    def business(self, request):
        return self.respond(BusinessSerializer, request.business)

    @extend_schema(
        operation_id="business_partial_update",
        request=BusinessUpdateSerializer,
        responses=BusinessSerializer,
    )
    @business.mapping.patch
    def business_update(self, request):
        data = dict(self.validated(BusinessUpdateSerializer, partial=True))
        legal = {k: data.pop(k) for k in services.LEGAL_FIELDS if k in data}
        with transaction.atomic():
            business = services.business_update(
                business=request.business, actor=request.user, data=data
            )
            if legal:
                business = services.business_legal_update(
                    business=business, actor=request.user, data=legal
                )
        return self.respond(BusinessSerializer, business)


@extend_schema_view(
    list=extend_schema(responses=ShopSerializer),
    retrieve=extend_schema(responses=ShopSerializer),
    create=extend_schema(request=ShopCreateSerializer, responses={201: ShopSerializer}),
    update=extend_schema(request=ShopUpdateSerializer, responses=ShopSerializer),
    partial_update=extend_schema(request=ShopUpdateSerializer, responses=ShopSerializer),
)
class ShopViewSet(ApiViewSet):
    """The business's shops: address, phone, time zone, and their weekly opening hours."""

    module = Module.SETTINGS
    model = Shop
    serializer_class = ShopSerializer

    def scoped_queryset(self):
        return selectors.shop_list(business=self.request.business)

    def list(self, request):
        return self.paginated(ShopSerializer, self.get_queryset())

    def retrieve(self, request, pk=None):
        return self.respond(ShopSerializer, self.get_object())

    def create(self, request):
        data = self.validated(ShopCreateSerializer)
        shop = services.shop_create(business=request.business, actor=request.user, **data)
        return self.respond(ShopSerializer, shop, status_code=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        shop = self.get_object()
        data = self.validated(ShopUpdateSerializer, partial=partial)
        shop = services.shop_update(shop=shop, actor=request.user, data=data)
        return self.respond(ShopSerializer, shop)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(
        operation_id="shops_opening_hours_retrieve",
        responses=OpeningHoursSerializer(many=True),
        description=str(_("The week's opening hours, Monday first, in the shop's time zone.")),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="opening-hours",
        url_name="opening-hours",
        pagination_class=None,
    )
    def opening_hours(self, request, pk=None):
        shop = self.get_object()
        return self.respond(
            OpeningHoursSerializer, selectors.opening_hours_for(shop=shop), many=True
        )

    @extend_schema(
        operation_id="shops_opening_hours_update",
        request=OpeningHoursListSerializer(),
        responses=OpeningHoursSerializer(many=True),
        description=str(
            _(
                "Replace the week: seven rows, one per weekday. "
                "A closing time before the opening time runs past midnight."
            )
        ),
    )
    @opening_hours.mapping.put
    def opening_hours_set(self, request, pk=None):
        shop = self.get_object()  # tenant check before validation
        rows = self.validated(OpeningHoursWeekSerializer, data={"hours": request.data})["hours"]
        hours = services.opening_hours_set(
            shop=shop, actor=request.user, hours=[dict(r) for r in rows]
        )
        return self.respond(OpeningHoursSerializer, hours, many=True)


@extend_schema_view(
    list=extend_schema(parameters=[AuditQuerySerializer], responses=AuditEntrySerializer),
    retrieve=extend_schema(responses=AuditEntrySerializer),
)
class AuditViewSet(ApiViewSet):
    """The business's history: who did what, when, to which object. Read-only."""

    module = Module.SETTINGS
    model = AuditEntry
    serializer_class = AuditEntrySerializer

    def scoped_queryset(self, **filters):
        from hanout.accounts.selectors import audit_list

        return audit_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(AuditQuerySerializer)
        return self.paginated(AuditEntrySerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(AuditEntrySerializer, self.get_object())


def register(router):
    router.register("", BusinessViewSet, basename="business")
    router.register("shops", ShopViewSet, basename="shop")
    router.register("audit", AuditViewSet, basename="audit")
