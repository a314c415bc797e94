"""REST API of customer invoices and credit notes.

- `GET /api/v1/invoices/` (`?kind=&customer=&search=&date_from=&date_to=&year=`),
  `GET /api/v1/invoices/{id}/` with its lines and tax rows.
- `POST /api/v1/invoices/` issues an invoice from a delivered order (`order`) or
  a register ticket (`sale`, optional `customer`); `client_uuid` makes a retry
  return the first invoice (200) instead of a new one (201).
- `GET /api/v1/invoices/{id}/pdf/`: the A4 PDF.
- `POST /api/v1/invoices/{id}/email/` (`email` optional: the buyer's address).
- `POST /api/v1/invoices/{id}/credit/` issues a credit note on the invoice
  (`reason`, optional `lines` [{line, quantity}], `client_uuid`).
- `GET /api/v1/invoices/export/?format=csv|xlsx` with the list's filters (`file=` is
  the former name of `format`, still read).

An issued document never changes: there is no PUT, PATCH or DELETE.
"""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions as drf_exceptions
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.exports import EXPORT_RENDERERS, FileExportMixin, export_schema, file_response
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.core.selectors import business_zone
from hanout.sales import selectors_invoices as selectors
from hanout.sales import services_credit_notes
from hanout.sales import services_invoices as services
from hanout.sales.invoice_pdf import invoice_filename, invoice_pdf
from hanout.sales.models import CustomerOrder, Invoice, InvoiceKind, InvoiceLine

# --- serializers ---------------------------------------------------------------------------


class CustomerInvoiceLineSerializer(serializers.ModelSerializer):
    unit_price = MoneyField(read_only=True)
    discount = MoneyField(read_only=True)
    total = MoneyField(read_only=True)
    tax_amount = MoneyField(read_only=True)

    class Meta:
        model = InvoiceLine
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
        ]
        read_only_fields = fields


class InvoiceTaxRowSerializer(serializers.Serializer):
    rate = serializers.CharField()
    base = serializers.CharField()
    tax = serializers.CharField()
    total = serializers.CharField()


class CustomerInvoiceSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(
        read_only=True, help_text=_("The number people see: 2026-0042, AV-2026-0003.")
    )
    customer_name = serializers.SerializerMethodField()
    credited_invoice_reference = serializers.SerializerMethodField()
    total = MoneyField(read_only=True)
    tax_total = MoneyField(read_only=True)
    net_total = MoneyField(read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "reference",
            "year",
            "number",
            "issued_at",
            "customer",
            "customer_name",
            "order",
            "sale",
            "credited_invoice",
            "credited_invoice_reference",
            "return_record",
            "currency",
            "language",
            "total",
            "tax_total",
            "net_total",
            "reason",
            "emailed_to",
            "emailed_at",
            "client_uuid",
        ]
        read_only_fields = fields

    def get_customer_name(self, obj) -> str:
        return (obj.buyer or {}).get("name", "")

    def get_credited_invoice_reference(self, obj) -> str:
        return obj.credited_invoice.reference if obj.credited_invoice_id else ""


class CustomerInvoiceDetailSerializer(CustomerInvoiceSerializer):
    seller = serializers.JSONField(read_only=True, help_text=_("Legal details frozen at issue."))
    buyer = serializers.JSONField(read_only=True, help_text=_("Buyer details frozen at issue."))
    taxes = InvoiceTaxRowSerializer(many=True, read_only=True)
    lines = CustomerInvoiceLineSerializer(many=True, read_only=True)

    class Meta(CustomerInvoiceSerializer.Meta):
        fields = [*CustomerInvoiceSerializer.Meta.fields, "seller", "buyer", "taxes", "lines"]
        read_only_fields = fields


class CustomerInvoiceQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InvoiceKind.choices, required=False)
    customer = serializers.UUIDField(required=False)
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2999)

    def validate(self, attrs):
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_from"] > attrs["date_to"]
        ):
            raise serializers.ValidationError({"date_to": [_("The end is before the start.")]})
        return attrs


class CustomerInvoiceExportQuerySerializer(CustomerInvoiceQuerySerializer):
    file = serializers.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)


