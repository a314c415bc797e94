"""Suppliers and their catalog: what each one sells us, at what cost, how fast."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.models import BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES


class Supplier(BusinessOwned):
    name = models.CharField(_("name"), max_length=160)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="supplier_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SupplierProduct(BusinessOwned):
    """One line of a supplier's catalog: a product they sell us.

    At most one supplier is preferred per product; restock suggestions and
    purchase orders go to the preferred one first.
    """

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="catalog"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="supplier_items"
    )
    supplier_sku = models.CharField(_("supplier SKU"), max_length=64, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    is_preferred = models.BooleanField(_("preferred"), default=False)

    class Meta:
        ordering = ["-is_preferred", "supplier__name", "id"]
        verbose_name = _("supplier item")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "product"], name="supplier_product_unique"),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(is_preferred=True),
                name="supplier_product_one_preferred",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="supplier_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(min_order_quantity__gte=0), name="supplier_moq_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.product}"
