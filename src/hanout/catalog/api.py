"""REST API of the catalog: products (list, search, lookup, bulk, images), categories, tags.

Views are thin: an input serializer checks the shape, one service does the
work (hanout.catalog.services), an output serializer answers. Every queryset
comes from a selector scoped to `request.business`, so another business's id
is a 404. Cashiers have read access to the catalog: they can look up and search.

Bulk: POST /api/v1/products/bulk/ {"atomic": bool, "products": [...]} (at most
1,000). atomic=true → all or nothing: any bad row and nothing is written, the
answer is a 400 with the per-row results. atomic=false → good rows are written,
bad rows reported; the answer is a 200 with the per-row results and counts (not
207: one JSON body already says what happened to each row).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from hanout.catalog import selectors, services
from hanout.catalog.models import BarcodeKind, Category, Product, ProductImage, Tag, Unit
from hanout.core.api import CursorPagination, MoneyField, _flatten, error_body
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES, quantize
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer

# --- serializers: output ------------------------------------------------------------------


class BarcodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=BarcodeKind.choices, read_only=True)


class ProductSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    barcodes = BarcodeSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    thumbnail = serializers.SerializerMethodField(
        help_text=gettext_lazy("URL of the first image's thumbnail, or null.")
    )
    sale_price = MoneyField(
        read_only=True, help_text=gettext_lazy("Tax included, at the currency's precision.")
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "sku",
            "model",
            "brand",
            "colour",
            "size",
            "unit",
            "sale_price",
            "cost",
            "tax_rate",
            "category",
            "category_name",
            "tags",
            "barcodes",
            "thumbnail",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail(self, obj: Product) -> str | None:
        return api_thumbnail_url(obj.pk, getattr(obj, "thumbnail_name", None))


def api_thumbnail_url(product_id, thumbnail_name: str | None) -> str | None:
    """The product's first thumbnail, served by the API itself (a token reads it).

    `?v=` changes when the first picture does, so a client may cache the URL."""
    if not thumbnail_name:
        return None
    return f"/api/v1/products/{product_id}/thumbnail/?v={thumbnail_name.rsplit('/', 1)[-1]}"


def api_image_url(image: ProductImage, size: str) -> str:
    return f"/api/v1/products/{image.product_id}/images/{image.pk}/{size}/"


class ProductLookupSerializer(ProductSerializer):
    """What the register needs after a scan: no tags (one query fewer on every scan)."""

    class Meta(ProductSerializer.Meta):
        fields = [f for f in ProductSerializer.Meta.fields if f != "tags"]
        read_only_fields = fields


_LOOKUP_FIELDS: dict | None = None


def _lookup_representation(row: dict, *, currency: str) -> dict:
    """ProductLookupSerializer's output, built from selectors.product_lookup_values.

    The register calls lookup on every scan: no model instance and no
    serializer per request. The fields that format a value (decimals, dates,
    choices) are ProductLookupSerializer's own, built once, so the JSON is
    exactly the schema's (tests compare it with the serializer's).
    """
    global _LOOKUP_FIELDS
    if _LOOKUP_FIELDS is None:
        _LOOKUP_FIELDS = dict(ProductLookupSerializer().fields)
    fields = _LOOKUP_FIELDS
    out = {}
    for name in ProductLookupSerializer.Meta.fields:
        if name == "category":
            value = row["category_id"]
            out[name] = None if value is None else str(value)
        elif name == "category_name":
            out[name] = row["category_name"]
        elif name == "barcodes":
            out[name] = row["barcodes"]
        elif name == "thumbnail":
            out[name] = api_thumbnail_url(row["id"], row["thumbnail_name"])
        elif name == "sale_price":
            out[name] = str(quantize(row[name], currency))
        else:
            value = row[name]
            out[name] = None if value is None else fields[name].to_representation(value)
    return out


class ProductImageSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "image", "thumbnail", "position", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, obj: ProductImage) -> str | None:
        return api_image_url(obj, "full") if obj.image else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail(self, obj: ProductImage) -> str | None:
        return api_image_url(obj, "thumb") if obj.thumbnail else None


class ProductDetailSerializer(ProductSerializer):
    images = ProductImageSerializer(many=True, read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "images"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "id",
            "name",
            "parent",
            "level",
            "position",
            "product_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CategoryNodeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    position = serializers.IntegerField()
    parent_id = serializers.UUIDField(allow_null=True)
    product_count = serializers.IntegerField(help_text=gettext_lazy("Products filed here."))
    total_count = serializers.IntegerField(
        help_text=gettext_lazy("Products here and in every sub-category.")
    )
    children = serializers.ListField(
        child=serializers.DictField(), help_text=gettext_lazy("Nodes of the same shape.")
    )


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "created_at"]
        read_only_fields = fields


# --- serializers: input -------------------------------------------------------------------


class BarcodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(
        choices=BarcodeKind.choices,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Leave out to recognise it: 8/12/13 digits with a valid check digit are EAN-8/UPC-A/"
            "EAN-13, other digits the shop's own code, anything else Code 128. "
            "Choose `internal` for the shop's own codes that look like an EAN."
        ),
    )


def _money(**kw):
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, coerce_to_string=True, **kw
    )


class ProductWriteSerializer(serializers.Serializer):
    """The shape of a product's fields; the service checks the values (prices ≥ 0 …)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    sku = serializers.CharField(max_length=64, allow_blank=True, required=False)
    model = serializers.CharField(max_length=120, allow_blank=True, required=False)
    brand = serializers.CharField(max_length=120, allow_blank=True, required=False)
    colour = serializers.CharField(max_length=60, allow_blank=True, required=False)
    size = serializers.CharField(max_length=60, allow_blank=True, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    sale_price = _money(help_text=gettext_lazy("Tax included."))
    cost = _money(required=False)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    category = serializers.UUIDField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=50
    )
    barcodes = serializers.ListField(child=BarcodeInputSerializer(), required=False, max_length=20)
    is_active = serializers.BooleanField(required=False)


