"""REST API of supplier payments: `/api/v1/supplier-payments/`.

List (`?supplier=&invoice=&method=&date_from=&date_to=`), retrieve, create
(idempotent on `client_uuid`), `POST {id}/reverse/` {reason}, and
`GET export/?format=csv|xlsx` with the list's filters (one row per payment,
reversals included). Registered by `hanout.purchasing.api_bills.register`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core.errors import ValidationFailed
from hanout.purchasing import exports_bills, selectors_bills, services_bills
from hanout.purchasing.api_bills import (
    NOT_FOUND_IN_BODY,
    SupplierPaymentSerializer,
    _BillsViewSet,
)
from hanout.purchasing.api_bills_exports import (
    EXPORT_RENDERERS,
    FileExportMixin,
    export_schema,
)
from hanout.purchasing.models import SupplierPayment, SupplierPaymentMethod


class PaymentCreateSerializer(serializers.Serializer):
    supplier = serializers.UUIDField(
        required=False, help_text=gettext_lazy("Needed unless `invoice` is given.")
    )
    invoice = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The invoice paid; leave out for a payment on account."),
    )
    amount = serializers.DecimalField(max_digits=20, decimal_places=6)
    method = serializers.ChoiceField(choices=SupplierPaymentMethod.choices)
    paid_on = serializers.DateField(
        required=False, help_text=gettext_lazy("Default: today, shop time.")
    )
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class PaymentReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    paid_on = serializers.DateField(required=False)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class PaymentQuerySerializer(serializers.Serializer):
    supplier = serializers.UUIDField(required=False)
    invoice = serializers.UUIDField(required=False)
    method = serializers.ChoiceField(choices=SupplierPaymentMethod.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[PaymentQuerySerializer],
        responses={200: SupplierPaymentSerializer, **NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=SupplierPaymentSerializer),
    create=extend_schema(
        request=PaymentCreateSerializer,
        responses={
            201: SupplierPaymentSerializer,
            200: OpenApiResponse(
                SupplierPaymentSerializer,
                description=gettext_lazy("This client_uuid was seen: the first payment."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    export=export_schema(
        PaymentQuerySerializer,
        what=gettext_lazy(
            "The filtered payments as a file: date, supplier, method, amount, invoice, "
            "reference, reversal flags, who recorded it."
        ),
        not_found=NOT_FOUND_IN_BODY,
    ),
    reverse=extend_schema(
        request=PaymentReverseSerializer,
        responses={
            201: SupplierPaymentSerializer,
            200: OpenApiResponse(
                SupplierPaymentSerializer,
                description=gettext_lazy("This client_uuid was seen: the first reversal."),
            ),
        },
    ),
)
class SupplierPaymentViewSet(FileExportMixin, _BillsViewSet):
    """Money paid to suppliers. Never edited: a mistake is reversed."""

    model = SupplierPayment
    serializer_class = SupplierPaymentSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors_bills.supplier_payment_list(business=self.request.business, **filters)

    def _filtered(self):
        query = dict(self.query(PaymentQuerySerializer))
        if query.get("supplier"):
            query["supplier"] = self._supplier(query["supplier"])
        if query.get("invoice"):
            query["invoice"] = self._invoice(query["invoice"])
        return self.scoped_queryset(**query)

    def list(self, request):
        return self.paginated(SupplierPaymentSerializer, self._filtered())

    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=EXPORT_RENDERERS)
    def export(self, request):
        fmt = self.export_format()
        header, rows = exports_bills.payment_table(self._filtered(), business=request.business)
        return exports_bills.download(
            fmt,
            name="supplier-payments",
            title=_("Payments to suppliers"),
            header=header,
            rows=rows,
        )

    def retrieve(self, request, pk=None):
        return self.respond(SupplierPaymentSerializer, self.get_object())

    def create(self, request):
        data = dict(self.validated(PaymentCreateSerializer))
        invoice = self._invoice(data.pop("invoice")) if data.get("invoice") else None
        data.pop("invoice", None)
        supplier_id = data.pop("supplier", None)
        if supplier_id is None and invoice is None:
            raise ValidationFailed(
                _("supplier: Name the supplier, or the invoice paid."),
                fields={"supplier": [_("Name the supplier, or the invoice paid.")]},
            )
        supplier = self._supplier(supplier_id) if supplier_id else invoice.supplier
        data.setdefault("paid_on", selectors_bills.local_today(request.business))
        seen = self._seen(data.get("client_uuid"))
        payment = services_bills.supplier_payment_record(
            business=request.business,
            actor=request.user,
            supplier=supplier,
            invoice=invoice,
            **data,
        )
        return self.respond(
            SupplierPaymentSerializer,
            selectors_bills.supplier_payment_get(business=request.business, pk=payment.pk),
            status_code=status.HTTP_200_OK if seen else status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        payment = self.get_object()
        data = dict(self.validated(PaymentReverseSerializer))
        seen = self._seen(data.get("client_uuid"))
        reversal = services_bills.supplier_payment_reverse(
            payment=payment, actor=request.user, **data
        )
        return self.respond(
            SupplierPaymentSerializer,
            selectors_bills.supplier_payment_get(business=request.business, pk=reversal.pk),
            status_code=status.HTTP_200_OK if seen else status.HTTP_201_CREATED,
        )
