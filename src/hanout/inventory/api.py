"""REST API of the inventory: locations, levels, the movement ledger, transfers,
counts, and the stock reports (valuation, restock suggestions, low stock).

Views are thin: an input serializer checks the shape, one service writes, an
output serializer answers. Every queryset comes from a selector scoped to
`request.business`; ids in a body that belong to another business are a 404,
like ids in the path. Sale movements are not posted here: the register posts
them through `services.stock_apply`.
"""

from __future__ import annotations

from datetime import datetime, time

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.decorators import action

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.exports import CsvRenderer, FileExportMixin
from hanout.core.models import Shop
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.inventory import selectors, services
from hanout.inventory.models import (
    CountStatus,
    Location,
    LocationKind,
    MovementReason,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
)
from hanout.inventory.views import valuation_csv

_qty = {"max_digits": QTY_DIGITS, "decimal_places": QTY_PLACES}
_money = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}

# Reasons a person posts through the API; sales come from the register, transfers and
# counts from their own endpoints.
POSTABLE_REASONS = [
    (r.value, r.label)
    for r in (
        MovementReason.RECEIPT,
        MovementReason.ADJUSTMENT,
        MovementReason.WRITE_OFF,
        MovementReason.RETURN,
    )
]

# A product, shop or location named in the body (or query) that is not this business's.
NOT_FOUND_IN_BODY = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy("An id in the request is not found (or in another business)."),
    )
}

BAD_QUERY = {
    400: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy("Bad query parameters; `fields` names them."),
    )
}

# --- serializers: output ---------------------------------------------------------------------


class StockProductRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "sku", "unit"]
        read_only_fields = fields


class StockLocationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "shop"]
        read_only_fields = fields


class LocationSerializer(serializers.ModelSerializer):
    shop_name = serializers.CharField(source="shop.name", read_only=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "shop",
            "shop_name",
            "name",
            "kind",
            "is_default",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StockLevelSerializer(serializers.ModelSerializer):
    product = StockProductRefSerializer(read_only=True)
    location = StockLocationRefSerializer(read_only=True)
    available = serializers.DecimalField(read_only=True, **_qty)

    class Meta:
        model = StockLevel
        fields = [
            "id",
            "product",
            "location",
            "quantity",
            "reserved",
            "available",
            "reorder_point",
            "reorder_quantity",
            "is_low",
            "allow_negative",
            "updated_at",
        ]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    product = StockProductRefSerializer(read_only=True)
    location = StockLocationRefSerializer(read_only=True)
    actor = serializers.UUIDField(source="actor_id", read_only=True, allow_null=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "product",
            "location",
            "reason",
            "quantity",
            "unit_cost",
            "balance_after",
            "group",
            "reference",
            "note",
            "actor",
            "created_at",
        ]
        read_only_fields = fields


class StockTransferResultSerializer(serializers.Serializer):
    group = serializers.UUIDField(read_only=True)
    transfer_out = StockMovementSerializer(read_only=True)
    transfer_in = StockMovementSerializer(read_only=True)


class StockCountLineSerializer(serializers.ModelSerializer):
    product = StockProductRefSerializer(read_only=True)
    movement = serializers.UUIDField(source="movement_id", read_only=True, allow_null=True)

    class Meta:
        model = StockCountLine
        fields = ["id", "product", "counted", "expected", "movement", "updated_at"]
        read_only_fields = fields


class StockCountSerializer(serializers.ModelSerializer):
    location = StockLocationRefSerializer(read_only=True)
    started_by = serializers.UUIDField(source="started_by_id", read_only=True, allow_null=True)
    validated_by = serializers.UUIDField(source="validated_by_id", read_only=True, allow_null=True)
    reference = serializers.CharField(
        read_only=True, help_text="CNT-000001: the reference its count movements carry."
    )

    class Meta:
        model = StockCount
        fields = [
            "id",
            "number",
            "reference",
            "location",
            "status",
            "note",
            "started_by",
            "validated_by",
            "validated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StockCountDetailSerializer(StockCountSerializer):
    lines = StockCountLineSerializer(many=True, read_only=True)

    class Meta(StockCountSerializer.Meta):
        fields = [*StockCountSerializer.Meta.fields, "lines"]
        read_only_fields = fields


# --- serializers: input ----------------------------------------------------------------------


class LocationQuerySerializer(serializers.Serializer):
    shop = serializers.UUIDField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class LocationCreateSerializer(serializers.Serializer):
    shop = serializers.UUIDField()
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=LocationKind.choices, default=LocationKind.FLOOR)
    is_default = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy("The shop sells (the register takes stock) from here."),
    )


class LocationUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)
    is_default = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


class StockLevelQuerySerializer(serializers.Serializer):
    location = serializers.UUIDField(required=False)
    product = serializers.UUIDField(required=False)
    low = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Product name or exact SKU.")
    )


class StockLevelThresholdsSerializer(serializers.Serializer):
    reorder_point = serializers.DecimalField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text=gettext_lazy("Low-stock threshold; null clears it."),
        **_qty,
    )
    reorder_quantity = serializers.DecimalField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text=gettext_lazy("How much to reorder; null clears it."),
        **_qty,
    )


class StockMovementQuerySerializer(serializers.Serializer):
    product = serializers.UUIDField(required=False)
    location = serializers.UUIDField(required=False)
    reason = serializers.ChoiceField(choices=MovementReason.choices, required=False)
    group = serializers.UUIDField(required=False)
    since = serializers.DateTimeField(
        required=False, help_text=gettext_lazy("From this moment (ISO 8601), inclusive.")
    )
    until = serializers.DateTimeField(
        required=False, help_text=gettext_lazy("Before this moment (ISO 8601).")
    )


class StockMovementCreateSerializer(serializers.Serializer):
    product = serializers.UUIDField()
    location = serializers.UUIDField()
    quantity = serializers.DecimalField(
        help_text=gettext_lazy(
            "Signed: a receipt or return adds (+), a write-off removes (−), an adjustment either."
        ),
        **_qty,
    )
    reason = serializers.ChoiceField(choices=POSTABLE_REASONS)
    unit_cost = serializers.DecimalField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        help_text=gettext_lazy("Receipts: the unit cost paid (default: the current average)."),
        **_money,
    )
    reference = serializers.CharField(max_length=120, allow_blank=True, default="")
    note = serializers.CharField(
        max_length=500,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Required for adjustments and write-offs."),
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Made by the client; sending it again changes nothing."),
    )


class StockTransferCreateSerializer(serializers.Serializer):
    product = serializers.UUIDField()
    from_location = serializers.UUIDField()
    to_location = serializers.UUIDField()
    quantity = serializers.DecimalField(
        min_value=0, help_text=gettext_lazy("How much to move (more than zero)."), **_qty
    )
    reference = serializers.CharField(max_length=120, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class StockCountQuerySerializer(serializers.Serializer):
    location = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=CountStatus.choices, required=False)


class StockCountCreateSerializer(serializers.Serializer):
    location = serializers.UUIDField()
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class StockCountLineInputSerializer(serializers.Serializer):
    product = serializers.UUIDField()
    counted = serializers.DecimalField(min_value=0, **_qty)


class StockCountLinesSerializer(serializers.Serializer):
    lines = StockCountLineInputSerializer(many=True, max_length=5000)


class ValuationQuerySerializer(serializers.Serializer):
    at = serializers.CharField(
        required=False,
        max_length=40,
        help_text=gettext_lazy("A moment (ISO 8601) or a day (YYYY-MM-DD: its end). Default: now."),
    )
    group_by = serializers.ChoiceField(choices=["location", "category"], default="location")

    def validate_at(self, value):
        moment = parse_datetime(value) if "T" in value or " " in value else None
        if moment is None:
            day = None
            try:
                day = parse_date(value)
            except ValueError:
                day = None
            if day is None:
                raise serializers.ValidationError(_("Enter a date (YYYY-MM-DD) or a moment."))
            moment = datetime.combine(day, time.max)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class ValuationRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=gettext_lazy("Location or category id."))
    label = serializers.CharField()
    quantity = serializers.DecimalField(**_qty)
    value = MoneyField(read_only=True)
    products = serializers.IntegerField()


class ValuationSerializer(serializers.Serializer):
    valued_at = serializers.DateTimeField(
        source="at", help_text=gettext_lazy("The moment valued (`at`, or now).")
    )
    group_by = serializers.CharField()
    currency = serializers.CharField()
    rows = ValuationRowSerializer(many=True)
    total_quantity = serializers.DecimalField(**_qty)
    total = MoneyField(read_only=True)


class RestockQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        default=30,
        help_text=gettext_lazy("Average the sales of this many days."),
    )
    location = serializers.UUIDField(required=False)


class StockSupplierRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class RestockLineSerializer(serializers.Serializer):
    product = StockProductRefSerializer()
    on_hand = serializers.DecimalField(**_qty)
    sold = serializers.DecimalField(**_qty)
    daily_sales = serializers.DecimalField(**_qty)
    lead_time_days = serializers.IntegerField()
    cover_days = serializers.IntegerField()
    min_order_quantity = serializers.DecimalField(**_qty)
    supplier_sku = serializers.CharField()
    unit_cost = serializers.DecimalField(**_money)
    quantity = serializers.DecimalField(**_qty, help_text=gettext_lazy("Suggested order."))
    is_low = serializers.BooleanField()


class RestockGroupSerializer(serializers.Serializer):
    supplier = StockSupplierRefSerializer(allow_null=True)
    lines = RestockLineSerializer(many=True)


class RestockSuggestionsSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    review_days = serializers.IntegerField()
    groups = RestockGroupSerializer(many=True)


# --- helpers ---------------------------------------------------------------------------------


def _in_business(queryset, pk, field: str, message: str):
    """An object of this business by id, or a 404 naming the field."""
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound(message, fields={field: [message]})
    return obj


def _product(request, pk, field="product"):
    return _in_business(
        Product.objects.for_business(request.business), pk, field, _("This product was not found.")
    )


def _location(request, pk, field="location"):
    return _in_business(
        selectors.location_list(business=request.business),
        pk,
        field,
        _("This location was not found."),
    )


