"""The marketplace between businesses: listings, offers, purchases, and wallets.

Money:
- `Wallet`: one per business, in the business's currency. `posted` and `held` are
  running totals kept in the same transaction as each entry (the wallet row is
  locked first), so a balance is one row read; available = posted − held. Check
  constraints forbid a negative hold and a hold above what is posted, so no
  available balance can go below zero whatever the code above does.
- `WalletEntry`: the ledger. Append-only (save/delete/update refuse); each entry
  says what it changed (`posted_change`, `held_change`) and the totals after it.
  A transfer is two entries in one transaction.
- `WalletRequest`: a deposit or a withdrawal, pending until a platform
  administrator approves (posted) or rejects (voided), or it expires. A pending
  withdrawal holds its amount so it cannot be spent twice.

Goods:
- `Listing`: something a business offers to the others (`business` is the seller).
  A listing made from a catalog product reserves that stock while it is listed.
- `Offer`: a buyer's proposal (price per unit, quantity, expiry); the seller
  accepts, declines or counters; the buyer can withdraw or accept a counter.
- `OfferTerms`: an offer's history: the buyer's first price and quantity, then each
  counter-offer (who, price, quantity, when); the offer row holds the terms in force.
- `Purchase`: an accepted offer or a "buy now". The buyer's money is held from the
  start; completion moves it to the seller and records the new owner.
- `Ownership`: every owner of a listing's goods, with the day and the price.
- `MarketTerms`: what the platform operator sets per currency (Django admin).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.core.ids import uuid7
from hanout.core.models import BusinessOwned, BusinessQuerySet
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES, minor_unit
from hanout.core.validation import currency_codes, validate_currency

MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": MONEY_PLACES}


def _priced(amount, currency: str, business) -> str:
    """An amount as people read it (the language in force; the country of the page's reader,
    else the business's): what the audit trail stores as the object's name (written in the
    business's own way, core.audit), so recent activity reads "Deposit 1 020,00 €", not
    "Deposit 1020.00 EUR"; and on the platform's queue, the administrator's way."""
    from hanout.core.money import page_country
    from hanout.marketplace import display

    return display.money_in(amount, currency, page_country(business))


# --- the platform's terms -------------------------------------------------------------------


class MarketTerms(models.Model):
    """Per currency: when a purchase needs an administrator, and how long things wait."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    currency = models.CharField(
        _("currency"), max_length=3, unique=True, validators=[validate_currency]
    )
    approval_threshold = models.DecimalField(
        _("purchases above this amount need an administrator"),
        null=True,
        blank=True,
        help_text=_("Leave empty: no purchase needs approval."),
        **MONEY,
    )
    request_days = models.PositiveSmallIntegerField(
        _("days a deposit or withdrawal waits before it expires"), default=7
    )
    confirm_days = models.PositiveSmallIntegerField(
        _("days a buyer has to confirm a delivery"),
        default=7,
        help_text=_("After this many days from delivery the purchase completes on its own."),
    )
    max_amount = models.DecimalField(
        _("largest amount of one request or purchase"), default=Decimal("1000000"), **MONEY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("marketplace terms")
        verbose_name_plural = _("marketplace terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_threshold__isnull=True) | Q(approval_threshold__gte=0),
                name="market_terms_threshold_not_negative",
            ),
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="market_terms_max_positive"),
            models.CheckConstraint(
                condition=Q(request_days__gte=1) & Q(confirm_days__gte=1),
                name="market_terms_days_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.currency

    def clean(self) -> None:
        """Every problem at once, beside its field, in words (not a constraint's name):
        days of at least one, amounts in the currency's decimals, a positive maximum."""
        errors: dict[str, list] = {}
        for field in ("request_days", "confirm_days"):
            days = getattr(self, field)
            if days is not None and days < 1:
                errors.setdefault(field, []).append(_("Enter at least 1 day."))
        if self.max_amount is not None and self.max_amount <= 0:
            errors.setdefault("max_amount", []).append(
                _("The largest amount must be more than zero.")
            )
        if self.approval_threshold is not None and self.approval_threshold < 0:
            errors.setdefault("approval_threshold", []).append(
                _("The amount cannot be negative; leave it empty so no purchase needs approval.")
            )
        if self.currency in currency_codes():
            unit = minor_unit(self.currency)
            for field in ("approval_threshold", "max_amount"):
                amount = getattr(self, field)
                if amount is not None and field not in errors and amount != amount.quantize(unit):
                    errors.setdefault(field, []).append(
                        _("%(currency)s has %(places)d decimals: %(amount)s has more.")
                        % {
                            "currency": self.currency,
                            "places": -unit.as_tuple().exponent,
                            "amount": amount.normalize(),
                        }
                    )
        if errors:
            raise ValidationError(errors)


# --- wallets ---------------------------------------------------------------------------------


class Wallet(BusinessOwned):
    currency = models.CharField(_("currency"), max_length=3)
    posted = models.DecimalField(_("balance"), default=Decimal(0), **MONEY)
    held = models.DecimalField(_("held"), default=Decimal(0), **MONEY)
    # Number of the last entry: the next one is seq + 1 (the ledger's order).
    seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        constraints = [
            models.UniqueConstraint(fields=["business"], name="wallet_one_per_business"),
            models.CheckConstraint(condition=Q(held__gte=0), name="wallet_held_not_negative"),
            models.CheckConstraint(
                condition=Q(posted__gte=F("held")), name="wallet_available_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return _priced(self.posted, self.currency, self.business)

    @property
    def available(self) -> Decimal:
        return self.posted - self.held


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("Withdrawal requested (held)")
    WITHDRAWAL_RELEASE = "withdrawal_release", _("Withdrawal not paid (released)")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    PURCHASE_HOLD = "purchase_hold", _("Purchase (held)")
    PURCHASE_RELEASE = "purchase_release", _("Purchase cancelled (released)")
    PURCHASE = "purchase", _("Purchase paid")
    SALE = "sale", _("Sale received")


class ImmutableEntry(Exception):
    """A wallet entry was about to be changed or deleted."""


class WalletEntryQuerySet(BusinessQuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("Wallet entries are never updated; post a new entry instead.")

    def delete(self):
        raise ImmutableEntry("Wallet entries are never deleted; post a new entry instead.")


class WalletEntry(BusinessOwned):
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    posted_change = models.DecimalField(_("balance change"), **MONEY)
    held_change = models.DecimalField(_("held change"), **MONEY)
    posted_after = models.DecimalField(_("balance after"), **MONEY)
    held_after = models.DecimalField(_("held after"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    request = models.ForeignKey(
        "WalletRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    purchase = models.ForeignKey(
        "Purchase", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    counterparty = models.ForeignKey(
        "core.Business", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seq = models.PositiveBigIntegerField(_("number"), editable=False)

    objects = WalletEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("wallet entry")
        verbose_name_plural = _("wallet entries")
        constraints = [
            models.UniqueConstraint(fields=["wallet", "seq"], name="wallet_entry_seq_unique"),
            models.CheckConstraint(
                condition=~Q(posted_change=0) | ~Q(held_change=0), name="wallet_entry_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(held_after__gte=0) & Q(posted_after__gte=F("held_after")),
                name="wallet_entry_after_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "kind", "created_at"], name="wallet_entry_kind")
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("Wallet entries are never updated; post a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Wallet entries are never deleted; post a new entry instead.")

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {_priced(self.posted_change, self.currency, self.business)}"
        )


class RequestKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class RequestStatus(models.TextChoices):
    # Contexts: French (and others) agree the word with "request" (la demande).
    PENDING = "pending", _("Pending")
    POSTED = "posted", pgettext_lazy("wallet request", "Approved")
    VOIDED = "voided", _("Rejected")
    EXPIRED = "expired", pgettext_lazy("wallet request", "Expired")


class WalletRequest(BusinessOwned):
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reference = models.CharField(
        _("payment reference"),
        max_length=120,
        blank=True,
        help_text=_("The bank transfer or receipt number the administrator can check."),
    )
    expires_at = models.DateTimeField(_("expires"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deposit or withdrawal")
        verbose_name_plural = _("deposits and withdrawals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="wallet_request_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="wallet_request_queue"),
            models.Index(fields=["business", "created_at"], name="wallet_request_business"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {_priced(self.amount, self.currency, self.business)}"


# --- listings --------------------------------------------------------------------------------


class ListingCategory(models.TextChoices):
    SURPLUS = "surplus", _("Surplus stock")
    WHOLESALE = "wholesale", _("Wholesale lot")
    EQUIPMENT = "equipment", _("Shop equipment")
    FURNITURE = "furniture", _("Furniture and fittings")
    OTHER = "other", _("Other")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class Listing(BusinessOwned):
    """`business` is the seller. `quantity` is what is left to sell."""

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=ListingCategory.choices, default=ListingCategory.OTHER
    )
    price = models.DecimalField(_("price per unit"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    quantity = models.PositiveIntegerField(_("quantity left"))
    status = models.CharField(
        _("status"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    country = models.CharField(_("seller's country"), max_length=2, editable=False)
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalog product"),
    )
    location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stock location"),
    )
    reserved = models.PositiveIntegerField(_("stock reserved"), default=0, editable=False)
    origin = models.ForeignKey(
        "Purchase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relistings",
        verbose_name=_("bought in"),
    )
    search_text = models.TextField(editable=False, default="")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="listing_price_positive"),
            models.CheckConstraint(
                condition=Q(product__isnull=True) | Q(location__isnull=False),
                name="listing_product_has_location",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category", "price"], name="listing_browse"),
            models.Index(fields=["status", "published_at"], name="listing_recent"),
            models.Index(fields=["business", "status"], name="listing_seller"),
        ]

    def __str__(self) -> str:
        return self.name


def listing_image_path(instance, filename: str) -> str:
    return f"market/{instance.business_id}/{instance.listing_id}/{filename}"


class ListingImage(BusinessOwned):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=listing_image_path, max_length=255)
    thumbnail = models.ImageField(upload_to=listing_image_path, max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("listing image")
        verbose_name_plural = _("listing images")

    def __str__(self) -> str:
        return self.image.name


class Ownership(BusinessOwned):
    """One owner of (some of) a listing's goods. `business` is that owner.

    The first row is the seller when the listing was made (no price: we do not know
    what they paid, unless the goods were bought here: then the purchase's price).
    Each completed purchase adds the buyer.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="owners")
    since = models.DateTimeField(_("since"))
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("price paid per unit"), null=True, blank=True, **MONEY)
    purchase = models.OneToOneField(
        "Purchase", on_delete=models.PROTECT, null=True, blank=True, related_name="ownership"
    )

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("owner")
        verbose_name_plural = _("ownership history")

    def __str__(self) -> str:
        return f"{self.business_id} since {self.since:%Y-%m-%d}"


# --- offers and purchases -------------------------------------------------------------------


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the seller")
    COUNTERED = "countered", _("Countered by the seller")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", pgettext_lazy("offer", "Expired")
    CLOSED = "closed", _("Closed by the marketplace")


class OfferCloseReason(models.TextChoices):
    """Why the marketplace closed a live offer that nobody answered."""

    SOLD_OUT = "sold_out", _("Sold out")
    UNPUBLISHED = "unpublished", _("Taken off the market")


OFFER_LIVE = (OfferStatus.OPEN, OfferStatus.COUNTERED)


class Offer(BusinessOwned):
    """`business` is the buyer."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="offers")
    seller = models.ForeignKey(
        "core.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    unit_price = models.DecimalField(_("price per unit"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"))
    currency = models.CharField(_("currency"), max_length=3)
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    expires_at = models.DateTimeField(_("expires"))
    counters = models.PositiveSmallIntegerField(_("counter-offers"), default=0)
    closed_reason = models.CharField(
        _("why it closed"), max_length=12, choices=OfferCloseReason.choices, blank=True
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="offer_price_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
            models.CheckConstraint(condition=~Q(business=F("seller")), name="offer_not_own"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_reason__in=["sold_out", "unpublished"])
                | (~Q(status="closed") & Q(closed_reason="")),
                name="offer_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status"], name="offer_seller"),
            models.Index(fields=["business", "status"], name="offer_buyer"),
            models.Index(fields=["status", "expires_at"], name="offer_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {_priced(self.unit_price, self.currency, self.business)}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class OfferSide(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")


class OfferTerms(models.Model):
    """One proposal in an offer's negotiation: the buyer's first terms, then each
    counter-offer, in order. Append-only; the offer row keeps the terms in force."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="history")
    side = models.CharField(_("proposed by"), max_length=6, choices=OfferSide.choices)
    unit_price = models.DecimalField(_("price per unit"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("offer terms")
        verbose_name_plural = _("offer history")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="offer_terms_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="offer_terms_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side}: {self.quantity} × {self.unit_price}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Offer history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Offer history is append-only.")


class PurchaseStatus(models.TextChoices):
    PAID = "paid", _("Paid (money held)")
    DELIVERED = "delivered", _("Delivered, waiting for the buyer")
    APPROVAL = "approval", _("Waiting for an administrator")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


PURCHASE_OPEN = (PurchaseStatus.PAID, PurchaseStatus.DELIVERED, PurchaseStatus.APPROVAL)


class Purchase(BusinessOwned):
    """`business` is the buyer. The amount is held on the buyer's wallet until the end."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="purchases")
    seller = models.ForeignKey(
        "core.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    offer = models.OneToOneField(
        Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="purchase"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("price per unit"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.PAID
    )
    needs_approval = models.BooleanField(_("needs an administrator"), default=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    confirm_by = models.DateTimeField(_("completes on its own on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the buyer"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="purchase_amount_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_quantity_positive"),
            models.CheckConstraint(condition=~Q(business=F("seller")), name="purchase_not_own"),
        ]
        indexes = [
            models.Index(fields=["seller", "status"], name="purchase_seller"),
            models.Index(fields=["business", "status"], name="purchase_buyer"),
            models.Index(fields=["status", "confirm_by"], name="purchase_deadline"),
        ]

    def __str__(self) -> str:
        # What an administrator reads in the decisions list: the item, not its id.
        return (
            f"{self.listing.name} × {self.quantity} "
            f"({_priced(self.amount, self.currency, self.business)})"
        )


class MarketProfile(BusinessOwned):
    """What other businesses see of a business on the marketplace."""

    bio = models.TextField(_("about us"), max_length=2000, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    picture = models.ImageField(
        _("picture"), upload_to="market/profiles/", blank=True, max_length=255
    )

    class Meta:
        verbose_name = _("marketplace profile")
        verbose_name_plural = _("marketplace profiles")
        constraints = [
            models.UniqueConstraint(fields=["business"], name="market_profile_one_per_business")
        ]

    def __str__(self) -> str:
        return str(self.business_id)