class BulkRowSerializer(ProductWriteSerializer):
    """One row: `id` (or else `sku`) names an existing product to update."""

    id = serializers.UUIDField(required=False)
    name = serializers.CharField(max_length=200, required=False)
    sale_price = _money(required=False)
    category = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=400,
        help_text=gettext_lazy("A category id, or its path of names: “Domain > Category”."),
    )


class BulkSerializer(serializers.Serializer):
    atomic = serializers.BooleanField(
        default=False, help_text=gettext_lazy("All or nothing: any bad row and nothing is written.")
    )
    products = serializers.ListField(
        child=serializers.DictField(),
        max_length=services.BULK_MAX_ROWS,
        help_text=gettext_lazy("Up to 1,000 rows, each shaped like BulkRow."),
    )


class BulkRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.CharField(help_text="created | updated | error | skipped")
    id = serializers.UUIDField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BulkResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.IntegerField()
    skipped = serializers.IntegerField()
    results = BulkRowResultSerializer(many=True)


BulkFailedSerializer = inline_serializer(
    name="BulkFailed",
    fields={
        "error": ErrorSerializer.fields["error"].__class__(),
        "results": BulkRowResultSerializer(many=True),
    },
)


class ProductQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        allow_blank=True,
        help_text=gettext_lazy(
            "Name, SKU, barcode, brand, model or tag; accents and case ignored; every word must "
            "appear. At most 500 matches are considered (refine the words for more)."
        ),
    )
    category = serializers.UUIDField(
        required=False, help_text=gettext_lazy("Includes its sub-categories.")
    )
    tag = serializers.UUIDField(required=False)
    supplier = serializers.UUIDField(required=False)
    low_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(
        choices=list(selectors.ORDERINGS), required=False, default="name"
    )


class LookupQuerySerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64, help_text=gettext_lazy("A barcode or an article number, exactly.")
    )


class ImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("JPEG, PNG, WebP or GIF; at most 10 MB."))


class CategoryCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    parent = serializers.UUIDField(required=False, allow_null=True, default=None)
    position = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)


class CategoryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    parent = serializers.UUIDField(required=False, allow_null=True)
    position = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class TagCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)


# --- viewsets -----------------------------------------------------------------------------


class ProductPagination(CursorPagination):
    """Cursor pages in the order asked for (?ordering=), each served by an index."""

    def get_ordering(self, request, queryset, view):
        return selectors.ORDERINGS[getattr(view, "current_ordering", "name")]


def _category_for_write(business, value):
    """A category id from the request → a Category of this business (unknown → 400 on `category`)."""
    if value is None:
        return None
    return services._category_of(business, value)


@extend_schema_view(
    list=extend_schema(parameters=[ProductQuerySerializer], responses=ProductSerializer),
    retrieve=extend_schema(responses=ProductDetailSerializer),
    create=extend_schema(request=ProductWriteSerializer, responses={201: ProductDetailSerializer}),
    partial_update=extend_schema(
        request=ProductWriteSerializer(partial=True), responses=ProductDetailSerializer
    ),
    lookup=extend_schema(
        parameters=[LookupQuerySerializer],
        responses={
            200: ProductLookupSerializer,
            400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("No code given.")),
            404: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("No product has this code.")
            ),
        },
        description=gettext_lazy(
            "The product with this exact barcode, else this exact article number (SKU). "
            "Also answers at /api/v1/products/lookup?code=… (no trailing slash, no redirect)."
        ),
    ),
    bulk=extend_schema(
        request=inline_serializer(
            name="BulkRequest",
            fields={
                "atomic": serializers.BooleanField(default=False),
                "products": BulkRowSerializer(many=True),
            },
        ),
        responses={
            200: BulkResponseSerializer,
            400: OpenApiResponse(
                BulkFailedSerializer,
                description=gettext_lazy(
                    "Bad request, or atomic and some rows failed (nothing written)."
                ),
            ),
        },
    ),
    images=extend_schema(
        methods=["GET"], request=None, responses=ProductImageSerializer(many=True)
    ),
    image_delete=extend_schema(
        parameters=[OpenApiParameter("image_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={204: None},
    ),
)
class ProductViewSet(ApiViewSet):
    """Products of the business: search, filters, cursor pages, barcode lookup, bulk upsert."""

    module = Module.CATALOG
    model = Product
    serializer_class = ProductSerializer
    pagination_class = ProductPagination
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    current_ordering = "name"

    def scoped_queryset(self, **filters):
        return selectors.product_list(business=self.request.business, **filters)

    def _fresh(self, product: Product) -> Product:
        return selectors.product_get(business=self.request.business, pk=product.pk)

    def list(self, request):
        filters = self.query(ProductQuerySerializer)
        self.current_ordering = filters["ordering"]
        return self.paginated(ProductSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(ProductDetailSerializer, self._fresh(self.get_object()))

    def _service_data(self, data: dict) -> dict:
        data = dict(data)
        if "category" in data:
            data["category"] = _category_for_write(self.request.business, data["category"])
        if "barcodes" in data:
            data["barcodes"] = [dict(b) for b in data["barcodes"]]
        return data

    def create(self, request):
        data = self._service_data(self.validated(ProductWriteSerializer))
        product = services.product_create(business=request.business, actor=request.user, data=data)
        return self.respond(
            ProductDetailSerializer, self._fresh(product), status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = self._service_data(self.validated(ProductWriteSerializer, partial=True))
        if set(data) == {"is_active"}:
            product = services.product_set_active(
                product=product, actor=request.user, active=data["is_active"]
            )
        else:
            product = services.product_update(product=product, actor=request.user, data=data)
        return self.respond(ProductDetailSerializer, self._fresh(product))

    @action(detail=False, methods=["get"], url_path="lookup", url_name="lookup")
    def lookup(self, request):
        code = self.query(LookupQuerySerializer)["code"]
        row = selectors.product_lookup_values(business=request.business, code=code)
        if row is None:
            raise NotFound(_("No product with code %(code)s.") % {"code": code})
        return Response(_lookup_representation(row, currency=request.business.currency))

    @action(detail=False, methods=["post"], url_path="bulk", url_name="bulk")
    def bulk(self, request):
        body = self.validated(BulkSerializer)
        atomic = body["atomic"]
        results: dict[int, services.RowResult] = {}
        valid: list[tuple[int, dict]] = []
        for index, raw in enumerate(body["products"]):
            row = BulkRowSerializer(data=raw, partial=True)
            if row.is_valid():
                data = dict(row.validated_data)
                if "barcodes" in data:
                    data["barcodes"] = [dict(b) for b in data["barcodes"]]
                valid.append((index, data))
            else:
                results[index] = services.RowResult(index, "error", errors=_flat(row.errors))
        if atomic and results:  # a malformed row: nothing is tried
            for index, _data in valid:
                results[index] = services.RowResult(index, "skipped")
        elif valid:
            done = services.products_bulk_upsert(
                business=request.business,
                actor=request.user,
                rows=[data for _i, data in valid],
                atomic=atomic,
            )
            for (index, _data), result in zip(valid, done, strict=True):
                result.index = index
                results[index] = result
        return _bulk_response([results[i] for i in sorted(results)], atomic=atomic)

    @action(
        detail=True,
        methods=["get", "post"],
        url_path="images",
        url_name="images",
        parser_classes=[MultiPartParser, FormParser],
    )
    def images(self, request, pk=None):
        product = self.get_object()
        if request.method == "GET":
            return self.respond(
                ProductImageSerializer, selectors.image_list(product=product), many=True
            )
        data = self.validated(ImageUploadSerializer)
        image = services.product_image_add(product=product, actor=request.user, file=data["file"])
        return self.respond(ProductImageSerializer, image, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "image/*"): OpenApiTypes.BINARY},
        description=gettext_lazy("The first picture's thumbnail (the file), or 404."),
    )
    @action(detail=True, methods=["get"], url_path="thumbnail", url_name="thumbnail")
    def thumbnail(self, request, pk=None):
        from hanout.catalog.views import _image_response

        product = self.get_object()
        first = selectors.image_list(product=product).order_by("position", "id").first()
        return _image_response(first, thumbnail=True)

    @extend_schema(
        responses={(200, "image/*"): OpenApiTypes.BINARY},
        description=gettext_lazy("A picture's file: `thumb` (the thumbnail) or `full`."),
        parameters=[
            OpenApiParameter("image_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
            OpenApiParameter("size", str, OpenApiParameter.PATH, enum=["thumb", "full"]),
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"images/(?P<image_id>[^/.]+)/(?P<size>thumb|full)",
        url_name="image-file",
    )
    def image_file(self, request, pk=None, image_id=None, size=None):
        from hanout.catalog.views import _image_response

        product = self.get_object()
        try:
            image = selectors.image_get(product=product, pk=image_id)
        except (ProductImage.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise Http404 from exc
        return _image_response(image, thumbnail=size == "thumb")

    @action(
        detail=True,
        methods=["delete"],
        url_path=r"images/(?P<image_id>[^/.]+)",
        url_name="image-delete",
    )
    def image_delete(self, request, pk=None, image_id=None):
        product = self.get_object()
        try:
            image = selectors.image_get(product=product, pk=image_id)
        except (ProductImage.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise Http404 from exc
        services.product_image_remove(image=image, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# `images` accepts a multipart upload on POST; document it.
ProductViewSet.images = extend_schema(
    methods=["POST"],
    request={"multipart/form-data": ImageUploadSerializer},
    responses={201: ProductImageSerializer},
)(ProductViewSet.images)


def _flat(errors) -> dict[str, list[str]]:
    """A row's serializer errors as {"barcodes[0].code": [msg]} (the API's usual field names)."""
    return _flatten(errors)


def _bulk_response(results, *, atomic: bool) -> Response:
    rows = [
        {"index": r.index, "status": r.status, "id": r.product_id, "errors": r.errors}
        for r in results
    ]
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("created", "updated", "skipped")
    }
    counts["errors"] = sum(1 for r in results if r.status == "error")
    if atomic and counts["errors"]:
        first = next(r for r in results if r.status == "error")
        field = next(iter(first.errors), "")
        message = _(
            "%(n)d of %(total)d rows are not valid, so nothing was saved. First: row %(row)d, "
            "%(field)s: %(message)s"
        ) % {
            "n": counts["errors"],
            "total": len(results),
            "row": first.index + 1,  # as people count; `index` counts from 0
            "field": field,
            "message": (first.errors.get(field) or [""])[0],
        }
        body = error_body("invalid", message, {})
        body["results"] = BulkRowResultSerializer(rows, many=True).data
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        BulkResponseSerializer({**counts, "results": rows}).data, status=status.HTTP_200_OK
    )


class ProductLookupNoSlash(ProductViewSet):
    """GET /api/v1/products/lookup?code=… answered directly (no redirect to the slashed path).

    The register calls lookup on every scan; a redirect would double its time.
    Left out of the schema: it is the same operation as products/lookup/.
    """

    schema = None


def extra_urls():
    """Plain paths the router cannot make; api_urls.py puts them before the router's."""
    return [
        path(
            "products/lookup",
            ProductLookupNoSlash.as_view({"get": "lookup"}),
            name="product-lookup-noslash",
        )
    ]


@extend_schema_view(
    list=extend_schema(responses=CategorySerializer),
    retrieve=extend_schema(responses=CategorySerializer),
    create=extend_schema(request=CategoryCreateSerializer, responses={201: CategorySerializer}),
    partial_update=extend_schema(request=CategoryUpdateSerializer, responses=CategorySerializer),
    destroy=extend_schema(responses={204: None}),
    tree=extend_schema(responses=CategoryNodeSerializer(many=True)),
)
class CategoryViewSet(ApiViewSet):
    """The category tree: domains → categories → sub-categories."""

    module = Module.CATALOG
    model = Category
    serializer_class = CategorySerializer

    def scoped_queryset(self):
        return selectors.category_list(business=self.request.business)

    def list(self, request):
        return self.paginated(CategorySerializer, self.get_queryset())

    def retrieve(self, request, pk=None):
        return self.respond(CategorySerializer, self.get_object())

    @action(detail=False, methods=["get"], pagination_class=None)
    def tree(self, request):
        tree = selectors.category_tree(business=request.business)
        return Response(CategoryNodeSerializer(tree, many=True).data)

    def create(self, request):
        data = self.validated(CategoryCreateSerializer)
        category = services.category_create(
            business=request.business,
            actor=request.user,
            name=data["name"],
            parent=data["parent"],
            position=data["position"],
        )
        return self.respond(CategorySerializer, category, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        category = self.get_object()
        data = self.validated(CategoryUpdateSerializer, partial=True)
        category = services.category_update(category=category, actor=request.user, data=dict(data))
        return self.respond(CategorySerializer, category)

    def destroy(self, request, pk=None):
        services.category_delete(category=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(responses=TagSerializer),
    create=extend_schema(request=TagCreateSerializer, responses={201: TagSerializer}),
)
class TagViewSet(ApiViewSet):
    """Free tags; a product's tags are set on the product (new names are made on the fly)."""

    module = Module.CATALOG
    model = Tag
    serializer_class = TagSerializer

    def scoped_queryset(self):
        return selectors.tag_list(business=self.request.business)

    def list(self, request):
        return self.paginated(TagSerializer, self.get_queryset())

    def create(self, request):
        data = self.validated(TagCreateSerializer)
        tag = services.tag_create(business=request.business, actor=request.user, name=data["name"])
        return self.respond(TagSerializer, tag, status_code=status.HTTP_201_CREATED)


def register(router):
    router.register("products", ProductViewSet, basename="product")
    router.register("categories", CategoryViewSet, basename="category")
    router.register("tags", TagViewSet, basename="tag")
