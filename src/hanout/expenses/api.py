"""REST API of expenses.

- `/api/v1/expenses/`: list (`?category=&supplier=&date_from=&date_to=&search=&amount_min=
  &amount_max=`), retrieve, create (JSON, or multipart with `attachments` files), partial
  update, delete.
- `/api/v1/expenses/{id}/attachments/`: POST multipart `attachments` (one or more files:
  PDF, JPEG, PNG or WebP, checked by their bytes, at most 10 MB each);
  `/api/v1/expenses/{id}/attachments/{attachment_id}/`: GET the file (`?thumbnail=1` for an
  image's thumbnail), DELETE it.
- `/api/v1/expenses/export/?file=csv|xlsx` with the list's filters.
- `/api/v1/expenses/summary/?group=month|year|category` with the list's filters.
- `/api/v1/expense-categories/` and `/api/v1/recurring-expenses/`: see `api_setup`.
"""

from __future__ import annotations

import base64

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.customers.exports import XLSX_TYPE
from hanout.expenses import exports, selectors, services
from hanout.expenses.models import Expense, ExpenseAttachment

BAD_QUERY = OpenApiResponse(
    response=ErrorSerializer,
    description=gettext_lazy("Bad query parameters; `fields` names them."),
)
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer,
    description=gettext_lazy(
        "Something named in the request is not found (or in another business)."
    ),
)


class ExpenseAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseAttachment
        fields = ["id", "original_name", "content_type", "size", "url", "thumbnail_url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        """The file's bytes."""
        return f"/api/v1/expenses/{obj.expense_id}/attachments/{obj.pk}/?raw=1"

    def get_thumbnail_url(self, obj) -> str | None:
        base = f"/api/v1/expenses/{obj.expense_id}/attachments/{obj.pk}/"
        return base + "?thumbnail=1" if obj.thumbnail else None


class ExpenseAttachmentFileSerializer(ExpenseAttachmentSerializer):
    base64 = serializers.CharField(read_only=True)

    class Meta(ExpenseAttachmentSerializer.Meta):
        fields = [*ExpenseAttachmentSerializer.Meta.fields, "base64"]
        read_only_fields = fields


class ExpenseSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    category_label = serializers.CharField(source="category.label", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True, default=None)
    attachment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Expense
        fields = [
            "id",
            "category",
            "category_label",
            "amount",
            "currency",
            "spent_on",
            "comment",
            "description",
            "supplier",
            "supplier_name",
            "recorded_by",
            "recurring",
            "attachment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ExpenseDetailSerializer(ExpenseSerializer):
    attachments = ExpenseAttachmentSerializer(many=True, read_only=True)

    class Meta(ExpenseSerializer.Meta):
        fields = [*ExpenseSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class ExpenseUpdateSerializer(serializers.Serializer):
    category = serializers.UUIDField(required=False)
    amount = serializers.DecimalField(max_digits=20, decimal_places=6, required=False)
    spent_on = serializers.DateField(required=False)
    comment = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    supplier = serializers.UUIDField(required=False, allow_null=True)


class ExpenseCreateSerializer(ExpenseUpdateSerializer):
    category = serializers.UUIDField()
    amount = serializers.DecimalField(max_digits=20, decimal_places=6)
    spent_on = serializers.DateField()
    comment = serializers.CharField(max_length=200)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=gettext_lazy("Multipart only: PDF, JPEG, PNG or WebP files, at most 10 MB each."),
    )


class ExpenseAttachmentUploadSerializer(serializers.Serializer):
    attachments = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class ExpenseQuerySerializer(serializers.Serializer):
    category = serializers.UUIDField(required=False)
    supplier = serializers.UUIDField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    search = serializers.CharField(required=False, max_length=100)
    amount_min = serializers.DecimalField(max_digits=20, decimal_places=6, required=False)
    amount_max = serializers.DecimalField(max_digits=20, decimal_places=6, required=False)


class ExpenseSummaryQuerySerializer(ExpenseQuerySerializer):
    group = serializers.ChoiceField(choices=selectors.GROUPS)


class ExpenseExportQuerySerializer(ExpenseQuerySerializer):
    file = serializers.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")])


class ExpenseSummaryRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = MoneyField(max_digits=20)
    count = serializers.IntegerField()


class ExpenseSummarySerializer(serializers.Serializer):
    group = serializers.CharField()
    currency = serializers.CharField()
    total = MoneyField(max_digits=20)
    count = serializers.IntegerField()
    rows = ExpenseSummaryRowSerializer(many=True)


def _data_of(validated) -> dict:
    data = dict(validated)
    data.pop("attachments", None)
    for key in ("category", "supplier"):
        if key in data and data[key] is not None:
            data[key] = str(data[key])
    return data


@extend_schema_view(
    list=extend_schema(parameters=[ExpenseQuerySerializer], responses=ExpenseSerializer),
    retrieve=extend_schema(responses=ExpenseDetailSerializer),
    create=extend_schema(
        request={
            "application/json": ExpenseCreateSerializer,
            "multipart/form-data": ExpenseCreateSerializer,
        },
        responses={201: ExpenseDetailSerializer},
    ),
    partial_update=extend_schema(
        request=ExpenseUpdateSerializer, responses=ExpenseDetailSerializer
    ),
    destroy=extend_schema(responses={204: None}),
)
class ExpenseViewSet(ApiViewSet):
    """Money spent outside purchase orders: rent, wages, electricity, personal needs."""

    module = Module.EXPENSES
    model = Expense
    serializer_class = ExpenseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.expense_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(ExpenseQuerySerializer)
        return self.paginated(ExpenseSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(ExpenseDetailSerializer, self._fresh(self.get_object()))

    def create(self, request):
        validated = self.validated(ExpenseCreateSerializer)
        uploads = request.FILES.getlist("attachments") if request.FILES else []
        expense = services.expense_create(
            business=request.business,
            actor=request.user,
            data=_data_of(validated),
            attachments=uploads,
        )
        return self.respond(
            ExpenseDetailSerializer, self._fresh(expense), status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        expense = self.get_object()
        data = _data_of(self.validated(ExpenseUpdateSerializer, partial=True))
        services.expense_update(expense=expense, actor=request.user, data=data)
        return self.respond(ExpenseDetailSerializer, self._fresh(expense))

    def destroy(self, request, pk=None):
        services.expense_delete(expense=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses=ExpenseAttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ExpenseAttachmentUploadSerializer},
        responses={201: ExpenseDetailSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="attachments", pagination_class=None)
    def attachments(self, request, pk=None):
        expense = self.get_object()
        if request.method == "GET":
            return self.respond(
                ExpenseAttachmentSerializer,
                selectors.expense_attachments(expense=expense),
                many=True,
            )
        self.validated(ExpenseAttachmentUploadSerializer)
        services.expense_attach(
            expense=expense, actor=request.user, uploads=request.FILES.getlist("attachments")
        )
        return self.respond(
            ExpenseDetailSerializer, self._fresh(expense), status_code=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter(
                "raw",
                OpenApiTypes.BOOL,
                required=False,
                description=gettext_lazy("1: answer the file's bytes instead of JSON."),
            ),
            OpenApiParameter(
                "thumbnail",
                OpenApiTypes.BOOL,
                required=False,
                description=gettext_lazy("1: the image's WebP thumbnail (bytes)."),
            ),
        ],
        responses={
            200: OpenApiResponse(
                ExpenseAttachmentFileSerializer,
                description=gettext_lazy(
                    "JSON with the file in base64; with ?raw=1 or ?thumbnail=1 the bytes."
                ),
            )
        },
    )
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9a-f-]{36})",
    )
    def attachment(self, request, pk=None, attachment_id=None):
        expense = self.get_object()
        try:
            att = selectors.attachment_get(
                business=request.business, expense_pk=expense.pk, pk=attachment_id
            )
        except ExpenseAttachment.DoesNotExist as exc:
            raise Http404 from exc
        if request.method == "DELETE":
            services.expense_detach(attachment=att, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        thumb = request.query_params.get("thumbnail") in ("1", "true")
        if thumb and not att.thumbnail:
            raise Http404
        if thumb or request.query_params.get("raw") in ("1", "true"):
            return exports.attachment_response(att, thumbnail=thumb, download=not thumb)
        with att.file.open("rb") as handle:
            body = handle.read()
        data = ExpenseAttachmentSerializer(att).data
        data["base64"] = base64.b64encode(body).decode("ascii")
        return Response(data)

    @extend_schema(
        parameters=[ExpenseExportQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            400: BAD_QUERY,
            404: NOT_FOUND,
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        filters = self.query(ExpenseExportQuerySerializer)
        fmt = filters.pop("file")
        header, rows = exports.expense_export_rows(self.scoped_queryset(**filters))
        return exports.file_response(
            fmt, name="expenses", title=_("Expenses"), header=header, rows=rows
        )

    @extend_schema(
        parameters=[ExpenseSummaryQuerySerializer],
        responses={200: ExpenseSummarySerializer, 400: BAD_QUERY, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        filters = self.query(ExpenseSummaryQuerySerializer)
        group = filters.pop("group")
        qs = self.scoped_queryset(**filters)
        overall = selectors.totals(qs)
        data = {
            "group": group,
            "currency": request.business.currency,
            **overall,
            "rows": selectors.summary(qs=qs, group=group),
        }
        return Response(ExpenseSummarySerializer(data, context=self.get_serializer_context()).data)

    def _fresh(self, expense: Expense) -> Expense:
        return selectors.expense_get(business=self.request.business, pk=expense.pk)


def register(router):
    from hanout.expenses import api_setup

    router.register("expenses", ExpenseViewSet, basename="expense")
    api_setup.register(router)
