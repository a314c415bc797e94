"""Sponsorship: one business brings another to Hanout and earns rewards for it.

- `ReferralCode`: each business's short code (made the first time its sponsor page
  or the API asks for it). Someone who registers a store with `?ref=CODE` (or types
  the code in step one) makes their new business the *sponsee* of the code's owner.
- `Sponsorship`: sponsor (`business`) → sponsee, one per sponsee, dated `since`.
  Registering with one's own code is impossible by construction: the sponsee is a
  business that did not exist when the code was typed.
- `RewardProgramme`: what the platform operator pays (Django admin): a one-time
  amount per sponsee that stays active N days, and/or a share of the platform's fees
  from the sponsee for N months. The programme in force on the day a sponsee
  registered is the one that applies to it.
- `RewardEntry`: the ledger of what a sponsor earned. Rows are never updated or
  deleted (save/delete refuse, the queryset's update/delete refuse, the admin is
  read-only); a mistake is corrected by a `reversal` row of the opposite amount.
  Revenue from sponsoring = the sum of a sponsor's entries.
- `ReferralInvitation`: an email invitation sent from the sponsor page (kept for the
  daily limit and the sponsor's history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hanout.core.ids import uuid7
from hanout.core.models import BusinessOwned, BusinessQuerySet
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES
from hanout.core.validation import validate_currency

MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}


class ReferralCode(BusinessOwned):
    code = models.CharField(_("referral code"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")
        constraints = [
            models.UniqueConstraint(fields=["business"], name="referral_code_one_per_business"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]{6,16}$"), name="referral_code_shape"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Sponsorship(BusinessOwned):
    """`business` is the sponsor."""

    sponsee = models.OneToOneField(
        "core.Business",
        on_delete=models.CASCADE,
        related_name="sponsorship_received",
        verbose_name=_("sponsee"),
    )
    since = models.DateField(_("since"))
    code = models.CharField(_("code used"), max_length=16)

    class Meta:
        ordering = ["-since", "-created_at"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(business=models.F("sponsee")), name="sponsorship_not_self"
            ),
        ]
        indexes = [models.Index(fields=["business", "since"], name="sponsorship_sponsor")]

    def __str__(self) -> str:
        return f"{self.business_id} → {self.sponsee_id}"


class RewardProgramme(models.Model):
    """Platform-wide terms, set by the operator. Not business-owned."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.CharField(_("name"), max_length=120)
    one_time_amount = models.DecimalField(
        _("one-time amount per sponsee"),
        default=0,
        help_text=_("Paid once when a sponsee stays active the number of days below; 0: none."),
        **MONEY,
    )
    currency = models.CharField(
        _("currency of the one-time amount"), max_length=3, validators=[validate_currency]
    )
    active_days_required = models.PositiveSmallIntegerField(
        _("days the sponsee must stay active"), default=30
    )
    fee_percent = models.DecimalField(
        _("share of the platform's fees (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Percentage of each platform fee paid by the sponsee; 0: none."),
    )
    fee_months = models.PositiveSmallIntegerField(
        _("months of fee sharing"), default=12, help_text=_("Counted from the sponsorship date.")
    )
    valid_from = models.DateField(
        _("valid from"), help_text=_("Applies to sponsees who register on or after this day.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-created_at"]
        verbose_name = _("reward programme")
        verbose_name_plural = _("reward programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(one_time_amount__gte=0), name="programme_one_time_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(fee_percent__gte=0) & Q(fee_percent__lte=100),
                name="programme_fee_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="programme_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RewardKind(models.TextChoices):
    ONE_TIME = "one_time", _("One-time reward")
    FEE_SHARE = "fee_share", _("Share of fees")
    REVERSAL = "reversal", _("Reversal")


class ImmutableEntry(Exception):
    """A reward entry was about to be changed or deleted."""


class RewardEntryQuerySet(BusinessQuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("Reward entries are never updated; record a reversal instead.")

    def delete(self):
        raise ImmutableEntry("Reward entries are never deleted; record a reversal instead.")


class RewardEntry(BusinessOwned):
    """One line of a sponsor's reward ledger (`business` is the sponsor)."""

    sponsorship = models.ForeignKey(
        Sponsorship, on_delete=models.PROTECT, related_name="rewards", verbose_name=_("sponsee")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RewardKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    earned_on = models.DateField(_("date"))
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
    )
    programme = models.ForeignKey(
        RewardProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    # What it is for: the fee's reference, or the reason of a reversal.
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RewardEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-earned_on", "-created_at", "-id"]
        verbose_name = _("reward entry")
        verbose_name_plural = _("reward entries")
        indexes = [models.Index(fields=["business", "earned_on"], name="reward_sponsor_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="reward_amount_not_zero"),
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False))
                | (~Q(kind="reversal") & Q(reverses__isnull=True) & Q(amount__gt=0)),
                name="reward_reversal_shape",
            ),
            models.UniqueConstraint(
                "sponsorship", condition=Q(kind="one_time"), name="reward_one_time_once"
            ),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("Reward entries are never updated; record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Reward entries are never deleted; record a reversal instead.")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"


class ReferralInvitation(BusinessOwned):
    email = models.EmailField(_("email address"))
    message = models.TextField(_("message"), max_length=1000, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral invitation")
        verbose_name_plural = _("referral invitations")
        indexes = [models.Index(fields=["business", "created_at"], name="referral_invite_day")]

    def __str__(self) -> str:
        return self.email
