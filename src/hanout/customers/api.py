"""REST API of the customers.

- `/api/v1/customers/`: list (`?search=&active=&is_company=`), retrieve, create
  (idempotent on `client_uuid`), partial update of the card. Active/inactive
  through the `deactivate/` and `reactivate/` actions (POST, no body).
- `/api/v1/customers/{id}/orders/`: the customer's orders (same shape as
  `/api/v1/orders/`).

The CSV/XLSX export of the list is a page (`customer_export`), like the other lists.

Views are thin: an input serializer checks the shape, one service does the work.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.customers import selectors, services
from hanout.customers.models import Customer
from hanout.sales.api_orders import OrderSerializer

_PHONE_HELP = _("Read with the business's country unless it starts with +; answered in E.164 form.")


class CustomerSerializer(serializers.ModelSerializer):
    order_count = serializers.IntegerField(read_only=True, help_text=_("Orders of this customer."))

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "is_company",
            "phone",
            "email",
            "address",
            "tax_id",
            "notes",
            "is_active",
            "order_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160, required=False)
    is_company = serializers.BooleanField(required=False)
    phone = serializers.CharField(
        max_length=32, allow_blank=True, required=False, help_text=_PHONE_HELP
    )
    email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    address = serializers.CharField(max_length=500, allow_blank=True, required=False)
    tax_id = serializers.CharField(
        max_length=64, allow_blank=True, required=False, help_text=_("Tax / VAT number.")
    )
    notes = serializers.CharField(max_length=5000, allow_blank=True, required=False)


class CustomerCreateSerializer(CustomerUpdateSerializer):
    name = serializers.CharField(max_length=160)
    is_active = serializers.BooleanField(default=True)
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Made by the client: sending it again answers the first customer."),
    )


class CustomerQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("Name, phone, email or tax id.")
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_company = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(parameters=[CustomerQuerySerializer], responses=CustomerSerializer),
    retrieve=extend_schema(responses=CustomerSerializer),
    create=extend_schema(
        request=CustomerCreateSerializer,
        responses={
            201: CustomerSerializer,
            200: OpenApiResponse(
                CustomerSerializer,
                description=_("This client_uuid was seen: the first customer, unchanged."),
            ),
        },
    ),
    partial_update=extend_schema(request=CustomerUpdateSerializer, responses=CustomerSerializer),
    deactivate=extend_schema(request=None, responses=CustomerSerializer),
    reactivate=extend_schema(request=None, responses=CustomerSerializer),
)
class CustomerViewSet(ApiViewSet):
    """The people and companies the business sells to by name."""

    module = Module.CUSTOMERS
    model = Customer
    serializer_class = CustomerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.customer_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(CustomerQuerySerializer)
        return self.paginated(CustomerSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(CustomerSerializer, self.get_object())

    def create(self, request):
        data = dict(self.validated(CustomerCreateSerializer))
        key = data.pop("client_uuid", None)
        customer = services.customer_create(
            business=request.business, actor=request.user, data=data, client_uuid=key
        )
        replayed = getattr(customer, "replayed", False)
        return self.respond(
            CustomerSerializer,
            self._fresh(customer),
            status_code=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk=None):
        customer = self.get_object()
        data = self.validated(CustomerUpdateSerializer, partial=True)
        customer = services.customer_update(customer=customer, actor=request.user, data=dict(data))
        return self.respond(CustomerSerializer, self._fresh(customer))

    def _set_active(self, active: bool):
        customer = self.get_object()
        services.customer_set_active(customer=customer, actor=self.request.user, active=active)
        return self.respond(CustomerSerializer, self._fresh(customer))

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self._set_active(False)

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._set_active(True)

    @extend_schema(responses=OrderSerializer(many=True))
    @action(detail=True, methods=["get"])
    def orders(self, request, pk=None):
        customer = self.get_object()
        return self.paginated(OrderSerializer, selectors.customer_orders(customer=customer))

    def _fresh(self, customer: Customer) -> Customer:
        """Re-read after a write so `order_count` is there."""
        return selectors.customer_get(business=self.request.business, pk=customer.pk)


def register(router):
    router.register("customers", CustomerViewSet, basename="customer")
