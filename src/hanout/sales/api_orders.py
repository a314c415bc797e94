"""REST API of customer orders.

- `GET /api/v1/orders/` (`?status=&customer=&search=&date_from=&date_to=&promised_by=`),
  `GET /api/v1/orders/{id}/` with lines, status history and shipments.
- `POST /api/v1/orders/` creates a draft: `customer`, `lines` [{product | code,
  quantity, unit_price?, discount?}], `location?`, `promised_on?`,
  `shipping_address?`, `note?`, `client_uuid?` (201; 200 with the first order
  when the client_uuid was seen; 409 when it was used with other data). A price
  or discount needs an owner or a manager (403 otherwise).
- `PATCH /api/v1/orders/{id}/` changes a draft (and replaces its lines when given).
- Actions (POST): `confirm/` (reserves stock; 400 `insufficient_stock` naming
  every short product), `pick/`, `ship/` ({lines?: [{line, quantity}], carrier,
  tracking, client_uuid}; no lines ships all that is left), `deliver/`,
  `cancel/` ({reason}; 409 `order_already_shipped` once anything shipped).
  A step out of order is a 409 `order_status`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.permissions import Module, Role
from hanout.core.schema import ErrorSerializer
from hanout.customers.models import Customer
from hanout.sales import selectors_orders as selectors
from hanout.sales import services_orders as services
from hanout.sales.models import (
    CustomerOrder,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Shipment,
    ShipmentLine,
)
from hanout.sales.services_orders_lines import OrderLineInput

_qty = {"max_digits": 14, "decimal_places": 3}
_ro = {"read_only": True}

# --- output --------------------------------------------------------------------------------


class OrderCustomerSerializer(serializers.Serializer):
    id = serializers.UUIDField(**_ro)
    name = serializers.CharField(**_ro)


class OrderSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(**_ro, help_text=gettext_lazy("SO-000123"))
    status_label = serializers.CharField(source="get_status_display", **_ro)
    customer = OrderCustomerSerializer(**_ro)
    location = serializers.UUIDField(source="location_id", **_ro)
    location_name = serializers.CharField(source="location.name", **_ro)
    total = MoneyField(**_ro)
    tax_total = MoneyField(**_ro)
    discount_total = MoneyField(**_ro)
    line_count = serializers.IntegerField(**_ro)

    class Meta:
        model = CustomerOrder
        fields = [
            "id",
            "number",
            "reference",
            "status",
            "status_label",
            "customer",
            "location",
            "location_name",
            "promised_on",
            "shipping_address",
            "note",
            "total",
            "tax_total",
            "discount_total",
            "line_count",
            "confirmed_at",
            "delivered_at",
            "cancelled_at",
            "client_uuid",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrderLineSerializer(serializers.ModelSerializer):
    product = serializers.UUIDField(source="product_id", **_ro)
    unit_price = MoneyField(**_ro)
    discount = MoneyField(**_ro)
    total = MoneyField(**_ro)
    tax_amount = MoneyField(**_ro)

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "position",
            "product",
            "name",
            "sku",
            "quantity",
            "unit_price",
            "discount",
            "tax_rate",
            "total",
            "tax_amount",
            "reserved_quantity",
            "shipped_quantity",
            "returned_quantity",
        ]
        read_only_fields = fields


class OrderStatusChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default="", **_ro)

    class Meta:
        model = OrderStatusChange
        fields = ["from_status", "to_status", "at", "actor", "note"]
        read_only_fields = fields


class OrderShipmentLineSerializer(serializers.ModelSerializer):
    order_line = serializers.UUIDField(source="order_line_id", **_ro)
    name = serializers.CharField(source="order_line.name", **_ro)

    class Meta:
        model = ShipmentLine
        fields = ["order_line", "name", "quantity"]
        read_only_fields = fields


class OrderShipmentSerializer(serializers.ModelSerializer):
    order = serializers.UUIDField(source="order_id", **_ro)
    lines = OrderShipmentLineSerializer(many=True, **_ro)

    class Meta:
        model = Shipment
        fields = ["id", "order", "shipped_at", "carrier", "tracking", "client_uuid", "lines"]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, **_ro)
    history = OrderStatusChangeSerializer(many=True, **_ro)
    shipments = OrderShipmentSerializer(many=True, **_ro)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines", "history", "shipments"]
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------


class OrderLineInSerializer(serializers.Serializer):
    product = serializers.UUIDField(required=False, allow_null=True)
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("A barcode or SKU, instead of `product`."),
    )
    quantity = serializers.DecimalField(default=1, **_qty)
    unit_price = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Tax included; default the catalog's (owners and managers only)."),
        **_qty,
    )
    discount = serializers.DecimalField(
        default=0,
        help_text=gettext_lazy("Amount off the line, tax included (owners and managers only)."),
        **_qty,
    )


class OrderUpdateSerializer(serializers.Serializer):
    customer = serializers.UUIDField(required=False)
    location = serializers.UUIDField(
        required=False, help_text=gettext_lazy("Ship from; default the shop's selling location.")
    )
    promised_on = serializers.DateField(required=False, allow_null=True)
    shipping_address = serializers.CharField(max_length=500, allow_blank=True, required=False)
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    lines = OrderLineInSerializer(many=True, required=False, allow_empty=False, max_length=500)


class OrderCreateSerializer(OrderUpdateSerializer):
    customer = serializers.UUIDField()
    lines = OrderLineInSerializer(many=True, allow_empty=False, max_length=500)
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Made by the client: sending it again answers the first order."),
    )


class OrderNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class OrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class OrderCloseShortSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300,
        help_text=gettext_lazy("Why the rest will not be shipped (required)."),
    )


class OrderShipLineSerializer(serializers.Serializer):
    line = serializers.UUIDField(help_text=gettext_lazy("A line of this order."))
    quantity = serializers.DecimalField(**_qty)


class OrderShipSerializer(serializers.Serializer):
    lines = OrderShipLineSerializer(
        many=True,
        required=False,
        max_length=500,
        help_text=gettext_lazy("Left out: ship everything still to ship."),
    )
    carrier = serializers.CharField(max_length=80, allow_blank=True, required=False, default="")
    tracking = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class OrderQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    customer = serializers.UUIDField(required=False)
    search = serializers.CharField(
        required=False, max_length=100, help_text=gettext_lazy("Number or customer name.")
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    promised_by = serializers.DateField(required=False)


NOT_FOUND_IN_BODY = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy(
            "Something named in the request is not found (or in another business)."
        ),
    )
}


def _indexed(detail):
    """DRF reports errors of list items as {index: errors}; make them `lines[0].quantity`."""
    if isinstance(detail, dict):
        if detail and all(isinstance(k, int) for k in detail):
            return [_indexed(detail.get(i, {})) for i in range(max(detail) + 1)]
        return {k: _indexed(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_indexed(v) for v in detail]
    return detail


def _line_inputs(rows) -> list[OrderLineInput]:
    return [
        OrderLineInput(
            product=row.get("product"),
            code=row.get("code") or "",
            quantity=row.get("quantity", 1),
            unit_price=row.get("unit_price"),
            discount=row.get("discount") or 0,
        )
        for row in rows
    ]


def may_set_prices(membership) -> bool:
    """Owners and managers may price a line themselves or give a discount."""
    return membership is not None and membership.role in (Role.OWNER, Role.MANAGER)


# --- viewset -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[OrderQuerySerializer], responses={200: OrderSerializer, **NOT_FOUND_IN_BODY}
    ),
    retrieve=extend_schema(responses=OrderDetailSerializer),
    create=extend_schema(
        request=OrderCreateSerializer,
        responses={
            201: OrderDetailSerializer,
            200: OpenApiResponse(
                OrderDetailSerializer,
                description=gettext_lazy("This client_uuid was seen: the first order, unchanged."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    partial_update=extend_schema(request=OrderUpdateSerializer, responses=OrderDetailSerializer),
    confirm=extend_schema(request=OrderNoteSerializer, responses=OrderDetailSerializer),
    pick=extend_schema(request=OrderNoteSerializer, responses=OrderDetailSerializer),
    deliver=extend_schema(request=OrderNoteSerializer, responses=OrderDetailSerializer),
    cancel=extend_schema(request=OrderCancelSerializer, responses=OrderDetailSerializer),
    close_short=extend_schema(
        request=OrderCloseShortSerializer,
        responses=OrderDetailSerializer,
        description=gettext_lazy(
            "A partly shipped order will not get the rest: release what is still reserved "
            "and mark it shipped (then deliver and invoice the shipped quantities). 409 from "
            "any other status."
        ),
    ),
    ship=extend_schema(
        request=OrderShipSerializer,
        responses={
            201: OrderDetailSerializer,
            200: OpenApiResponse(
                OrderDetailSerializer,
                description=gettext_lazy("This client_uuid was seen: nothing shipped again."),
            ),
        },
    ),
)
class OrderViewSet(ApiViewSet):
    """Customer orders: draft → confirmed (stock reserved) → picking → shipped → delivered."""

    module = Module.SALES
    model = CustomerOrder
    serializer_class = OrderSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.order_list(business=self.request.business, **filters)

    def validated(self, serializer_class, **kwargs):
        try:
            return super().validated(serializer_class, **kwargs)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_indexed(exc.detail)) from exc

    def get_object(self):
        pk = self.kwargs.get("pk")
        try:
            return selectors.order_get(business=self.request.business, pk=pk)
        except (CustomerOrder.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise NotFound(_("This order was not found.")) from exc

    def _customer(self, pk) -> Customer:
        found = Customer.objects.for_business(self.request.business).filter(pk=pk).first()
        if found is None:
            message = _("This customer was not found.")
            raise NotFound(message, fields={"customer": [message]})
        return found

    def list(self, request):
        filters = self.query(OrderQuerySerializer)
        if filters.get("customer"):
            filters["customer"] = self._customer(filters["customer"])
        return self.paginated(OrderSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(OrderDetailSerializer, self.get_object())

    def _detail(self, order, *, created=False):
        fresh = selectors.order_get(business=self.request.business, pk=order.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.respond(OrderDetailSerializer, fresh, status_code=code)

    def create(self, request):
        data = self.validated(OrderCreateSerializer)
        order = services.order_create(
            business=request.business,
            actor=request.user,
            customer=data["customer"],
            location=data.get("location"),
            lines=_line_inputs(data["lines"]),
            promised_on=data.get("promised_on"),
            shipping_address=data.get("shipping_address"),
            note=data.get("note") or "",
            allow_price=may_set_prices(request.membership),
            client_uuid=data.get("client_uuid"),
        )
        return self._detail(order, created=not getattr(order, "replayed", False))

    def partial_update(self, request, pk=None):
        order = self.get_object()
        data = dict(self.validated(OrderUpdateSerializer, partial=True))
        rows = data.pop("lines", None)
        order = services.order_update(
            order=order,
            actor=request.user,
            data=data,
            lines=None if rows is None else _line_inputs(rows),
            allow_price=may_set_prices(request.membership),
        )
        return self._detail(order)

    def _step(self, fn, serializer, **extra):
        order = self.get_object()
        data = self.validated(serializer)
        fn(order=order, actor=self.request.user, **data, **extra)
        return self._detail(order)

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._step(services.order_confirm, OrderNoteSerializer)

    @action(detail=True, methods=["post"])
    def pick(self, request, pk=None):
        return self._step(services.order_pick, OrderNoteSerializer)

    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._step(services.order_deliver, OrderNoteSerializer)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(services.order_cancel, OrderCancelSerializer)

    @action(detail=True, methods=["post"], url_path="close-short", url_name="close-short")
    def close_short(self, request, pk=None):
        from hanout.sales.services_orders_close import order_close_short

        return self._step(order_close_short, OrderCloseShortSerializer)

    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        order = self.get_object()
        data = self.validated(OrderShipSerializer)
        rows = data.get("lines")
        shipment = services.order_ship(
            order=order,
            actor=request.user,
            lines=None if rows is None else [(row["line"], row["quantity"]) for row in rows],
            carrier=data["carrier"],
            tracking=data["tracking"],
            client_uuid=data.get("client_uuid"),
        )
        return self._detail(order, created=not getattr(shipment, "replayed", False))


def register(router):
    router.register("orders", OrderViewSet, basename="order")
