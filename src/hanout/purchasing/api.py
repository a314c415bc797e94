"""REST API of purchase orders.

- `GET /api/v1/purchase-orders/` (`?status=&supplier=&date_from=&date_to=&search=`),
  `GET …/{id}/` with lines, deliveries (receipts) and the dated history.
- `POST …/` drafts a PO (`supplier`, `lines` [{product, quantity, unit_cost?,
  supplier_sku?}], `location?`, `expected_on?`, `note?`, `client_uuid?`: the same
  key again answers the first PO with 200).
- `PATCH …/{id}/` changes a draft (any of location, expected_on, note; `lines`
  replaces all lines).
- `POST …/{id}/send/` (`email?`, `notify?`), `…/receive/` (`lines` [{line,
  quantity, unit_cost?}], `location?`, `delivery_note?`, `over_receipt_reason?`,
  `received_at?`, `client_uuid?`), `…/close/` and `…/cancel/` (`note?`).
- `POST …/from-restock/` drafts one PO per preferred supplier from the restock
  suggestions.
- `GET …/export/?format=csv|xlsx` with the list's filters: the page's file, one row
  per PO line.

Thin: an input serializer checks the shape, one service does the work, and
another business's id (PO, supplier, product, location, line) is a 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.catalog.models import Product
from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.exports import EXPORT_RENDERERS, FileExportMixin, export_schema
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.inventory.models import Location
from hanout.purchasing import selectors, services, services_receipts
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from hanout.purchasing.views import po_file
from hanout.suppliers.models import Supplier

# --- output --------------------------------------------------------------------------------------


class PurchaseOrderSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text=_("PO-000042"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    total = MoneyField(read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "reference",
            "status",
            "status_label",
            "supplier",
            "supplier_name",
            "location",
            "location_name",
            "ordered_on",
            "expected_on",
            "total",
            "line_count",
            "sent_to",
            "sent_at",
            "received_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class POLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    unit_cost = MoneyField(read_only=True)
    total = MoneyField(read_only=True)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "position",
            "product",
            "product_name",
            "product_sku",
            "supplier_sku",
            "quantity",
            "unit_cost",
            "total",
            "received_quantity",
            "remaining",
        ]
        read_only_fields = fields


class ReceiptLineSerializer(serializers.ModelSerializer):
    unit_cost = MoneyField(read_only=True)

    class Meta:
        model = PurchaseReceiptLine
        fields = ["id", "order_line", "quantity", "unit_cost", "movement"]
        read_only_fields = fields


class ReceiptSerializer(serializers.ModelSerializer):
    location_name = serializers.CharField(source="location.name", read_only=True)
    lines = ReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseReceipt
        fields = [
            "id",
            "location",
            "location_name",
            "received_at",
            "received_by",
            "delivery_note",
            "over_receipt_reason",
            "lines",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = PurchaseOrderEvent
        fields = ["id", "status", "at", "actor", "actor_name", "note"]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return event.actor.full_name if event.actor_id else ""


class PurchaseOrderDetailSerializer(PurchaseOrderSerializer):
    lines = POLineSerializer(many=True, read_only=True)
    receipts = ReceiptSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(PurchaseOrderSerializer.Meta):
        fields = [*PurchaseOrderSerializer.Meta.fields, "note", "lines", "receipts", "events"]
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------------

_QTY = {"max_digits": 14, "decimal_places": 3}
_MONEY = {"max_digits": 14, "decimal_places": 3}


class POLineInputSerializer(serializers.Serializer):
    product = serializers.UUIDField(help_text=_("A product of this business."))
    quantity = serializers.DecimalField(**_QTY, help_text=_("Quantity ordered (positive)."))
    unit_cost = serializers.DecimalField(
        **_MONEY,
        required=False,
        allow_null=True,
        help_text=_("Unit cost; default: the supplier's catalog cost, else the product's cost."),
    )
    supplier_sku = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True
    )


class POUpdateSerializer(serializers.Serializer):
    location = serializers.UUIDField(required=False, help_text=_("Where the goods go."))
    expected_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lines = POLineInputSerializer(
        many=True, required=False, help_text=_("Replaces every line of the draft.")
    )


class POCreateSerializer(POUpdateSerializer):
    supplier = serializers.UUIDField(help_text=_("An active supplier of this business."))
    lines = POLineInputSerializer(many=True, required=False, default=list)
    client_uuid = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("Sent twice, the first PO is answered.")
    )


class POQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=POStatus.choices, required=False)
    supplier = serializers.UUIDField(required=False)
    date_from = serializers.DateField(required=False, help_text=_("Order date from (included)."))
    date_to = serializers.DateField(required=False, help_text=_("Order date to (included)."))
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("PO number or supplier name.")
    )


class SendSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text=_("Default: the supplier's email.")
    )
    notify = serializers.BooleanField(
        default=True, help_text=_("False marks it sent without emailing (ordered by phone).")
    )


class ReceiveLineSerializer(serializers.Serializer):
    line = serializers.UUIDField(help_text=_("A line of this purchase order."))
    quantity = serializers.DecimalField(**_QTY)
    unit_cost = serializers.DecimalField(
        **_MONEY, required=False, allow_null=True, help_text=_("Default: the line's unit cost.")
    )


class ReceiveSerializer(serializers.Serializer):
    lines = ReceiveLineSerializer(many=True, allow_empty=False)
    location = serializers.UUIDField(required=False, allow_null=True)
    delivery_note = serializers.CharField(max_length=120, required=False, allow_blank=True)
    over_receipt_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("Required when more than is still expected arrives."),
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FromRestockSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    location = serializers.UUIDField(required=False, allow_null=True)
    suppliers = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text=_("Only these suppliers.")
    )


# --- viewset -------------------------------------------------------------------------------------

_DETAIL = PurchaseOrderDetailSerializer
# A supplier, product, location or line named in the request (body or query) that is
# not this business's is a 404 even on a route without an id.
NOT_FOUND = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=_("Something named in the request is not found (or in another business)."),
    )
}


@extend_schema_view(
    list=extend_schema(
        parameters=[POQuerySerializer], responses={200: PurchaseOrderSerializer, **NOT_FOUND}
    ),
    retrieve=extend_schema(responses=_DETAIL),
    create=extend_schema(
        request=POCreateSerializer, responses={200: _DETAIL, 201: _DETAIL, **NOT_FOUND}
    ),
    partial_update=extend_schema(request=POUpdateSerializer, responses=_DETAIL),
    send=extend_schema(request=SendSerializer, responses=_DETAIL),
    receive=extend_schema(request=ReceiveSerializer, responses={200: _DETAIL, 201: _DETAIL}),
    close=extend_schema(request=NoteSerializer, responses=_DETAIL),
    cancel=extend_schema(request=NoteSerializer, responses=_DETAIL),
    from_restock=extend_schema(
        request=FromRestockSerializer,
        responses={201: PurchaseOrderSerializer(many=True), **NOT_FOUND},
    ),
    export=export_schema(
        POQuerySerializer,
        what=_(
            "The filtered purchase orders as a file, one row per line (a PO without lines "
            "is one row): number, status, supplier, location, dates, product, SKUs, ordered "
            "and received quantities, unit cost, line total and the PO's total."
        ),
        not_found=NOT_FOUND,
    ),
)
class PurchaseOrderViewSet(FileExportMixin, ApiViewSet):
    """Purchase orders to suppliers and their deliveries."""

    module = Module.PURCHASING
    model = PurchaseOrder
    serializer_class = PurchaseOrderSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.po_list(business=self.request.business, **filters)

    def get_object(self):
        try:
            return selectors.po_get(business=self.request.business, pk=self.kwargs["pk"])
        except (PurchaseOrder.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise NotFound(_("This purchase order does not exist.")) from exc

    def _detail(self, order, status_code=status.HTTP_200_OK):
        fresh = selectors.po_detail(business=self.request.business, pk=order.pk)
        return self.respond(_DETAIL, fresh, status_code=status_code)

    def _own(self, model, pk, field, message):
        if pk is None:
            return None
        try:
            return model.objects.for_business(self.request.business).get(pk=pk)
        except model.DoesNotExist as exc:
            raise NotFound(message, fields={field: [_("Not found.")]}) from exc

    def _lines(self, rows) -> list[services.POLineInput]:
        ids = {row["product"] for row in rows}
        products = {
            p.pk: p for p in Product.objects.for_business(self.request.business).filter(pk__in=ids)
        }
        out = []
        for i, row in enumerate(rows):
            product = products.get(row["product"])
            if product is None:
                raise NotFound(
                    _("This product was not found."),
                    fields={f"lines[{i}].product": [_("Not found.")]},
                )
            out.append(
                services.POLineInput(
                    product=product,
                    quantity=row["quantity"],
                    unit_cost=row.get("unit_cost"),
                    supplier_sku=row.get("supplier_sku"),
                )
            )
        return out

    def _location(self, pk):
        return self._own(Location, pk, "location", _("This location was not found."))

    def _filtered(self):
        filters = self.query(POQuerySerializer)
        if "supplier" in filters:
            filters["supplier"] = self._own(
                Supplier, filters["supplier"], "supplier", _("This supplier was not found.")
            )
        return self.scoped_queryset(**filters)

    def list(self, request):
        return self.paginated(PurchaseOrderSerializer, self._filtered())

    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=EXPORT_RENDERERS)
    def export(self, request):
        fmt = self.export_format()
        return po_file(fmt, self._filtered(), business=request.business)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = self.validated(POCreateSerializer)
        key = data.get("client_uuid")
        existed = (
            key is not None
            and PurchaseOrder.objects.filter(business=request.business, client_uuid=key).exists()
        )
        supplier = self._own(
            Supplier, data["supplier"], "supplier", _("This supplier was not found.")
        )
        order = services.purchase_order_create(
            business=request.business,
            actor=request.user,
            supplier=supplier,
            lines=self._lines(data.get("lines") or []),
            location=self._location(data.get("location")),
            expected_on=data.get("expected_on"),
            note=data.get("note", ""),
            client_uuid=key,
        )
        return self._detail(order, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        order = self.get_object()
        data = dict(self.validated(POUpdateSerializer, partial=True))
        lines = data.pop("lines", None)
        if "location" in data:
            data["location"] = self._location(data["location"])
        if data:
            order = services.purchase_order_update(order=order, actor=request.user, data=data)
        if lines is not None:
            order = services.purchase_order_set_lines(
                order=order, actor=request.user, lines=self._lines(lines)
            )
        return self._detail(order)

    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        order = self.get_object()
        data = self.validated(SendSerializer)
        order = services.purchase_order_send(
            order=order, actor=request.user, email=data.get("email"), notify=data["notify"]
        )
        return self._detail(order)

    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        order = self.get_object()
        data = self.validated(ReceiveSerializer)
        key = data.get("client_uuid")
        existed = (
            key is not None
            and PurchaseReceipt.objects.filter(business=request.business, client_uuid=key).exists()
        )
        services_receipts.purchase_order_receive(
            order=order,
            actor=request.user,
            lines=[dict(row) for row in data["lines"]],
            location=self._location(data.get("location")),
            delivery_note=data.get("delivery_note", ""),
            over_receipt_reason=data.get("over_receipt_reason", ""),
            received_at=data.get("received_at"),
            client_uuid=key,
        )
        return self._detail(order, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        order = self.get_object()
        data = self.validated(NoteSerializer)
        order = services_receipts.purchase_order_close(
            order=order, actor=request.user, note=data.get("note", "")
        )
        return self._detail(order)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        data = self.validated(NoteSerializer)
        order = services_receipts.purchase_order_cancel(
            order=order, actor=request.user, note=data.get("note", "")
        )
        return self._detail(order)

    @action(detail=False, methods=["post"], url_path="from-restock")
    def from_restock(self, request):
        from hanout.inventory.selectors import restock_groups, restock_suggestions

        data = self.validated(FromRestockSerializer)
        location = self._location(data.get("location"))
        groups = restock_groups(
            restock_suggestions(business=request.business, days=data["days"], location=location)
        )
        orders = services.purchase_orders_from_restock(
            business=request.business,
            actor=request.user,
            groups=groups,
            location=location,
            supplier_ids=data.get("suppliers"),
        )
        fresh = self.scoped_queryset().filter(pk__in=[o.pk for o in orders])
        return self.respond(
            PurchaseOrderSerializer, fresh, many=True, status_code=status.HTTP_201_CREATED
        )


def register(router):
    router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