class CustomerInvoiceCreateSerializer(serializers.Serializer):
    order = serializers.UUIDField(required=False, help_text=_("A delivered customer order."))
    sale = serializers.UUIDField(required=False, help_text=_("A register ticket (kind sale)."))
    customer = serializers.UUIDField(
        required=False, help_text=_("For a ticket: the buyer (default: the ticket's customer).")
    )
    client_uuid = serializers.UUIDField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("order")) == bool(attrs.get("sale")):
            raise serializers.ValidationError(
                {"order": [_("Give either an order or a ticket (sale), not both.")]}
            )
        if attrs.get("order") and attrs.get("customer"):
            raise serializers.ValidationError(
                {"customer": [_("An order's invoice goes to the order's customer.")]}
            )
        return attrs


class CustomerInvoiceEmailSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text=_("Default: the buyer's email address.")
    )


class CreditNoteLineInputSerializer(serializers.Serializer):
    line = serializers.UUIDField(help_text=_("A line of the invoice."))
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)


class CreditNoteCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    lines = CreditNoteLineInputSerializer(
        many=True, required=False, help_text=_("Omit to credit the whole invoice.")
    )
    client_uuid = serializers.UUIDField(required=False)


class PdfJsonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    base64 = serializers.CharField(help_text=_("The PDF file, base64-encoded."))


class PdfRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


