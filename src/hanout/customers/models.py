"""Customers: the people and companies a shop sells to by name.

The base that orders, invoices and the CRM (loyalty, trust, segments) build on.
A customer is optional on a register ticket and required on an order and an
invoice issued to a company.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from hanout.core.ids import uuid7
from hanout.core.models import BusinessOwned, ImmutableRecord

MONEY = {"max_digits": 14, "decimal_places": 3}


class TrustLevel(models.TextChoices):
    """How far the shop trusts a customer (to sell on credit, to take a phone payment
    later…). Set by a person; the CRM suggests one from the payment history."""

    UNKNOWN = "unknown", _("Unknown")
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Customer(BusinessOwned):
    name = models.CharField(_("name"), max_length=160)
    is_company = models.BooleanField(_("company"), default=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)  # E.164 when set
    email = models.EmailField(_("email"), max_length=254, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    tax_id = models.CharField(_("tax / VAT number"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Lower-cased, accent-free "name phone email tax id" for search (kept by the services).
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    trust_level = models.CharField(
        _("trust level"), max_length=8, choices=TrustLevel.choices, default=TrustLevel.UNKNOWN
    )
    # The code printed on a loyalty card (a barcode the register scans); unique when set.
    card_code = models.CharField(_("loyalty card"), max_length=64, blank=True)
    # Running balance of the points ledger (the last entry's balance_after), kept by
    # the loyalty services in the same transaction as the entry.
    loyalty_points = models.IntegerField(_("loyalty points"), default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["business", "name"], name="customer_name"),
            models.Index(fields=["business", "phone"], name="customer_phone"),
            models.Index(Lower("email"), "business", name="customer_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "card_code"],
                condition=~Q(card_code=""),
                name="customer_card_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(loyalty_points__gte=0), name="customer_points_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(trust_level__in=TrustLevel.values), name="customer_trust_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LoyaltyRule(BusinessOwned):
    """How a business gives loyalty points: `points_per_step` points for every
    `spend_step` of currency spent at the register, and what one point is worth
    (`point_value`) when the customer pays with points. One per business."""

    enabled = models.BooleanField(_("loyalty programme on"), default=False)
    spend_step = models.DecimalField(_("for every"), default=10, **MONEY)
    points_per_step = models.PositiveIntegerField(_("points earned"), default=1)
    point_value = models.DecimalField(_("value of one point"), default="0.100", **MONEY)

    class Meta:
        verbose_name = _("loyalty rule")
        constraints = [
            models.UniqueConstraint(fields=["business"], name="loyalty_rule_one_per_business"),
            models.CheckConstraint(condition=Q(spend_step__gt=0), name="loyalty_step_positive"),
            models.CheckConstraint(
                condition=Q(point_value__gte=0), name="loyalty_point_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.points_per_step} / {self.spend_step}"


class LoyaltyKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    ADJUST = "adjust", _("Adjusted")
    REVERSE = "reverse", _("Reversed (return)")
    EXPIRE = "expire", _("Expired")


class ImmutableLoyaltyEntries(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord("Loyalty entries cannot be changed; post a correcting entry.")

    def delete(self):
        raise ImmutableRecord("Loyalty entries cannot be deleted; post a correcting entry.")

    def for_business(self, business):
        return self.filter(business=business)


class LoyaltyEntry(models.Model):
    """One line of a customer's points ledger: `points` is signed (+ earned, − spent).

    `balance_after` is the customer's balance right after this entry (never
    negative), so the ledger reads on its own and `Customer.loyalty_points` is the
    last entry's `balance_after`. An earn is tied to its sale and a reversal to its
    return ticket, once each (unique), which makes the event handlers idempotent.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    business = models.ForeignKey("core.Business", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="loyalty_entries")
    kind = models.CharField(_("kind"), max_length=8, choices=LoyaltyKind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance"))
    # Redeem: what the points paid, in the business's currency.
    value = models.DecimalField(_("value"), default=0, **MONEY)
    sale = models.ForeignKey(
        "pos.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImmutableLoyaltyEntries.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("loyalty entry")
        verbose_name_plural = _("loyalty entries")
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="loyalty_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="loyalty_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LoyaltyKind.values), name="loyalty_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["sale", "kind"],
                condition=Q(sale__isnull=False),
                name="loyalty_once_per_sale",
            ),
            models.UniqueConstraint(
                fields=["business", "client_uuid"],
                condition=Q(client_uuid__isnull=False),
                name="loyalty_client_uuid_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="loyalty_customer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.points:+d}"
