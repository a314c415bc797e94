"""REST API of supplier invoices, supplier payments, supplier accounts and performance.

- `/api/v1/supplier-invoices/`: list (`?supplier=&status=open|overdue|paid&date_from=&date_to=
  &search=`), retrieve (with its payments), create (JSON, or multipart with the scan in
  `attachment`; idempotent on `client_uuid`: 201, then 200 with the same invoice),
  `GET export/?format=csv|xlsx` with the list's filters.
- `/api/v1/supplier-payments/`: in `hanout.purchasing.api_bills_payments`.
- `/api/v1/supplier-accounts/`: per supplier, ordered, received, invoiced, paid, owed,
  overdue, on account (`?owing=true` only those with something to show); `{id}/` one supplier.
- `/api/v1/supplier-performance/`: per supplier for a period (`?date_from=&date_to=&supplier=`,
  default the last 90 days): on-time rate, average lead time, fill rate, spend, with the
  counts they come from (`export/?format=csv|xlsx`: the same as a file). Formulas in
  `hanout.purchasing.performance`.

Views are thin: an input serializer checks the shape, one service or selector does the rest.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import IdempotencyKey
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.purchasing import exports_bills, performance, selectors_bills, services_bills
from hanout.purchasing.api_bills_exports import EXPORT_RENDERERS, FileExportMixin, export_schema
from hanout.purchasing.models import PurchaseOrder, SupplierInvoice, SupplierPayment
from hanout.suppliers.models import Supplier

NOT_FOUND_IN_BODY = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy(
            "Something named in the request is not found (or in another business)."
        ),
    )
}
_ro = {"read_only": True}


def invoice_status(invoice: SupplierInvoice, today: datetime.date) -> str:
    if invoice.paid_total >= invoice.total:
        return "paid"
    if invoice.due_on is not None and invoice.due_on < today:
        return "overdue"
    return "open"


# --- serializers ---------------------------------------------------------------------------


class SupplierPaymentSerializer(serializers.ModelSerializer):
    supplier = serializers.UUIDField(source="supplier_id", **_ro)
    supplier_name = serializers.CharField(source="supplier.name", **_ro)
    invoice = serializers.UUIDField(source="invoice_id", allow_null=True, **_ro)
    invoice_number = serializers.CharField(source="invoice.number", allow_null=True, **_ro)
    amount = MoneyField(
        **_ro, help_text=gettext_lazy("Negative for a reversal (it cancels `reverses`).")
    )
    reverses = serializers.UUIDField(source="reverses_id", allow_null=True, **_ro)
    reversed_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("The reversal that cancelled this payment, if any.")
    )

    class Meta:
        model = SupplierPayment
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "invoice",
            "invoice_number",
            "amount",
            "method",
            "paid_on",
            "reference",
            "note",
            "reverses",
            "reversed_by",
            "client_uuid",
            "created_at",
        ]
        read_only_fields = fields

    def get_reversed_by(self, payment) -> str | None:
        try:
            return str(payment.reversed_by.pk)
        except SupplierPayment.DoesNotExist:
            return None


class SupplierInvoiceSerializer(serializers.ModelSerializer):
    supplier = serializers.UUIDField(source="supplier_id", **_ro)
    supplier_name = serializers.CharField(source="supplier.name", **_ro)
    order = serializers.UUIDField(source="order_id", allow_null=True, **_ro)
    order_reference = serializers.SerializerMethodField()
    total = MoneyField(**_ro, help_text=gettext_lazy("Tax included."))
    tax_total = MoneyField(**_ro)
    paid_total = MoneyField(**_ro)
    balance = MoneyField(**_ro, help_text=gettext_lazy("Left to pay: total − paid."))
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("open, overdue (open and past its due date) or paid.")
    )
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = SupplierInvoice
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "order",
            "order_reference",
            "number",
            "issued_on",
            "due_on",
            "total",
            "tax_total",
            "paid_total",
            "balance",
            "status",
            "note",
            "has_attachment",
            "created_at",
        ]
        read_only_fields = fields

    def get_order_reference(self, invoice) -> str | None:
        return invoice.order.reference if invoice.order_id else None

    def get_status(self, invoice) -> str:
        return invoice_status(invoice, self.context["today"])

    def get_has_attachment(self, invoice) -> bool:
        return bool(invoice.attachment)


class SupplierInvoiceDetailSerializer(SupplierInvoiceSerializer):
    payments = serializers.SerializerMethodField()

    class Meta(SupplierInvoiceSerializer.Meta):
        fields = [*SupplierInvoiceSerializer.Meta.fields, "payments"]
        read_only_fields = fields

    @extend_schema_field(SupplierPaymentSerializer(many=True))
    def get_payments(self, invoice) -> list[dict]:
        payments = selectors_bills.supplier_payment_list(business=invoice.business, invoice=invoice)
        return SupplierPaymentSerializer(payments, many=True, context=self.context).data


class InvoiceCreateSerializer(serializers.Serializer):
    supplier = serializers.UUIDField(help_text=gettext_lazy("A supplier of this business."))
    number = serializers.CharField(
        max_length=64, help_text=gettext_lazy("The supplier's own invoice number.")
    )
    issued_on = serializers.DateField()
    due_on = serializers.DateField(required=False, allow_null=True)
    total = serializers.DecimalField(
        max_digits=20, decimal_places=6, help_text=gettext_lazy("Tax included, above zero.")
    )
    tax_total = serializers.DecimalField(max_digits=20, decimal_places=6, required=False, default=0)
    order = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A purchase order of the same supplier that this invoice bills."),
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The scan: a PDF, JPEG or PNG file up to 10 MB (multipart)."),
    )
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class InvoiceQuerySerializer(serializers.Serializer):
    supplier = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=selectors_bills.INVOICE_STATUSES, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    search = serializers.CharField(required=False, max_length=100)


class SupplierAccountSerializer(serializers.ModelSerializer):
    name = serializers.CharField(**_ro)
    ordered = MoneyField(**_ro, help_text=gettext_lazy("Sent purchase orders (not cancelled)."))
    received = MoneyField(**_ro, help_text=gettext_lazy("Goods received, at their cost."))
    invoiced = MoneyField(**_ro)
    paid = MoneyField(**_ro, help_text=gettext_lazy("Payments less reversals."))
    owed = MoneyField(**_ro, help_text=gettext_lazy("invoiced − paid; negative: paid ahead."))
    overdue = MoneyField(**_ro)
    on_account = MoneyField(**_ro, help_text=gettext_lazy("Paid without naming an invoice."))

    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "is_active",
            "ordered",
            "received",
            "invoiced",
            "paid",
            "owed",
            "overdue",
            "on_account",
        ]
        read_only_fields = fields


class AccountQuerySerializer(serializers.Serializer):
    owing = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("Only suppliers with orders, invoices or payments."),
    )


class PerformanceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="supplier_id", help_text=gettext_lazy("The supplier."))
    name = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    orders = serializers.IntegerField(help_text=gettext_lazy("POs ordered in the period."))
    receipt_lines = serializers.IntegerField(
        help_text=gettext_lazy("Delivered lines of those POs that have an expected date.")
    )
    on_time_lines = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("on_time_lines ÷ receipt_lines × 100; null: nothing to measure."),
    )
    lead_time_orders = serializers.IntegerField()
    lead_time_days = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("Mean days from the order date to the first delivery."),
    )
    ordered_quantity = serializers.DecimalField(max_digits=20, decimal_places=3)
    received_quantity = serializers.DecimalField(
        max_digits=20,
        decimal_places=3,
        help_text=gettext_lazy("Received, each line capped at what it ordered."),
    )
    fill_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("received_quantity ÷ ordered_quantity × 100."),
    )
    spend = MoneyField(help_text=gettext_lazy("Invoices of the supplier dated in the period."))


class PerformanceQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    supplier = serializers.UUIDField(required=False)

    def validate(self, attrs):
        first, last = attrs.get("date_from"), attrs.get("date_to")
        if first and last and first > last:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period is before its start.")]}
            )
        if first and last and (last - first).days > performance.MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"date_from": [_("At most five years at a time.")]})
        return attrs


# --- viewsets --------------------------------------------------------------------------------


class _BillsViewSet(ApiViewSet):
    module = Module.PURCHASING

    def get_serializer_context(self):
        context = super().get_serializer_context()
        business = getattr(self.request, "business", None)
        if business is not None:
            context["today"] = selectors_bills.local_today(business)
        return context

    def _supplier(self, pk) -> Supplier:
        try:
            return Supplier.objects.for_business(self.request.business).get(pk=pk)
        except (Supplier.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise NotFound(
                _("This supplier does not exist."), fields={"supplier": [_("Not found.")]}
            ) from exc

    def _invoice(self, pk) -> SupplierInvoice:
        try:
            return selectors_bills.supplier_invoice_get(business=self.request.business, pk=pk)
        except (SupplierInvoice.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise NotFound(
                _("This invoice does not exist."), fields={"invoice": [_("Not found.")]}
            ) from exc

    def _seen(self, key) -> bool:
        return (
            key is not None
            and IdempotencyKey.objects.filter(business=self.request.business, key=key).exists()
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[InvoiceQuerySerializer],
        responses={200: SupplierInvoiceSerializer, **NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=SupplierInvoiceDetailSerializer),
    create=extend_schema(
        request={
            "application/json": InvoiceCreateSerializer,
            "multipart/form-data": InvoiceCreateSerializer,
        },
        responses={
            201: SupplierInvoiceDetailSerializer,
            200: OpenApiResponse(
                SupplierInvoiceDetailSerializer,
                description=gettext_lazy("This client_uuid was seen: the first invoice."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    export=export_schema(
        InvoiceQuerySerializer,
        what=gettext_lazy(
            "The filtered invoices as a file: supplier, their number, dates, total, tax, "
            "paid, left to pay, status and whether it is overdue."
        ),
        not_found=NOT_FOUND_IN_BODY,
    ),
)
class SupplierInvoiceViewSet(FileExportMixin, _BillsViewSet):
    """Invoices our suppliers sent us, and what is left to pay on each."""

    model = SupplierInvoice
    serializer_class = SupplierInvoiceSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors_bills.supplier_invoice_list(business=self.request.business, **filters)

    def _filtered(self):
        query = dict(self.query(InvoiceQuerySerializer))
        if query.get("supplier"):
            query["supplier"] = self._supplier(query["supplier"])
        return self.scoped_queryset(**query)

    def list(self, request):
        return self.paginated(SupplierInvoiceSerializer, self._filtered())

    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=EXPORT_RENDERERS)
    def export(self, request):
        fmt = self.export_format()
        header, rows = exports_bills.invoice_table(self._filtered(), business=request.business)
        return exports_bills.download(
            fmt,
            name="supplier-invoices",
            title=_("Supplier invoices"),
            header=header,
            rows=rows,
        )

    def retrieve(self, request, pk=None):
        return self.respond(SupplierInvoiceDetailSerializer, self.get_object())

    def create(self, request):
        data = dict(self.validated(InvoiceCreateSerializer))
        supplier = self._supplier(data.pop("supplier"))
        order = None
        if data.get("order"):
            try:
                order = PurchaseOrder.objects.filter(business=request.business).get(
                    pk=data["order"]
                )
            except PurchaseOrder.DoesNotExist as exc:
                raise NotFound(
                    _("This purchase order does not exist."), fields={"order": [_("Not found.")]}
                ) from exc
        data["order"] = order
        seen = self._seen(data.get("client_uuid"))
        invoice = services_bills.supplier_invoice_record(
            business=request.business, actor=request.user, supplier=supplier, **data
        )
        return self.respond(
            SupplierInvoiceDetailSerializer,
            selectors_bills.supplier_invoice_get(business=request.business, pk=invoice.pk),
            status_code=status.HTTP_200_OK if seen else status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(parameters=[AccountQuerySerializer], responses=SupplierAccountSerializer),
    retrieve=extend_schema(responses=SupplierAccountSerializer),
)
class SupplierAccountViewSet(_BillsViewSet):
    """What each supplier was ordered, sent, billed and paid, and what we owe them."""

    model = Supplier
    serializer_class = SupplierAccountSerializer
    http_method_names = ["get", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors_bills.supplier_accounts(business=self.request.business, **filters)

    def list(self, request):
        query = self.query(AccountQuerySerializer)
        return self.paginated(
            SupplierAccountSerializer,
            self.scoped_queryset(only_with_activity=query.get("owing", False)),
        )

    def retrieve(self, request, pk=None):
        return self.respond(SupplierAccountSerializer, self.get_object())


@extend_schema_view(
    list=extend_schema(
        parameters=[PerformanceQuerySerializer],
        responses={200: PerformanceSerializer(many=True), **NOT_FOUND_IN_BODY},
    ),
    export=export_schema(
        PerformanceQuerySerializer,
        what=gettext_lazy(
            "The same figures as a file, one row per supplier and a last row for all of them."
        ),
        not_found=NOT_FOUND_IN_BODY,
    ),
)
class SupplierPerformanceViewSet(FileExportMixin, _BillsViewSet):
    """Per supplier over a period: on-time rate, lead time, fill rate and spend.

    On time = receipt lines received by their PO's expected date ÷ receipt lines;
    lead time = mean days from order to first delivery; fill rate = Σ min(received,
    ordered) ÷ Σ ordered; spend = invoices dated in the period. The POs are those
    ordered in the period and not cancelled. Default period: the last 90 days.
    """

    model = Supplier
    serializer_class = PerformanceSerializer
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def scoped_queryset(self, **filters):
        return Supplier.objects.for_business(self.request.business)

    def _report(self) -> performance.PerformanceReport:
        request = self.request
        query = self.query(PerformanceQuerySerializer)
        first, last = performance.default_period(request.business)
        first = query.get("date_from") or (
            query["date_to"] - (last - first) if query.get("date_to") else first
        )
        last = query.get("date_to") or max(last, first)
        if first > last:
            raise ValidationFailed(
                _("date_to: The end of the period is before its start."),
                fields={"date_to": [_("The end of the period is before its start.")]},
            )
        supplier = self._supplier(query["supplier"]) if query.get("supplier") else None
        return performance.supplier_performance(
            business=request.business, date_from=first, date_to=last, supplier=supplier
        )

    def list(self, request):
        report = self._report()
        rows = [
            {**_perf_row(r), "date_from": report.date_from, "date_to": report.date_to}
            for r in report.rows
            if r.supplier_id
        ]
        return self.respond(PerformanceSerializer, rows, many=True)

    @action(detail=False, methods=["get"], renderer_classes=EXPORT_RENDERERS)
    def export(self, request):
        fmt = self.export_format()
        return exports_bills.performance_download(
            fmt, self._report(), currency=request.business.currency
        )


def _perf_row(r: performance.SupplierPerformance) -> dict:
    return {
        "supplier_id": r.supplier_id,
        "name": r.name,
        "orders": r.orders,
        "receipt_lines": r.receipt_lines,
        "on_time_lines": r.on_time_lines,
        "on_time_rate": r.on_time_rate,
        "lead_time_orders": r.lead_time_orders,
        "lead_time_days": r.lead_time_days,
        "ordered_quantity": r.ordered_quantity,
        "received_quantity": r.received_quantity,
        "fill_rate": r.fill_rate,
        "spend": r.spend,
    }


def register(router):
    from hanout.purchasing.api_bills_payments import SupplierPaymentViewSet

    router.register("supplier-invoices", SupplierInvoiceViewSet, basename="supplier-invoice")
    router.register("supplier-payments", SupplierPaymentViewSet, basename="supplier-payment")
    router.register("supplier-accounts", SupplierAccountViewSet, basename="supplier-account")
    router.register(
        "supplier-performance", SupplierPerformanceViewSet, basename="supplier-performance"
    )
