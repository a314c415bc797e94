"""Customer orders, invoices (and credit notes) and returns: the shop's paper trail.

Orders
    draft → confirmed (stock reserved) → picking → partly shipped → shipped →
    delivered; cancelled from draft, confirmed or picking (reservation
    released). Every change is a dated, attributed `OrderStatusChange`.
    Reservations live on `inventory.StockLevel.reserved` of the order's
    location: available = on hand − reserved, never below zero.

Invoices
    Issued from a delivered order or a register ticket, numbered without gaps
    per business per year (2026-0042) in the transaction that issues them.
    The seller's and buyer's details, the lines and the tax per rate are
    copied onto the invoice, which never changes afterwards; a correction is a
    credit note (`kind=credit_note`, its own gapless sequence, AV-2026-0003)
    that points at the invoice it corrects.

Returns
    From an order or a ticket: some lines, a reason; goods go back to a
    location (a return movement) or are written off; the refund is recorded
    with its method; a credit note is issued.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.models import BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES
from hanout.customers.models import Customer
from hanout.inventory.models import Location, StockMovement

MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}
QTY = {"max_digits": QTY_DIGITS, "decimal_places": QTY_PLACES}
RATE = {"max_digits": 5, "decimal_places": 2}


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    PICKING = "picking", _("Being picked")
    PARTIAL = "partial", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order", "Cancelled")


class CustomerOrder(BusinessOwned):
    """An order from a customer, shipped from one location. `number` is gapless per business."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    location = models.ForeignKey(
        Location, verbose_name=_("ship from"), on_delete=models.PROTECT, related_name="+"
    )
    promised_on = models.DateField(_("promised delivery date"), null=True, blank=True)
    shipping_address = models.TextField(_("delivery address"), max_length=500, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    total = models.DecimalField(_("total"), default=Decimal(0), **MONEY)
    tax_total = models.DecimalField(_("tax"), default=Decimal(0), **MONEY)
    discount_total = models.DecimalField(_("discount"), default=Decimal(0), **MONEY)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("customer order")
        verbose_name_plural = _("customer orders")
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="order_number_unique"),
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="order_client_uuid_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="order_total_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "status", "-number"], name="order_status"),
            models.Index(fields=["business", "customer", "-number"], name="order_customer"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SO-{self.number:06d}"


class OrderLine(BusinessOwned):
    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price (tax included)"), **MONEY)
    discount = models.DecimalField(_("discount"), default=Decimal(0), **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), default=Decimal(0), **RATE)
    total = models.DecimalField(_("total"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=Decimal(0), **MONEY)
    reserved_quantity = models.DecimalField(_("reserved"), default=Decimal(0), **QTY)
    shipped_quantity = models.DecimalField(_("shipped"), default=Decimal(0), **QTY)
    returned_quantity = models.DecimalField(_("returned"), default=Decimal(0), **QTY)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="order_line_qty_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved_quantity__gte=0)
                & models.Q(shipped_quantity__gte=0)
                & models.Q(returned_quantity__gte=0),
                name="order_line_quantities_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class OrderStatusChange(BusinessOwned):
    order = models.ForeignKey(CustomerOrder, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class Shipment(BusinessOwned):
    """One parcel sent for an order (an order may ship in several)."""

    order = models.ForeignKey(CustomerOrder, on_delete=models.PROTECT, related_name="shipments")
    shipped_at = models.DateTimeField(_("shipped at"))
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking = models.CharField(_("tracking number"), max_length=120, blank=True)
    movement_group = models.UUIDField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="shipment_client_uuid_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.shipped_at:%Y-%m-%d}"


class ShipmentLine(BusinessOwned):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)
    movement = models.ForeignKey(
        StockMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["shipment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="shipment_line_qty_positive"
            ),
        ]


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class Invoice(BusinessOwned):
    """An issued invoice or credit note. Never changes once written.

    `number` is gapless per business, kind and `year` (the shop-local year of
    `issued_at`). Amounts on a credit note are positive; it *credits* them.
    `seller` and `buyer` are frozen copies of the legal details at issue time.
    """

    kind = models.CharField(
        _("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    order = models.ForeignKey(
        CustomerOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    sale = models.ForeignKey(
        "pos.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    credited_invoice = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    return_record = models.OneToOneField(
        "sales.CustomerReturn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
    )
    language = models.CharField(_("language"), max_length=8)
    currency = models.CharField(_("currency"), max_length=3)
    seller = models.JSONField(default=dict)  # legal name, address, tax id, registration, …
    buyer = models.JSONField(default=dict)  # name, address, tax id, email
    taxes = models.JSONField(default=list)  # [{"rate", "base", "tax", "total"}] by rate
    total = models.DecimalField(_("total"), **MONEY)
    tax_total = models.DecimalField(_("tax"), **MONEY)
    net_total = models.DecimalField(_("total without tax"), **MONEY)
    reason = models.CharField(_("reason"), max_length=500, blank=True)  # credit notes
    emailed_to = models.EmailField(_("last emailed to"), max_length=254, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "year", "number"], name="invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="invoice_client_uuid_unique",
            ),
            # One invoice per order and per ticket (credit notes may be several).
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="invoice", order__isnull=False),
                name="invoice_one_per_order",
            ),
            models.UniqueConstraint(
                fields=["sale"],
                condition=models.Q(kind="invoice", sale__isnull=False),
                name="invoice_one_per_sale",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="invoice_total_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "kind", "-issued_at"], name="invoice_issued"),
            models.Index(fields=["business", "customer", "-issued_at"], name="invoice_customer"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        prefix = "AV-" if self.kind == InvoiceKind.CREDIT_NOTE else ""
        return f"{prefix}{self.year}-{self.number:04d}"


class InvoiceLine(BusinessOwned):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price (tax included)"), **MONEY)
    discount = models.DecimalField(_("discount"), default=Decimal(0), **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), default=Decimal(0), **RATE)
    total = models.DecimalField(_("total"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=Decimal(0), **MONEY)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class ReturnDisposition(models.TextChoices):
    RESTOCK = "restock", _("Back to stock")
    WRITE_OFF = "write_off", _("Written off")


class RefundMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    BANK = "bank", _("Bank transfer")
    PHONE = "phone", _("Phone payment")
    STORE_CREDIT = "store_credit", _("Store credit")


class CustomerReturn(BusinessOwned):
    """Goods a customer brought back, from an order or a register ticket."""

    number = models.PositiveIntegerField(_("number"))
    order = models.ForeignKey(
        CustomerOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    sale = models.ForeignKey(
        "pos.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backoffice_returns",
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    reason = models.CharField(_("reason"), max_length=500)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund_method = models.CharField(
        _("refund method"), max_length=14, choices=RefundMethod.choices
    )
    refund_amount = models.DecimalField(_("refunded"), **MONEY)
    refund_reference = models.CharField(_("refund reference"), max_length=120, blank=True)
    returned_at = models.DateTimeField(_("returned at"))
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    movement_group = models.UUIDField(null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="return_number_unique"),
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="return_client_uuid_unique",
            ),
            models.CheckConstraint(
                condition=(models.Q(order__isnull=False) & models.Q(sale__isnull=True))
                | (models.Q(order__isnull=True) & models.Q(sale__isnull=False)),
                name="return_from_order_or_ticket",
            ),
            models.CheckConstraint(
                condition=models.Q(refund_amount__gte=0), name="return_refund_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"RT-{self.number:06d}"


class ReturnLine(BusinessOwned):
    customer_return = models.ForeignKey(
        CustomerReturn, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sale_line = models.ForeignKey(
        "pos.SaleLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price (tax included)"), **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), default=Decimal(0), **RATE)
    total = models.DecimalField(_("total"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=Decimal(0), **MONEY)
    disposition = models.CharField(_("goods"), max_length=10, choices=ReturnDisposition.choices)
    movement = models.ForeignKey(
        StockMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["customer_return", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="return_line_qty_positive"
            ),
        ]
