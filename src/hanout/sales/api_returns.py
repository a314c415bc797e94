"""REST API of customer returns.

- `GET /api/v1/returns/` (`?source=order|sale&order=&sale=&customer=&refund_method=
  &date_from=&date_to=&search=`), `GET /api/v1/returns/{id}/` with its lines.
- `POST /api/v1/returns/` records a return from a shipped order (`order`) or a
  register ticket (`sale`): `lines` [{line, quantity, disposition}], `reason`,
  `refund_method`, optional `refund_amount` (default and maximum: the returned
  lines' total), `refund_reference`, `location` (default: the order's location or
  the ticket register's) and `client_uuid` (the same again returns the first
  return with 200 instead of 201; with other data, 409).
- `GET /api/v1/returns/export/?format=csv|xlsx` with the list's filters, one row per
  returned line (`file=` is the former name of `format`, still read).

A return is a record of what happened: there is no PUT, PATCH or DELETE (a
mistake is corrected by the documents that follow, never by editing this one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.exports import EXPORT_RENDERERS, FileExportMixin, export_schema, file_response
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.core.selectors import business_zone
from hanout.sales import selectors_returns as selectors
from hanout.sales import services_returns as services
from hanout.sales import services_returns_lines
from hanout.sales.models import (
    CustomerOrder,
    CustomerReturn,
    RefundMethod,
    ReturnDisposition,
    ReturnLine,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_qty = {"max_digits": 14, "decimal_places": 3}

# --- serializers ---------------------------------------------------------------------------


class CustomerReturnLineSerializer(serializers.ModelSerializer):
    unit_price = MoneyField(read_only=True)
    total = MoneyField(read_only=True)
    tax_amount = MoneyField(read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    source_line = serializers.SerializerMethodField(
        help_text=_("The order line or ticket line it came back from.")
    )

    class Meta:
        model = ReturnLine
        fields = [
            "id",
            "product",
            "name",
            "sku",
            "source_line",
            "quantity",
            "unit_price",
            "tax_rate",
            "total",
            "tax_amount",
            "disposition",
            "movement",
        ]
        read_only_fields = fields

    def get_source_line(self, line) -> str:
        return str(line.order_line_id or line.sale_line_id)


class CustomerReturnCreditNoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    total = MoneyField(read_only=True)
    credited_invoice = serializers.UUIDField(
        source="credited_invoice_id", read_only=True, allow_null=True
    )


class CustomerReturnSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text=_("RT-000004"))
    source = serializers.SerializerMethodField(help_text=_("`order` or `sale` (a ticket)."))
    source_reference = serializers.SerializerMethodField(
        help_text=_("The order's number (SO-…) or the ticket's.")
    )
    customer_name = serializers.SerializerMethodField()
    refund_amount = MoneyField(read_only=True)
    total = MoneyField(read_only=True, help_text=_("The returned lines' total."))
    line_count = serializers.IntegerField(read_only=True)
    credit_note = serializers.SerializerMethodField()

    class Meta:
        model = CustomerReturn
        fields = [
            "id",
            "number",
            "reference",
            "source",
            "source_reference",
            "order",
            "sale",
            "customer",
            "customer_name",
            "reason",
            "location",
            "refund_method",
            "refund_amount",
            "refund_reference",
            "total",
            "line_count",
            "returned_at",
            "processed_by",
            "credit_note",
            "movement_group",
            "client_uuid",
        ]
        read_only_fields = fields

    def get_source(self, ret) -> str:
        return "order" if ret.order_id else "sale"

    def get_source_reference(self, ret) -> str:
        return ret.order.reference if ret.order_id else ret.sale.ticket_number

    def get_customer_name(self, ret) -> str:
        return ret.customer.name if ret.customer_id else ""

    @extend_schema_field(CustomerReturnCreditNoteSerializer(allow_null=True))
    def get_credit_note(self, ret) -> dict | None:
        note = selectors.credit_note_of(ret)
        if note is None:
            return None
        return CustomerReturnCreditNoteSerializer(note, context=self.context).data


class CustomerReturnDetailSerializer(CustomerReturnSerializer):
    lines = CustomerReturnLineSerializer(many=True, read_only=True)

    class Meta(CustomerReturnSerializer.Meta):
        fields = [*CustomerReturnSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class CustomerReturnQuerySerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=[("order", _("Order")), ("sale", _("Ticket"))], required=False
    )
    order = serializers.UUIDField(required=False)
    sale = serializers.UUIDField(required=False, help_text=_("A register ticket."))
    customer = serializers.UUIDField(required=False)
    refund_method = serializers.ChoiceField(choices=RefundMethod.choices, required=False)
    date_from = serializers.DateField(
        required=False, help_text=_("A day in the shop's time zone (YYYY-MM-DD), included.")
    )
    date_to = serializers.DateField(required=False, help_text=_("Included."))
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_(
            "A return number (RT-000004), an order number (SO-000012), a reason or a name."
        ),
    )

    def validate(self, attrs):
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_to"] < attrs["date_from"]
        ):
            raise serializers.ValidationError({"date_to": [_("The end is before the start.")]})
        return attrs


class CustomerReturnExportQuerySerializer(CustomerReturnQuerySerializer):
    file = serializers.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)


class CustomerReturnLineInSerializer(serializers.Serializer):
    line = serializers.UUIDField(help_text=_("A line of the order or of the ticket."))
    quantity = serializers.DecimalField(
        **_qty, help_text=_("How many come back (above zero, 3 decimals at most).")
    )
    disposition = serializers.ChoiceField(
        choices=ReturnDisposition.choices,
        default=ReturnDisposition.RESTOCK,
        help_text=_("`restock`: back to stock; `write_off`: came back and thrown away."),
    )


class CustomerReturnCreateSerializer(serializers.Serializer):
    order = serializers.UUIDField(required=False, help_text=_("A shipped customer order."))
    sale = serializers.UUIDField(required=False, help_text=_("A register ticket (kind sale)."))
    lines = CustomerReturnLineInSerializer(
        many=True, allow_empty=False, max_length=services_returns_lines.MAX_LINES
    )
    reason = serializers.CharField(max_length=services.MAX_REASON)
    refund_method = serializers.ChoiceField(choices=RefundMethod.choices)
    refund_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Default and maximum: the returned lines' total."),
    )
    refund_reference = serializers.CharField(
        max_length=services.MAX_REFERENCE,
        required=False,
        allow_blank=True,
        help_text=_("The bank transfer's or the card refund's reference."),
    )
    location = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Where the goods go back (default: the order's or the register's location)."),
    )
    client_uuid = serializers.UUIDField(required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("order")) == bool(attrs.get("sale")):
            raise serializers.ValidationError(
                {"order": [_("Give either an order or a ticket (sale), not both.")]}
            )
        return attrs


def _indexed(detail):
    """DRF reports errors of list items as {index: errors}; make them a list so the error
    shape names them `lines[0].quantity`, like the service does."""
    if isinstance(detail, dict):
        if detail and all(isinstance(k, int) for k in detail):
            return [_indexed(detail.get(i, {})) for i in range(max(detail) + 1)]
        return {k: _indexed(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_indexed(v) for v in detail]
    return detail


NOT_FOUND_IN_BODY = OpenApiResponse(
    response=ErrorSerializer,
    description=_("Something named in the request is not found (or in another business)."),
)

# --- the viewset -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[CustomerReturnQuerySerializer],
        responses={200: CustomerReturnSerializer, 404: NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=CustomerReturnDetailSerializer),
    create=extend_schema(
        request=CustomerReturnCreateSerializer,
        responses={
            201: CustomerReturnDetailSerializer,
            200: OpenApiResponse(
                CustomerReturnDetailSerializer,
                description=_("This client_uuid was seen: the first return, unchanged."),
            ),
            404: NOT_FOUND_IN_BODY,
        },
    ),
    export=export_schema(
        CustomerReturnQuerySerializer,
        what=_(
            "The filtered returns as a file, one row per returned line: the return, its "
            "date, source, customer, reason, refund and credit note, then the line's "
            "product, quantity, price, tax, total and what became of it."
        ),
        not_found={404: NOT_FOUND_IN_BODY},
        legacy_name="file",
    ),
)
class ReturnViewSet(FileExportMixin, ApiViewSet):
    """Goods customers brought back, from an order or a ticket, with the refund and the
    credit note."""

    module = Module.SALES
    model = CustomerReturn
    serializer_class = CustomerReturnSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.return_list(business=self.request.business, **filters)

    def validated(self, serializer_class, **kwargs):
        try:
            return super().validated(serializer_class, **kwargs)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_indexed(exc.detail)) from exc

    def get_object(self):
        try:
            return selectors.return_get(business=self.request.business, pk=self.kwargs["pk"])
        except (CustomerReturn.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
            raise NotFound(_("This return does not exist.")) from exc

    def _found(self, model_qs, pk, field: str, message):
        obj = model_qs.filter(pk=pk).first() if pk else None
        if obj is None:
            raise NotFound(message, fields={field: [_("Not found.")]})
        return obj

    def _filters(self, serializer_class) -> dict:
        from hanout.customers.models import Customer
        from hanout.pos.models import Sale

        data = dict(self.query(serializer_class))
        data.pop("file", None)
        business = self.request.business
        if data.get("customer"):
            data["customer"] = self._found(
                Customer.objects.for_business(business),
                data["customer"],
                "customer",
                _("This customer does not exist."),
            )
        if data.get("order"):
            data["order"] = self._found(
                CustomerOrder.objects.for_business(business),
                data["order"],
                "order",
                _("This order does not exist."),
            )
        if data.get("sale"):
            data["sale"] = self._found(
                Sale.objects.for_business(business),
                data["sale"],
                "sale",
                _("This ticket does not exist."),
            )
        data["tz"] = business_zone(business)
        return data

    def list(self, request):
        return self.paginated(
            CustomerReturnSerializer,
            self.scoped_queryset(**self._filters(CustomerReturnQuerySerializer)),
        )

    def retrieve(self, request, pk=None):
        return self.respond(CustomerReturnDetailSerializer, self.get_object())

    def create(self, request):
        from hanout.inventory.models import Location
        from hanout.pos.models import Sale

        data = self.validated(CustomerReturnCreateSerializer)
        business = request.business
        order = sale = location = None
        if data.get("order"):
            order = self._found(
                CustomerOrder.objects.for_business(business),
                data["order"],
                "order",
                _("This order does not exist."),
            )
        else:
            sale = self._found(
                Sale.objects.for_business(business),
                data["sale"],
                "sale",
                _("This ticket does not exist."),
            )
        if data.get("location"):
            location = self._found(
                Location.objects.for_business(business),
                data["location"],
                "location",
                _("This location does not exist."),
            )
        ret = services.return_record(
            business=business,
            actor=request.user,
            order=order,
            sale=sale,
            lines=[
                services_returns_lines.ReturnLineInput(
                    line=row["line"], quantity=row["quantity"], disposition=row["disposition"]
                )
                for row in data["lines"]
            ],
            reason=data["reason"],
            refund_method=data["refund_method"],
            refund_amount=data.get("refund_amount"),
            refund_reference=data.get("refund_reference") or "",
            location=location,
            client_uuid=data.get("client_uuid"),
        )
        return self.respond(
            CustomerReturnDetailSerializer,
            selectors.return_get(business=business, pk=ret.pk),
            status_code=status.HTTP_200_OK if ret.replayed else status.HTTP_201_CREATED,
        )

    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=EXPORT_RENDERERS,
    )
    def export(self, request):
        fmt = self.export_format(
            fallback=self.query(CustomerReturnExportQuerySerializer).get("file")
        )
        filters = self._filters(CustomerReturnExportQuerySerializer)
        tz = filters.get("tz")
        returns = self.scoped_queryset(**filters)
        header, rows = selectors.export_table(returns, currency=request.business.currency, tz=tz)
        return file_response(
            fmt,
            name="returns",
            title=gettext("Returns"),
            header=header,
            rows=rows,
            stream=False,
            number_format=selectors.NUMBER_FORMAT,
        )


def register(router):
    router.register("returns", ReturnViewSet, basename="return")
