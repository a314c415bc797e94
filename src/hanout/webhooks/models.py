"""Outgoing webhooks: the endpoints a business registers, each delivery of an
event to one of them, and every attempt made to send it.

A delivery holds the exact JSON body that is signed and sent, so an attempt
(and a replay) sends byte-for-byte what was recorded; attempts are append-only
rows with the status code, the time taken, a truncated response and the error.
"""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from hanout.core.models import BusinessOwned

# The events a business can subscribe to (`ping` is only sent by "Send a test event").
EVENT_CHOICES = [
    ("sale.completed", _("A sale is completed at the register")),
    ("stock.low", _("A product falls to its reorder point")),
    ("order.status_changed", _("A customer order changes status")),
    ("payment.confirmed", _("A phone payment is confirmed")),
    ("invoice.issued", _("An invoice is issued")),
    ("expense.created", _("An expense is recorded")),
    ("market.offer_made", _("Marketplace: an offer is made")),
    ("market.offer_accepted", _("Marketplace: an offer is accepted")),
    ("market.offer_declined", _("Marketplace: an offer is declined")),
    ("market.offer_countered", _("Marketplace: the seller makes a counter-offer")),
    ("market.offer_withdrawn", _("Marketplace: the buyer withdraws an offer")),
    ("market.offer_expired", _("Marketplace: an offer expires")),
    ("market.purchase_opened", _("Marketplace: a purchase is made (money held)")),
    ("market.purchase_delivered", _("Marketplace: a purchase is marked delivered")),
    ("market.purchase_awaiting_approval", _("Marketplace: a purchase waits for an administrator")),
    ("market.purchase_completed", _("Marketplace: a purchase completes (money paid)")),
    ("market.purchase_cancelled", _("Marketplace: a purchase is cancelled")),
    ("wallet.deposit_requested", _("Wallet: a deposit is requested")),
    ("wallet.deposit_approved", _("Wallet: a deposit is approved")),
    ("wallet.deposit_rejected", _("Wallet: a deposit is rejected")),
    ("wallet.withdrawal_requested", _("Wallet: a withdrawal is requested")),
    ("wallet.withdrawal_approved", _("Wallet: a withdrawal is paid out")),
    ("wallet.withdrawal_rejected", _("Wallet: a withdrawal is rejected")),
    ("wallet.request_expired", _("Wallet: a deposit or withdrawal expires")),
]
EVENTS = [name for name, _label in EVENT_CHOICES]
PING = "ping"


class WebhookEndpoint(BusinessOwned):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # The signing secret, encrypted with a key derived from the site's SECRET_KEY
    # (see signing.py): we must be able to sign, so it cannot be a one-way hash.
    secret_encrypted = models.TextField(editable=False)
    secret_hint = models.CharField(max_length=8, editable=False, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(BusinessOwned):
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=64)
    event_id = models.UUIDField(_("event id"))
    body = models.TextField(_("request body"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("most attempts"), default=1)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(_("last response time (ms)"), null=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self",
        verbose_name=_("replay of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replays",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["business", "-created_at"], name="webhook_delivery_recent"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attempt_count__lte=models.F("max_attempts")),
                name="webhook_delivery_attempts_capped",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"

    @property
    def payload(self) -> dict:
        """The JSON body as sent (the body is kept as text: that is what is signed)."""
        return json.loads(self.body)


class WebhookAttempt(BusinessOwned):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField(_("attempt"))
    request_headers = models.JSONField(_("request headers"), default=dict)
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), default=0)
    response_body = models.TextField(_("response body"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhook_attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
