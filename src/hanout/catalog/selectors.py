"""Reads of the catalog, shared by the pages, the API, the register and the exports.

Every function is scoped to one business. List querysets join the category and
prefetch barcodes and tags once, and carry the first image's thumbnail as an
annotation (`thumbnail_name`), so a page of 50 products costs the same few
queries as a page of 5.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from hanout.catalog import search as product_search
from hanout.catalog.models import Barcode, Category, Product, ProductImage, Tag
from hanout.core.models import Business

# ?ordering= values and the columns they sort by (each backed by an index with business first).
ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "price": ("sale_price", "id"),
    "-price": ("-sale_price", "-id"),
    "created": ("id",),  # UUIDv7 keys are in creation order
    "-created": ("-id",),
}


def _first_thumbnail() -> Subquery:
    return Subquery(
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )


def media_url(name: str | None) -> str | None:
    return default_storage.url(name) if name else None


def thumbnail_url(product: Product) -> str | None:
    """The URL of the product's first image thumbnail (from the selector's annotation)."""
    return media_url(getattr(product, "thumbnail_name", None))


def category_descendant_ids(*, business: Business, category) -> list:
    """The ids of the category and everything under it (the tree is at most three levels deep).

    Evaluated here, in one small query (≤ 111 rows), so that the product query
    gets a literal list: `category_id IN (subquery)` cannot be estimated by
    PostgreSQL's planner, which then walks the (business, name) index testing
    every product (491k rows read for a sub-category at a million products).
    An unknown or another business's category gives [].
    """
    pk = getattr(category, "pk", category)
    try:
        return list(
            Category.objects.for_business(business)
            .filter(Q(pk=pk) | Q(parent_id=pk) | Q(parent__parent_id=pk))
            .values_list("id", flat=True)
        )
    except (ValidationError, ValueError):
        return []


def product_list(
    *,
    business: Business,
    search: str | None = None,
    category=None,
    category_ids: list | None = None,
    tag=None,
    supplier=None,
    low_stock: bool | None = None,
    active: bool | None = None,
    ordering: str = "name",
) -> QuerySet[Product]:
    """Products of the business, filtered, with what a list shows.

    `search`: see hanout.catalog.search (bounded candidate set, accent-insensitive).
    `category` (a Category or id) includes its sub-categories; a caller that
    already holds the tree passes `category_ids` (the category and its
    descendants) instead, saving the query that finds them. `tag` is a Tag or
    id, `supplier` a Supplier or id. `low_stock=True`: low at any location.
    `ordering` is one of ORDERINGS (default "name", served by the
    (business, name, id) index).
    """
    qs = (
        Product.objects.for_business(business)
        .select_related("category")
        .prefetch_related("barcodes", "tags")
        .annotate(thumbnail_name=_first_thumbnail())
    )
    if search and search.strip():
        sql, params = product_search.candidates_sql(business=business, query=search)
        if sql:
            qs = qs.filter(id__in=RawSQL(sql, params))  # noqa: S611 (values are parameters)
    if category or category_ids is not None:
        ids = (
            list(category_ids)
            if category_ids is not None
            else category_descendant_ids(business=business, category=category)
        )
        # A leaf (most of a tree) is `category_id = X`: the (business, category, name) index.
        qs = qs.filter(category_id=ids[0]) if len(ids) == 1 else qs.filter(category_id__in=ids)
    if tag:
        qs = qs.filter(tags=getattr(tag, "pk", tag))
    if supplier:
        from hanout.suppliers.models import SupplierProduct

        qs = qs.filter(
            Exists(
                SupplierProduct.objects.filter(
                    product=OuterRef("pk"), supplier=getattr(supplier, "pk", supplier)
                )
            )
        )
    if low_stock is not None:
        from hanout.inventory.models import StockLevel

        low = Exists(StockLevel.objects.filter(product=OuterRef("pk"), is_low=True))
        qs = qs.filter(low if low_stock else ~low)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by(*ORDERINGS.get(ordering, ORDERINGS["name"]))


def product_get(*, business: Business, pk) -> Product:
    """One product with all its images; another business's id raises Product.DoesNotExist."""
    return (
        product_list(business=business)
        .prefetch_related("images", "supplier_items__supplier")
        .get(pk=pk)
    )