# --- the viewset -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[CustomerInvoiceQuerySerializer], responses=CustomerInvoiceSerializer
    ),
    retrieve=extend_schema(responses=CustomerInvoiceDetailSerializer),
    create=extend_schema(
        request=CustomerInvoiceCreateSerializer,
        responses={
            201: CustomerInvoiceDetailSerializer,
            200: CustomerInvoiceDetailSerializer,
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=_("The order, ticket or customer does not exist (in this business)."),
            ),
        },
        description=_(
            "Issue the invoice of a delivered order or of a register ticket. 201 when issued; "
            "200 when `client_uuid` was already used for this very request (the first invoice); "
            "409 when the order is not delivered or is already invoiced."
        ),
    ),
    email=extend_schema(
        request=CustomerInvoiceEmailSerializer, responses=CustomerInvoiceSerializer
    ),
    credit=extend_schema(
        request=CreditNoteCreateSerializer,
        responses={201: CustomerInvoiceDetailSerializer, 200: CustomerInvoiceDetailSerializer},
    ),
    pdf=extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 200: PdfJsonSerializer},
        description=_(
            "The A4 PDF. With `Accept: application/pdf` (or `?format=pdf`) the file itself; "
            "otherwise JSON with the file in base64."
        ),
    ),
    export=export_schema(
        CustomerInvoiceQuerySerializer,
        what=_(
            "The filtered invoices and credit notes as a file: kind, number, date, customer, "
            "totals, currency, the invoice a credit note credits, order, ticket and reason."
        ),
        legacy_name="file",
    ),
)
class InvoiceViewSet(FileExportMixin, ApiViewSet):
    """Invoices and credit notes: issued once, never changed."""

    module = Module.SALES
    model = Invoice
    serializer_class = CustomerInvoiceSerializer

    def scoped_queryset(self, **filters):
        return selectors.invoice_list(business=self.request.business, **filters)

    def perform_content_negotiation(self, request, force=False):
        """An unknown `?format=` is bad input (400 naming it), not a missing page."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as exc:
            if self.kwargs.get("pk") is not None:
                raise  # an object route: "0.5" reads as id 0 + format 5: not found
            raise drf_exceptions.ValidationError(
                {"format": [_("Unknown format: leave it out, or use pdf on the PDF.")]}
            ) from exc

    def get_object(self):
        try:
            return selectors.invoice_get(business=self.request.business, pk=self.kwargs["pk"])
        except (Invoice.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
            raise NotFound(_("This invoice does not exist.")) from exc

    def _filters(self, serializer_class) -> dict:
        data = dict(self.query(serializer_class))
        data.pop("file", None)
        business = self.request.business
        if data.get("customer"):
            from hanout.customers.models import Customer

            customer = Customer.objects.for_business(business).filter(pk=data["customer"]).first()
            if customer is None:
                raise ValidationFailed(
                    _("This customer does not exist."), fields={"customer": [_("Not found.")]}
                )
            data["customer"] = customer
        data["tz"] = business_zone(business)
        return data

    def list(self, request):
        return self.paginated(
            CustomerInvoiceSerializer,
            self.scoped_queryset(**self._filters(CustomerInvoiceQuerySerializer)),
        )

    def retrieve(self, request, pk=None):
        return self.respond(CustomerInvoiceDetailSerializer, self.get_object())

    def create(self, request):
        data = self.validated(CustomerInvoiceCreateSerializer)
        business = request.business
        key = data.get("client_uuid")
        replay = (
            key is not None
            and Invoice.objects.for_business(business).filter(client_uuid=key).exists()
        )
        if data.get("order"):
            order = CustomerOrder.objects.for_business(business).filter(pk=data["order"]).first()
            if order is None:
                raise NotFound(_("This order does not exist."), fields={"order": [_("Not found.")]})
            invoice = services.invoice_issue_for_order(
                order=order, actor=request.user, client_uuid=key
            )
        else:
            from hanout.customers.models import Customer
            from hanout.pos.models import Sale

            sale = Sale.objects.for_business(business).filter(pk=data["sale"]).first()
            if sale is None:
                raise NotFound(_("This ticket does not exist."), fields={"sale": [_("Not found.")]})
            customer = None
            if data.get("customer"):
                customer = (
                    Customer.objects.for_business(business).filter(pk=data["customer"]).first()
                )
                if customer is None:
                    raise NotFound(
                        _("This customer does not exist."), fields={"customer": [_("Not found.")]}
                    )
            invoice = services.invoice_issue_for_sale(
                sale=sale, actor=request.user, customer=customer, client_uuid=key
            )
        return self.respond(
            CustomerInvoiceDetailSerializer,
            selectors.invoice_get(business=business, pk=invoice.pk),
            status_code=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        """The PDF itself with `Accept: application/pdf` (or `?format=pdf`); else JSON, base64."""
        invoice = self.get_object()
        body = invoice_pdf(invoice)
        name = invoice_filename(invoice)
        if request.accepted_renderer.format == "pdf":
            response = HttpResponse(body, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}"'
            return response
        return Response(
            {
                "id": str(invoice.pk),
                "filename": name,
                "content_type": "application/pdf",
                "size": len(body),
                "base64": base64.b64encode(body).decode("ascii"),
            }
        )

    @action(detail=True, methods=["post"])
    def email(self, request, pk=None):
        invoice = self.get_object()
        data = self.validated(CustomerInvoiceEmailSerializer)
        services.invoice_email(invoice=invoice, actor=request.user, email=data.get("email") or None)
        return self.respond(CustomerInvoiceSerializer, invoice)

    @action(detail=True, methods=["post"])
    def credit(self, request, pk=None):
        invoice = self.get_object()
        data = self.validated(CreditNoteCreateSerializer)
        key = data.get("client_uuid")
        replay = (
            key is not None
            and Invoice.objects.for_business(request.business).filter(client_uuid=key).exists()
        )
        lines = None
        if data.get("lines") is not None:
            lines = {}
            for row in data["lines"]:
                lines[str(row["line"])] = lines.get(str(row["line"]), 0) + row["quantity"]
        note = services_credit_notes.credit_note_issue_for_invoice(
            invoice=invoice, actor=request.user, reason=data["reason"], lines=lines, client_uuid=key
        )
        return self.respond(
            CustomerInvoiceDetailSerializer,
            selectors.invoice_get(business=request.business, pk=note.pk),
            status_code=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )

    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=EXPORT_RENDERERS,
    )
    def export(self, request):
        fmt = self.export_format(
            fallback=self.query(CustomerInvoiceExportQuerySerializer).get("file")
        )
        filters = self._filters(CustomerInvoiceExportQuerySerializer)
        tz = filters.get("tz")
        invoices = self.scoped_queryset(**filters)
        return file_response(
            fmt,
            name="invoices",
            title=gettext("Invoices"),
            header=selectors.export_header(),
            rows=selectors.export_rows(invoices, tz=tz),
            stream=False,
        )


def register(router):
    router.register("invoices", InvoiceViewSet, basename="invoice")
