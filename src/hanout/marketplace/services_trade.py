"""Buying on the marketplace: offers, "buy now", delivery, confirmation, approval, cancellation.

The life of a purchase:

    offer (open) ──seller accepts──┐
    offer (countered) ─buyer accepts┤
    buy now ────────────────────────┴→ purchase PAID (buyer's money held, units taken
                                        from the listing)
    PAID ──seller: delivered──→ DELIVERED ──buyer confirms, or `confirm_by` passes──→
        COMPLETED, or APPROVAL when the amount is above the platform's threshold, then
        COMPLETED when an administrator approves
    PAID / DELIVERED / APPROVAL ──cancel (or an administrator rejects)──→ CANCELLED:
        the hold is released and the units go back on the listing.

Completion pays the held money to the seller (two wallet entries in one
transaction), records the buyer as an owner of the listing's goods, and for a
listing made from a catalog product takes the units out of stock.

Locks are always taken in the same order — purchase, listing, then wallets by
id — so concurrent requests queue instead of deadlocking: 100 buyers racing for
the last 3 units queue on the listing row and exactly 3 get them; 5 purchases of
4.00 on a wallet of 10.00 queue on the wallet row and 2 pass.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.inventory.ledger import MoveLine
from hanout.inventory.models import MovementReason
from hanout.marketplace import display
from hanout.marketplace.models import (
    OFFER_LIVE,
    Listing,
    ListingStatus,
    Offer,
    OfferCloseReason,
    OfferSide,
    OfferStatus,
    OfferTerms,
    Ownership,
    Purchase,
    PurchaseStatus,
)
from hanout.marketplace.services_listings import release_units, whole
from hanout.marketplace.services_wallet import (
    hold,
    money_text,
    parse_amount,
    release,
    terms_for,
    transfer_held,
)

ACTION_LABELS = {
    "offer.make": gettext_lazy("Made an offer on the marketplace"),
    "offer.accept": gettext_lazy("Accepted a marketplace offer"),
    "offer.decline": gettext_lazy("Declined a marketplace offer"),
    "offer.counter": gettext_lazy("Made a counter-offer"),
    "offer.withdraw": gettext_lazy("Withdrew a marketplace offer"),
    "offer.close": gettext_lazy("A marketplace offer closed: the item sold out or was taken off"),
    "purchase.buy_now": gettext_lazy("Bought on the marketplace"),
    "purchase.deliver": gettext_lazy("Marked a marketplace sale delivered"),
    "purchase.confirm": gettext_lazy("Confirmed receiving a marketplace purchase"),
    "purchase.approve": gettext_lazy("Approved a marketplace purchase"),
    "purchase.complete": gettext_lazy("A marketplace purchase completed"),
    "purchase.cancel": gettext_lazy("Cancelled a marketplace purchase"),
}

OFFER_DAYS_DEFAULT = 3
OFFER_DAYS_MAX = 30
MAX_COUNTERS = 10


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def _member_of(obj, business: Business, *roles: str) -> str:
    """Which side `business` is on ("buyer" or "seller"); a stranger gets a 404."""
    sides = {"buyer": obj.business_id, "seller": obj.seller_id}
    for role in roles or ("buyer", "seller"):
        if sides[role] == business.pk:
            return role
    if business.pk in sides.values():
        raise PermissionDenied(_("The other party does this, not you."))
    raise NotFound(_("This was not found."))


def _event(name: str, business_ids, payload: dict[str, Any]) -> None:
    """Emit to both parties (each business's webhooks and open pages hear their own)."""
    for business in Business.objects.filter(pk__in=set(business_ids)):
        events.emit(name, business=business, payload=payload)


def _offer_payload(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "listing": offer.listing_id,
        "buyer": offer.business_id,
        "seller": offer.seller_id,
        "unit_price": offer.unit_price,
        "quantity": offer.quantity,
        "currency": offer.currency,
        "status": offer.status,
        "expires_at": offer.expires_at,
    }


def _purchase_payload(purchase: Purchase) -> dict[str, Any]:
    return {
        "id": purchase.pk,
        "listing": purchase.listing_id,
        "buyer": purchase.business_id,
        "seller": purchase.seller_id,
        "quantity": purchase.quantity,
        "unit_price": purchase.unit_price,
        "amount": purchase.amount,
        "currency": purchase.currency,
        "status": purchase.status,
    }


def _check_buyable(listing: Listing, buyer: Business, quantity: int) -> None:
    if listing.business_id == buyer.pk:
        raise Conflict(_("This is your own listing: you cannot buy it."), code="own_listing")
    if listing.status != ListingStatus.PUBLISHED:
        raise Conflict(_("This listing is not on sale."), code="listing_unpublished")
    if listing.currency != buyer.currency:
        raise Conflict(
            _(
                "This listing is priced in %(theirs)s and your wallet is in %(ours)s: "
                "buying across currencies is not possible yet."
            )
            % {"theirs": listing.currency, "ours": buyer.currency},
            code="currency_mismatch",
        )
    if quantity > listing.quantity:
        # Nothing left is "sold_out"; asking for more than the units left is another answer
        # (the buyer can ask for fewer).
        if listing.quantity == 0:
            message = _("Sold out: nothing is left to buy or to make an offer on.")
            raise Conflict(message, code="sold_out", fields={"quantity": [message]})
        message = _("Only %(left)d left.") % {"left": listing.quantity}
        raise Conflict(message, code="not_enough_left", fields={"quantity": [message]})


def _quantity(raw) -> int:
    quantity = whole(raw)
    if quantity is None or quantity <= 0:
        raise _bad("quantity", _("Enter a whole number of units, at least 1."))
    return quantity


def _expiry(value, now: datetime, days=None) -> datetime:
    if days not in (None, ""):
        if value not in (None, ""):
            raise _bad("expires_at", _("Give an end time or a number of days, not both."))
        count = whole(days)
        if count is None or not 1 <= count <= OFFER_DAYS_MAX:
            raise _bad(
                "valid_for_days",
                _("An offer lasts from 1 to %(days)d days.") % {"days": OFFER_DAYS_MAX},
            )
        return now + timedelta(days=count)
    if value in (None, ""):
        return now + timedelta(days=OFFER_DAYS_DEFAULT)
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None or moment.tzinfo is None:
        raise _bad("expires_at", _("Enter a date and time with its time zone."))
    if moment <= now:
        raise _bad("expires_at", _("The offer must expire in the future."))
    if moment > now + timedelta(days=OFFER_DAYS_MAX):
        raise _bad(
            "expires_at", _("An offer lasts at most %(days)d days.") % {"days": OFFER_DAYS_MAX}
        )
    return moment


# --- opening a purchase (the money is held) -----------------------------------------------------


def _check_total(amount, currency: str, reader: Business):
    """Refuse a purchase (or an offer or counter-offer that would make one) above the
    platform's largest; returns the currency's terms."""
    terms = terms_for(currency)
    if amount > terms.max_amount:
        raise Conflict(
            display.one_stop(
                _("The largest purchase is %(limit)s.")
                % {"limit": money_text(terms.max_amount, currency, reader)}
            ),
            code="too_large",
        )
    return terms


def _open_purchase(
    *, listing: Listing, buyer: Business, actor, quantity: int, unit_price, offer=None
):
    """Take `quantity` units off the LOCKED listing and hold the buyer's money."""
    _check_buyable(listing, buyer, quantity)
    amount = unit_price * quantity
    terms = _check_total(amount, listing.currency, buyer)
    purchase = Purchase.objects.create(
        business=buyer,
        listing=listing,
        seller_id=listing.business_id,
        offer=offer,
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
        currency=listing.currency,
        needs_approval=terms.approval_threshold is not None and amount > terms.approval_threshold,
        bought_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    hold(business=buyer, amount=amount, purchase=purchase, counterparty_id=listing.business_id)
    listing.quantity -= quantity
    listing.save(update_fields=["quantity", "updated_at"])
    if listing.quantity == 0:
        close_offers_of(listing, reason=OfferCloseReason.SOLD_OUT, keep=offer)
    return purchase


def buy_now(
    *, business: Business, actor, listing: Listing, quantity=1, key: uuid.UUID | None = None
):
    """Buy at the listed price, skipping the negotiation: the money is held at once."""
    quantity = _quantity(quantity)
    with transaction.atomic():
        payload = {"listing": str(listing.pk), "quantity": quantity}
        first = idempotency.claim(
            business=business, key=key, scope="market.buy_now", payload=payload
        )
        if first is not None:
            return Purchase.objects.get(pk=first, business=business)
        listing = Listing.objects.select_for_update(no_key=True, of=("self",)).get(pk=listing.pk)
        purchase = _open_purchase(
            listing=listing,
            buyer=business,
            actor=actor,
            quantity=quantity,
            unit_price=listing.price,
        )
        idempotency.remember(business=business, key=key, result_id=purchase.pk)
        audit.record(
            business=business,
            actor=actor,
            action="purchase.buy_now",
            obj=purchase,
            changes={"amount": [None, purchase.amount], "quantity": [None, quantity]},
        )
        _event(
            "market.purchase_opened",
            [business.pk, listing.business_id],
            _purchase_payload(purchase),
        )
    return purchase


# --- offers -------------------------------------------------------------------------------------


def offer_make(
    *,
    business: Business,
    actor,
    listing: Listing,
    unit_price,
    quantity=1,
    expires_at=None,
    valid_for_days=None,
    message: str = "",
    key: uuid.UUID | None = None,
) -> Offer:
    """Propose a price per unit for some units; the seller accepts, declines or counters.

    The offer ends at `expires_at`, or `valid_for_days` days from now (the web form's
    choice: a resent form keeps its first answer because the payload holds the days,
    not the moment), or OFFER_DAYS_DEFAULT days from now."""
    now = clock.now()
    unit_price = parse_amount(
        unit_price, currency=business.currency, field="unit_price", business=business
    )
    quantity = _quantity(quantity)
    expires = _expiry(expires_at, now, valid_for_days)
    message = (message or "").strip()
    if len(message) > 500:
        raise _bad("message", _("Keep the message under 500 characters."))
    with transaction.atomic():
        payload = {
            "listing": str(listing.pk),
            "unit_price": str(unit_price),
            "quantity": quantity,
            "expires_at": str(expires_at or ""),
            "valid_for_days": str(valid_for_days or ""),
            "message": message,
        }
        first = idempotency.claim(business=business, key=key, scope="market.offer", payload=payload)
        if first is not None:
            return Offer.objects.get(pk=first, business=business)
        listing = Listing.objects.select_for_update(no_key=True, of=("self",)).get(pk=listing.pk)
        _check_buyable(listing, business, quantity)
        _check_total(unit_price * quantity, listing.currency, business)
        offer = Offer.objects.create(
            business=business,
            listing=listing,
            seller_id=listing.business_id,
            unit_price=unit_price,
            quantity=quantity,
            currency=listing.currency,
            message=message,
            expires_at=expires,
            made_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _propose(offer, side=OfferSide.BUYER, actor=actor, at=now)
        idempotency.remember(business=business, key=key, result_id=offer.pk)
        audit.record(
            business=business,
            actor=actor,
            action="offer.make",
            obj=offer,
            changes={"unit_price": [None, unit_price], "quantity": [None, quantity]},
        )
        _event("market.offer_made", [business.pk, listing.business_id], _offer_payload(offer))
    return offer


def _propose(offer: Offer, *, side: str, actor, at: datetime) -> OfferTerms:
    """Append the offer's terms in force to its history (inside the caller's transaction,
    the offer row locked or just made), so a counter-offer never hides what came before."""
    return OfferTerms.objects.create(
        offer=offer,
        side=side,
        unit_price=offer.unit_price,
        quantity=offer.quantity,
        made_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at,
    )


def _locked_offer(offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update(no_key=True, of=("self",)).get(pk=offer.pk)
    return offer


def _live(offer: Offer) -> None:
    """Refuse a decided offer; expire (and refuse) one past its time."""
    if offer.status in OFFER_LIVE and offer.expires_at <= clock.now():
        _set(offer, OfferStatus.EXPIRED, actor=None)
        raise Conflict(_("This offer has expired."), code="offer_expired")
    if offer.status not in OFFER_LIVE:
        raise Conflict(
            _("This offer is already %(status)s.") % {"status": offer.get_status_display().lower()},
            code="offer_decided",
        )


def _set(
    offer: Offer, status: str, *, actor, action: str | None = None, by=None, reason: str = ""
) -> None:
    """Decide a locked offer; `by` is the acting business (the buyer when none is named).

    `reason` says why the market closed it without anyone answering ("sold_out",
    "unpublished"): it is stored on the offer and travels in the event so the buyer
    hears why."""
    before = offer.status
    offer.status = status
    offer.closed_reason = reason if status == OfferStatus.CLOSED else ""
    if status not in OFFER_LIVE:
        offer.decided_at = clock.now()
    offer.save(
        update_fields=[
            "status",
            "closed_reason",
            "decided_at",
            "unit_price",
            "quantity",
            "counters",
            "updated_at",
        ]
    )
    audit.record(
        business=by or offer.business,
        actor=actor,
        action=action or f"offer.{status}",
        obj=offer,
        changes={"status": [before, status]},
    )
    payload = _offer_payload(offer)
    if reason:
        payload["reason"] = reason
    # A closed offer is told as `market.offer_declined` (status "closed" and its reason in
    # the payload): the event webhooks already subscribe to for an offer that ended unsold.
    event = "declined" if status == OfferStatus.CLOSED else status
    _event(f"market.offer_{event}", [offer.business_id, offer.seller_id], payload)


def offer_accept(*, offer: Offer, business: Business, actor) -> Purchase:
    """The seller accepts an open offer, or the buyer accepts the seller's counter-offer."""
    with transaction.atomic():
        # The listing before the offer, as every path locks them: accepting the offer
        # that sells it out declines the others, which another accept may hold.
        listing = Listing.objects.select_for_update(no_key=True, of=("self",)).get(
            pk=offer.listing_id
        )
        offer = _locked_offer(offer)
        side = _member_of(offer, business)
        _live(offer)
        waiting_for = "seller" if offer.status == OfferStatus.OPEN else "buyer"
        if side != waiting_for:
            raise Conflict(
                _("The other party has to answer this offer, not you."), code="not_your_turn"
            )
        buyer = Business.objects.get(pk=offer.business_id)
        try:
            purchase = _open_purchase(
                listing=listing,
                buyer=buyer,
                actor=actor,
                quantity=offer.quantity,
                unit_price=offer.unit_price,
                offer=offer,
            )
        except Conflict as exc:
            if exc.code == "insufficient_funds" and side == "seller":
                # The buyer's wallet is the buyer's business: the seller is not told its figures.
                raise Conflict(
                    _(
                        "The buyer does not have enough money in their wallet for this offer "
                        "right now."
                    ),
                    code="insufficient_funds",
                ) from None
            raise
        _set(offer, OfferStatus.ACCEPTED, actor=actor, action="offer.accept", by=business)
        _event(
            "market.purchase_opened", [buyer.pk, listing.business_id], _purchase_payload(purchase)
        )
    return purchase


def offer_decline(*, offer: Offer, business: Business, actor) -> Offer:
    with transaction.atomic():
        offer = _locked_offer(offer)
        side = _member_of(offer, business)
        _live(offer)
        if side != ("seller" if offer.status == OfferStatus.OPEN else "buyer"):
            raise Conflict(
                _("The other party has to answer this offer, not you."), code="not_your_turn"
            )
        _set(offer, OfferStatus.DECLINED, actor=actor, action="offer.decline", by=business)
    return offer


def offer_counter(*, offer: Offer, business: Business, actor, unit_price, quantity=None) -> Offer:
    """The seller proposes another price (and/or quantity); the buyer accepts or declines it.

    The offer then carries the counter's terms (what an accept buys); the buyer's first
    terms and every counter stay in its history (`OfferTerms`)."""
    with transaction.atomic():
        offer = _locked_offer(offer)
        _member_of(offer, business, "seller")
        _live(offer)
        if offer.status != OfferStatus.OPEN:
            raise Conflict(
                _("Wait for the buyer's answer to your counter-offer."), code="not_your_turn"
            )
        if offer.counters >= MAX_COUNTERS:
            raise Conflict(_("Too many counter-offers on this offer."), code="too_many_counters")
        new_price = parse_amount(
            unit_price, currency=offer.currency, field="unit_price", business=business
        )
        new_quantity = offer.quantity if quantity in (None, "") else _quantity(quantity)
        listing = Listing.objects.get(pk=offer.listing_id)
        if new_quantity > listing.quantity:
            raise _bad("quantity", _("Only %(left)d left.") % {"left": listing.quantity})
        _check_total(new_price * new_quantity, offer.currency, business)
        extra = {
            "unit_price": [offer.unit_price, new_price],
            "quantity": [offer.quantity, new_quantity],
        }
        offer.unit_price, offer.quantity, offer.counters = (
            new_price,
            new_quantity,
            offer.counters + 1,
        )
        offer.status = OfferStatus.COUNTERED
        before = OfferStatus.OPEN
        offer.save(update_fields=["status", "unit_price", "quantity", "counters", "updated_at"])
        _propose(offer, side=OfferSide.SELLER, actor=actor, at=clock.now())
        audit.record(
            business=offer.seller,
            actor=actor,
            action="offer.counter",
            obj=offer,
            changes={"status": [before, offer.status], **extra},
        )
        _event(
            "market.offer_countered", [offer.business_id, offer.seller_id], _offer_payload(offer)
        )
    return offer


def offer_withdraw(*, offer: Offer, business: Business, actor) -> Offer:
    with transaction.atomic():
        offer = _locked_offer(offer)
        _member_of(offer, business, "buyer")
        _live(offer)
        _set(offer, OfferStatus.WITHDRAWN, actor=actor, action="offer.withdraw", by=business)
    return offer


def close_offers_of(
    listing: Listing, *, reason: str = OfferCloseReason.UNPUBLISHED, keep=None
) -> int:
    """Close every live offer of a listing taken off the market or sold out: status
    "closed", with the reason stored, so nobody reads it as the seller's "declined"
    (inside its transaction, the listing locked first: every path locks a listing before
    its offers); `keep` is the offer being accepted, which stays to be decided by its caller."""
    count = 0
    offers = Offer.objects.select_for_update(no_key=True, of=("self",)).filter(
        listing=listing, status__in=OFFER_LIVE
    )
    if keep is not None:
        offers = offers.exclude(pk=keep.pk)
    for offer in offers.order_by("pk"):
        _set(
            offer,
            OfferStatus.CLOSED,
            actor=None,
            action="offer.close",
            by=listing.business,
            reason=reason,
        )
        count += 1
    return count


def offers_expire(*, now=None) -> int:
    """Expire live offers past their time (a periodic job); returns how many."""
    now = now or clock.now()
    count = 0
    for pk in Offer.objects.filter(status__in=OFFER_LIVE, expires_at__lte=now).values_list(
        "pk", flat=True
    )[:1000]:
        with transaction.atomic():
            offer = Offer.objects.select_for_update(no_key=True, of=("self",)).get(pk=pk)
            if offer.status in OFFER_LIVE and offer.expires_at <= now:
                _set(offer, OfferStatus.EXPIRED, actor=None)
                count += 1
    return count


# --- after the purchase is opened ---------------------------------------------------------------


def _locked_purchase(purchase: Purchase) -> Purchase:
    return (
        Purchase.objects.select_for_update(no_key=True, of=("self",))
        .select_related("business", "seller")
        .get(pk=purchase.pk)
    )


def _status(purchase: Purchase, allowed, verb: str) -> None:
    if purchase.status not in allowed:
        raise Conflict(
            _("This purchase is %(status)s: it cannot be %(verb)s.")
            % {"status": purchase.get_status_display().lower(), "verb": verb},
            code="purchase_status",
        )


def _save(
    purchase: Purchase, before: str, *, actor, action: str, business: Business, fields
) -> None:
    purchase.save(update_fields=["status", *fields, "updated_at"])
    audit.record(
        business=business,
        actor=actor,
        action=action,
        obj=purchase,
        changes={"status": [before, purchase.status]},
    )


def _language_of(business: Business):
    """The business's language while its records are written (whoever's request it is)."""
    language = getattr(business, "default_language", "") or ""
    return translation.override(language) if language else contextlib.nullcontext()


def _complete(purchase: Purchase, *, actor) -> Purchase:
    """Pay the seller and record the new owner (the purchase is locked, open)."""
    listing = Listing.objects.select_for_update(no_key=True, of=("self",)).get(
        pk=purchase.listing_id
    )
    transfer_held(
        payer=purchase.business, payee=purchase.seller, amount=purchase.amount, purchase=purchase
    )
    before = purchase.status
    now = clock.now()
    purchase.status, purchase.completed_at = PurchaseStatus.COMPLETED, now
    Ownership.objects.create(
        business=purchase.business,
        listing=listing,
        since=now,
        quantity=purchase.quantity,
        unit_price=purchase.unit_price,
        purchase=purchase,
    )
    # The seller's books never name a person of another business (the buyer who confirmed,
    # a platform administrator): the marketplace purchase is the actor there.
    with _language_of(purchase.seller):
        label = _("Marketplace purchase")
        reference = _("Marketplace sale %(id)s") % {"id": str(purchase.pk)[:8]}
    if listing.product_id:
        release_units(listing, purchase.quantity)
        from hanout.inventory.services import stock_apply  # noqa: PLC0415

        stock_apply(
            business=purchase.seller,
            actor=None,
            actor_label=label,
            lines=[MoveLine(listing.product, listing.location, -Decimal(purchase.quantity), None)],
            reason=MovementReason.SALE,
            reference=reference,
        )
    purchase.save(update_fields=["status", "completed_at", "updated_at"])
    audit.record(
        business=purchase.seller,
        actor=None,
        actor_label=label,
        action="purchase.complete",
        obj=purchase,
        changes={"status": [before, purchase.status]},
    )
    _event(
        "market.purchase_completed",
        [purchase.business_id, purchase.seller_id],
        _purchase_payload(purchase),
    )
    return purchase


def _finish_or_wait(purchase: Purchase, *, actor) -> Purchase:
    if purchase.needs_approval:
        before = purchase.status
        purchase.status = PurchaseStatus.APPROVAL
        _save(
            purchase,
            before,
            actor=actor,
            action="purchase.confirm",
            business=purchase.business,
            fields=[],
        )
        _event(
            "market.purchase_awaiting_approval",
            [purchase.business_id, purchase.seller_id],
            _purchase_payload(purchase),
        )
        return purchase
    return _complete(purchase, actor=actor)


def purchase_deliver(*, purchase: Purchase, business: Business, actor) -> Purchase:
    """The seller says the goods were handed over; the buyer has `confirm_days` to confirm."""
    with transaction.atomic():
        purchase = _locked_purchase(purchase)
        _member_of(purchase, business, "seller")
        _status(purchase, [PurchaseStatus.PAID], _("marked delivered"))
        before = purchase.status
        now = clock.now()
        purchase.status, purchase.delivered_at = PurchaseStatus.DELIVERED, now
        purchase.confirm_by = now + timedelta(days=terms_for(purchase.currency).confirm_days)
        _save(
            purchase,
            before,
            actor=actor,
            action="purchase.deliver",
            business=business,
            fields=["delivered_at", "confirm_by"],
        )
        _event(
            "market.purchase_delivered",
            [purchase.business_id, purchase.seller_id],
            _purchase_payload(purchase),
        )
    return purchase


def purchase_confirm(*, purchase: Purchase, business: Business, actor) -> Purchase:
    """The buyer confirms receiving the goods: the seller is paid (or an administrator decides)."""
    with transaction.atomic():
        purchase = _locked_purchase(purchase)
        _member_of(purchase, business, "buyer")
        _status(purchase, [PurchaseStatus.DELIVERED], _("confirmed"))
        purchase.confirmed_at = clock.now()
        purchase.save(update_fields=["confirmed_at", "updated_at"])
        return _finish_or_wait(purchase, actor=actor)


def purchases_complete_due(*, now=None) -> int:
    """Delivered purchases whose buyer did not answer in time go ahead (a periodic job)."""
    now = now or clock.now()
    count = 0
    due = Purchase.objects.filter(status=PurchaseStatus.DELIVERED, confirm_by__lte=now)
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            purchase = _locked_purchase(Purchase(pk=pk))
            if purchase.status == PurchaseStatus.DELIVERED and purchase.confirm_by <= now:
                _finish_or_wait(purchase, actor=None)
                count += 1
    return count


def purchase_approve(*, purchase: Purchase, admin) -> Purchase:
    """A platform administrator lets a large purchase complete (twice is once)."""
    if not (admin and admin.is_staff and admin.is_active):
        raise PermissionDenied(_("Only a platform administrator can do this."))
    with transaction.atomic():
        purchase = _locked_purchase(purchase)
        if purchase.status == PurchaseStatus.COMPLETED and purchase.approved_by_id:
            return purchase
        _status(purchase, [PurchaseStatus.APPROVAL], _("approved"))
        purchase.approved_by = admin
        purchase.save(update_fields=["approved_by", "updated_at"])
        audit.record(
            business=purchase.business,
            actor=admin,
            action="purchase.approve",
            obj=purchase,
            changes={"approved_by": [None, admin.email]},
        )
        return _complete(purchase, actor=admin)


def purchase_cancel(
    *, purchase: Purchase, actor, reason: str, business: Business | None = None
) -> Purchase:
    """Call the purchase off: the buyer's money is released, the units go back on sale.

    Before delivery either party may cancel; after delivery only the seller (who
    then refunds by cancelling); waiting for approval, only an administrator
    (`business=None`, rejecting it).
    """
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", _("Say why: the other party reads it."))
    if len(reason) > 300:
        raise _bad("reason", _("Keep the reason under 300 characters."))
    with transaction.atomic():
        purchase = _locked_purchase(purchase)
        if business is None:
            if not (actor and actor.is_staff and actor.is_active):
                raise PermissionDenied(_("Only a platform administrator can do this."))
            _status(purchase, [PurchaseStatus.APPROVAL], _("rejected"))
        else:
            side = _member_of(purchase, business)
            allowed = [PurchaseStatus.PAID] + (
                [PurchaseStatus.DELIVERED] if side == "seller" else []
            )
            _status(purchase, allowed, _("cancelled"))
        listing = Listing.objects.select_for_update(no_key=True, of=("self",)).get(
            pk=purchase.listing_id
        )
        release(
            business=purchase.business,
            amount=purchase.amount,
            purchase=purchase,
            counterparty=purchase.seller,
        )
        if listing.status == ListingStatus.PUBLISHED:
            listing.quantity += purchase.quantity  # back on sale, still reserved
            listing.save(update_fields=["quantity", "updated_at"])
        else:
            release_units(listing, purchase.quantity)
        before = purchase.status
        purchase.status, purchase.cancelled_at, purchase.reason = (
            PurchaseStatus.CANCELLED,
            clock.now(),
            reason,
        )
        _save(
            purchase,
            before,
            actor=actor,
            action="purchase.cancel",
            business=business or purchase.business,
            fields=["cancelled_at", "reason"],
        )
        _event(
            "market.purchase_cancelled",
            [purchase.business_id, purchase.seller_id],
            _purchase_payload(purchase),
        )
    return purchase
