"""The register: registers and their paired devices, cash sessions, sales (tickets),
their lines and payments, phone-payment links.

Money columns are (14, 3) like the rest of Hanout and hold amounts already
quantized to the business currency. Sales are append-only records: a return is a
new `Sale` of kind `return` with negative quantities and negative payments, so
sums over sales are always the net figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hanout.core.models import BusinessOwned

MONEY = {"max_digits": 14, "decimal_places": 3}


class PrinterKind(models.TextChoices):
    NONE = "none", _("No receipt printer")
    NETWORK = "network", _("Network printer (host:port)")
    USB = "usb", _("USB printer (vendor:product)")
    FILE = "file", _("Device file (e.g. /dev/usb/lp0)")


class Register(BusinessOwned):
    """A till in a shop. Ticket and return numbers are gapless per register:
    `next_ticket_number` / `next_return_number` are read and bumped under a row lock
    in the transaction that writes the sale."""

    shop = models.ForeignKey("core.Shop", on_delete=models.PROTECT, related_name="registers")
    name = models.CharField(_("name"), max_length=60)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("stock location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where sales take stock from. Empty: the shop's default location."),
    )
    idle_lock_seconds = models.PositiveIntegerField(
        _("lock after idle (seconds)"), default=120, help_text=_("0 never locks.")
    )
    printer_kind = models.CharField(
        _("receipt printer"), max_length=10, choices=PrinterKind.choices, default=PrinterKind.NONE
    )
    printer_target = models.CharField(_("printer address"), max_length=200, blank=True)
    next_ticket_number = models.PositiveIntegerField(default=1, editable=False)
    next_return_number = models.PositiveIntegerField(default=1, editable=False)
    next_session_number = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="register_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RegisterDevice(BusinessOwned):
    """A browser (or desktop app) paired by a manager to act as one register.

    The raw token lives only in the device's cookie; we keep its SHA-256."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="devices")
    label = models.CharField(_("label"), max_length=80, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("register device")

    def __str__(self) -> str:
        return self.label or str(self.register)


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CashSession(BusinessOwned):
    """From opening float to counted drawer. Running totals are bumped by each sale
    and cash movement in the same transaction, so closing (the Z report) reads one
    row instead of summing thousands of sales. Once closed, the closing figures
    never change; a sale that arrives later (an offline queue) is recorded with
    `Sale.late` and shown apart."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    opening_float = models.DecimalField(_("opening float"), **MONEY)
    # Running totals (all positive numbers; see expected_cash()).
    cash_in = models.DecimalField(_("cash received"), default=0, **MONEY)  # tendered cash
    cash_change = models.DecimalField(_("change given"), default=0, **MONEY)
    cash_refunds = models.DecimalField(_("cash refunds"), default=0, **MONEY)
    withdrawals = models.DecimalField(_("cash withdrawals"), default=0, **MONEY)
    paid_in = models.DecimalField(_("paid in"), default=0, **MONEY)
    paid_out = models.DecimalField(_("paid out"), default=0, **MONEY)
    sales_count = models.PositiveIntegerField(_("sales"), default=0)
    returns_count = models.PositiveIntegerField(_("returns"), default=0)
    revenue = models.DecimalField(_("revenue"), default=0, **MONEY)  # net of returns
    # Closing.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expected_cash = models.DecimalField(_("expected cash"), null=True, blank=True, **MONEY)
    counted_cash = models.DecimalField(_("counted cash"), null=True, blank=True, **MONEY)
    difference = models.DecimalField(_("difference"), null=True, blank=True, **MONEY)
    counted_denominations = models.JSONField(_("counted by denomination"), default=dict, blank=True)
    closing_note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("cash session")
        verbose_name_plural = _("cash sessions")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["register"],
                condition=Q(status="open"),
                name="cash_session_one_open_per_register",
            ),
            models.UniqueConstraint(fields=["register", "number"], name="cash_session_number"),
        ]

    def __str__(self) -> str:
        return f"{self.register} #{self.number}"

    def expected_cash_now(self):
        """float + cash received − change − withdrawals − cash refunds + paid in − paid out."""
        return (
            self.opening_float
            + self.cash_in
            - self.cash_change
            - self.withdrawals
            - self.cash_refunds
            + self.paid_in
            - self.paid_out
        )


class CashMovementKind(models.TextChoices):
    PAID_IN = "paid_in", _("Paid in")
    PAID_OUT = "paid_out", _("Paid out")


class CashMovement(BusinessOwned):
    """Cash put in or taken out of the drawer outside a sale, with the reason."""

    session = models.ForeignKey(CashSession, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=10, choices=CashMovementKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)  # positive
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cash_movement_positive"),
            models.UniqueConstraint(
                fields=["business", "client_uuid"], name="cash_movement_client_uuid"
            ),
        ]


class SaleKind(models.TextChoices):
    SALE = "sale", _("Sale")
    RETURN = "return", _("Return")


class Sale(BusinessOwned):
    """One paid basket = one ticket. `client_uuid` is made by the register before the
    first attempt; the unique constraint makes a retried create return the first sale.

    `total` is what the customer paid (withdrawals included); `revenue` is `total`
    minus withdrawal lines (withdrawals are not revenue and are not taxed)."""

    client_uuid = models.UUIDField()
    kind = models.CharField(
        _("kind"), max_length=10, choices=SaleKind.choices, default=SaleKind.SALE
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="sales")
    shop = models.ForeignKey("core.Shop", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CashSession, on_delete=models.PROTECT, related_name="sales")
    number = models.PositiveIntegerField(_("number"))
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the cashier completed it (offline: the device's clock).
    sold_at = models.DateTimeField(_("sold at"))
    basket = models.CharField(_("basket"), max_length=20, blank=True)  # "main", "sub" …
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)  # returns
    total = models.DecimalField(_("total"), **MONEY)
    revenue = models.DecimalField(_("revenue"), **MONEY)
    tax_total = models.DecimalField(_("tax"), **MONEY)
    discount_total = models.DecimalField(_("discount"), default=0, **MONEY)
    withdrawal_total = models.DecimalField(_("cash withdrawal"), default=0, **MONEY)
    paid_total = models.DecimalField(_("paid"), **MONEY)
    change_given = models.DecimalField(_("change"), default=0, **MONEY)
    offline = models.BooleanField(_("made offline"), default=False)
    late = models.BooleanField(_("arrived after its session closed"), default=False)
    email = models.EmailField(_("ticket emailed to"), blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    # SHA-256 of the request that made it: a retry with the same client_uuid must match
    # (else it is a Conflict, not a silent replay of another basket).
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-sold_at"]
        constraints = [
            models.UniqueConstraint(fields=["business", "client_uuid"], name="sale_client_uuid"),
            models.UniqueConstraint(fields=["register", "kind", "number"], name="sale_number"),
        ]
        indexes = [
            models.Index(fields=["business", "sold_at"], name="sale_business_sold_at"),
            models.Index(fields=["session", "kind"], name="sale_session_kind"),
            # The reports' refresh finds the tickets that arrived since its last run.
            models.Index(fields=["business", "created_at"], name="sale_business_created"),
        ]

    def __str__(self) -> str:
        return self.ticket_number

    @property
    def ticket_number(self) -> str:
        prefix = "R" if self.kind == SaleKind.RETURN else ""
        return f"{prefix}{self.number:06d}"


class LineKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    WITHDRAWAL = "withdrawal", _("Cash withdrawal")


class SaleLine(BusinessOwned):
    """A line as it was sold: name, price and tax rate copied at that moment.

    `total` = quantity × unit_price − discount (tax included); `tax_amount` is the
    tax inside `total`. Withdrawal lines carry no product, no tax, quantity 1."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=LineKind.choices, default=LineKind.PRODUCT)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    original_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="returned_by"
    )
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount = models.DecimalField(_("discount"), default=0, **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=0, **MONEY)
    returned_quantity = models.DecimalField(
        _("returned"), max_digits=14, decimal_places=3, default=0
    )

    class Meta:
        ordering = ["sale", "position"]
        indexes = [models.Index(fields=["product", "sale"], name="sale_line_product")]


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    PHONE = "phone", _("Phone (QR)")
    POINTS = "points", _("Loyalty points")


