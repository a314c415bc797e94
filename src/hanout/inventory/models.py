"""Stock: locations, the movement ledger, the levels it maintains, counts.

The ledger is the truth. `StockMovement` rows are append-only; `StockLevel`
(product × location) is the running sum, changed only by
`inventory.services` in the same transaction as the movement, under a row
lock. Invariant (tested with random sequences): level = sum of movements.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.ids import uuid7
from hanout.core.models import Business, BusinessOwned, ImmutableRecord, Shop
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES


class LocationKind(models.TextChoices):
    FLOOR = "floor", _("Shop floor")
    BACKROOM = "backroom", _("Back room")
    WAREHOUSE = "warehouse", _("Warehouse")
    OTHER = "other", pgettext_lazy("location kind", "Other")


class Location(BusinessOwned):
    """Where stock sits: a shop's floor, its back room, a warehouse…

    The register sells from the shop's default location.
    """

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=LocationKind.choices, default=LocationKind.FLOOR
    )
    is_default = models.BooleanField(_("sells from here"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["shop__name", "name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="location_name_unique_in_shop"),
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(is_default=True),
                name="location_one_default_per_shop",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockLevel(BusinessOwned):
    """How much of a product is at a location, and when to reorder it.

    `allow_negative` mirrors the business's setting so that the database
    itself refuses a negative level (a CHECK cannot read another table).
    `is_low` is set when the level crosses `reorder_point` downward and
    cleared when it rises above it again: the low-stock alert fires once per
    crossing.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_levels")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_levels")
    quantity = models.DecimalField(
        _("on hand"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=Decimal(0)
    )
    reserved = models.DecimalField(
        _("reserved"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, default=Decimal(0)
    )
    reorder_point = models.DecimalField(
        _("low-stock threshold"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        null=True,
        blank=True,
    )
    reorder_quantity = models.DecimalField(
        _("reorder quantity"),
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        null=True,
        blank=True,
    )
    is_low = models.BooleanField(_("low"), default=False)
    allow_negative = models.BooleanField(default=False)

    class Meta:
        ordering = ["location", "product"]
        verbose_name = _("stock level")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_level_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0) | models.Q(allow_negative=True),
                name="stock_level_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(reorder_point__isnull=True) | models.Q(reorder_point__gte=0),
                name="stock_reorder_point_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(reorder_quantity__isnull=True)
                | models.Q(reorder_quantity__gt=0),
                name="stock_reorder_quantity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "is_low"], name="stock_level_low"),
            models.Index(fields=["location", "product"], name="stock_level_location"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.location_id}: {self.quantity}"

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserved


class MovementReason(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SALE = "sale", _("Sale")
    RETURN = "return", _("Return")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUSTMENT = "adjustment", _("Adjustment")
    COUNT = "count", _("Stock count")
    WRITE_OFF = "write_off", _("Write-off")


class ImmutableMovements(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord("Stock movements cannot be changed; post a correcting movement.")

    def delete(self):
        raise ImmutableRecord("Stock movements cannot be deleted; post a correcting movement.")

    def for_business(self, business):
        return self.filter(business=business)


class StockMovement(models.Model):
    """One line of the ledger: `quantity` is signed (+ in, − out).

    `group` ties the legs of one operation (the two legs of a transfer, the
    lines of one count or sale). `balance_after` is the level right after this
    movement, which makes the ledger readable on its own.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    reason = models.CharField(_("reason"), max_length=16, choices=MovementReason.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    balance_after = models.DecimalField(max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    group = models.UUIDField(default=uuid7, db_index=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImmutableMovements.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stock_movement_not_zero"),
            models.CheckConstraint(
                condition=models.Q(reason__in=MovementReason.values),
                name="stock_movement_reason_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "location", "created_at"], name="movement_product_loc"),
            models.Index(fields=["business", "created_at"], name="movement_business_time"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.quantity}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord("Stock movements cannot be changed; post a correcting movement.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Stock movements cannot be deleted; post a correcting movement.")


class CountStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VALIDATED = "validated", _("Validated")
    CANCELLED = "cancelled", _("Cancelled")


class StockCount(BusinessOwned):
    """A count sheet for one location, filled in on a tablet, validated once.

    `number` is gapless per business (CNT-000001), the reference its movements carry."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="counts")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=CountStatus.choices, default=CountStatus.OPEN
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stock count")
        constraints = [
            models.UniqueConstraint(
                fields=["location"],
                condition=models.Q(status="open"),
                name="stock_count_one_open_per_location",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "validated", "cancelled"]),
                name="stock_count_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.location_id} {self.created_at:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        return f"CNT-{self.number:06d}" if self.number else ""


class StockCountLine(BusinessOwned):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    counted = models.DecimalField(_("counted"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES)
    # Filled when the count is validated: what the ledger said, and the movement posted.
    expected = models.DecimalField(
        _("expected"), max_digits=QTY_DIGITS, decimal_places=QTY_PLACES, null=True, blank=True
    )
    movement = models.ForeignKey(
        StockMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["count", "product"], name="count_line_unique"),
            models.CheckConstraint(
                condition=models.Q(counted__gte=0), name="count_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.counted}"
