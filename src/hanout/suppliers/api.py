"""REST API of the suppliers and their catalogs.

- `/api/v1/suppliers/`: list (`?search=&active=`), retrieve, create, partial update
  of the contact card. Active/inactive changes through the `deactivate/` and
  `reactivate/` actions (POST, no body), as for members — not through PATCH.
- `/api/v1/suppliers/{id}/items/`: the supplier's catalog; POST upserts the line of
  one product (`product` + any of supplier_sku, cost, lead_time_days,
  min_order_quantity, is_preferred), 201 when the line is new, 200 when changed.
- `DELETE /api/v1/suppliers/{id}/items/{item_id}/` removes a line.

Views are thin: an input serializer checks the shape, one service does the work.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.catalog.models import Product
from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.permissions import Module
from hanout.suppliers import selectors, services
from hanout.suppliers.models import Supplier, SupplierProduct

# --- serializers ---------------------------------------------------------------------------


class SupplierSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(
        read_only=True, help_text=_("Products in this supplier's catalog.")
    )

    class Meta:
        model = Supplier
        fields = [
            "id",
            "name",
            "contact_name",
            "phone",
            "email",
            "address",
            "notes",
            "is_active",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


_PHONE_HELP = _("Read with the business's country unless it starts with +; answered in E.164 form.")


class SupplierUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160, required=False)
    contact_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    phone = serializers.CharField(
        max_length=32, allow_blank=True, required=False, help_text=_PHONE_HELP
    )
    email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    address = serializers.CharField(max_length=500, allow_blank=True, required=False)
    notes = serializers.CharField(max_length=5000, allow_blank=True, required=False)


class SupplierCreateSerializer(SupplierUpdateSerializer):
    name = serializers.CharField(max_length=160)
    is_active = serializers.BooleanField(default=True)


class SupplierQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("Name, contact person, email or phone.")
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class SupplierItemSerializer(serializers.ModelSerializer):
    supplier = serializers.UUIDField(source="supplier_id", read_only=True)
    product = serializers.UUIDField(source="product_id", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    cost = MoneyField(read_only=True)

    class Meta:
        model = SupplierProduct
        fields = [
            "id",
            "supplier",
            "product",
            "product_name",
            "product_sku",
            "supplier_sku",
            "cost",
            "lead_time_days",
            "min_order_quantity",
            "is_preferred",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SupplierItemSetSerializer(serializers.Serializer):
    product = serializers.UUIDField(help_text=_("A product of this business."))
    supplier_sku = serializers.CharField(
        max_length=64, allow_blank=True, required=False, help_text=_("The supplier's reference.")
    )
    cost = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        required=False,
        help_text=_("Unit cost from this supplier, rounded to the currency's minor unit."),
    )
    lead_time_days = serializers.IntegerField(
        min_value=0, max_value=services.MAX_LEAD_TIME_DAYS, required=False
    )
    min_order_quantity = serializers.DecimalField(max_digits=20, decimal_places=6, required=False)
    is_preferred = serializers.BooleanField(
        required=False,
        help_text=_(
            "True makes this the product's preferred supplier (the previous one loses it)."
        ),
    )


_ITEM_ID = OpenApiParameter(
    "item_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("A catalog line's id.")
)

# --- viewsets --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[SupplierQuerySerializer], responses=SupplierSerializer),
    retrieve=extend_schema(responses=SupplierSerializer),
    create=extend_schema(request=SupplierCreateSerializer, responses={201: SupplierSerializer}),
    partial_update=extend_schema(request=SupplierUpdateSerializer, responses=SupplierSerializer),
    deactivate=extend_schema(request=None, responses=SupplierSerializer),
    reactivate=extend_schema(request=None, responses=SupplierSerializer),
)
class SupplierViewSet(ApiViewSet):
    """Suppliers of the business and what each one sells us."""

    module = Module.SUPPLIERS
    model = Supplier
    serializer_class = SupplierSerializer

    def scoped_queryset(self, **filters):
        return selectors.supplier_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(SupplierQuerySerializer)
        return self.paginated(SupplierSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(SupplierSerializer, self.get_object())

    def create(self, request):
        data = self.validated(SupplierCreateSerializer)
        supplier = services.supplier_create(
            business=request.business, actor=request.user, data=dict(data)
        )
        return self.respond(
            SupplierSerializer, self._fresh(supplier), status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        supplier = self.get_object()
        data = self.validated(SupplierUpdateSerializer, partial=True)
        supplier = services.supplier_update(supplier=supplier, actor=request.user, data=dict(data))
        return self.respond(SupplierSerializer, self._fresh(supplier))

    def _set_active(self, active: bool):
        supplier = self.get_object()
        services.supplier_set_active(supplier=supplier, actor=self.request.user, active=active)
        return self.respond(SupplierSerializer, self._fresh(supplier))

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self._set_active(False)

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._set_active(True)

    @extend_schema(methods=["GET"], responses=SupplierItemSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=SupplierItemSetSerializer,
        responses={200: SupplierItemSerializer, 201: SupplierItemSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="items", url_name="items")
    def items(self, request, pk=None):
        supplier = self.get_object()
        if request.method == "GET":
            return self.paginated(
                SupplierItemSerializer, selectors.supplier_items(supplier=supplier)
            )
        data = dict(self.validated(SupplierItemSetSerializer))
        product_id = data.pop("product")
        try:
            product = selectors.product_for_business(business=request.business, pk=product_id)
        except Product.DoesNotExist as exc:
            raise NotFound(
                _("This product does not exist."), fields={"product": [_("Not found.")]}
            ) from exc
        existed = selectors.supplier_items(supplier=supplier).filter(product=product).exists()
        item = services.supplier_item_set(
            supplier=supplier, actor=request.user, product=product, data=data
        )
        item = selectors.supplier_item_get(supplier=supplier, pk=item.pk)
        return self.respond(
            SupplierItemSerializer,
            item,
            status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(parameters=[_ITEM_ID], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"items/(?P<item_id>[^/.]+)",
        url_name="item",
    )
    def remove_item(self, request, pk=None, item_id=None):
        supplier = self.get_object()
        try:
            item = selectors.supplier_item_get(supplier=supplier, pk=item_id)
        except (SupplierProduct.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise NotFound(_("This catalog line does not exist.")) from exc
        services.supplier_item_remove(item=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _fresh(self, supplier: Supplier) -> Supplier:
        """Re-read after a write so `item_count` is there."""
        return selectors.supplier_get(business=self.request.business, pk=supplier.pk)


def register(router):
    router.register("suppliers", SupplierViewSet, basename="supplier")
