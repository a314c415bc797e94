"""REST API of expense categories and recurring expenses.

- `/api/v1/expense-categories/`: list (cursor pages, built-in ones included, `?archived=`),
  create `{name}`, partial update `{name, is_archived}`, delete (an unused own category is
  deleted: 204; a used or built-in one is archived instead: 200 with the category).
- `/api/v1/recurring-expenses/`: list (`?active=`), retrieve, create, partial update,
  `stop/` (POST, no body). The job records each due date once, in the shop's time zone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.expenses import selectors, services, services_recurring
from hanout.expenses.models import ExpenseCategory, Frequency, RecurringExpense


class ExpenseCategorySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    use_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ExpenseCategory
        fields = ["id", "label", "builtin", "name", "is_archived", "use_count"]
        read_only_fields = fields


class ExpenseCategoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    is_archived = serializers.BooleanField(required=False)


class ExpenseCategoryCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)


class ExpenseCategoryQuerySerializer(serializers.Serializer):
    archived = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(
        parameters=[ExpenseCategoryQuerySerializer], responses=ExpenseCategorySerializer
    ),
    retrieve=extend_schema(responses=ExpenseCategorySerializer),
    create=extend_schema(
        request=ExpenseCategoryCreateSerializer, responses={201: ExpenseCategorySerializer}
    ),
    partial_update=extend_schema(
        request=ExpenseCategoryWriteSerializer, responses=ExpenseCategorySerializer
    ),
    destroy=extend_schema(responses={204: None, 200: ExpenseCategorySerializer}),
)
class ExpenseCategoryViewSet(ApiViewSet):
    """Expense categories: the five built-in ones and the business's own."""

    module = Module.EXPENSES
    model = ExpenseCategory
    serializer_class = ExpenseCategorySerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.category_queryset(business=self.request.business, **filters)

    def list(self, request):
        archived = self.query(ExpenseCategoryQuerySerializer)["archived"]
        return self.paginated(ExpenseCategorySerializer, self.scoped_queryset(archived=archived))

    def retrieve(self, request, pk=None):
        return self.respond(ExpenseCategorySerializer, self.get_object())

    def create(self, request):
        data = self.validated(ExpenseCategoryCreateSerializer)
        category = services.category_create(
            business=request.business, actor=request.user, name=data["name"]
        )
        return self.respond(
            ExpenseCategorySerializer,
            self.scoped_queryset().get(pk=category.pk),
            status_code=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk=None):
        category = self.get_object()
        data = dict(self.validated(ExpenseCategoryWriteSerializer, partial=True))
        services.category_update(category=category, actor=request.user, data=data)
        return self.respond(ExpenseCategorySerializer, self.get_object())

    def destroy(self, request, pk=None):
        category = self.get_object()
        if services.category_delete(category=category, actor=request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.respond(ExpenseCategorySerializer, self.get_object())


class RecurringExpenseSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    category_label = serializers.CharField(source="category.label", read_only=True)

    class Meta:
        model = RecurringExpense
        fields = [
            "id",
            "category",
            "category_label",
            "amount",
            "comment",
            "description",
            "supplier",
            "every",
            "unit",
            "starts_on",
            "next_on",
            "ends_on",
            "made",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RecurringExpenseUpdateSerializer(serializers.Serializer):
    category = serializers.UUIDField(required=False)
    amount = serializers.DecimalField(max_digits=20, decimal_places=6, required=False)
    comment = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    supplier = serializers.UUIDField(required=False, allow_null=True)
    every = serializers.IntegerField(required=False, min_value=1, max_value=24)
    unit = serializers.ChoiceField(choices=Frequency.choices, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)


class RecurringExpenseCreateSerializer(RecurringExpenseUpdateSerializer):
    category = serializers.UUIDField()
    amount = serializers.DecimalField(max_digits=20, decimal_places=6)
    comment = serializers.CharField(max_length=200)
    unit = serializers.ChoiceField(choices=Frequency.choices)
    starts_on = serializers.DateField()


class RecurringExpenseQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


def _ids(data) -> dict:
    data = dict(data)
    for key in ("category", "supplier"):
        if data.get(key) is not None:
            data[key] = str(data[key])
    return data


# A category or supplier named in the body that this business does not have.
BODY_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy("The category or the supplier of the body was not found."),
)


@extend_schema_view(
    list=extend_schema(
        parameters=[RecurringExpenseQuerySerializer], responses=RecurringExpenseSerializer
    ),
    retrieve=extend_schema(responses=RecurringExpenseSerializer),
    create=extend_schema(
        request=RecurringExpenseCreateSerializer,
        responses={201: RecurringExpenseSerializer, 404: BODY_NOT_FOUND},
    ),
    partial_update=extend_schema(
        request=RecurringExpenseUpdateSerializer,
        responses={200: RecurringExpenseSerializer, 404: BODY_NOT_FOUND},
    ),
    stop=extend_schema(request=None, responses=RecurringExpenseSerializer),
)
class RecurringExpenseViewSet(ApiViewSet):
    """Templates that record an expense every N months or weeks."""

    module = Module.EXPENSES
    model = RecurringExpense
    serializer_class = RecurringExpenseSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.recurring_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(RecurringExpenseQuerySerializer)
        return self.paginated(RecurringExpenseSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(RecurringExpenseSerializer, self.get_object())

    def create(self, request):
        data = _ids(self.validated(RecurringExpenseCreateSerializer))
        template = services_recurring.recurring_create(
            business=request.business, actor=request.user, data=data
        )
        return self.respond(
            RecurringExpenseSerializer, template, status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        data = _ids(self.validated(RecurringExpenseUpdateSerializer, partial=True))
        template = services_recurring.recurring_update(
            template=self.get_object(), actor=request.user, data=data
        )
        return self.respond(RecurringExpenseSerializer, template)

    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        template = services_recurring.recurring_stop(template=self.get_object(), actor=request.user)
        return self.respond(RecurringExpenseSerializer, template)


def register(router):
    router.register("expense-categories", ExpenseCategoryViewSet, basename="expense-category")
    router.register("recurring-expenses", RecurringExpenseViewSet, basename="recurring-expense")
