"""Purchasing: orders to suppliers, their deliveries, supplier invoices and payments.

A purchase order (PO) is drafted, sent, received in one or several
deliveries and closed (or cancelled). Each delivery (`PurchaseReceipt`) posts
receipt movements through the stock ledger, which keeps the weighted average
cost. Every status change is kept in `PurchaseOrderEvent` with its date and
author. Supplier invoices record what a supplier bills us; supplier payments
what we paid them (cash or bank), against an invoice or on account.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.models import BusinessOwned
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES
from hanout.inventory.models import Location, StockMovement
from hanout.suppliers.models import Supplier


def _private_storage():
    return storages["private"]


MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}
QTY = {"max_digits": QTY_DIGITS, "decimal_places": QTY_PLACES}


class POStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", pgettext_lazy("purchase order", "Sent")
    PARTIAL = "partial", _("Partly received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", pgettext_lazy("purchase order", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("purchase order", "Cancelled")


class PurchaseOrder(BusinessOwned):
    """An order to one supplier. `number` is gapless per business (PO-000042)."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=12, choices=POStatus.choices, default=POStatus.DRAFT
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("deliver to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_on = models.DateField(_("order date"), null=True, blank=True)  # set when sent
    expected_on = models.DateField(_("expected delivery"), null=True, blank=True)
    note = models.TextField(_("note to the supplier"), max_length=2000, blank=True)
    total = models.DecimalField(_("total"), default=Decimal(0), **MONEY)
    sent_to = models.EmailField(_("sent to"), max_length=254, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("fully received at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True)  # idempotent create from the API

    class Meta:
        ordering = ["-number"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="po_number_unique"),
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="po_client_uuid_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=POStatus.values), name="po_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="po_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["business", "status", "-number"], name="po_status"),
            models.Index(fields=["business", "supplier", "-number"], name="po_supplier"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PO-{self.number:06d}"


class PurchaseOrderLine(BusinessOwned):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    supplier_sku = models.CharField(_("supplier SKU"), max_length=64, blank=True)
    quantity = models.DecimalField(_("ordered"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    received_quantity = models.DecimalField(_("received"), default=Decimal(0), **QTY)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="po_line_product_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="po_line_qty_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0), name="po_line_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__gte=0), name="po_line_received_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.received_quantity, Decimal(0))


class PurchaseOrderEvent(BusinessOwned):
    """One dated step of a PO's history (drafted, sent, received 12 of 20, closed …)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=12, choices=POStatus.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} {self.at:%Y-%m-%d}"


class PurchaseReceipt(BusinessOwned):
    """One delivery received against a PO (a PO may take several)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    delivery_note = models.CharField(_("supplier's delivery note"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Receiving more than ordered needs a reason.
    over_receipt_reason = models.CharField(_("why more than ordered"), max_length=500, blank=True)
    movement_group = models.UUIDField(null=True, blank=True)  # the ledger movements it posted
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="po_receipt_client_uuid_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.received_at:%Y-%m-%d}"


class PurchaseReceiptLine(BusinessOwned):
    receipt = models.ForeignKey(PurchaseReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    quantity = models.DecimalField(_("received"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    movement = models.ForeignKey(
        StockMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="po_receipt_line_qty_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id} +{self.quantity}"


class SupplierInvoice(BusinessOwned):
    """A bill from a supplier (their number), optionally for one of our POs."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    number = models.CharField(_("supplier's invoice number"), max_length=64)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    total = models.DecimalField(_("total"), **MONEY)
    tax_total = models.DecimalField(_("of which tax"), default=Decimal(0), **MONEY)
    paid_total = models.DecimalField(_("paid"), default=Decimal(0), **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A bill is private: served only through a permission-checked page, never under /media/.
    attachment = models.FileField(
        _("scan"), storage=_private_storage, upload_to="supplier-invoices/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        verbose_name = _("supplier invoice")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "number"], name="supplier_invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="supplier_invoice_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(paid_total__gte=0), name="supplier_invoice_paid_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["business", "supplier", "issued_on"], name="supplier_invoice_date"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid_total


class SupplierPaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    OTHER = "other", pgettext_lazy("payment method", "Other")


class SupplierPayment(BusinessOwned):
    """Money paid to a supplier; against one of their invoices or on account.

    Append-only: a mistake is corrected by a reversing payment (negative
    amount, `reverses` set), never by editing.
    """

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(
        SupplierInvoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("method"), max_length=10, choices=SupplierPaymentMethod.choices)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-paid_on", "-created_at"]
        verbose_name = _("supplier payment")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=models.Q(client_uuid__isnull=False),
                name="supplier_payment_client_uuid_unique",
            ),
            models.CheckConstraint(condition=~models.Q(amount=0), name="supplier_payment_not_zero"),
        ]
        indexes = [
            models.Index(fields=["business", "supplier", "paid_on"], name="supplier_payment_date"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"