def product_lookup(*, business: Business, code: str) -> Product | None:
    """The product with this exact barcode, else this exact SKU; None if neither.

    Two queries: the product (with category and first thumbnail), found by
    COALESCE(barcode's product, SKU's product) — both uncorrelated scalar
    subqueries on unique indexes, evaluated once — then its barcodes.
    """
    code = "".join(str(code or "").split())[:64]
    if not code:
        return None
    by_barcode = Barcode.objects.filter(business=business, code=code).values("product_id")[:1]
    by_sku = Product.objects.filter(business=business, sku=code).exclude(sku="").values("id")[:1]
    return (
        Product.objects.for_business(business)
        .select_related("category")
        .prefetch_related("barcodes")
        .annotate(thumbnail_name=_first_thumbnail())
        .filter(pk=Coalesce(Subquery(by_barcode), Subquery(by_sku)))
        .first()
    )


# The product columns the lookup answer carries (api.ProductLookupSerializer's fields).
LOOKUP_COLUMNS = (
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
    "category_id",
    "is_active",
    "created_at",
    "updated_at",
)


def product_lookup_values(*, business: Business, code: str) -> dict | None:
    """product_lookup for the register's hot path: plain values, no model instances.

    The same two queries (the row found by COALESCE(barcode's product, SKU's
    product), with its category name and first thumbnail; then its barcodes as
    (code, kind) tuples), returned as one dict: LOOKUP_COLUMNS, "category_name",
    "thumbnail_name" and "barcodes" (a list of {"code", "kind"}). None if no
    product has this code.
    """
    code = "".join(str(code or "").split())[:64]
    if not code:
        return None
    by_barcode = Barcode.objects.filter(business=business, code=code).values("product_id")[:1]
    by_sku = Product.objects.filter(business=business, sku=code).exclude(sku="").values("id")[:1]
    row = (
        Product.objects.for_business(business)
        .filter(pk=Coalesce(Subquery(by_barcode), Subquery(by_sku)))
        .values(
            *LOOKUP_COLUMNS,
            category_name=F("category__name"),
            thumbnail_name=_first_thumbnail(),
        )
        .first()
    )
    if row is None:
        return None
    row["barcodes"] = [
        {"code": c, "kind": k}
        for c, k in Barcode.objects.filter(business=business, product_id=row["id"])
        .order_by("created_at", "id")
        .values_list("code", "kind")
    ]
    return row


def category_list(*, business: Business) -> QuerySet[Category]:
    return Category.objects.for_business(business).select_related("parent")


def category_get(*, business: Business, pk) -> Category:
    return category_list(business=business).get(pk=pk)


def category_tree(*, business: Business) -> list[dict]:
    """The tree as nested dicts, in display order, with product counts.

    Each node: {"id", "name", "level", "position", "parent_id", "product_count"
    (its own products), "total_count" (with everything under it), "children"}.
    One query: counts are kept on the category by the services.
    """
    nodes: dict = {}
    roots: list[dict] = []
    rows = Category.objects.for_business(business).order_by("level", "position", "name", "id")
    for c in rows:
        nodes[c.pk] = {
            "id": c.pk,
            "name": c.name,
            "level": c.level,
            "position": c.position,
            "parent_id": c.parent_id,
            "product_count": c.product_count,
            "total_count": c.product_count,
            "children": [],
        }
    for node in nodes.values():  # parents come first (ordered by level)
        parent = nodes.get(node["parent_id"])
        (parent["children"] if parent else roots).append(node)
    for node in sorted(nodes.values(), key=lambda n: -n["level"]):
        parent = nodes.get(node["parent_id"])
        if parent:
            parent["total_count"] += node["total_count"]
    return roots


def tag_list(*, business: Business) -> QuerySet[Tag]:
    return Tag.objects.for_business(business).order_by("name", "id")


def image_list(*, product: Product) -> QuerySet[ProductImage]:
    return ProductImage.objects.filter(business_id=product.business_id, product=product)


def image_get(*, product: Product, pk) -> ProductImage:
    return image_list(product=product).get(pk=pk)


def usual_tax_rate(*, business: Business):
    """The tax rate most of the business's products carry (0 for a new catalog).

    A new product's form starts with it: a Belgian bakery's products are at 6 %,
    not 0 %.
    """
    from django.db.models import Count

    row = (
        Product.objects.for_business(business)
        .values("tax_rate")
        .annotate(n=Count("id"))
        .order_by("-n", "tax_rate")
        .first()
    )
    return row["tax_rate"] if row else 0
