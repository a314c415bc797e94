"""The tenant (Business), its shops with opening hours, and the audit log."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hanout.core.ids import uuid7
from hanout.core.validation import validate_country, validate_currency, validate_time_zone


class BusinessQuerySet(models.QuerySet):
    def for_business(self, business):
        """The only way business rows are read: scoped to one tenant."""
        return self.filter(business=business)


class BusinessOwned(models.Model):
    """Base for every row that belongs to a tenant.

    UUIDv7 keys let offline registers and store servers create rows that merge
    without collisions; `business` is on every row so that every query can be
    scoped without a join.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    business = models.ForeignKey("core.Business", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        abstract = True


class Business(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.CharField(_("business name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    allow_negative_stock = models.BooleanField(
        _("allow selling below zero stock"),
        default=False,
        help_text=_("When off, a sale or removal that needs more than is on hand is refused."),
    )
    # Legal details printed on invoices, credit notes and purchase orders.
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    legal_address = models.TextField(_("registered address"), max_length=500, blank=True)
    tax_id = models.CharField(_("tax / VAT number"), max_length=64, blank=True)
    registration_number = models.CharField(
        _("company registration number"), max_length=64, blank=True
    )
    invoice_email = models.EmailField(_("email on invoices"), max_length=254, blank=True)
    invoice_phone = models.CharField(_("phone on invoices"), max_length=32, blank=True)
    invoice_footer = models.TextField(
        _("invoice footer"),
        max_length=1000,
        blank=True,
        help_text=_("Payment terms, bank details or legal mentions printed under every invoice."),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="business_currency_iso"
            ),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"), name="business_country_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Shop(BusinessOwned):
    name = models.CharField(_("shop name"), max_length=120)
    address = models.TextField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="shop_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_open_at(self, moment: datetime, hours: list[OpeningHours] | None = None) -> bool:
        """Whether the shop is open at `moment`, read in the shop's own time zone.

        An interval whose closing time is before its opening time runs past
        midnight (a night shop open 18:00–02:00 on Friday is open at 01:00 on
        Saturday).
        """
        local = moment.astimezone(self.tz)
        by_day = {h.weekday: h for h in (hours if hours is not None else self.opening_hours.all())}
        today = by_day.get(local.weekday())
        yesterday = by_day.get((local.weekday() - 1) % 7)
        t = local.time()
        if today and not today.is_closed:
            if today.crosses_midnight:
                if t >= today.opens_at:
                    return True
            elif today.opens_at <= t < today.closes_at:
                return True
        return bool(
            yesterday
            and not yesterday.is_closed
            and yesterday.crosses_midnight
            and t < yesterday.closes_at
        )

    def next_opening(
        self, moment: datetime, hours: list[OpeningHours] | None = None
    ) -> datetime | None:
        """When the shop next opens at or after `moment`, in the shop's time zone.

        The start of the next opening interval (a shop open now answers with
        its next day's opening, or `moment` itself if it opens exactly then);
        None when no weekday has opening hours. What the register tells a
        cashier refused outside the hours: "It opens at 06:00 (Monday)".
        """
        local = moment.astimezone(self.tz)
        by_day = {h.weekday: h for h in (hours if hours is not None else self.opening_hours.all())}
        for offset in range(8):  # today, the next six days, and today next week
            day = local.date() + timedelta(days=offset)
            h = by_day.get(day.weekday())
            if h is None or h.is_closed:
                continue
            # Through UTC, so an opening time inside a daylight-saving gap lands on
            # the real instant (02:30 on the spring-forward night is 03:30).
            start = datetime.combine(day, h.opens_at, tzinfo=self.tz)
            start = start.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(self.tz)
            if start >= moment:
                return start
        return None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(BusinessOwned):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(default=time(8, 0))
    closes_at = models.TimeField(default=time(18, 0))
    is_closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "weekday"], name="opening_hours_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(is_closed=True) | ~models.Q(opens_at=models.F("closes_at")),
                name="opening_hours_not_empty",
            ),
        ]

    def __str__(self) -> str:
        if self.is_closed:
            return f"{Weekday(self.weekday).label}: closed"
        return f"{Weekday(self.weekday).label}: {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.closes_at < self.opens_at

    @property
    def duration(self) -> timedelta:
        start = datetime.combine(datetime.min, self.opens_at)
        end = datetime.combine(datetime.min, self.closes_at)
        if end <= start:
            end += timedelta(days=1)
        return end - start


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord("Audit entries cannot be changed.")

    def delete(self):
        raise ImmutableRecord("Audit entries cannot be deleted.")

    def for_business(self, business):
        return self.filter(business=business)


class ImmutableRecord(Exception):
    pass


class AuditEntry(models.Model):
    """One action in the application: who did what, to which object, when.

    Rows are append-only: the application refuses to update or delete them
    (queryset, instance, admin) and the database refuses UPDATE with a trigger.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["business", "-at"], name="audit_business_at"),
            models.Index(fields=["business", "object_type", "object_id"], name="audit_object"),
            models.Index(fields=["business", "actor", "-at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Audit entries cannot be deleted.")


class IdempotencyKey(models.Model):
    """A client-made key for one money- or stock-moving request.

    The service inserts the key inside its own transaction before writing:
    the same key again finds this row and returns the first result; the same
    key with a different payload (another fingerprint) is a conflict. Because
    the row commits or rolls back with the work, a failed request leaves no key
    behind and may be retried.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    scope = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class DocumentSequence(models.Model):
    """The next number of a kind of document, per business and year.

    Invoices (2026-0042), credit notes and purchase orders are numbered
    without gaps: `hanout.core.sequences.next_number` takes the row under a
    lock in the caller's transaction, so a rolled-back document gives its
    number back and two concurrent ones never share one.
    """

    id = models.BigAutoField(primary_key=True)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField(default=0)  # 0: one sequence for all years
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "key", "year"], name="document_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last_value}"