# --- viewsets --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[LocationQuerySerializer], responses=LocationSerializer),
    retrieve=extend_schema(responses=LocationSerializer),
    create=extend_schema(
        request=LocationCreateSerializer,
        responses={201: LocationSerializer, **NOT_FOUND_IN_BODY},
    ),
    partial_update=extend_schema(request=LocationUpdateSerializer, responses=LocationSerializer),
)
class LocationViewSet(ApiViewSet):
    """Where stock sits: each shop's floor, back room, warehouse…"""

    module = Module.STOCK
    model = Location
    serializer_class = LocationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.location_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(LocationQuerySerializer)
        return self.paginated(LocationSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(LocationSerializer, self.get_object())

    def create(self, request):
        data = self.validated(LocationCreateSerializer)
        shop = Shop.objects.for_business(request.business).filter(pk=data.pop("shop")).first()
        location = services.location_create(
            business=request.business, actor=request.user, shop=shop, **data
        )
        return self.respond(LocationSerializer, location, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        location = self.get_object()
        data = self.validated(LocationUpdateSerializer, partial=True)
        location = services.location_update(location=location, actor=request.user, data=data)
        return self.respond(LocationSerializer, location)


@extend_schema_view(
    list=extend_schema(parameters=[StockLevelQuerySerializer], responses=StockLevelSerializer),
    retrieve=extend_schema(responses=StockLevelSerializer),
    partial_update=extend_schema(
        request=StockLevelThresholdsSerializer, responses=StockLevelSerializer
    ),
)
class StockLevelViewSet(ApiViewSet):
    """How much of each product is where; PATCH sets the low-stock threshold and reorder
    quantity (quantities change only through movements)."""

    module = Module.STOCK
    model = StockLevel
    serializer_class = StockLevelSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.stock_level_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(StockLevelQuerySerializer)
        return self.paginated(StockLevelSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(StockLevelSerializer, self.get_object())

    def partial_update(self, request, pk=None):
        level = self.get_object()
        data = self.validated(StockLevelThresholdsSerializer, partial=True)
        level = services.stock_level_set_thresholds(
            business=request.business,
            actor=request.user,
            product=level.product,
            location=level.location,
            reorder_point=data.get("reorder_point", level.reorder_point),
            reorder_quantity=data.get("reorder_quantity", level.reorder_quantity),
        )
        return self.respond(StockLevelSerializer, self.get_queryset().get(pk=level.pk))


@extend_schema_view(
    list=extend_schema(
        parameters=[StockMovementQuerySerializer], responses=StockMovementSerializer
    ),
    retrieve=extend_schema(responses=StockMovementSerializer),
    create=extend_schema(
        request=StockMovementCreateSerializer,
        responses={201: StockMovementSerializer, **NOT_FOUND_IN_BODY},
        description=gettext_lazy(
            "Post a receipt, return, adjustment or write-off. With `client_uuid`, sending the "
            "same request again returns the first movement and changes nothing; the same "
            "`client_uuid` with other data is a 409."
        ),
    ),
)
class StockMovementViewSet(ApiViewSet):
    """The ledger: every change of stock, newest first. Append-only."""

    module = Module.STOCK
    model = StockMovement
    serializer_class = StockMovementSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.movement_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(StockMovementQuerySerializer)
        return self.paginated(StockMovementSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(StockMovementSerializer, self.get_object())

    def create(self, request):
        data = self.validated(StockMovementCreateSerializer)
        movement = services.stock_move(
            business=request.business,
            actor=request.user,
            product=_product(request, data["product"]),
            location=_location(request, data["location"]),
            quantity=data["quantity"],
            reason=data["reason"],
            unit_cost=data["unit_cost"],
            reference=data["reference"],
            note=data["note"],
            client_uuid=data["client_uuid"],
        )
        return self.respond(StockMovementSerializer, movement, status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        request=StockTransferCreateSerializer,
        responses={201: StockTransferResultSerializer, **NOT_FOUND_IN_BODY},
        description=gettext_lazy(
            "Move stock between two locations of the business: two movements of one group, "
            "in one transaction. Idempotent on `client_uuid`."
        ),
    ),
)
class StockTransferViewSet(ApiViewSet):
    """Transfers between locations (the legs are listed in stock-movements)."""

    module = Module.STOCK
    model = StockMovement
    serializer_class = StockTransferCreateSerializer
    http_method_names = ["post", "options"]

    def scoped_queryset(self):
        return selectors.movement_list(business=self.request.business)

    def create(self, request):
        data = self.validated(StockTransferCreateSerializer)
        out, in_ = services.stock_transfer(
            business=request.business,
            actor=request.user,
            product=_product(request, data["product"]),
            from_location=_location(request, data["from_location"], "from_location"),
            to_location=_location(request, data["to_location"], "to_location"),
            quantity=data["quantity"],
            reference=data["reference"],
            note=data["note"],
            client_uuid=data["client_uuid"],
        )
        return self.respond(
            StockTransferResultSerializer,
            {"group": out.group, "transfer_out": out, "transfer_in": in_},
            status_code=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(parameters=[StockCountQuerySerializer], responses=StockCountSerializer),
    retrieve=extend_schema(responses=StockCountDetailSerializer),
    create=extend_schema(
        request=StockCountCreateSerializer,
        responses={201: StockCountDetailSerializer, **NOT_FOUND_IN_BODY},
    ),
)
class StockCountViewSet(ApiViewSet):
    """Count sheets: one open per location; validating posts the differences as `count`
    movements and makes the sheet read-only."""

    module = Module.STOCK
    model = StockCount
    serializer_class = StockCountSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.stock_count_list(business=self.request.business, **filters)

    def _detail(self, count):
        return selectors.stock_count_get(business=self.request.business, pk=count.pk)

    def list(self, request):
        filters = self.query(StockCountQuerySerializer)
        return self.paginated(StockCountSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(StockCountDetailSerializer, self._detail(self.get_object()))

    def create(self, request):
        data = self.validated(StockCountCreateSerializer)
        count = services.stock_count_start(
            location=_location(request, data["location"]), actor=request.user, note=data["note"]
        )
        return self.respond(
            StockCountDetailSerializer, self._detail(count), status_code=status.HTTP_201_CREATED
        )

    def _set_lines(self, replace: bool):
        count = self.get_object()  # tenant check before validation
        data = self.validated(StockCountLinesSerializer)
        ids = [line["product"] for line in data["lines"]]
        found = Product.objects.for_business(self.request.business).in_bulk(ids)
        lines = []
        for i, line in enumerate(data["lines"]):
            product = found.get(line["product"])
            if product is None:
                msg = _("This product was not found.")
                raise NotFound(msg, fields={f"lines[{i}].product": [msg]})
            lines.append((product, line["counted"]))
        services.stock_count_set_lines(
            count=count, actor=self.request.user, lines=lines, replace=replace
        )
        return self.respond(StockCountDetailSerializer, self._detail(count))

    @extend_schema(
        operation_id="stock_counts_lines_set",
        request=StockCountLinesSerializer,
        responses=StockCountDetailSerializer,
        description=gettext_lazy("Add or correct the given lines (the others stay)."),
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        return self._set_lines(replace=False)

    @extend_schema(
        operation_id="stock_counts_lines_replace",
        request=StockCountLinesSerializer,
        responses=StockCountDetailSerializer,
        description=gettext_lazy("Replace all the lines with the given ones."),
    )
    @lines.mapping.put
    def lines_replace(self, request, pk=None):
        return self._set_lines(replace=True)

    @extend_schema(request=None, responses=StockCountDetailSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        count = services.stock_count_validate(count=self.get_object(), actor=request.user)
        return self.respond(StockCountDetailSerializer, self._detail(count))

    @extend_schema(request=None, responses=StockCountDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        count = services.stock_count_cancel(count=self.get_object(), actor=request.user)
        return self.respond(StockCountDetailSerializer, self._detail(count))


class StockReportViewSet(FileExportMixin, ApiViewSet):
    """Stock reports: valuation at any moment, restock suggestions, levels that are low."""

    module = Module.STOCK
    model = StockLevel
    serializer_class = StockLevelSerializer

    def scoped_queryset(self):
        return selectors.low_stock_list(business=self.request.business)

    def perform_content_negotiation(self, request, force=False):
        """An unknown `?format=` is bad input (400 naming it), not a missing page."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:
            raise exceptions.ValidationError({"format": [_("Choose json or csv.")]}) from exc

    @extend_schema(
        operation_id="stock_valuation",
        parameters=[
            ValuationQuerySerializer,
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv"],
                description=gettext_lazy("csv: a spreadsheet file instead of JSON."),
            ),
        ],
        responses={
            200: ValuationSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **BAD_QUERY,
        },
        description=gettext_lazy(
            "What the stock was worth at a moment, recomputed from the ledger at weighted "
            "average cost, by location or by category."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer, CsvRenderer],
    )
    def valuation(self, request):
        filters = self.query(ValuationQuerySerializer)
        result = selectors.valuation(
            business=request.business, at=filters.get("at"), group_by=filters["group_by"]
        )
        if request.accepted_renderer.format == "csv":
            return valuation_csv(result, bom=False)  # as before: a client reads it as is
        return self.respond(ValuationSerializer, result)

    @extend_schema(
        operation_id="stock_restock_suggestions",
        parameters=[RestockQuerySerializer],
        responses={200: RestockSuggestionsSerializer, **NOT_FOUND_IN_BODY, **BAD_QUERY},
        description=gettext_lazy(
            "What to order, by preferred supplier: average daily sales × (lead time + a "
            "review period) − on hand, rounded up to the minimum order quantity."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="restock-suggestions",
        url_name="restock-suggestions",
        pagination_class=None,
    )
    def restock_suggestions(self, request):
        filters = self.query(RestockQuerySerializer)
        location = None
        if "location" in filters:
            location = _location(request, filters["location"])
        lines = selectors.restock_suggestions(
            business=request.business, days=filters["days"], location=location
        )
        groups = selectors.restock_groups(lines)
        return self.respond(
            RestockSuggestionsSerializer,
            {
                "days": filters["days"],
                "review_days": selectors.REVIEW_PERIOD_DAYS,
                "groups": groups,
            },
        )

    @extend_schema(operation_id="stock_low_list", responses=StockLevelSerializer(many=True))
    @action(detail=False, methods=["get"])
    def low(self, request):
        return self.paginated(StockLevelSerializer, self.get_queryset())


def register(router):
    router.register("locations", LocationViewSet, basename="location")
    router.register("stock-levels", StockLevelViewSet, basename="stock-level")
    router.register("stock-movements", StockMovementViewSet, basename="stock-movement")
    router.register("stock-transfers", StockTransferViewSet, basename="stock-transfer")
    router.register("stock-counts", StockCountViewSet, basename="stock-count")
    router.register("stock", StockReportViewSet, basename="stock")
