"""The catalog: a category tree (domain → category → sub-category), free tags,
products with their barcodes and images, and the search document of each product.

Search works the same way on both databases: every product has one
`ProductSearch` row holding its name, SKU, barcodes, brand and tags folded to
lower case without accents ("Café" → "cafe"). On PostgreSQL a trigram GIN
index on that text serves substring search; on SQLite an FTS5 trigram table
mirrors it through triggers (see migration 0002). Services keep the row in
step with the product in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.core.models import BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES

# Quantities are decimals so that cheese can be sold by the gram.
QTY_DIGITS = 14
QTY_PLACES = 3


class CategoryLevel(models.IntegerChoices):
    DOMAIN = 0, _("Domain")
    CATEGORY = 1, _("Category")
    SUBCATEGORY = 2, _("Sub-category")


class Category(BusinessOwned):
    """A node of the tree: a domain has categories, a category sub-categories.

    `level` is the depth (0–2), kept by the service from the parent, so a
    sub-category can never have children.
    """

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=CategoryLevel.choices, default=0)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Products filed directly here, kept by the services (F() updates in the product's
    # transaction) so that the explorer's tree never counts a million rows per page view.
    product_count = models.PositiveIntegerField(_("products"), default=0, editable=False)

    class Meta:
        ordering = ["level", "position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "parent", "name"], name="category_name_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["business", "name"],
                condition=models.Q(parent__isnull=True),
                name="category_domain_name_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=0, level__lte=2), name="category_level_range"
            ),
            models.CheckConstraint(
                condition=models.Q(level=0, parent__isnull=True)
                | models.Q(level__gt=0, parent__isnull=False),
                name="category_level_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(BusinessOwned):
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["business", "name"], name="tag_name_unique")]

    def __str__(self) -> str:
        return self.name


class Unit(models.TextChoices):
    PIECE = "piece", pgettext_lazy("unit", "piece")
    KG = "kg", pgettext_lazy("unit", "kg")
    LITRE = "l", pgettext_lazy("unit", "l")
    METRE = "m", pgettext_lazy("unit", "m")


class Product(BusinessOwned):
    """Something the shop sells or stocks.

    `sku` is the shop's article number (typed on the register keypad, e.g.
    1234): unique in the business when set. `sale_price` includes tax. `cost`
    is the weighted average unit cost, updated by receipts.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    sku = models.CharField(_("SKU / article number"), max_length=64, blank=True)
    model = models.CharField(_("model"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=120, blank=True)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    size = models.CharField(_("size"), max_length=60, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE)
    sale_price = models.DecimalField(
        _("sale price (tax included)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(Decimal(0))],
    )
    cost = models.DecimalField(
        _("cost"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="products")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            # The explorer's default order, by category and alone; both keyset-paginated.
            models.Index(fields=["business", "name", "id"], name="product_business_name"),
            models.Index(
                fields=["business", "category", "name", "id"], name="product_category_name"
            ),
            models.Index(fields=["business", "sale_price", "id"], name="product_business_price"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "sku"],
                condition=~models.Q(sku=""),
                name="product_sku_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(sale_price__gte=0), name="product_sale_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="product_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=100),
                name="product_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=Unit.values), name="product_unit_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BarcodeKind(models.TextChoices):
    EAN13 = "ean13", "EAN-13"
    EAN8 = "ean8", "EAN-8"
    UPCA = "upca", "UPC-A"
    CODE128 = "code128", "Code 128"
    INTERNAL = "internal", _("Shop's own code")


class Barcode(BusinessOwned):
    """One code printed on (or stuck to) the product; unique in the business.

    EAN-13, EAN-8 and UPC-A codes have their check digit validated by the
    service; Code 128 and the shop's own codes are kept as typed.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="barcodes")
    code = models.CharField(_("barcode"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=10, choices=BarcodeKind.choices, default=BarcodeKind.EAN13
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("barcode")
        constraints = [
            models.UniqueConstraint(fields=["business", "code"], name="barcode_unique_in_business"),
            models.CheckConstraint(
                condition=models.Q(kind__in=BarcodeKind.values), name="barcode_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code


def product_image_path(instance, filename: str) -> str:
    return f"products/{instance.business_id}/{instance.id}/{filename}"


class ProductImage(BusinessOwned):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=product_image_path, max_length=255)
    thumbnail = models.ImageField(upload_to=product_image_path, blank=True, max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")

    def __str__(self) -> str:
        return self.image.name


class ProductSearch(models.Model):
    """The folded search text of one product (see the module docstring).

    An integer key, unlike business rows: SQLite's FTS5 table points at it by
    rowid, which must be stable.
    """

    id = models.BigAutoField(primary_key=True)
    business = models.ForeignKey("core.Business", on_delete=models.CASCADE, related_name="+")
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="search")
    text = models.TextField()
    # The folded start of the name: serves searches too short for trigrams (see search.py).
    # Its index is made per database in migration 0002.
    name_key = models.CharField(max_length=64, default="", blank=True)

    class Meta:
        indexes = [models.Index(fields=["business"], name="product_search_business")]

    def __str__(self) -> str:
        return self.text[:60]