class RefundStatus(models.TextChoices):
    """Where a refund stands with the payment provider (phone payments only: a card
    refund is done at the counter's terminal, cash from the drawer)."""

    PENDING = "pending", _("Refund waiting to be sent")
    SENDING = "sending", _("Refund being sent")
    DONE = "done", _("Refunded by the provider")
    FAILED = "failed", _("Refund failed")


class Payment(BusinessOwned):
    """What settled a sale. Cash: `tendered` handed over, `change` given back,
    `amount` = tendered − change. Refunds are negative amounts on return sales;
    a card or phone refund names the payment it gives back (`refund_of`), and a
    phone refund goes through the provider after commit (`provider_status`)."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    tendered = models.DecimalField(_("tendered"), null=True, blank=True, **MONEY)
    change = models.DecimalField(_("change"), default=0, **MONEY)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    # Points payments (and their refunds): how many loyalty points; `amount` is their value.
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    payment_link = models.OneToOneField(
        "PaymentLink", on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    refund_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    provider_status = models.CharField(
        _("refund status"), max_length=10, choices=RefundStatus.choices, blank=True
    )
    provider_message = models.CharField(_("provider's answer"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]


class PaymentLinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class PaymentLink(BusinessOwned):
    """A one-time link shown as a QR code: the customer pays `amount` on a phone.

    The basket lines are copied for the phone page. `token` is the secret in the
    URL; it is the only thing the anonymous pay page knows."""

    token = models.CharField(max_length=64, unique=True)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="payment_links")
    session = models.ForeignKey(CashSession, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True)  # idempotent create
    sale_client_uuid = models.UUIDField(null=True, blank=True)  # the sale it will settle
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list)  # [{"name", "quantity", "total"}]
    status = models.CharField(
        max_length=10, choices=PaymentLinkStatus.choices, default=PaymentLinkStatus.PENDING
    )
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=30, default="test")
    provider_reference = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "client_uuid"], name="payment_link_client_uuid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"
